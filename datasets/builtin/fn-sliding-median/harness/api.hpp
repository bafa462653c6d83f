#pragma once
#include <vector>

// For each window a[i..i+k) (0 <= i <= n-k), the value of rank (k-1)/2 (0-based) in sorted order.
// 1 <= k <= a.size().
std::vector<int> window_medians(const std::vector<int>& a, int k);

#pragma once
#include <vector>

// Number of pairs (i, j) with i < j and a[i] > a[j].
long long count_inversions(const std::vector<int>& a);

#pragma once
#include <vector>

// The min(k, values.size()) largest values (with repetitions), in descending order. k >= 0.
std::vector<int> top_k(const std::vector<int>& values, int k);

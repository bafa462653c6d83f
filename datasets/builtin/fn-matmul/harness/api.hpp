#pragma once
#include <vector>

// C = A * B for n x n matrices stored row-major (element (i, j) at index i * n + j).
// Entries of A and B lie in [-1000, 1000] and n <= 500, so every entry of C fits in an int.
std::vector<int> matmul(const std::vector<short>& a, const std::vector<short>& b, int n);

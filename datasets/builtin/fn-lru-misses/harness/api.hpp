#pragma once
#include <vector>

// Simulates a least-recently-used cache holding at most `capacity` keys (capacity >= 1),
// starting empty, on the given requests, and returns how many requests were misses.
long long lru_misses(const std::vector<int>& requests, int capacity);

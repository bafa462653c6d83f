#pragma once
#include <utility>
#include <vector>

// Total length of the union of the half-open intervals [first, second).
// An interval with second <= first is empty.
long long union_length(const std::vector<std::pair<long long, long long>>& intervals);

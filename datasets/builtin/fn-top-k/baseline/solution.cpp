#include "api.hpp"
#include <algorithm>
#include <functional>

std::vector<int> top_k(const std::vector<int>& values, int k) {
    std::vector<int> sorted(values);
    std::sort(sorted.begin(), sorted.end(), std::greater<int>());
    if (static_cast<std::size_t>(k) < sorted.size()) sorted.resize(k);
    return sorted;
}

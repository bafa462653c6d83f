#include "api.hpp"
#include <algorithm>
#include <functional>

std::vector<int> top_k(const std::vector<int>& values, int k) {
    std::vector<int> v(values);
    std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), v.size());
    std::partial_sort(v.begin(), v.begin() + kk, v.end(), std::greater<int>());
    v.resize(kk);
    return v;
}

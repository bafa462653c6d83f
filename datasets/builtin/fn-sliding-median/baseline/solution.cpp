#include "api.hpp"
#include <algorithm>

std::vector<int> window_medians(const std::vector<int>& a, int k) {
    std::vector<int> result;
    for (std::size_t i = 0; i + k <= a.size(); ++i) {
        std::vector<int> window(a.begin() + i, a.begin() + i + k);
        std::nth_element(window.begin(), window.begin() + (k - 1) / 2, window.end());
        result.push_back(window[(k - 1) / 2]);
    }
    return result;
}

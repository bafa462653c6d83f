#include "api.hpp"

long long count_inversions(const std::vector<int>& a) {
    long long count = 0;
    const std::size_t n = a.size();
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j)
            if (a[i] > a[j]) ++count;
    return count;
}

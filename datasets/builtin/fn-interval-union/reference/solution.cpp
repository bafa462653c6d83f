#include "api.hpp"
#include <algorithm>

long long union_length(const std::vector<std::pair<long long, long long>>& intervals) {
    std::vector<std::pair<long long, long long>> v;
    v.reserve(intervals.size());
    for (const auto& iv : intervals)
        if (iv.first < iv.second) v.push_back(iv);
    std::sort(v.begin(), v.end());
    long long total = 0;
    std::size_t i = 0;
    while (i < v.size()) {
        long long l = v[i].first, r = v[i].second;
        for (++i; i < v.size() && v[i].first <= r; ++i) r = std::max(r, v[i].second);
        total += r - l;
    }
    return total;
}

#include "api.hpp"
#include <algorithm>

long long union_length(const std::vector<std::pair<long long, long long>>& intervals) {
    // Keep a list of disjoint intervals; fold each new interval into everything it touches.
    std::vector<std::pair<long long, long long>> merged;
    for (auto iv : intervals) {
        long long l = iv.first, r = iv.second;
        if (r <= l) continue;
        std::vector<std::pair<long long, long long>> next;
        for (const auto& m : merged) {
            if (m.second < l || m.first > r) {
                next.push_back(m);
            } else {
                l = std::min(l, m.first);
                r = std::max(r, m.second);
            }
        }
        next.emplace_back(l, r);
        merged.swap(next);
    }
    long long total = 0;
    for (const auto& m : merged) total += m.second - m.first;
    return total;
}

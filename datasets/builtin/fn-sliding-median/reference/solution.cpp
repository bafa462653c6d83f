#include "api.hpp"
#include <algorithm>

// Fenwick tree over the ranks of the distinct values; the window's median is found by a
// binary-lifting descent for the ((k-1)/2 + 1)-th smallest rank present.
std::vector<int> window_medians(const std::vector<int>& a, int k) {
    const std::size_t n = a.size();
    std::vector<int> values(a);
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    const int m = static_cast<int>(values.size());
    std::vector<int> rank(n);
    for (std::size_t i = 0; i < n; ++i)
        rank[i] = static_cast<int>(std::lower_bound(values.begin(), values.end(), a[i]) - values.begin()) + 1;
    std::vector<int> tree(m + 1, 0);
    auto add = [&](int pos, int delta) {
        for (; pos <= m; pos += pos & -pos) tree[pos] += delta;
    };
    int top = 1;
    while (top * 2 <= m) top *= 2;
    const int want = (k - 1) / 2 + 1;
    std::vector<int> result;
    if (static_cast<std::size_t>(k) > n) return result;
    result.reserve(n - k + 1);
    for (std::size_t i = 0; i < n; ++i) {
        add(rank[i], 1);
        if (i >= static_cast<std::size_t>(k)) add(rank[i - k], -1);
        if (i + 1 >= static_cast<std::size_t>(k)) {
            int pos = 0, need = want;
            for (int step = top; step > 0; step >>= 1) {
                if (pos + step <= m && tree[pos + step] < need) {
                    pos += step;
                    need -= tree[pos];
                }
            }
            result.push_back(values[pos]);
        }
    }
    return result;
}

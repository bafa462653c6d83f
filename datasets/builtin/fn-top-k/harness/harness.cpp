#include <cstdio>
#include <vector>
#include "api.hpp"

// Input: n q, then n integers a[0..n-1], then q lines "l r k" (0 <= l <= r <= n).
// Output: for each query, the top k of a[l..r) on one line: the count, then the values.
int main() {
    int n = 0, q = 0;
    if (std::scanf("%d %d", &n, &q) != 2) return 0;
    std::vector<int> a(n);
    for (auto& x : a) std::scanf("%d", &x);
    for (int i = 0; i < q; ++i) {
        int l, r, k;
        std::scanf("%d %d %d", &l, &r, &k);
        std::vector<int> part(a.begin() + l, a.begin() + r);
        std::vector<int> best = top_k(part, k);
        std::printf("%d", static_cast<int>(best.size()));
        for (int x : best) std::printf(" %d", x);
        std::printf("\n");
    }
    return 0;
}

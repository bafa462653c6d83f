#include <cstdio>
#include <vector>
#include "api.hpp"

// Input: n c, then n request keys, then c capacities. Output: the miss count for each capacity.
int main() {
    int n = 0, c = 0;
    if (std::scanf("%d %d", &n, &c) != 2) return 0;
    std::vector<int> req(n);
    for (auto& x : req) std::scanf("%d", &x);
    for (int i = 0; i < c; ++i) {
        int cap;
        std::scanf("%d", &cap);
        std::printf("%lld\n", lru_misses(req, cap));
    }
    return 0;
}

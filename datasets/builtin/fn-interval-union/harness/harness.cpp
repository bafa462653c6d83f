#include <cstdio>
#include <utility>
#include <vector>
#include "api.hpp"

// Input: n, then n lines "l r". Output: the length of the union of the intervals [l, r).
int main() {
    int n = 0;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<std::pair<long long, long long>> v(n);
    for (auto& p : v) std::scanf("%lld %lld", &p.first, &p.second);
    std::printf("%lld\n", union_length(v));
    return 0;
}

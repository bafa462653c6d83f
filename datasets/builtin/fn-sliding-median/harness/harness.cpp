#include <cstdio>
#include <vector>
#include "api.hpp"

// Input: n k, then n integers. Output: the n-k+1 window medians, one per line.
int main() {
    int n = 0, k = 0;
    if (std::scanf("%d %d", &n, &k) != 2) return 0;
    std::vector<int> a(n);
    for (auto& x : a) std::scanf("%d", &x);
    std::vector<int> med = window_medians(a, k);
    for (int m : med) std::printf("%d\n", m);
    return 0;
}

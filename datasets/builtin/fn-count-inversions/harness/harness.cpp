#include <cstdio>
#include <vector>
#include "api.hpp"

// Input: n, then n integers. Output: the number of inversions.
int main() {
    int n = 0;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<int> a(n);
    for (int i = 0; i < n; ++i) std::scanf("%d", &a[i]);
    std::printf("%lld\n", count_inversions(a));
    return 0;
}

// gen SEED T N [MAXABS]: T test cases, each "n lo hi" with n = N (lo <= hi chosen near typical
// subarray sums) followed by n values in [-MAXABS, MAXABS]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <algorithm>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int t = atoi(argv[2]), n = atoi(argv[3]);
    long long mx = argc > 4 ? atoll(argv[4]) : 1000000000LL;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<long long> d(-mx, mx);
    printf("%d\n", t);
    for (int c = 0; c < t; c++) {
        long long span = mx * 8;
        long long a = (long long)(rng() % (2 * span + 1)) - span, b = (long long)(rng() % (2 * span + 1)) - span;
        if (a > b) std::swap(a, b);
        printf("%d %lld %lld\n", n, a, b);
        for (int i = 0; i < n; i++) printf("%lld%c", d(rng), i + 1 < n ? ' ' : '\n');
    }
    return 0;
}

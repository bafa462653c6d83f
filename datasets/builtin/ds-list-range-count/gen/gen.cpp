// gen SEED N Q [APPEND_PERCENT]: N initial values in [-1e9, 1e9] (N >= 1), then Q operations:
// "1 x" appends x, "2 l r lo hi" asks how many values at positions l..r (1-based) lie in [lo, hi]
#include <cstdio>
#include <cstdlib>
#include <random>
#include <algorithm>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), q = atoi(argv[3]);
    int pct = argc > 4 ? atoi(argv[4]) : 10;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<long long> d(-1000000000LL, 1000000000LL);
    printf("%d\n", n);
    for (int i = 0; i < n; i++) printf("%lld%c", d(rng), i + 1 < n ? ' ' : '\n');
    printf("%d\n", q);
    long long size = n;
    for (int i = 0; i < q; i++) {
        if ((int)(rng() % 100) < pct) {
            printf("1 %lld\n", d(rng));
            size++;
        } else {
            long long l = 1 + (long long)(rng() % size), r = 1 + (long long)(rng() % size);
            if (l > r) std::swap(l, r);
            long long a = d(rng), b = d(rng);
            if (a > b) std::swap(a, b);
            printf("2 %lld %lld %lld %lld\n", l, r, a, b);
        }
    }
    return 0;
}

#include <cstdio>
#include <cstdlib>
#include <random>
#include <utility>

// gen SEED N Q [MAXV]: N values in [-MAXV, MAXV] and Q random ranges
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int n = atoi(argv[2]);
    int q = atoi(argv[3]);
    long long maxv = argc > 4 ? atoll(argv[4]) : 1000000000LL;
    std::mt19937_64 rng(seed);
    printf("%d %d\n", n, q);
    for (int i = 0; i < n; i++) {
        long long v = (long long)(rng() % (unsigned long long)(2 * maxv + 1)) - maxv;
        printf("%lld%c", v, i + 1 == n ? '\n' : ' ');
    }
    for (int i = 0; i < q; i++) {
        int l = (int)(rng() % n) + 1, r = (int)(rng() % n) + 1;
        if (l > r) std::swap(l, r);
        printf("%d %d\n", l, r);
    }
    return 0;
}

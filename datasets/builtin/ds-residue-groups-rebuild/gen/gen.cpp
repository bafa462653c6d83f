// gen SEED N Q [MAXK] [MAXV]: N values in [0, MAXV], then Q moduli k in [1, MAXK]
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), q = atoi(argv[3]);
    int maxk = argc > 4 ? atoi(argv[4]) : 1000;
    long long maxv = argc > 5 ? atoll(argv[5]) : 1000000000LL;
    std::mt19937_64 rng(seed);
    printf("%d\n", n);
    for (int i = 0; i < n; i++) printf("%lld%c", (long long)(rng() % (maxv + 1)), i + 1 < n ? ' ' : '\n');
    printf("%d\n", q);
    for (int i = 0; i < q; i++) printf("%d\n", 1 + (int)(rng() % maxk));
    return 0;
}

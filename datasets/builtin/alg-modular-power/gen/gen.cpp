#include <cstdio>
#include <cstdlib>
#include <random>

// gen SEED Q [MAXE] [MAXM]: Q queries "a e m" with a in [0, 10^18], e in [0, MAXE], m in [1, MAXM]
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int q = atoi(argv[2]);
    unsigned long long maxe = argc > 3 ? strtoull(argv[3], nullptr, 10) : 1000000;
    unsigned long long maxm = argc > 4 ? strtoull(argv[4], nullptr, 10) : 1000000000;
    std::mt19937_64 rng(seed);
    printf("%d\n", q);
    for (int i = 0; i < q; i++) {
        unsigned long long a = rng() % 1000000000000000001ULL;
        unsigned long long e = rng() % (maxe + 1);
        unsigned long long m = 1 + rng() % maxm;
        printf("%llu %llu %llu\n", a, e, m);
    }
    return 0;
}

#include <cstdio>
#include <cstdlib>
#include <random>

// gen SEED N [MAXV]: N values in [-MAXV, MAXV]
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int n = atoi(argv[2]);
    long long maxv = argc > 3 ? atoll(argv[3]) : 1000000000LL;
    std::mt19937_64 rng(seed);
    printf("%d\n", n);
    for (int i = 0; i < n; i++) {
        long long v = (long long)(rng() % (unsigned long long)(2 * maxv + 1)) - maxv;
        printf("%lld%c", v, i + 1 == n ? '\n' : ' ');
    }
    return 0;
}

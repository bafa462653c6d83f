// gen SEED N QUANTUM [MAXBURST]: N processes with bursts in [1, MAXBURST]
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]);
    long long q = atoll(argv[3]);
    long long mb = argc > 4 ? atoll(argv[4]) : 10 * q;
    std::mt19937_64 rng(seed);
    printf("%d %lld\n", n, q);
    for (int i = 0; i < n; i++) printf("%lld%c", 1 + (long long)(rng() % mb), i + 1 < n ? ' ' : '\n');
    return 0;
}

// gen SEED N: a single n in [N - 999, N]
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long long n = atoll(argv[2]);
    std::mt19937_64 rng(seed);
    long long v = n - (long long)(rng() % 1000);
    if (v < 1) v = 1;
    printf("%lld\n", v);
    return 0;
}

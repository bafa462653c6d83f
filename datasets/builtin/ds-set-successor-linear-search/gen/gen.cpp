// gen SEED Q: "Q seed" for the LCG mode of the task, seed made nonzero from SEED.
#include <cstdio>
#include <cstdlib>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long long q = atoll(argv[2]);
    printf("%lld %llu\n", q, (seed * 2862933555777941757ULL + 3037000493ULL) | 1ULL);
    return 0;
}

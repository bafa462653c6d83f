#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED N [D] : prints "N D seed"
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]);
    int d = argc > 3 ? atoi(argv[3]) : 28;
    std::mt19937_64 rng(seed);
    printf("%d %d %llu\n", n, d, rng() | 1);
}

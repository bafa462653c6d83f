#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED N Q : prints "N Q seed" and Q gains in [0, 4096]
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), q = atoi(argv[3]);
    std::mt19937_64 rng(seed);
    printf("%d %d %llu\n", n, q, rng() | 1);
    for (int i = 0; i < q; i++) printf("%d\n", i == 0 ? 4096 : (int)(rng() % 4097));
}

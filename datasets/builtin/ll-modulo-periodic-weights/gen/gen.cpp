#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED N Q KMIN KMAX : prints "N Q seed" then Q periods in [KMIN, KMAX]
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), q = atoi(argv[3]), kmin = atoi(argv[4]), kmax = atoi(argv[5]);
    std::mt19937_64 rng(seed);
    printf("%d %d %llu\n", n, q, rng() | 1);
    for (int i = 0; i < q; i++) printf("%d\n", kmin + (int)(rng() % (kmax - kmin + 1)));
}

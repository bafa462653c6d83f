#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED SIZE [K] : prints "H W K seed" with H = SIZE and W = SIZE + 37
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]);
    int k = argc > 3 ? atoi(argv[3]) : 30;
    std::mt19937_64 rng(seed);
    unsigned long long s = rng() | 1;
    printf("%d %d %d %llu\n", n, n + 37, k, s);
}

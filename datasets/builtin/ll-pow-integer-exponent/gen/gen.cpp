#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED N P D : prints "N P D seed"
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    std::mt19937_64 rng(seed);
    printf("%s %s %s %llu\n", argv[2], argv[3], argv[4], rng() | 1);
}

#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED Q : prints "Q seed"
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    std::mt19937_64 rng(seed);
    printf("%s %llu\n", argv[2], rng() | 1);
}

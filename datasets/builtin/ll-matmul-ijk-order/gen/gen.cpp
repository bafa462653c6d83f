#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED SIZE : prints "n seed" (the program expands the matrices itself)
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]);
    std::mt19937_64 rng(seed);
    unsigned long long s = rng() | 1;
    printf("%d %llu\n", n, s);
}

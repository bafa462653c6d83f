#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED N Q : prints "N Q seed" and Q random energy bands
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), q = atoi(argv[3]);
    std::mt19937_64 rng(seed);
    printf("%d %d %llu\n", n, q, rng() | 1);
    for (int i = 0; i < q; i++) {
        int a = rng() % 10000, b = rng() % 10000;
        if (a > b) { int t = a; a = b; b = t; }
        if (i % 7 == 0) { a = -5; }
        if (i % 11 == 0) { b = 20000; }
        printf("%d %d\n", a, b);
    }
}

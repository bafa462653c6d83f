// gen SEED N M: N vertices, M random edges (self-loops and repeats allowed)
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), m = atoi(argv[3]);
    std::mt19937_64 rng(seed);
    printf("%d %d\n", n, m);
    for (int i = 0; i < m; i++) {
        int u = 1 + (int)(rng() % n), v = 1 + (int)(rng() % n);
        printf("%d %d\n", u, v);
    }
    return 0;
}

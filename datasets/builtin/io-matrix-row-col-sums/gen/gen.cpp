// gen SEED N M [MAXABS]: an N x M matrix of integers in [-MAXABS, MAXABS]
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), m = atoi(argv[3]);
    long long mx = argc > 4 ? atoll(argv[4]) : 1000000;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<long long> d(-mx, mx);
    printf("%d %d\n", n, m);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) printf("%lld%c", d(rng), j + 1 < m ? ' ' : '\n');
    }
    return 0;
}

// gen SEED LINES [MAXPERLINE] [MAXABS]: LINES lines, each with 0..MAXPERLINE integers in [-MAXABS, MAXABS]
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]);
    int maxk = argc > 3 ? atoi(argv[3]) : 4;
    long long mx = argc > 4 ? atoll(argv[4]) : 1000000;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<long long> d(-mx, mx);
    printf("%d\n", n);
    for (int i = 0; i < n; i++) {
        int k = (int)(rng() % (maxk + 1));
        if (rng() % 50 == 0) k = 0;
        for (int j = 0; j < k; j++) printf(j ? " %lld" : "%lld", d(rng));
        printf("\n");
    }
    return 0;
}

#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED TOTAL Q : Q queries whose ranges hold about TOTAL numbers in all, at varied magnitudes
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long long total = atoll(argv[2]);
    int q = atoi(argv[3]);
    std::mt19937_64 rng(seed);
    printf("%d\n", q);
    long long p10[19];
    p10[0] = 1;
    for (int i = 1; i < 19; i++) p10[i] = p10[i - 1] * 10;
    for (int i = 0; i < q; i++) {
        long long len = total / q;
        int mag = 7 + (int)(rng() % 12);  // start below 10^mag, mag in [7, 18]
        long long L = (long long)(rng() % (unsigned long long)p10[mag]);
        if (i == 0) L = 0;
        if (i == 1) L = p10[18] - len + 1;
        long long R = L + len - 1;
        printf("%lld %lld %d\n", L, R, 1 + (int)(rng() % 60));
    }
}

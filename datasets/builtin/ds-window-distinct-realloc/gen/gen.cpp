// gen SEED N Q [MAXV] [MAXLEN]: N values in [0, MAXV] (the value MAXV always occurs),
// then Q windows "l r" (1-based) of length 1..MAXLEN
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), q = atoi(argv[3]);
    int maxv = argc > 4 ? atoi(argv[4]) : 100000;
    int maxlen = argc > 5 ? atoi(argv[5]) : 100;
    std::mt19937_64 rng(seed);
    printf("%d\n", n);
    int special = (int)(rng() % n);
    for (int i = 0; i < n; i++) {
        int v;
        if (i == special) v = maxv;
        else if (rng() % 4 == 0) v = (int)(rng() % 50);  // frequent small values give repeats
        else v = (int)(rng() % (maxv + 1));
        printf("%d%c", v, i + 1 < n ? ' ' : '\n');
    }
    printf("%d\n", q);
    for (int i = 0; i < q; i++) {
        int len = 1 + (int)(rng() % (maxlen < n ? maxlen : n));
        int l = 1 + (int)(rng() % (n - len + 1));
        printf("%d %d\n", l, l + len - 1);
    }
    return 0;
}

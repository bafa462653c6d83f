#include <cstdio>
#include <cstdlib>
#include <random>

static bool isPrime(long long x) {
    if (x < 2) return false;
    for (long long d = 2; d * d <= x; d++)
        if (x % d == 0) return false;
    return true;
}

// gen SEED N [MAXV]: N values in [0, MAXV]; about a third primes, a third products of two
// primes near sqrt(MAXV), a third uniform
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int n = atoi(argv[2]);
    long long maxv = argc > 3 ? atoll(argv[3]) : 2000000;
    std::mt19937_64 rng(seed);
    long long root = 1;
    while ((root + 1) * (root + 1) <= maxv) root++;
    printf("%d\n", n);
    for (int i = 0; i < n; i++) {
        long long v;
        int kind = (int)(rng() % 3);
        if (kind == 0) {
            v = (long long)(rng() % (maxv + 1));
            while (v > 0 && !isPrime(v)) v--;
        } else if (kind == 1) {
            long long p = root / 2 + (long long)(rng() % (root / 2 + 1));
            while (p > 2 && !isPrime(p)) p--;
            long long q = maxv / p;
            while (q > 2 && !isPrime(q)) q--;
            v = p * q;
        } else {
            v = (long long)(rng() % (maxv + 1));
        }
        printf("%lld%c", v, i + 1 == n ? '\n' : ' ');
    }
    return 0;
}

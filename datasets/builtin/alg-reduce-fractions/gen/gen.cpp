#include <cstdio>
#include <cstdlib>
#include <random>
#include <utility>

// gen SEED Q [MAXV] [SMALL]: Q fractions with parts in [1, MAXV]; half of them have one part
// in [1, SMALL] (in random order), the rest share a random common factor
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int q = atoi(argv[2]);
    long long maxv = argc > 3 ? atoll(argv[3]) : 1000000;
    long long small = argc > 4 ? atoll(argv[4]) : 200;
    std::mt19937_64 rng(seed);
    printf("%d\n", q);
    for (int i = 0; i < q; i++) {
        long long a, b;
        if (rng() % 2) {
            a = 1 + (long long)(rng() % maxv);
            b = 1 + (long long)(rng() % small);
            if (rng() % 2) std::swap(a, b);
        } else {
            long long g = 1 + (long long)(rng() % 1000);
            a = g * (1 + (long long)(rng() % (maxv / g)));
            b = g * (1 + (long long)(rng() % (maxv / g)));
        }
        printf("%lld %lld\n", a, b);
    }
    return 0;
}

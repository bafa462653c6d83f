// gen SEED N [K] [P]: "n x0 a b p k"; the sequence is x_{i+1} = (a*x_i + b) mod p, element i = x_i mod k;
// 1 <= p <= 2^31, 0 <= x0, a, b < p, 1 <= k
#include <cstdio>
#include <cstdlib>
#include <random>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long long n = atoll(argv[2]);
    long long k = argc > 3 ? atoll(argv[3]) : 2147483647LL;
    long long p = argc > 4 ? atoll(argv[4]) : 2147483647LL;
    std::mt19937_64 rng(seed);
    long long x0 = (long long)(rng() % p), a = 2 + (long long)(rng() % (p - 2)), b = (long long)(rng() % p);
    printf("%lld %lld %lld %lld %lld %lld\n", n, x0, a, b, p, k);
    return 0;
}

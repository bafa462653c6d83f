// gen SEED N [MAXABS]: N random integers in [-MAXABS, MAXABS] (default 1e9).
#include <cstdio>
#include <cstdlib>
#include <random>

int main(int argc, char** argv) {
    unsigned long long seed = std::strtoull(argv[1], nullptr, 10);
    int n = std::atoi(argv[2]);
    long long m = argc > 3 ? std::atoll(argv[3]) : 1000000000LL;
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<long long> d(-m, m);
    std::printf("%d\n", n);
    for (int i = 0; i < n; ++i) std::printf("%lld%c", d(rng), i + 1 == n ? '\n' : ' ');
    return 0;
}

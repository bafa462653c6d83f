// gen SEED N K [MAXABS]: N random integers in [-MAXABS, MAXABS] (default 1e9) and window size K.
#include <cstdio>
#include <cstdlib>
#include <random>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    int k = std::atoi(argv[3]);
    long long m = argc > 4 ? std::atoll(argv[4]) : 1000000000LL;
    std::uniform_int_distribution<long long> d(-m, m);
    std::printf("%d %d\n", n, k);
    for (int i = 0; i < n; ++i) std::printf("%lld%c", d(rng), i + 1 == n ? '\n' : ' ');
    return 0;
}

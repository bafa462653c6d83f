// gen SEED N Q MINLEN MAXK [MAXABS]: N random values, Q queries on ranges of length >= MINLEN, k in [0, MAXK].
#include <cstdio>
#include <cstdlib>
#include <random>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    int q = std::atoi(argv[3]);
    int minlen = std::atoi(argv[4]);
    int maxk = std::atoi(argv[5]);
    long long m = argc > 6 ? std::atoll(argv[6]) : 1000000000LL;
    std::uniform_int_distribution<long long> val(-m, m);
    std::printf("%d %d\n", n, q);
    for (int i = 0; i < n; ++i) std::printf("%lld%c", val(rng), i + 1 == n ? '\n' : ' ');
    for (int i = 0; i < q; ++i) {
        int len = minlen + static_cast<int>(rng() % (n - minlen + 1));
        int l = static_cast<int>(rng() % (n - len + 1));
        int k = static_cast<int>(rng() % (maxk + 1));
        std::printf("%d %d %d\n", l, l + len, k);
    }
    return 0;
}

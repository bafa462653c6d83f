// gen SEED N SPAN MAXLEN: N intervals [l, l+len) with l in [-SPAN, SPAN], len in [0, MAXLEN].
#include <cstdio>
#include <cstdlib>
#include <random>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    long long span = std::atoll(argv[3]);
    long long maxlen = std::atoll(argv[4]);
    std::uniform_int_distribution<long long> start(-span, span), len(0, maxlen);
    std::printf("%d\n", n);
    for (int i = 0; i < n; ++i) {
        long long l = start(rng);
        std::printf("%lld %lld\n", l, l + len(rng));
    }
    return 0;
}

// gen SEED N MAXABS PERLINE: N random integers in [-MAXABS, MAXABS], PERLINE to a line.
#include <cstdio>
#include <cstdlib>
#include <random>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    long long m = std::atoll(argv[3]);
    int per = std::atoi(argv[4]);
    std::uniform_int_distribution<long long> d(-m, m);
    for (int i = 0; i < n; ++i) std::printf("%lld%c", d(rng), (i + 1) % per == 0 || i + 1 == n ? '\n' : ' ');
    return 0;
}

// gen SEED N MAXABS: two random N x N matrices with entries in [-MAXABS, MAXABS].
#include <cstdio>
#include <cstdlib>
#include <random>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    int m = std::atoi(argv[3]);
    std::uniform_int_distribution<int> d(-m, m);
    std::printf("%d\n", n);
    for (int t = 0; t < 2; ++t)
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j) std::printf("%d%c", d(rng), j + 1 == n ? '\n' : ' ');
    return 0;
}

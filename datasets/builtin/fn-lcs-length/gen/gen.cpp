// gen SEED Q N ALPHA: Q pairs of random strings of lengths in [N/2, N] over the first ALPHA letters.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int q = std::atoi(argv[2]);
    int n = std::atoi(argv[3]);
    int alpha = argc > 4 ? std::atoi(argv[4]) : 26;
    std::printf("%d\n", q);
    for (int k = 0; k < 2 * q; ++k) {
        int len = static_cast<int>(n / 2 + rng() % (n - n / 2 + 1));
        std::string s(len, 'a');
        for (auto& ch : s) ch = static_cast<char>('a' + rng() % alpha);
        std::printf("%d %s\n", len, s.c_str());
    }
    return 0;
}

// gen SEED N UNIVERSE CAP...: N requests over UNIVERSE distinct keys (mostly a drifting hot set),
// then the listed capacities.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    int u = std::atoi(argv[3]);
    std::vector<int> caps;
    for (int i = 4; i < argc; ++i) caps.push_back(std::atoi(argv[i]));
    std::vector<int> key(u);
    for (auto& k : key) k = static_cast<int>(rng() % 2000000001ULL) - 1000000000;
    std::printf("%d %d\n", n, static_cast<int>(caps.size()));
    long long centre = 0;
    for (int i = 0; i < n; ++i) {
        if (rng() % 64 == 0) centre = static_cast<long long>(rng() % u);
        long long idx;
        if (rng() % 4 == 0) idx = static_cast<long long>(rng() % u);
        else idx = (centre + static_cast<long long>(rng() % (u / 8 + 1))) % u;
        std::printf("%d%c", key[idx], i + 1 == n ? '\n' : ' ');
    }
    for (std::size_t i = 0; i < caps.size(); ++i) std::printf("%d\n", caps[i]);
    return 0;
}

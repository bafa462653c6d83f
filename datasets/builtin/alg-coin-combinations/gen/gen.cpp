#include <utility>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

// gen SEED TARGET K [MAXC]: K distinct coin values in [1, MAXC] in random order, and the target
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int target = atoi(argv[2]);
    int k = atoi(argv[3]);
    int maxc = argc > 4 ? atoi(argv[4]) : 100;
    std::mt19937_64 rng(seed);
    std::vector<int> pool(maxc);
    for (int i = 0; i < maxc; i++) pool[i] = i + 1;
    for (int i = maxc - 1; i > 0; i--) std::swap(pool[i], pool[rng() % (unsigned long long)(i + 1)]);
    printf("%d %d\n", k, target);
    for (int i = 0; i < k; i++) printf("%d%c", pool[i], i + 1 == k ? '\n' : ' ');
    return 0;
}

#include <cstdio>
#include <cstdlib>
#include <random>

// gen SEED MAXN Q JUMP...: the given jump lengths and Q queries with n in [MAXN-4, MAXN]
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int maxn = atoi(argv[2]);
    int q = atoi(argv[3]);
    std::mt19937_64 rng(seed);
    printf("%d %d\n", argc - 4, q);
    for (int i = 4; i < argc; i++) printf("%s%c", argv[i], i + 1 == argc ? '\n' : ' ');
    for (int i = 0; i < q; i++) {
        int lo = maxn >= 4 ? maxn - 4 : 0;
        printf("%d\n", lo + (int)(rng() % (maxn - lo + 1)));
    }
    return 0;
}

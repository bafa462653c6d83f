#include <cstdio>
#include <cstdlib>
#include <random>
#include <utility>

// gen SEED ROWS COLS Q [MAXV]: a grid of values in [-MAXV, MAXV] and Q random rectangles
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int rows = atoi(argv[2]), cols = atoi(argv[3]), q = atoi(argv[4]);
    long long maxv = argc > 5 ? atoll(argv[5]) : 1000;
    std::mt19937_64 rng(seed);
    printf("%d %d %d\n", rows, cols, q);
    for (int r = 0; r < rows; r++)
        for (int c = 0; c < cols; c++) {
            long long v = (long long)(rng() % (unsigned long long)(2 * maxv + 1)) - maxv;
            printf("%lld%c", v, c + 1 == cols ? '\n' : ' ');
        }
    for (int i = 0; i < q; i++) {
        int r1 = (int)(rng() % rows) + 1, r2 = (int)(rng() % rows) + 1;
        int c1 = (int)(rng() % cols) + 1, c2 = (int)(rng() % cols) + 1;
        if (r1 > r2) std::swap(r1, r2);
        if (c1 > c2) std::swap(c1, c2);
        printf("%d %d %d %d\n", r1, c1, r2, c2);
    }
    return 0;
}

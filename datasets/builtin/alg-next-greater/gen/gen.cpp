#include <cstdio>
#include <cstdlib>
#include <random>

// gen SEED N [DOWN] [UP]: a random walk starting at 0 whose steps are uniform in [-DOWN, UP]
// (DOWN > UP gives a falling series where many positions never see a greater value)
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int n = atoi(argv[2]);
    long long down = argc > 3 ? atoll(argv[3]) : 100;
    long long up = argc > 4 ? atoll(argv[4]) : 80;
    std::mt19937_64 rng(seed);
    printf("%d\n", n);
    long long v = 0;
    for (int i = 0; i < n; i++) {
        printf("%lld%c", v, i + 1 == n ? '\n' : ' ');
        v += (long long)(rng() % (unsigned long long)(down + up + 1)) - down;
    }
    return 0;
}

#include <cstdio>
#include <cstdlib>
#include <random>
// gen SEED N M : prints "N seed M" and M random stages
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    int n = atoi(argv[2]), m = atoi(argv[3]);
    std::mt19937_64 rng(seed);
    printf("%d %llu %d\n", n, rng() | 1, m);
    const char* ops[] = {"add", "mul", "xor", "shr", "and"};
    for (int k = 0; k < m; k++) {
        int o = rng() % 5;
        unsigned c = (unsigned)rng();
        if (o == 1) c |= 1;
        if (o == 3) c %= 5;
        if (o == 4) c |= 0xff00ff00u;
        printf("%s %u\n", ops[o], c);
    }
}

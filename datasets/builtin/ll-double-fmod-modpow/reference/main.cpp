#include <cstdio>

int main() {
    int Q;
    unsigned long long seed;
    if (scanf("%d %llu", &Q, &seed) != 2) return 0;
    unsigned long long s = seed;
    for (int q = 0; q < Q; q++) {
        unsigned long long a, e, m;
        if (seed == 0) {
            scanf("%llu %llu %llu", &a, &e, &m);
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            a = s >> 1;
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            e = s >> 1;
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            m = 1 + (s >> 38);
        }
        // Residues are below 2^26, so products fit easily in 64-bit integers.
        unsigned long long base = a % m, result = 1 % m;
        while (e > 0) {
            if (e & 1) result = result * base % m;
            base = base * base % m;
            e >>= 1;
        }
        printf("%llu\n", result);
    }
    return 0;
}

#include <cstdio>
#include <cmath>

// Input: Q seed. When seed == 0, Q lines "a e m" follow (0 <= a < 2^63, 0 <= e < 2^63,
// 1 <= m <= 2^26); otherwise the queries are produced by a 64-bit LCG.
// For each query print a^e mod m (with 0^0 = 1, and every result reduced mod m).
// Products of two residues stay below 2^52, so double arithmetic is exact here.
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
        double mod = (double)m;
        double base = (double)(a % m);
        double result = fmod(1.0, mod);
        while (e > 0) {
            if (e & 1) result = fmod(result * base, mod);
            base = fmod(base * base, mod);
            e >>= 1;
        }
        printf("%.0f\n", result);
    }
    return 0;
}

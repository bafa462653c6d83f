#include <cstdio>
#include <vector>
using namespace std;

// Input: n d seed. If seed == 0, n unsigned 64-bit masks follow; otherwise they are
// produced by a 64-bit LCG. Print the number of pairs i < j whose masks differ in at
// most d bits, and the sum of the Hamming distances over all pairs.
static inline int countBits(unsigned long long x) { return __builtin_popcountll(x); }

int main() {
    int n, d;
    unsigned long long seed;
    if (scanf("%d %d %llu", &n, &d, &seed) != 3) return 0;
    vector<unsigned long long> a(n);
    unsigned long long x = seed;
    for (int i = 0; i < n; i++) {
        if (seed == 0) {
            scanf("%llu", &a[i]);
        } else {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            unsigned long long hi = x;
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            a[i] = (hi & 0xffffffff00000000ULL) | (x >> 32);
        }
    }
    long long close = 0, total = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            int h = countBits(a[i] ^ a[j]);
            total += h;
            if (h <= d) close++;
        }
    printf("%lld %lld\n", close, total);
    return 0;
}

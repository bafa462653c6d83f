#include <cstdio>
#include <algorithm>
#include <vector>
using namespace std;

int main() {
    int n, Q;
    unsigned long long seed;
    if (scanf("%d %d %llu", &n, &Q, &seed) != 3) return 0;
    vector<int> a(n);
    unsigned long long s = seed;
    for (int i = 0; i < n; i++) {
        if (seed == 0) {
            scanf("%d", &a[i]);
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            a[i] = (int)(s >> 48) - 32768;
        }
    }
    const int len = n;
    const int* __restrict x = a.data();
    for (int q = 0; q < Q; q++) {
        int g;
        scanf("%d", &g);
        const int gain = g;
        long long clipped = 0, sum = 0;
        // Branch-free clamp and count; 32-bit partial sums over blocks of 32768 samples
        // (|sum| <= 2^30) keep the inner loop in 32-bit lanes so it vectorizes.
        for (int base = 0; base < len; base += 32768) {
            const int end = min(len, base + 32768);
            int c = 0, part = 0;
            for (int i = base; i < end; i++) {
                const int v = (x[i] * gain) >> 8;
                c += (v > 32767) + (v < -32768);
                part += min(max(v, -32768), 32767);
            }
            clipped += c;
            sum += part;
        }
        printf("%lld %lld\n", clipped, sum);
    }
    return 0;
}

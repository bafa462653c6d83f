#include <cstdio>
#include <cstdint>
#include <vector>
using namespace std;

int main() {
    int n, Q;
    unsigned long long seed;
    if (scanf("%d %d %llu", &n, &Q, &seed) != 3) return 0;
    unsigned long long s = seed;
    auto next = [&]() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return (int)(s >> 56);
    };
    // Values fit in 16 bits, which lets the products be summed with packed multiply-adds.
    vector<int16_t> a(n);
    for (int i = 0; i < n; i++) {
        int v;
        if (seed == 0) scanf("%d", &v);
        else v = next();
        a[i] = (int16_t)v;
    }
    const int len = n;
    for (int q = 0; q < Q; q++) {
        int K;
        scanf("%d", &K);
        const int k = K;
        vector<int16_t> w(k);
        for (int j = 0; j < k; j++) {
            int v;
            if (seed == 0) scanf("%d", &v);
            else v = next();
            w[j] = (int16_t)v;
        }
        // Walk the signal one period at a time: no modulo, and the inner loop vectorizes.
        // A period's partial sum is at most 32767 * 255 * 255 < 2^31 when K <= 32767;
        // longer periods are split so every 32-bit partial sum stays in range.
        long long dot = 0;
        const int16_t* __restrict wp = w.data();
        for (int base = 0; base < len; base += k) {
            const int16_t* __restrict ap = a.data() + base;
            const int blk = len - base < k ? len - base : k;
            for (int lo = 0; lo < blk; lo += 32767) {
                const int hi = blk - lo < 32767 ? blk : lo + 32767;
                int part = 0;
                for (int j = lo; j < hi; j++) part += ap[j] * wp[j];
                dot += part;
            }
        }
        printf("%lld\n", dot);
    }
    return 0;
}

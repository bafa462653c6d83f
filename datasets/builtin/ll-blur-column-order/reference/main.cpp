#include <cstdio>
#include <vector>
using namespace std;

int main() {
    int H, W, K;
    unsigned long long seed;
    if (scanf("%d %d %d %llu", &H, &W, &K, &seed) != 4) return 0;
    const size_t S = W + 2;
    vector<int> g((H + 2) * S, 0), nxt((H + 2) * S, 0);
    unsigned long long x = seed;
    for (int i = 1; i <= H; i++)
        for (int j = 1; j <= W; j++) {
            if (seed == 0) {
                scanf("%d", &g[i * S + j]);
            } else {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                g[i * S + j] = (int)(x >> 56);
            }
        }
    const int h = H, w = W;  // locals that no store can alias, so the loop bounds stay in registers
    for (int r = 0; r < K; r++) {
        // Row by row: the inner loop walks contiguous memory and vectorizes.
        for (int i = 1; i <= h; i++) {
            const int* __restrict up = &g[(i - 1) * S];
            const int* __restrict mid = &g[i * S];
            const int* __restrict dn = &g[(i + 1) * S];
            int* __restrict out = &nxt[i * S];
            for (int j = 1; j <= w; j++)
                out[j] = (4 * mid[j] + up[j] + dn[j] + mid[j - 1] + mid[j + 1]) >> 3;
        }
        g.swap(nxt);
    }
    long long total = 0, check = 0;
    for (int i = 1; i <= H; i++)
        for (int j = 1; j <= W; j++) {
            long long v = g[i * S + j];
            total += v;
            check += v * ((i * 7 + j * 13) % 97 + 1);
        }
    printf("%lld %lld\n", total, check);
    return 0;
}

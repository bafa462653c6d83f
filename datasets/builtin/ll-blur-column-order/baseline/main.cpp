#include <cstdio>
#include <vector>
using namespace std;

// Input: H W K seed. If seed == 0, H rows of W values in [0, 255] follow;
// otherwise the grid is produced by a 64-bit LCG.
// Each round replaces every cell by (4*c + up + down + left + right) / 8,
// where neighbours outside the grid count as 0.
int main() {
    int H, W, K;
    unsigned long long seed;
    if (scanf("%d %d %d %llu", &H, &W, &K, &seed) != 4) return 0;
    vector<vector<int>> g(H + 2, vector<int>(W + 2, 0)), nxt(H + 2, vector<int>(W + 2, 0));
    unsigned long long x = seed;
    for (int i = 1; i <= H; i++)
        for (int j = 1; j <= W; j++) {
            if (seed == 0) {
                scanf("%d", &g[i][j]);
            } else {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                g[i][j] = (int)(x >> 56);
            }
        }
    for (int r = 0; r < K; r++) {
        for (int j = 1; j <= W; j++)
            for (int i = 1; i <= H; i++)
                nxt[i][j] = (4 * g[i][j] + g[i - 1][j] + g[i + 1][j] + g[i][j - 1] + g[i][j + 1]) >> 3;
        swap(g, nxt);
    }
    long long total = 0, check = 0;
    for (int j = 1; j <= W; j++)
        for (int i = 1; i <= H; i++) {
            total += g[i][j];
            check += (long long)g[i][j] * ((i * 7 + j * 13) % 97 + 1);
        }
    printf("%lld %lld\n", total, check);
    return 0;
}

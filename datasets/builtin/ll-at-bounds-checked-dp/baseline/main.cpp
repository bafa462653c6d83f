#include <cstdio>
#include <cstdint>
#include <algorithm>
#include <vector>
using namespace std;

// Input: H W seed. When seed == 0, H rows of W costs (integers in [0, 1023]) follow;
// otherwise cost[i][j] = ((R[i] ^ C[j]) * 2654435761 mod 2^32) >> 22 where R[0..H-1]
// and then C[0..W-1] are the upper 32 bits of successive outputs of a 64-bit LCG.
// A path starts anywhere in row 0 and moves down one row at a time to the same column
// or a neighbouring one. Print the cheapest path cost ending in the last row, and the
// sum over the last row of the cheapest cost of a path ending at each cell.
int main() {
    int H, W;
    unsigned long long seed;
    if (scanf("%d %d %llu", &H, &W, &seed) != 3) return 0;
    vector<vector<int>> cost(H, vector<int>(W));
    if (seed == 0) {
        for (int i = 0; i < H; i++)
            for (int j = 0; j < W; j++) scanf("%d", &cost.at(i).at(j));
    } else {
        unsigned long long s = seed;
        vector<uint32_t> R(H), C(W);
        for (int i = 0; i < H; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            R.at(i) = (uint32_t)(s >> 32);
        }
        for (int j = 0; j < W; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            C.at(j) = (uint32_t)(s >> 32);
        }
        for (int i = 0; i < H; i++)
            for (int j = 0; j < W; j++)
                cost.at(i).at(j) = (int)(((R.at(i) ^ C.at(j)) * 2654435761u) >> 22);
    }
    vector<vector<long long>> dp(H, vector<long long>(W));
    for (int j = 0; j < W; j++) dp.at(0).at(j) = cost.at(0).at(j);
    for (int i = 1; i < H; i++)
        for (int j = 0; j < W; j++) {
            long long best = dp.at(i - 1).at(j);
            if (j > 0) best = min(best, dp.at(i - 1).at(j - 1));
            if (j + 1 < W) best = min(best, dp.at(i - 1).at(j + 1));
            dp.at(i).at(j) = best + cost.at(i).at(j);
        }
    long long ans = dp.at(H - 1).at(0), sum = 0;
    for (int j = 0; j < W; j++) {
        ans = min(ans, dp.at(H - 1).at(j));
        sum += dp.at(H - 1).at(j);
    }
    printf("%lld %lld\n", ans, sum);
    return 0;
}

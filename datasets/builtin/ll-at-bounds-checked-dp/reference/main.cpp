#include <cstdio>
#include <cstdint>
#include <algorithm>
#include <vector>
using namespace std;

int main() {
    int H, W;
    unsigned long long seed;
    if (scanf("%d %d %llu", &H, &W, &seed) != 3) return 0;
    const int h = H, w = W;
    // Path costs stay below 1024 * H, which fits in an int for the allowed sizes.
    // Two rolling rows with a sentinel on each side remove the border branches.
    const int INF = 0x3fffffff;
    vector<int> prevRow(w + 2, INF), curRow(w + 2, INF);
    vector<int> rowCost(w);
    vector<int> grid;
    vector<uint32_t> R, C;
    if (seed == 0) {
        grid.resize((size_t)h * w);
        for (auto& v : grid) scanf("%d", &v);
    } else {
        unsigned long long s = seed;
        R.resize(h);
        C.resize(w);
        for (int i = 0; i < h; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            R[i] = (uint32_t)(s >> 32);
        }
        for (int j = 0; j < w; j++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            C[j] = (uint32_t)(s >> 32);
        }
    }
    for (int i = 0; i < h; i++) {
        int* __restrict rc = rowCost.data();
        if (seed == 0) {
            copy(grid.begin() + (size_t)i * w, grid.begin() + (size_t)(i + 1) * w, rowCost.begin());
        } else {
            const uint32_t r = R[i];
            const uint32_t* __restrict cp = C.data();
            for (int j = 0; j < w; j++) rc[j] = (int)(((r ^ cp[j]) * 2654435761u) >> 22);
        }
        const int* __restrict p = prevRow.data();
        int* __restrict c = curRow.data();
        if (i == 0) {
            for (int j = 0; j < w; j++) c[j + 1] = rc[j];
        } else {
            for (int j = 0; j < w; j++) c[j + 1] = min(min(p[j], p[j + 1]), p[j + 2]) + rc[j];
        }
        prevRow.swap(curRow);
    }
    long long ans = prevRow[1], sum = 0;
    for (int j = 1; j <= w; j++) {
        ans = min(ans, (long long)prevRow[j]);
        sum += prevRow[j];
    }
    printf("%lld %lld\n", ans, sum);
    return 0;
}

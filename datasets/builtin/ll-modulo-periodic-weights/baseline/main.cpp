#include <cstdio>
#include <vector>
using namespace std;

// Input: n Q seed, then Q lines each starting with a period K (1 <= K <= n).
// Signal values and weights are integers in [0, 255]. When seed == 0 the n signal values
// follow the first line and each pattern line lists its K weights after K; otherwise
// the signal and then the patterns (in order) are drawn from a 64-bit LCG.
// For each pattern print sum over i of a[i] * w[i mod K].
int main() {
    int n, Q;
    unsigned long long seed;
    if (scanf("%d %d %llu", &n, &Q, &seed) != 3) return 0;
    unsigned long long s = seed;
    auto next = [&]() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return (int)(s >> 56);
    };
    vector<int> a(n);
    for (int i = 0; i < n; i++) {
        if (seed == 0) scanf("%d", &a[i]);
        else a[i] = next();
    }
    for (int q = 0; q < Q; q++) {
        int K;
        scanf("%d", &K);
        vector<int> w(K);
        for (int j = 0; j < K; j++) {
            if (seed == 0) scanf("%d", &w[j]);
            else w[j] = next();
        }
        long long dot = 0;
        for (int i = 0; i < n; i++) dot += a[i] * w[i % K];
        printf("%lld\n", dot);
    }
    return 0;
}

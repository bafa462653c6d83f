#include <algorithm>
#include <cstdio>
#include <vector>

const long long MOD = 1000000007;

int main() {
    int k, q;
    if (scanf("%d %d", &k, &q) != 2) return 0;
    std::vector<int> jumps(k);
    for (auto& j : jumps) scanf("%d", &j);
    std::vector<int> queries(q);
    int maxn = 0;
    for (auto& n : queries) {
        scanf("%d", &n);
        maxn = std::max(maxn, n);
    }
    // ways[i] = number of ordered jump sequences covering exactly i stairs
    std::vector<long long> ways(maxn + 1, 0);
    ways[0] = 1;
    for (int i = 1; i <= maxn; i++) {
        long long total = 0;
        for (int j : jumps)
            if (j <= i) total = (total + ways[i - j]) % MOD;
        ways[i] = total;
    }
    for (int n : queries) printf("%lld\n", ways[n]);
    return 0;
}

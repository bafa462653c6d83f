#include <cstdio>
#include <vector>

const long long MOD = 1000000007;

// Number of ordered jump sequences that cover exactly n stairs.
static long long ways(int n, const std::vector<int>& jumps) {
    if (n == 0) return 1;
    long long total = 0;
    for (int j : jumps)
        if (j <= n) total = (total + ways(n - j, jumps)) % MOD;
    return total;
}

int main() {
    int k, q;
    if (scanf("%d %d", &k, &q) != 2) return 0;
    std::vector<int> jumps(k);
    for (auto& j : jumps) scanf("%d", &j);
    while (q--) {
        int n;
        scanf("%d", &n);
        printf("%lld\n", ways(n, jumps));
    }
    return 0;
}

#include <cstdio>
#include <vector>

const long long MOD = 1000000007;

int main() {
    int k, target;
    if (scanf("%d %d", &k, &target) != 2) return 0;
    std::vector<int> coins(k);
    for (auto& c : coins) scanf("%d", &c);
    // ways[a] = combinations of the coins processed so far that sum to a
    std::vector<long long> ways(target + 1, 0);
    ways[0] = 1;
    for (int c : coins)
        for (int a = c; a <= target; a++) ways[a] = (ways[a] + ways[a - c]) % MOD;
    printf("%lld\n", ways[target]);
    return 0;
}

#include <cstdio>
#include <vector>

const long long MOD = 1000000007;

// Combinations that make `amount` from coins[i..] (each coin usable any number of times).
static long long count(const std::vector<int>& coins, int i, int amount) {
    if (amount == 0) return 1;
    if (i == (int)coins.size()) return 0;
    long long total = count(coins, i + 1, amount);
    if (coins[i] <= amount) total += count(coins, i, amount - coins[i]);
    return total % MOD;
}

int main() {
    int k, target;
    if (scanf("%d %d", &k, &target) != 2) return 0;
    std::vector<int> coins(k);
    for (auto& c : coins) scanf("%d", &c);
    printf("%lld\n", count(coins, 0, target));
    return 0;
}

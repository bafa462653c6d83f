#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    std::vector<int> values(n);
    int maxv = 1;
    for (int i = 0; i < n; i++) {
        scanf("%d", &values[i]);
        maxv = std::max(maxv, values[i]);
    }
    // Sieve of Eratosthenes up to the largest value.
    std::vector<char> composite(maxv + 1, 0);
    composite[0] = composite[1] = 1;
    for (long long p = 2; p * p <= maxv; p++)
        if (!composite[p])
            for (long long m = p * p; m <= maxv; m += p) composite[m] = 1;
    int primes = 0;
    for (int x : values)
        if (x >= 0 && !composite[x]) primes++;
    printf("%d\n", primes);
    return 0;
}

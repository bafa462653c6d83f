#include <cstdio>

static bool isPrime(long long x) {
    if (x < 2) return false;
    for (long long d = 2; d * d <= x; d++)
        if (x % d == 0) return false;
    return true;
}

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    int primes = 0;
    for (int i = 0; i < n; i++) {
        long long x;
        scanf("%lld", &x);
        if (isPrime(x)) primes++;
    }
    printf("%d\n", primes);
    return 0;
}

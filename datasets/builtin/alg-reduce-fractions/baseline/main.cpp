#include <cstdio>

static long long gcd(long long a, long long b) {
    while (a != b) {
        if (a > b) a -= b;
        else b -= a;
    }
    return a;
}

int main() {
    int q;
    if (scanf("%d", &q) != 1) return 0;
    while (q--) {
        long long p, r;
        scanf("%lld %lld", &p, &r);
        long long g = gcd(p, r);
        printf("%lld/%lld\n", p / g, r / g);
    }
    return 0;
}

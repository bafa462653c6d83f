#include <cstdio>

int main() {
    int q;
    if (scanf("%d", &q) != 1) return 0;
    while (q--) {
        unsigned long long a, e, m;
        scanf("%llu %llu %llu", &a, &e, &m);
        unsigned long long result = 1 % m;
        a %= m;
        while (e > 0) {
            if (e & 1) result = result * a % m;
            a = a * a % m;
            e >>= 1;
        }
        printf("%llu\n", result);
    }
    return 0;
}

#include <cstdio>

int main() {
    int q;
    if (scanf("%d", &q) != 1) return 0;
    while (q--) {
        unsigned long long a, e, m;
        scanf("%llu %llu %llu", &a, &e, &m);
        unsigned long long result = 1 % m;
        a %= m;
        for (unsigned long long i = 0; i < e; i++) result = result * a % m;
        printf("%llu\n", result);
    }
    return 0;
}

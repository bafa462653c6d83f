#include <cstdio>
#include <vector>

int main() {
    int n;
    long long d;
    if (scanf("%d %lld", &n, &d) != 2) return 0;
    std::vector<long long> a(n);
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    long long count = 0;
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            long long diff = a[i] - a[j];
            if (diff < 0) diff = -diff;
            if (diff <= d) count++;
        }
    }
    printf("%lld\n", count);
    return 0;
}

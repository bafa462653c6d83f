#include <algorithm>
#include <cstdio>
#include <vector>

int main() {
    int n;
    long long d;
    if (scanf("%d %lld", &n, &d) != 2) return 0;
    std::vector<long long> a(n);
    for (int i = 0; i < n; i++) scanf("%lld", &a[i]);
    std::sort(a.begin(), a.end());
    long long count = 0;
    int lo = 0;
    for (int j = 0; j < n; j++) {
        while (a[j] - a[lo] > d) lo++;
        count += j - lo;
    }
    printf("%lld\n", count);
    return 0;
}

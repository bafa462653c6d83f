#include <cstdio>
#include <vector>
using namespace std;

long long rangeSum(vector<long long> prefix, int l, int r) {
    return prefix[r + 1] - prefix[l];
}

int main() {
    int t;
    if (scanf("%d", &t) != 1) return 0;
    while (t--) {
        int n;
        long long lo, hi;
        scanf("%d %lld %lld", &n, &lo, &hi);
        vector<long long> prefix(n + 1, 0);
        for (int i = 0; i < n; i++) {
            long long x;
            scanf("%lld", &x);
            prefix[i + 1] = prefix[i] + x;
        }
        long long count = 0;
        for (int l = 0; l < n; l++) {
            for (int r = l; r < n; r++) {
                long long s = rangeSum(prefix, l, r);
                if (s >= lo && s <= hi) count++;
            }
        }
        printf("%lld\n", count);
    }
    return 0;
}

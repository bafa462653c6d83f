#include <cstdio>
#include <vector>
using namespace std;

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    vector<long long> a(n);
    for (auto& x : a) scanf("%lld", &x);
    int q;
    scanf("%d", &q);
    vector<long long> sums;
    for (int qi = 0; qi < q; qi++) {
        int k;
        scanf("%d", &k);
        sums.assign(k, 0);
        for (int i = 0; i < n; i++) sums[a[i] % k] += a[i];
        int best = 0;
        long long bestSum = -1;
        for (int r = 0; r < k; r++) {
            if (sums[r] > bestSum) {
                bestSum = sums[r];
                best = r;
            }
        }
        printf("%d %lld\n", best, bestSum);
    }
    return 0;
}

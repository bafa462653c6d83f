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
    for (int qi = 0; qi < q; qi++) {
        int k;
        scanf("%d", &k);
        vector<vector<long long>> groups(k);
        for (int i = 0; i < n; i++) groups[a[i] % k].push_back(a[i]);
        int best = 0;
        long long bestSum = -1;
        for (int r = 0; r < k; r++) {
            long long s = 0;
            for (long long x : groups[r]) s += x;
            if (s > bestSum) {
                bestSum = s;
                best = r;
            }
        }
        printf("%d %lld\n", best, bestSum);
    }
    return 0;
}

#include <cstdio>
#include <cstdlib>
#include <vector>
using namespace std;

int main() {
    int n, p;
    long long D;
    unsigned long long seed;
    if (scanf("%d %d %lld %llu", &n, &p, &D, &seed) != 4) return 0;
    vector<int> xs(n), ys(n);
    unsigned long long s = seed;
    for (int i = 0; i < n; i++) {
        if (seed == 0) {
            scanf("%d %d", &xs[i], &ys[i]);
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            xs[i] = (int)((s >> 33) % 1001) - 500;
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            ys[i] = (int)((s >> 33) % 1001) - 500;
        }
    }
    // |d| <= 1000, so every power fits exactly in 64 bits: tabulate them once.
    vector<long long> pw(1001);
    for (int d = 0; d <= 1000; d++) {
        long long v = 1;
        for (int k = 0; k < p; k++) v *= d;
        pw[d] = v;
    }
    const long long lim = D;
    long long count = 0;
    for (int i = 0; i < n; i++) {
        const int xi = xs[i], yi = ys[i];
        for (int j = i + 1; j < n; j++)
            count += pw[abs(xi - xs[j])] + pw[abs(yi - ys[j])] <= lim;
    }
    printf("%lld\n", count);
    return 0;
}

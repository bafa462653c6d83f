#include <cstdio>
#include <cmath>
#include <vector>
using namespace std;

// Input: n p D seed (1 <= p <= 5, 0 <= D <= 2^53). If seed == 0, n lines "x y" follow;
// otherwise the points are produced by a 64-bit LCG. Coordinates are in [-500, 500].
// Print the number of pairs i < j with |xi - xj|^p + |yi - yj|^p <= D.
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
    long long count = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double dist = pow(fabs(xs[i] - xs[j]), p) + pow(fabs(ys[i] - ys[j]), p);
            if (dist <= (double)D) count++;
        }
    printf("%lld\n", count);
    return 0;
}

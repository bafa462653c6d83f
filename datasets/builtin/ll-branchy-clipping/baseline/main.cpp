#include <cstdio>
#include <vector>
using namespace std;

// Input: n Q seed, then Q gains g (integers in [0, 4096]). Samples are integers in
// [-32768, 32767]: when seed == 0 the n samples follow the first line (before the gains),
// otherwise they come from a 64-bit LCG. For gain g, each sample x becomes
// floor(x * g / 256) saturated to [-32768, 32767]. For each gain print the number of
// samples that had to be saturated and the sum of the resulting samples.
int main() {
    int n, Q;
    unsigned long long seed;
    if (scanf("%d %d %llu", &n, &Q, &seed) != 3) return 0;
    vector<int> a(n);
    unsigned long long s = seed;
    for (int i = 0; i < n; i++) {
        if (seed == 0) {
            scanf("%d", &a[i]);
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            a[i] = (int)(s >> 48) - 32768;
        }
    }
    for (int q = 0; q < Q; q++) {
        int g;
        scanf("%d", &g);
        long long clipped = 0, sum = 0;
        for (int i = 0; i < n; i++) {
            int v = (a[i] * g) >> 8;
            if (v > 32767) {
                v = 32767;
                clipped++;
            } else if (v < -32768) {
                v = -32768;
                clipped++;
            }
            sum += v;
        }
        printf("%lld %lld\n", clipped, sum);
    }
    return 0;
}

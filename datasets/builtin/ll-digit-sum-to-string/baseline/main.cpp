#include <cstdio>
#include <string>
using namespace std;

// Input: Q, then Q lines "L R k" with 0 <= L <= R <= 10^18 and 1 <= k <= 200.
// For each query print how many x in [L, R] have a decimal digit sum divisible by k,
// and the sum of the digit sums of all x in [L, R].
int main() {
    int Q;
    if (scanf("%d", &Q) != 1) return 0;
    while (Q--) {
        long long L, R;
        int k;
        scanf("%lld %lld %d", &L, &R, &k);
        long long count = 0, total = 0;
        for (long long x = L; x <= R; x++) {
            string t = to_string(x);
            int s = 0;
            for (char c : t) s += c - '0';
            total += s;
            if (s % k == 0) count++;
        }
        printf("%lld %lld\n", count, total);
    }
    return 0;
}

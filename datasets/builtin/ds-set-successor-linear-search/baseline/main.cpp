#include <algorithm>
#include <cstdio>
#include <set>
using namespace std;

// Input: Q seed. When seed == 0, Q lines follow, each "+ x" (insert x into the set) or "? x"
// (ask for the smallest element >= x), 0 <= x < 2^31. Otherwise operation i comes from a
// 64-bit LCG: the top bit of one output chooses '+' (1) or '?' (0), and the top 31 bits of
// the next are x. Print how many questions have no answer, and the sum of the answers.
int main() {
    int Q;
    unsigned long long seed;
    if (scanf("%d %llu", &Q, &seed) != 2) return 0;
    set<int> values;
    unsigned long long s = seed;
    long long missing = 0, sum = 0;
    for (int q = 0; q < Q; q++) {
        char op;
        int x;
        if (seed == 0) {
            if (scanf(" %c %d", &op, &x) != 2) return 0;
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            op = (s >> 63) ? '+' : '?';
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            x = (int)(s >> 33);
        }
        if (op == '+') {
            values.insert(x);
        } else {
            auto it = lower_bound(values.begin(), values.end(), x);
            if (it == values.end()) missing++;
            else sum += *it;
        }
    }
    printf("%lld %lld\n", missing, sum);
    return 0;
}

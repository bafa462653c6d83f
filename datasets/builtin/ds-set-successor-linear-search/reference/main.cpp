#include <algorithm>
#include <cstdio>
#include <set>
using namespace std;

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
            // The set's own search descends the tree: O(log n), not a walk over every node.
            auto it = values.lower_bound(x);
            if (it == values.end()) missing++;
            else sum += *it;
        }
    }
    printf("%lld %lld\n", missing, sum);
    return 0;
}

#include <cstdio>
#include <vector>
using namespace std;

static long long readInt() {
    int c = getchar();
    while (c != '-' && (c < '0' || c > '9')) c = getchar();
    bool neg = false;
    if (c == '-') { neg = true; c = getchar(); }
    long long v = 0;
    while (c >= '0' && c <= '9') { v = v * 10 + (c - '0'); c = getchar(); }
    return neg ? -v : v;
}

int main() {
    int n = (int)readInt();
    vector<int> values;
    values.reserve(n);
    for (int i = 0; i < n; i++) values.push_back((int)readInt());
    int q = (int)readInt();
    for (int i = 0; i < q; i++) {
        int type = (int)readInt();
        if (type == 1) {
            values.push_back((int)readInt());
        } else {
            int l = (int)readInt(), r = (int)readInt();
            int lo = (int)readInt(), hi = (int)readInt();
            // Random access to position l, then a contiguous, branch-free scan
            // that the compiler vectorizes.
            const int* p = values.data() + (l - 1);
            size_t len = (size_t)(r - l + 1);
            int cnt = 0;
            for (size_t j = 0; j < len; j++) cnt += (p[j] >= lo) & (p[j] <= hi);
            printf("%d\n", cnt);
        }
    }
    return 0;
}

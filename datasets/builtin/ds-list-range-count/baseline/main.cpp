#include <cstdio>
#include <iterator>
#include <list>
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
    list<int> values;
    for (int i = 0; i < n; i++) values.push_back((int)readInt());
    int q = (int)readInt();
    for (int i = 0; i < q; i++) {
        int type = (int)readInt();
        if (type == 1) {
            values.push_back((int)readInt());
        } else {
            int l = (int)readInt(), r = (int)readInt();
            int lo = (int)readInt(), hi = (int)readInt();
            auto it = next(values.begin(), l - 1);
            int cnt = 0;
            for (int pos = l; pos <= r; pos++, ++it)
                if (*it >= lo && *it <= hi) cnt++;
            printf("%d\n", cnt);
        }
    }
    return 0;
}

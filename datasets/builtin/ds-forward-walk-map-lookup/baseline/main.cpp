#include <cstdio>
#include <map>
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
    map<long long, long long> forward;
    for (int i = 0; i < n; i++) {
        long long id = readInt(), to = readInt();
        forward[id] = to;
    }
    int q = (int)readInt();
    for (int i = 0; i < q; i++) {
        long long id = readInt();
        int k = (int)readInt();
        for (int s = 0; s < k; s++) id = forward[id];
        printf("%lld\n", id);
    }
    return 0;
}

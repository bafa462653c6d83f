#include <cstdio>
#include <unordered_map>
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
    vector<long long> ids(n), to(n);
    unordered_map<long long, int> index;
    index.reserve((size_t)n * 2);
    for (int i = 0; i < n; i++) {
        ids[i] = readInt();
        to[i] = readInt();
        index[ids[i]] = i;
    }
    // Compress once: next[i] is the index of the account that i forwards to.
    vector<int> next(n);
    for (int i = 0; i < n; i++) next[i] = index.find(to[i])->second;
    int q = (int)readInt();
    for (int i = 0; i < q; i++) {
        long long id = readInt();
        int k = (int)readInt();
        int cur = index.find(id)->second;
        for (int s = 0; s < k; s++) cur = next[cur];
        printf("%lld\n", ids[cur]);
    }
    return 0;
}

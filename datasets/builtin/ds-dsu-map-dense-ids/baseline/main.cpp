#include <cstdio>
#include <map>
using namespace std;

static int readInt() {
    int c = getchar();
    while (c != '-' && (c < '0' || c > '9')) c = getchar();
    bool neg = false;
    if (c == '-') { neg = true; c = getchar(); }
    int v = 0;
    while (c >= '0' && c <= '9') { v = v * 10 + (c - '0'); c = getchar(); }
    return neg ? -v : v;
}

map<int, int> parent, sz;

int find(int x) {
    if (parent[x] == x) return x;
    return parent[x] = find(parent[x]);
}

int main() {
    int n = readInt(), m = readInt();
    for (int i = 1; i <= n; i++) {
        parent[i] = i;
        sz[i] = 1;
    }
    int components = n, redundant = 0, largest = n > 0 ? 1 : 0;
    for (int k = 0; k < m; k++) {
        int u = readInt(), v = readInt();
        int a = find(u), b = find(v);
        if (a == b) {
            redundant++;
            continue;
        }
        if (sz[a] < sz[b]) swap(a, b);
        parent[b] = a;
        sz[a] += sz[b];
        if (sz[a] > largest) largest = sz[a];
        components--;
    }
    printf("%d %d %d\n", components, redundant, largest);
    return 0;
}

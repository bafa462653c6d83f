#include <cstdio>
#include <vector>
#include <algorithm>
using namespace std;

static char ibuf[1 << 16];
static size_t ilen = 0, ipos = 0;
static inline int readChar() {
    if (ipos == ilen) {
        ilen = fread(ibuf, 1, sizeof(ibuf), stdin);
        ipos = 0;
        if (ilen == 0) return -1;
    }
    return ibuf[ipos++];
}
static int readInt() {
    int c = readChar();
    while (c != -1 && (c < '0' || c > '9')) c = readChar();
    int v = 0;
    while (c >= '0' && c <= '9') { v = v * 10 + (c - '0'); c = readChar(); }
    return v;
}

static char obuf[1 << 16];
static size_t opos = 0;
static void flushOut() { fwrite(obuf, 1, opos, stdout); opos = 0; }
static void writeInt(int v) {
    if (opos + 16 > sizeof(obuf)) flushOut();
    char tmp[12];
    int k = 0;
    do { tmp[k++] = char('0' + v % 10); v /= 10; } while (v);
    while (k) obuf[opos++] = tmp[--k];
    obuf[opos++] = '\n';
}

int main() {
    int n = readInt();
    vector<int> a(n);
    for (auto& x : a) x = readInt();
    int maxV = n > 0 ? *max_element(a.begin(), a.end()) : 0;
    // One marker array for all queries: a value is "seen" in query i when mark[v] == i + 1.
    vector<int> mark(maxV + 1, 0);
    int q = readInt();
    for (int i = 0; i < q; i++) {
        int l = readInt() - 1, r = readInt() - 1;
        int stamp = i + 1, distinct = 0;
        for (int j = l; j <= r; j++) {
            if (mark[a[j]] != stamp) {
                mark[a[j]] = stamp;
                distinct++;
            }
        }
        writeInt(distinct);
    }
    flushOut();
    return 0;
}

#include <cstdio>
#include <cstring>
#include <vector>
using namespace std;

static char buf[1 << 16];
static size_t blen = 0, bpos = 0;

static inline int readChar() {
    if (bpos == blen) {
        blen = fread(buf, 1, sizeof(buf), stdin);
        bpos = 0;
        if (blen == 0) return -1;
    }
    return buf[bpos++];
}

static long long readInt() {
    int c = readChar();
    while (c != '-' && (c < '0' || c > '9')) c = readChar();
    bool neg = false;
    if (c == '-') { neg = true; c = readChar(); }
    long long v = 0;
    while (c >= '0' && c <= '9') { v = v * 10 + (c - '0'); c = readChar(); }
    return neg ? -v : v;
}

static char obuf[1 << 16];
static size_t opos = 0;
static void flushOut() { fwrite(obuf, 1, opos, stdout); opos = 0; }
static void writeInt(long long v, char sep) {
    if (opos + 24 > sizeof(obuf)) flushOut();
    char tmp[24];
    int k = 0;
    bool neg = v < 0;
    unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do { tmp[k++] = char('0' + u % 10); u /= 10; } while (u);
    if (neg) obuf[opos++] = '-';
    while (k) obuf[opos++] = tmp[--k];
    obuf[opos++] = sep;
}

int main() {
    int n = (int)readInt(), m = (int)readInt();
    vector<long long> row(n, 0), col(m, 0);
    for (int i = 0; i < n; i++) {
        long long s = 0;
        for (int j = 0; j < m; j++) {
            long long x = readInt();
            s += x;
            col[j] += x;
        }
        row[i] = s;
    }
    for (int i = 0; i < n; i++) writeInt(row[i], i + 1 < n ? ' ' : '\n');
    for (int j = 0; j < m; j++) writeInt(col[j], j + 1 < m ? ' ' : '\n');
    flushOut();
    return 0;
}

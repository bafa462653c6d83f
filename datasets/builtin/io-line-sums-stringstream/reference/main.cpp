#include <cstdio>
#include <string>
#include <vector>
using namespace std;

int main() {
    // Read all of stdin at once, then scan it line by line.
    string in;
    {
        static char buf[1 << 16];
        size_t len;
        while ((len = fread(buf, 1, sizeof(buf), stdin)) > 0) in.append(buf, len);
    }
    size_t p = 0, e = in.size();
    long long n = 0;
    while (p < e && (in[p] < '0' || in[p] > '9')) p++;
    while (p < e && in[p] >= '0' && in[p] <= '9') n = n * 10 + (in[p++] - '0');
    while (p < e && in[p] != '\n') p++;
    if (p < e) p++;
    string out;
    out.reserve((size_t)n * 8 + 16);
    char tmp[24];
    for (long long i = 0; i < n; i++) {
        long long sum = 0;
        while (p < e && in[p] != '\n') {
            char c = in[p];
            if (c == '-' || (c >= '0' && c <= '9')) {
                bool neg = false;
                if (c == '-') { neg = true; p++; }
                long long v = 0;
                while (p < e && in[p] >= '0' && in[p] <= '9') v = v * 10 + (in[p++] - '0');
                sum += neg ? -v : v;
            } else {
                p++;
            }
        }
        if (p < e) p++;  // skip '\n'
        unsigned long long u = sum < 0 ? 0ULL - (unsigned long long)sum : (unsigned long long)sum;
        int k = 0;
        do { tmp[k++] = char('0' + u % 10); u /= 10; } while (u);
        if (sum < 0) out.push_back('-');
        while (k) out.push_back(tmp[--k]);
        out.push_back('\n');
    }
    fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

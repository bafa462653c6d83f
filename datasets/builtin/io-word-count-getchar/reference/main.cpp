#include <cstdio>
#include <vector>
using namespace std;

int main() {
    long long lines = 0, words = 0, bytes = 0, longest = 0, cur = 0;
    static unsigned char buf[1 << 16];
    static bool space[256];
    space[(unsigned char)' '] = space[(unsigned char)'\n'] = space[(unsigned char)'\t'] = space[(unsigned char)'\r'] = true;
    size_t len;
    while ((len = fread(buf, 1, sizeof(buf), stdin)) > 0) {
        bytes += (long long)len;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = buf[i];
            lines += (c == '\n');
            if (space[c]) {
                if (cur > 0) {
                    words++;
                    if (cur > longest) longest = cur;
                    cur = 0;
                }
            } else {
                cur++;
            }
        }
    }
    if (cur > 0) {
        words++;
        if (cur > longest) longest = cur;
    }
    printf("%lld %lld %lld %lld\n", lines, words, bytes, longest);
    return 0;
}

#include <cstdio>
#include <cstring>

static char buf[1 << 21];

int main() {
    while (fgets(buf, sizeof buf, stdin)) {
        size_t n = strlen(buf);
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
        int words = 0;
        // The length is computed once; the writes never change it.
        for (size_t i = 0; i < n; i++) {
            if (buf[i] != ' ' && (i == 0 || buf[i - 1] == ' ')) {
                buf[i] = buf[i] - 'a' + 'A';
                words++;
            }
        }
        printf("%d %s\n", words, buf);
    }
    return 0;
}

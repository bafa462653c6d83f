#include <cstdio>
#include <cstring>

// Input: lines of lowercase words separated by one or more spaces (a line may be empty
// or start/end with spaces). For each line print the number of words, a space, and the
// line with the first letter of every word turned to upper case.
static char buf[1 << 21];

int main() {
    while (fgets(buf, sizeof buf, stdin)) {
        size_t n = strlen(buf);
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) buf[--n] = 0;
        int words = 0;
        for (size_t i = 0; i < strlen(buf); i++) {
            if (buf[i] != ' ' && (i == 0 || buf[i - 1] == ' ')) {
                buf[i] = buf[i] - 'a' + 'A';
                words++;
            }
        }
        printf("%d %s\n", words, buf);
    }
    return 0;
}

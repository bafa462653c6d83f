#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
// gen SEED TOTAL [LINES] [MAXWORD] : LINES lines with about TOTAL characters in all,
// lowercase words of 1..MAXWORD letters separated by one or more spaces.
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long total = atol(argv[2]);
    int lines = argc > 3 ? atoi(argv[3]) : 8;
    int maxw = argc > 4 ? atoi(argv[4]) : 8;
    std::mt19937_64 rng(seed);
    for (int l = 0; l < lines; l++) {
        long len = total / lines + (long)(rng() % 101) - 50;
        std::string s;
        if (rng() % 3 == 0) s += ' ';
        while ((long)s.size() < len) {
            int w = 1 + rng() % maxw;
            for (int r = 0; r < w; r++) s += char('a' + rng() % 26);
            s += ' ';
            if (rng() % 10 == 0) s += ' ';
        }
        printf("%s\n", s.c_str());
    }
}

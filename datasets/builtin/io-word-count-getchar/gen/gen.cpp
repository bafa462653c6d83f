// gen SEED BYTES: random text of about BYTES bytes: words of letters/digits/punctuation,
// separated by runs of spaces and tabs, lines ending in newline
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long long target = atoll(argv[2]);
    std::mt19937_64 rng(seed);
    const std::string alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'-()";
    std::string out;
    long long lineWords = 0;
    while ((long long)out.size() < target) {
        int len = 1 + (int)(rng() % 12);
        if (rng() % 200 == 0) len = 20 + (int)(rng() % 60);
        for (int i = 0; i < len; i++) out.push_back(alpha[rng() % alpha.size()]);
        lineWords++;
        if (lineWords >= 3 + (long long)(rng() % 15)) {
            if (rng() % 10 == 0) out.push_back(' ');
            out.push_back('\n');
            if (rng() % 20 == 0) out.push_back('\n');
            lineWords = 0;
        } else {
            int r = (int)(rng() % 10);
            out.push_back(r == 0 ? '\t' : ' ');
            if (r == 1) out.push_back(' ');
        }
    }
    out.push_back('\n');
    fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

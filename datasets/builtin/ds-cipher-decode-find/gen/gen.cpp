// gen SEED BYTES: a random permutation of a..z as the key, then about BYTES bytes of
// cipher text: lowercase words, some capitals, digits and punctuation
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <algorithm>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long long target = atoll(argv[2]);
    std::mt19937_64 rng(seed);
    std::string key = "abcdefghijklmnopqrstuvwxyz";
    for (int i = 25; i > 0; i--) std::swap(key[i], key[rng() % (i + 1)]);
    std::string out = key + "\n";
    const std::string punct = ".,;:!?'-()0123456789";
    long long words = 0;
    while ((long long)out.size() < target) {
        int len = 1 + (int)(rng() % 9);
        for (int i = 0; i < len; i++) {
            int r = (int)(rng() % 40);
            if (r == 0) out.push_back(char('A' + rng() % 26));
            else if (r == 1) out.push_back(punct[rng() % punct.size()]);
            else out.push_back(char('a' + rng() % 26));
        }
        words++;
        if (rng() % 12 == 0) out.push_back('\n');
        else out.push_back(' ');
    }
    out.push_back('\n');
    fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

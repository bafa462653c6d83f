// gen SEED LEN [ALPHA] [MAXRUN]: a string of LEN lowercase letters from the first ALPHA letters,
// made of runs of length 1..MAXRUN (adjacent runs may share a letter and merge)
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], 0, 10);
    long long len = atoll(argv[2]);
    int alpha = argc > 3 ? atoi(argv[3]) : 26;
    int maxrun = argc > 4 ? atoi(argv[4]) : 3;
    std::mt19937_64 rng(seed);
    std::string s;
    while ((long long)s.size() < len) {
        char c = char('a' + rng() % alpha);
        long long r = 1 + (long long)(rng() % maxrun);
        if (rng() % 1000 == 0) r = 1 + (long long)(rng() % 2000);
        for (long long k = 0; k < r && (long long)s.size() < len; k++) s.push_back(c);
    }
    printf("%s\n", s.c_str());
    return 0;
}

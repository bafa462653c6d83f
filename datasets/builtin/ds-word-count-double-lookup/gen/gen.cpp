// gen SEED N VOCAB MAXLEN: N words drawn from a vocabulary of VOCAB distinct words of 4..MAXLEN
// letters a-h; low-numbered words are drawn more often (the smaller of two uniform draws), so
// most words repeat and a few dominate
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>
int main(int argc, char** argv) {
    std::mt19937_64 rng(strtoull(argv[1], 0, 10));
    const long long n = atoll(argv[2]);
    const long long vocab = atoll(argv[3]);
    const int maxlen = atoi(argv[4]);
    std::set<std::string> unique;
    std::vector<std::string> words;
    while ((long long)words.size() < vocab) {
        std::string w(4 + rng() % (maxlen - 3), 'a');
        for (char& c : w) c = char('a' + rng() % 8);
        if (unique.insert(w).second) words.push_back(w);
    }
    printf("%lld\n", n);
    for (long long i = 0; i < n; i++) {
        unsigned long long a = rng() % vocab, b = rng() % vocab;
        printf("%s%c", words[a < b ? a : b].c_str(), i % 16 == 15 || i + 1 == n ? '\n' : ' ');
    }
    return 0;
}

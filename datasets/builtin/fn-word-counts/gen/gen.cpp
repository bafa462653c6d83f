// gen SEED N VOCAB PREFIX: N words drawn (skewed towards low ranks) from VOCAB distinct words.
// Words are PREFIX (may be "-" for none) followed by 4 to 10 random lowercase letters.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    int vocab = std::atoi(argv[3]);
    std::string prefix = argc > 4 && std::string(argv[4]) != "-" ? argv[4] : "";
    std::set<std::string> used;
    std::vector<std::string> words;
    while (static_cast<int>(words.size()) < vocab) {
        std::string w = prefix;
        int len = 4 + static_cast<int>(rng() % 7);
        for (int i = 0; i < len; ++i) w += static_cast<char>('a' + rng() % 26);
        if (used.insert(w).second) words.push_back(w);
    }
    std::printf("%d\n", n);
    for (int i = 0; i < n; ++i) {
        // the minimum of two uniform ranks favours frequent words
        std::size_t r = std::min(rng() % vocab, rng() % vocab);
        std::printf("%s%c", words[r].c_str(), i % 16 == 15 || i + 1 == n ? '\n' : ' ');
    }
    return 0;
}

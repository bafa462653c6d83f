// gen SEED N MAXLEN SEP...: N words of 1..MAXLEN lowercase letters, then the given separators
// ("_" in a separator argument stands for a space; "-" alone means the empty separator).
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

int main(int argc, char** argv) {
    std::mt19937_64 rng(std::strtoull(argv[1], nullptr, 10));
    int n = std::atoi(argv[2]);
    int maxlen = std::atoi(argv[3]);
    std::printf("%d\n", n);
    for (int i = 0; i < n; ++i) {
        int len = 1 + static_cast<int>(rng() % maxlen);
        std::string w(len, 'a');
        for (auto& ch : w) ch = static_cast<char>('a' + rng() % 26);
        std::printf("%s%c", w.c_str(), i % 12 == 11 || i + 1 == n ? '\n' : ' ');
    }
    std::printf("%d\n", argc - 4);
    for (int i = 4; i < argc; ++i) {
        std::string s = argv[i];
        if (s == "-") s.clear();
        for (auto& ch : s) if (ch == '_') ch = ' ';
        std::printf("%zu %s\n", s.size(), s.c_str());
    }
    return 0;
}

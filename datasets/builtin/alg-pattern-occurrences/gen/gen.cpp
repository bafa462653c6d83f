#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

// gen SEED N M MODE [RARE]
//   MODE 0: text of 'a' with a 'b' at each position with probability 1/RARE; pattern a^(M-1) b
//   MODE 1: text repeating "ab" with a 'c' at each position with probability 1/RARE;
//           pattern (ab)^(M/2) then 'c'
int main(int argc, char** argv) {
    unsigned long long seed = strtoull(argv[1], nullptr, 10);
    int n = atoi(argv[2]);
    int m = atoi(argv[3]);
    int mode = atoi(argv[4]);
    unsigned long long rare = argc > 5 ? strtoull(argv[5], nullptr, 10) : 1000;
    std::mt19937_64 rng(seed);
    std::string text(n, 'a'), pattern;
    for (int i = 0; i < n; i++) {
        bool special = rng() % rare == 0;
        if (mode == 0) text[i] = special ? 'b' : 'a';
        else text[i] = special ? 'c' : (i % 2 ? 'b' : 'a');
    }
    if (mode == 0) pattern = std::string(m - 1, 'a') + "b";
    else {
        for (int i = 0; i + 1 < m; i++) pattern += i % 2 ? 'b' : 'a';
        pattern += 'c';
    }
    printf("%s\n%s\n", text.c_str(), pattern.c_str());
    return 0;
}

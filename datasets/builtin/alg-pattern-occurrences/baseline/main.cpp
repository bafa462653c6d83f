#include <iostream>
#include <string>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    std::string text, pattern;
    if (!(std::cin >> text >> pattern)) return 0;
    size_t n = text.size(), m = pattern.size();
    long long count = 0;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m && text[i + j] == pattern[j]) j++;
        if (j == m) count++;
    }
    std::cout << count << "\n";
    return 0;
}

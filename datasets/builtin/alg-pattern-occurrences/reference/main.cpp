#include <iostream>
#include <string>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    std::string text, pattern;
    if (!(std::cin >> text >> pattern)) return 0;
    size_t n = text.size(), m = pattern.size();
    // fail[k] = length of the longest proper border of pattern[0..k]
    std::vector<size_t> fail(m, 0);
    for (size_t k = 1, len = 0; k < m; k++) {
        while (len > 0 && pattern[k] != pattern[len]) len = fail[len - 1];
        if (pattern[k] == pattern[len]) len++;
        fail[k] = len;
    }
    long long count = 0;
    for (size_t i = 0, len = 0; i < n; i++) {
        while (len > 0 && text[i] != pattern[len]) len = fail[len - 1];
        if (text[i] == pattern[len]) len++;
        if (len == m) {
            count++;
            len = fail[len - 1];
        }
    }
    std::cout << count << "\n";
    return 0;
}

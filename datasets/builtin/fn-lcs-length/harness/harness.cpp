#include <iostream>
#include <string>
#include "api.hpp"

// Input: q, then q pairs, each as "n A m B" where A has n letters and B has m letters
// (a string of length 0 is not written). Output: one LCS length per pair.
static std::string read_word() {
    int len = 0;
    std::cin >> len;
    std::string s;
    if (len > 0) std::cin >> s;
    return s;
}

int main() {
    std::ios::sync_with_stdio(false);
    int q = 0;
    std::cin >> q;
    for (int i = 0; i < q; ++i) {
        std::string a = read_word();
        std::string b = read_word();
        std::cout << lcs_length(a, b) << '\n';
    }
    return 0;
}

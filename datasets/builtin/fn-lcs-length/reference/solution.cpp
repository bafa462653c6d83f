#include "api.hpp"
#include <cstdint>
#include <vector>

// Bit-parallel LCS (Allison-Dix / Hyyro): one bit per position of a, one pass per letter of b.
int lcs_length(const std::string& a, const std::string& b) {
    const std::size_t n = a.size();
    if (n == 0 || b.empty()) return 0;
    const std::size_t words = (n + 63) / 64;
    std::vector<std::uint64_t> match(26 * words, 0);
    for (std::size_t i = 0; i < n; ++i)
        match[(a[i] - 'a') * words + i / 64] |= std::uint64_t(1) << (i % 64);
    std::vector<std::uint64_t> v(words, ~std::uint64_t(0));
    for (char c : b) {
        const std::uint64_t* m = &match[(c - 'a') * words];
        std::uint64_t carry = 0;
        for (std::size_t w = 0; w < words; ++w) {
            std::uint64_t x = v[w];
            std::uint64_t u = x & m[w];
            std::uint64_t s = x + u;
            std::uint64_t c1 = s < x;
            std::uint64_t t = s + carry;
            std::uint64_t c2 = t < s;
            carry = c1 | c2;
            v[w] = t | (x & ~m[w]);
        }
    }
    int ones = 0;
    for (std::size_t w = 0; w < words; ++w) {
        std::uint64_t x = v[w];
        if (w + 1 == words && n % 64 != 0) x &= (std::uint64_t(1) << (n % 64)) - 1;
        ones += __builtin_popcountll(x);
    }
    return static_cast<int>(n) - ones;
}

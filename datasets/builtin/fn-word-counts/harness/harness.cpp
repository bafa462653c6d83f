#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include "api.hpp"

// Input: n, then n whitespace-separated words.
// Output: the sum of the running counts, the largest one, and an order-sensitive checksum.
int main() {
    std::string text;
    char buf[1 << 16];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, got);
    std::vector<std::string> words;
    const char* p = text.data();
    const char* end = p + text.size();
    bool first = true;
    while (p < end) {
        while (p < end && static_cast<unsigned char>(*p) <= ' ') ++p;
        const char* q = p;
        while (q < end && static_cast<unsigned char>(*q) > ' ') ++q;
        if (q > p) {
            if (first) {
                words.reserve(std::stoul(std::string(p, q)));
                first = false;
            } else {
                words.emplace_back(p, q);
            }
        }
        p = q;
    }
    std::vector<int> c = running_counts(words);
    long long sum = 0;
    int best = 0;
    std::uint64_t h = 1469598103934665603ULL;
    for (std::size_t k = 0; k < c.size(); ++k) {
        sum += c[k];
        if (c[k] > best) best = c[k];
        h = (h ^ static_cast<std::uint64_t>(c[k])) * 1099511628211ULL;
    }
    std::printf("%zu %lld %d %llu\n", c.size(), sum, best, static_cast<unsigned long long>(h));
    return 0;
}

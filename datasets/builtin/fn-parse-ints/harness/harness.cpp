#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include "api.hpp"

// Input: any text of integers. Output: how many there are, their sum modulo 2^64,
// the smallest and largest, and an order-sensitive hash.
int main() {
    std::string text;
    char buf[1 << 16];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, got);
    std::vector<long long> v = parse_ints(text);
    std::uint64_t sum = 0, h = 1469598103934665603ULL;
    long long lo = 0, hi = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        sum += static_cast<std::uint64_t>(v[i]);
        h = (h ^ static_cast<std::uint64_t>(v[i])) * 1099511628211ULL;
        if (i == 0 || v[i] < lo) lo = v[i];
        if (i == 0 || v[i] > hi) hi = v[i];
    }
    std::printf("%zu %llu %lld %lld %llu\n", v.size(), static_cast<unsigned long long>(sum), lo, hi,
                static_cast<unsigned long long>(h));
    return 0;
}

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include "api.hpp"

// Input: n, then n words (the parts), then q, then q separators, each given as a length L
// followed by L characters (L may be 0; separators may contain spaces).
// Output: for each separator, the joined length and an FNV-1a hash of the joined string.
namespace {
std::string text;
std::size_t pos = 0;

void skip_space() {
    while (pos < text.size() && static_cast<unsigned char>(text[pos]) <= ' ') ++pos;
}
std::string next_word() {
    skip_space();
    std::size_t start = pos;
    while (pos < text.size() && static_cast<unsigned char>(text[pos]) > ' ') ++pos;
    return text.substr(start, pos - start);
}
}  // namespace

int main() {
    char buf[1 << 16];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, got);
    int n = std::stoi(next_word());
    std::vector<std::string> parts(n);
    for (auto& p : parts) p = next_word();
    int q = std::stoi(next_word());
    for (int i = 0; i < q; ++i) {
        std::size_t len = std::stoul(next_word());
        ++pos;  // the single space after the length
        std::string sep = text.substr(pos, len);
        pos += len;
        std::string joined = join(parts, sep);
        std::uint64_t h = 1469598103934665603ULL;
        for (unsigned char ch : joined) h = (h ^ ch) * 1099511628211ULL;
        std::printf("%zu %llu\n", joined.size(), static_cast<unsigned long long>(h));
    }
    return 0;
}

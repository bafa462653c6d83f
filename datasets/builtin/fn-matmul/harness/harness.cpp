#include <cstdio>
#include <string>
#include <vector>
#include "api.hpp"

// Input: n, then the n*n entries (each in [-1000, 1000]) of A, then the n*n entries of B (row-major).
// Output: for each row i of C = A*B, the checksum sum_j C[i][j] * (j + 1).
namespace {
std::string text;
std::size_t pos = 0;

long long next_int() {
    while (pos < text.size() && (text[pos] < '0' || text[pos] > '9') && text[pos] != '-') ++pos;
    bool neg = false;
    if (pos < text.size() && text[pos] == '-') { neg = true; ++pos; }
    long long v = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') v = v * 10 + (text[pos++] - '0');
    return neg ? -v : v;
}
}  // namespace

int main() {
    char buf[1 << 16];
    std::size_t got;
    while ((got = std::fread(buf, 1, sizeof buf, stdin)) > 0) text.append(buf, got);
    int n = static_cast<int>(next_int());
    std::vector<short> a(static_cast<std::size_t>(n) * n), b(static_cast<std::size_t>(n) * n);
    for (auto& x : a) x = static_cast<short>(next_int());
    for (auto& x : b) x = static_cast<short>(next_int());
    std::vector<int> c = matmul(a, b, n);
    for (int i = 0; i < n; ++i) {
        long long s = 0;
        for (int j = 0; j < n; ++j) s += static_cast<long long>(c[static_cast<std::size_t>(i) * n + j]) * (j + 1);
        std::printf("%lld\n", s);
    }
    return 0;
}

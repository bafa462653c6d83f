// The popcount-loop rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include <optiloop/llm/edit.hpp>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_popcount_function = R"(#include <cstdio>
static int countBits(unsigned long long x) {
    int c = 0;
    while (x) {
        c += x & 1;
        x >>= 1;
    }
    return c;
}
int main() {
    unsigned long long v;
    long long total = 0;
    while (std::scanf("%llu", &v) == 1) total = total * 65 + countBits(v);
    std::printf("%lld\n", total);
}
)";

TEST(PopcountLoop, ABitCountingLoopBecomesOneCall) {
    expect_rewrite("popcount-loop", k_popcount_function, "while (x) {", {{"0 1 18446744073709551615 12345678901234\n", "8412\n"}, {"\n", "0\n"}},
                   replace_first(k_popcount_function, "    while (x) {\n        c += x & 1;\n        x >>= 1;\n    }\n",
                                 "    c += __builtin_popcountll(x);\n"));
}

// v outlives the loop (read after it, and by the next round of the outer loop): it ends at 0.
const char* const k_popcount_for = R"(#include <cstdio>
int main() {
    unsigned v;
    long long total = 0;
    while (std::scanf("%u", &v) == 1) {
        int bits = 0;
        for (; v; v >>= 1) bits += v & 1;
        total += bits * 1000 + v;
    }
    std::printf("%lld\n", total);
}
)";

TEST(PopcountLoop, AVariableReadLaterEndsAtZeroAsTheLoopLeftIt) {
    expect_rewrite("popcount-loop", k_popcount_for, "for (; v; v >>= 1)", {{"0 7 4294967295 1024\n", "36000\n"}, {"5\n", "2000\n"}},
                   replace_first(k_popcount_for, "for (; v; v >>= 1) bits += v & 1;", "bits += __builtin_popcount(v); v = 0;"));
}

// Clearing the lowest set bit of a signed int: counted as unsigned, in a block where the loop
// was a lone statement.
const char* const k_popcount_kernighan = R"(#include <cstdio>
int main() {
    int m, k = 0;
    if (std::scanf("%d", &m) != 1) return 0;
    if (m != 0)
        while (m) {
            m &= m - 1;
            ++k;
        }
    std::printf("%d %d\n", k, m);
}
)";

TEST(PopcountLoop, ClearingTheLowestBitCountsTheSame) {
    expect_rewrite("popcount-loop", k_popcount_kernighan, "while (m) {",
                   {{"2147483647\n", "31 0\n"}, {"0\n", "0 0\n"}, {"1000\n", "6 0\n"}},
                   replace_first(k_popcount_kernighan, "while (m) {\n            m &= m - 1;\n            ++k;\n        }",
                                 "{ k += __builtin_popcount((unsigned)m); m = 0; }"));
}

// Loops over a fixed number of bit positions: the low 10 bits of a signed value, all 32 bits
// through a mask as wide as the value, and all 64 bits of an unsigned long long.
const char* const k_popcount_each_bit = R"(#include <cstdio>
#include <vector>
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<int> a(n);
    for (int& v : a) std::scanf("%d", &v);
    long long total = 0;
    for (int i = 0; i < n; i++) {
        int low = 0, all = 0, wide = 0;
        unsigned long long big = (unsigned long long)a[i] * 2654435761ull;
        for (int b = 0; b < 10; b++)
            if ((a[i] >> b) & 1) low++;
        for (int b = 0; b < 32; ++b) {
            if (a[i] & (1 << b)) ++all;
        }
        for (int b = 0; b < 64; b++) wide += (big >> b) & 1;
        std::printf("%d %d %d\n", low, all, wide);
        total += low + all + wide;
    }
    std::printf("%lld\n", total);
}
)";

TEST(PopcountLoop, ALoopOverBitPositionsCountsTheSameBits) {
    const auto found = findings_of(k_popcount_each_bit, "popcount-loop");
    ASSERT_EQ(found.size(), 3u);
    core::Edit edit;
    for (const auto& f : found) edit.replacements.insert(edit.replacements.end(), f.fix.begin(), f.fix.end());
    auto applied = llm::apply_edit(source(k_popcount_each_bit), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    std::string expected = replace_first(k_popcount_each_bit,
                                         "for (int b = 0; b < 10; b++)\n            if ((a[i] >> b) & 1) low++;",
                                         "low += __builtin_popcount((unsigned)a[i] & 0x3ffu);");
    expected = replace_first(expected, "for (int b = 0; b < 32; ++b) {\n            if (a[i] & (1 << b)) ++all;\n        }",
                             "all += __builtin_popcount((unsigned)a[i]);");
    expected = replace_first(expected, "for (int b = 0; b < 64; b++) wide += (big >> b) & 1;", "wide += __builtin_popcountll(big);");
    EXPECT_EQ(applied->at(0).content, expected);
    const Cases tests = {{"4 0 1023 -1 123456789\n", "0 0 0\n10 10 25\n10 32 46\n4 16 29\n182\n"}, {"1 -2147483648\n", "0 1 15\n16\n"}};
    expect_accepted("popcount-each-bit-original", k_popcount_each_bit, tests);
    expect_accepted("popcount-each-bit-rewritten", applied->at(0).content, tests);
}

TEST(PopcountLoop, AValueOthersCanReachEndsAtZero) {
    // A global (any function may read it later), and a local whose address was taken before the
    // loop: the count is followed by x = 0, as the loop left x. A parameter no one else sees is not.
    const auto found = findings_of(R"(unsigned g;
int count_global() {
    int c = 0;
    while (g) {
        c += g & 1;
        g >>= 1;
    }
    return c;
}
int count_local() {
    unsigned v = 5;
    unsigned* p = &v;
    int c = 0;
    while (v) {
        c += v & 1;
        v >>= 1;
    }
    return c + (int)*p;
}
int count_param(unsigned w) {
    int c = 0;
    w ^= 3;
    while (w) {
        c += w & 1;
        w >>= 1;
    }
    return c;
}
int count_with_init(unsigned long long u, int c) {
    if (u != 0)
        for (c = 0; u; u >>= 1) c += u & 1;
    return c;
}
)", "popcount-loop");
    ASSERT_EQ(found.size(), 4u);
    for (const auto& f : found) ASSERT_EQ(f.fix.size(), 1u);
    EXPECT_EQ(found[0].fix[0].text, "c += __builtin_popcount(g); g = 0;");
    EXPECT_EQ(found[1].fix[0].text, "c += __builtin_popcount(v); v = 0;");
    EXPECT_EQ(found[2].fix[0].text, "c += __builtin_popcount(w);");
    // A for's init stays, before the count, in a block where the loop was a lone statement.
    EXPECT_EQ(found[3].fix[0].text, "{ c = 0; c += __builtin_popcountll(u); }");
}

TEST(PopcountLoop, SilentWhenTheLoopCountsSomethingElse) {
    // Shifted before the count, two bits at a time, a signed value halved (negative
    // remainders), a signed value tested with > 0 (a negative one stops at once), another
    // variable's bit, a reference, a third statement, and a bool counter; over bit positions: a
    // 64-bit value masked by an int 1 (sign-extended at bit 31), two bits at a time, from bit 1,
    // every other bit, and the bit's value added rather than counted.
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
int main() {
    unsigned x = 77, y = 5, z = 9;
    int s = -8, t = 6, c = 0;
    bool any = false;
    unsigned long long w = 3;
    unsigned& rx = z;
    while (x) {
        x >>= 1;
        c += x & 1;
    }
    while (y) {
        c += y & 1;
        y >>= 2;
    }
    while (s != 0) {
        c += s % 2;
        s /= 2;
    }
    while (t > 0) {
        c += t & 1;
        t >>= 1;
    }
    while (y) {
        c += x & 1;
        y >>= 1;
    }
    while (rx) {
        c += rx & 1;
        rx >>= 1;
    }
    while (w) {
        c += w & 1;
        w >>= 1;
        any = true;
    }
    for (; z; z >>= 1) any += z & 1;
    unsigned long long big = 1ull << 40;
    for (int b = 0; b < 64; b++)
        if (big & (1 << b)) c++;
    for (int b = 0; b < 8; b++) c += (big >> b) & 3;
    for (int b = 1; b < 8; b++) c += (big >> b) & 1;
    for (int b = 0; b < 8; b += 2) c += (big >> b) & 1;
    for (int b = 0; b < 8; b++) c += big & (1ull << b);
    std::printf("%d %d\n", c, any);
}
)", "popcount-loop").empty());
}

// The branch-to-select rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// A saturating clamp that counts the saturated samples (the counter bumped before or after the
// assignment, as ++c or c++).
const char* const k_select_clamp = R"(#include <cstdio>
int main() {
    int n, gain;
    if (std::scanf("%d %d", &n, &gain) != 2) return 0;
    long long clipped = 0, sum = 0;
    for (int i = 0; i < n; i++) {
        int x;
        std::scanf("%d", &x);
        int v = x * gain / 4;
        if (v > 127) {
            v = 127;
            clipped++;
        } else if (v < -128) {
            ++clipped;
            v = -128;
        }
        sum += v;
    }
    std::printf("%lld %lld\n", clipped, sum);
}
)";

TEST(BranchToSelect, ASaturatingClampThatCountsBecomesASelectAndASum) {
    expect_rewrite("branch-to-select", k_select_clamp, "if (v > 127) {",
                   {{"5 8\n1 20 100 -70 -100\n", "3 -87\n"}, {"0 0\n", "0 0\n"}, {"3 1\n127 128 -129\n", "0 31\n"}},
                   replace_first(k_select_clamp, R"(        if (v > 127) {
            v = 127;
            clipped++;
        } else if (v < -128) {
            ++clipped;
            v = -128;
        }
)",
                                 R"(        clipped += (v > 127) | (v < -128);
        v = v > 127 ? 127 : v < -128 ? -128 : v;
)"));
}

// A three-way choice with a final else; the division in the last value is still evaluated only
// when its branch is chosen (hi == lo below never divides).
const char* const k_select_band = R"(#include <cstdio>
int main() {
    double lo, hi, t, total = 0;
    if (std::scanf("%lf %lf", &lo, &hi) != 2) return 0;
    while (std::scanf("%lf", &t) == 1) {
        double y;
        if (t < lo) y = 0;
        else if (t > hi) y = 1;
        else y = (t - lo) / (hi - lo);
        total += y;
    }
    std::printf("%.17g\n", total);
}
)";

TEST(BranchToSelect, AChainWithAFinalElseBecomesOneConditionalExpression) {
    expect_rewrite("branch-to-select", k_select_band, "if (t < lo) y = 0;", {{"0 2\n0.5 -1 3 1.25 2\n", "2.875\n"}, {"1 1\n", "0\n"}},
                   replace_first(k_select_band, R"(        if (t < lo) y = 0;
        else if (t > hi) y = 1;
        else y = (t - lo) / (hi - lo);
)",
                                 "        y = t < lo ? 0 : t > hi ? 1 : (t - lo) / (hi - lo);\n"));
}

TEST(BranchToSelect, SilentWhereEvaluatingEveryTestOrValueCouldDifferOrFault) {
    // A test reading an element (evaluated up front it could read out of bounds) or dividing, a
    // count in one branch only, a count the tests read, two variables assigned, a value with a
    // side effect, a value of another type than the variable (unsigned into long), a volatile, a
    // global, a reference, a lone if with no count (the compiler selects already), an if outside
    // any loop, a branch doing more than choosing, and a test from a macro.
    const char* const program = R"(#include <cstdio>
#include <vector>
int g_level;
int next_value() { static int s = 0; return ++s; }
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<int> a(n, 1);
    long long c = 0, s = 0;
    int v = 0, w = 0, k = n - 1, d = 2;
    long wide = 0;
    unsigned u = 7;
    volatile int vol = 0;
    int& ref = v;
    if (v > 1) v = 1;
    else if (v < 0) v = 0;
    for (int i = 0; i < n; i++) {
        if (k < 0) v = 0;
        else if (a[k] > 3) v = 1;
        if (d == 0) v = 0;
        else if (n / d > 3) v = 1;
        if (v > 9) {
            v = 9;
            c++;
        } else if (v < 0) v = 0;
        if (c > 3) {
            v = 3;
            c++;
        } else if (v < 0) {
            v = 0;
            c++;
        }
        if (v > 5) v = 5;
        else if (v < 1) w = 1;
        if (v > 5) v = next_value();
        else if (v < 1) v = 1;
        if (i > 5) wide = u;
        else if (i < 2) wide = -1;
        if (vol > 5) vol = 5;
        else if (vol < 0) vol = 0;
        if (g_level > 5) g_level = 5;
        else if (g_level < 0) g_level = 0;
        if (ref > 5) ref = 5;
        else if (ref < 0) ref = 0;
        if (v > 5) v = 5;
        if (v > 4) {
            v = 4;
            std::printf("high\n");
        } else if (v < 0) v = 0;
#define TOO_HIGH(x) x > 8
        if (TOO_HIGH(v)) v = 8;
        else if (v < 0) v = 0;
        s += v + w + wide;
    }
    std::printf("%lld %lld\n", c, s);
}
)";
    const auto found = findings_of(program, "branch-to-select");
    for (const auto& f : found) ADD_FAILURE() << "line " << f.line << ": " << f.message;
}

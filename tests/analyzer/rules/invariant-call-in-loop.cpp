// The invariant-call-in-loop rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_invariant_body = R"(#include <cmath>
#include <cstdio>
int main() {
    int n;
    double rate;
    if (std::scanf("%d %lf", &n, &rate) != 2) return 0;
    double total = 0;
    for (int day = 0; day < n; ++day) {
        double sold;
        if (std::scanf("%lf", &sold) != 1) break;
        total += sold * std::exp(-rate);
    }
    std::printf("%.6f\n", total);
}
)";

TEST(InvariantCallInLoop, ComputesTheCallOnceBeforeTheLoopWithTheSameOutput) {
    expect_rewrite("invariant-call-in-loop", k_invariant_body, "total += sold * std::exp(-rate);",
                   {{"3 0.5\n1 2 3\n", "3.639184\n"}, {"0 1\n", "0.000000\n"}},
                   replace_first(replace_first(k_invariant_body, "std::exp(-rate);", "optiloop_invariant_11_25;"),
                                 "    for (int day = 0; day < n; ++day) {",
                                 "    const auto optiloop_invariant_11_25 = std::exp(-rate);\n"
                                 "    for (int day = 0; day < n; ++day) {"));
}

// The outer loop's counter is fixed inside the inner loop: exp(-r * i) moves out of it.
const char* const k_invariant_nested = R"(#include <cmath>
#include <cstdio>
int main() {
    int rows, cols;
    double r;
    if (std::scanf("%d %d %lf", &rows, &cols, &r) != 3) return 0;
    double total = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            total += (j + 1) * exp(-r * i);
    std::printf("%.6f\n", total);
}
)";

const Cases k_invariant_nested_tests = {{"3 2 0.25\n", "7.155994\n"}, {"0 5 1\n", "0.000000\n"}};

TEST(InvariantCallInLoop, ALoneInnerLoopGetsABlockLaidOutOnItsOwnLines) {
    expect_rewrite("invariant-call-in-loop", k_invariant_nested, "total += (j + 1) * exp(-r * i);", k_invariant_nested_tests,
                   replace_first(k_invariant_nested,
                                 "    for (int i = 0; i < rows; i++)\n"
                                 "        for (int j = 0; j < cols; j++)\n"
                                 "            total += (j + 1) * exp(-r * i);\n",
                                 "    for (int i = 0; i < rows; i++) {\n"
                                 "        const auto optiloop_invariant_10_32 = exp(-r * i);\n"
                                 "        for (int j = 0; j < cols; j++)\n"
                                 "            total += (j + 1) * optiloop_invariant_10_32;\n"
                                 "    }\n"));
}

TEST(InvariantCallInLoop, ALoneInnerLoopSharingItsLineGetsABlockInPlace) {
    const std::string program = replace_first(k_invariant_nested, "rows; i++)\n        for (int j = 0; j < cols; j++)\n            total",
                                              "rows; i++) for (int j = 0; j < cols; j++) total");
    expect_rewrite("invariant-call-in-loop", program, "total += (j + 1) * exp(-r * i);", k_invariant_nested_tests,
                   replace_first(program, "for (int j = 0; j < cols; j++) total += (j + 1) * exp(-r * i);",
                                 "{ const auto optiloop_invariant_8_86 = exp(-r * i); for (int j = 0; j < cols; j++) total += (j + 1) * "
                                 "optiloop_invariant_8_86; }"));
}

TEST(InvariantCallInLoop, SilentWhenTheArgumentsCanChange) {
    // Changed in the loop, declared in it, the loop's own counter, a global, a reference, a
    // constant (the compiler folds it), and a call in the condition (another rule's).
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <cstdio>
double g_rate = 0.5;
int main() {
    int n = 5;
    double r = 0.1, total = 0;
    double& alias = r;
    for (int i = 0; i < n; i++) {
        total += exp(r);
        r += 0.1;
        double local = i * 0.5;
        total += sqrt(local) + sqrt(double(i)) + log(g_rate) + exp(alias) + exp(1.0);
    }
    for (int i = 0; i < sqrt(double(n)); i++) total += 1;
    std::printf("%f\n", total);
}
)", "invariant-call-in-loop").empty());
}

// A hoisted call must not read a value the loop changes through another name.
TEST(InvariantCallInLoop, SilentWhenTheArgumentChangesThroughAnotherName) {
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <cstdio>
int main() {
    double r, t = 0;
    if (std::scanf("%lf", &r) != 1) return 0;
    double* pr = &r;
    for (int i = 0; i < 10; i++) {
        t += std::exp(r);
        *pr += 1;
    }
    std::printf("%f\n", t);
}
)", "invariant-call-in-loop").empty());
}

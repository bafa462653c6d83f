// The vector-reserve rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_reserve = R"(#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<long> doubled;
    for (int i = 0; i < n; ++i) {
        long x;
        std::cin >> x;
        doubled.push_back(2 * x);
    }
    long sum = 0;
    for (long v : doubled) sum += v;
    std::cout << doubled.size() << ' ' << sum << '\n';
}
)";

TEST(VectorReserve, ReservesBeforeTheCountedLoopWithTheSameOutput) {
    expect_rewrite("vector-reserve", k_reserve, "for (int i = 0; i < n", {{"3\n1 2 3\n", "3 12\n"}, {"0\n", "0 0\n"}},
                   replace_first(k_reserve, "    for (int i = 0; i < n",
                                 "    if ((n) > 0) doubled.reserve(doubled.size() + static_cast<std::size_t>(n));\n"
                                 "    for (int i = 0; i < n"));
}

TEST(VectorReserve, SilentWhenThePushIsConditional) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<long> evens;
    for (int i = 0; i < n; ++i) {
        long x;
        std::cin >> x;
        if (x % 2 == 0) evens.push_back(x);
    }
    std::cout << evens.size() << '\n';
}
)", "vector-reserve").empty());
}

TEST(VectorReserve, SilentWhenAlreadyReservedBeforeTheLoop) {
    // What the rule itself inserts: a second round must not propose it again.
    const std::string reserved =
        replace_first(k_reserve, "    for (int i = 0; i < n",
                      "    if ((n) > 0) doubled.reserve(doubled.size() + static_cast<std::size_t>(n));\n"
                      "    for (int i = 0; i < n");
    EXPECT_TRUE(findings_of(reserved, "vector-reserve").empty());
    // A reserve of another vector does not count.
    const std::string other = replace_first(k_reserve, "    for (int i = 0; i < n",
                                            "    std::vector<long> unrelated;\n    unrelated.reserve(8);\n"
                                            "    for (int i = 0; i < n");
    EXPECT_EQ(findings_of(other, "vector-reserve").size(), 1u);
}

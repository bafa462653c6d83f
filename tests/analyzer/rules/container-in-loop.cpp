// The container-in-loop rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_container = R"(#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    for (int i = 0; i < n; ++i) {
        std::vector<int> digits;
        int x;
        std::cin >> x;
        while (x > 0) {
            digits.push_back(x % 10);
            x /= 10;
        }
        std::cout << digits.size() << '\n';
    }
}
)";

TEST(ContainerInLoop, HoistsAndClearsWithTheSameOutput) {
    const std::string expected =
        replace_first(replace_first(k_container, "        std::vector<int> digits;\n", "        digits.clear();\n"),
                      "    for (int i = 0;", "    std::vector<int> digits;\n    for (int i = 0;");
    expect_rewrite("container-in-loop", k_container, "std::vector<int> digits", {{"3\n5 120 0\n", "1\n3\n0\n"}, {"1\n99999\n", "5\n"}},
                   expected);
}

TEST(ContainerInLoop, SilentWhenConst) {
    // A const container cannot be cleared: the rewrite would not compile.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
int main() {
    for (int i = 0; i < 3; ++i) {
        const std::vector<int> none;
        std::cout << none.size() << '\n';
    }
}
)", "container-in-loop").empty());
}

TEST(ContainerInLoop, SilentWhenPassedByNonConstReference) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
void digits_of(std::vector<int>& out, int x) {
    while (x > 0) {
        out.push_back(x % 10);
        x /= 10;
    }
}
int main() {
    int n;
    std::cin >> n;
    for (int i = 0; i < n; ++i) {
        std::vector<int> digits;
        int x;
        std::cin >> x;
        digits_of(digits, x);
        std::cout << digits.size() << '\n';
    }
}
)", "container-in-loop").empty());
}

// The endl-in-loop rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_endl = R"(#include <iostream>
int main() {
    int n;
    std::cin >> n;
    for (int i = 1; i <= n; ++i) {
        std::cout << i * i << std::endl;
    }
    return 0;
}
)";

TEST(EndlInLoop, BecomesNewlineWithTheSameOutput) {
    expect_rewrite("endl-in-loop", k_endl, "std::endl", {{"3\n", "1\n4\n9\n"}, {"1\n", "1\n"}},
                   replace_first(k_endl, "std::endl", "'\\n'"));
}

TEST(EndlInLoop, SilentOutsideLoopsAndWhenStdioIsMixedUnsynchronised) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
int main() {
    int n;
    std::cin >> n;
    std::cout << n * n << std::endl;
}
)", "endl-in-loop").empty());
    // The flush orders cout's output against printf's once the two are unsynchronised.
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
#include <iostream>
int main() {
    std::ios::sync_with_stdio(false);
    for (int i = 0; i < 3; ++i) {
        std::cout << i << std::endl;
        printf("%d\n", i);
    }
}
)", "endl-in-loop").empty());
}

// The string-concat-assign rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_concat = R"(#include <iostream>
#include <string>
int main() {
    std::string joined, word;
    while (std::cin >> word) {
        joined = joined + word + ",";
    }
    std::cout << joined << '\n';
}
)";

TEST(StringConcatAssign, AppendsInPlaceWithTheSameOutput) {
    expect_rewrite("string-concat-assign", k_concat, "joined = joined", {{"a b c\n", "a,b,c,\n"}, {"xyz\n", "xyz,\n"}},
                   replace_first(k_concat, "joined = joined + word + \",\";", "(joined += word) += \",\";"));
}

TEST(StringConcatAssign, SilentWhenTheStringIsNotTheLeftmostOperand) {
    // s = t + s prepends: += would append.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
int main() {
    std::string reversed, word;
    while (std::cin >> word) {
        reversed = word + reversed;
    }
    std::cout << reversed << '\n';
}
)", "string-concat-assign").empty());
    // s = s + t + s: appending t first would change the second s.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
int main() {
    std::string s = "a", t = "b";
    s = s + t + s;
    std::cout << s << '\n';
}
)", "string-concat-assign").empty());
}

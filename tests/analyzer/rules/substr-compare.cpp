// The substr-compare rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_substr = R"(#include <iostream>
#include <string>
int main() {
    std::string s;
    int matches = 0;
    while (std::cin >> s) {
        if (s.substr(0, 3) == "pre") ++matches;
    }
    std::cout << matches << '\n';
}
)";

TEST(SubstrCompare, ComparesInPlaceWithTheSameOutput) {
    // "pr" is shorter than the prefix: both forms must say unequal.
    expect_rewrite("substr-compare", k_substr, "s.substr(0, 3)", {{"prefix pr pre apre\n", "2\n"}, {"x\n", "0\n"}},
                   replace_first(k_substr, "s.substr(0, 3) == \"pre\"", "(s.compare(0, 3, \"pre\") == 0)"));
}

TEST(SubstrCompare, SilentWhenComparedWithAChar) {
    // string::compare takes no char: the rewrite would not compile.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
bool operator==(const std::string& s, char c) { return s.size() == 1 && s[0] == c; }
int main() {
    std::string s;
    std::cin >> s;
    std::cout << (s.substr(0, 1) == 'p') << '\n';
}
)", "substr-compare").empty());
}

// The range-for-copy rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_range_for = R"(#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words;
    std::string w;
    while (std::cin >> w) words.push_back(w);
    std::size_t letters = 0;
    for (std::string word : words) {
        letters += word.size();
    }
    std::cout << words.size() << ' ' << letters << '\n';
}
)";

TEST(RangeForCopy, BindsByConstRefWithTheSameOutput) {
    expect_rewrite("range-for-copy", k_range_for, "for (std::string word", {{"ab cde\n", "2 5\n"}, {"x\n", "1 1\n"}},
                   replace_first(k_range_for, "std::string word :", "const std::string& word :"));
    // The message names what the fix does, which keeps the declared type (not "auto").
    const auto findings = findings_of(k_range_for, "range-for-copy");
    ASSERT_EQ(findings.size(), 1u);
    EXPECT_EQ(findings[0].message, "'word' copies every element and is only read; a const reference reads it in place");
}

TEST(RangeForCopy, SilentWhenTheLoopVariableIsModified) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words = {"a", "b"};
    for (std::string word : words) {
        word += "!";
        std::cout << word << '\n';
    }
    std::cout << words[0] << '\n';
}
)", "range-for-copy").empty());
    // Writing the container's first element: a reference would print "y" where the copy printed "x".
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words = {"x", "z"};
    for (std::string word : words) {
        words[0] = "y";
        std::cout << word << '\n';
    }
}
)", "range-for-copy").empty());
}

// The string-find-char rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_find_char = R"(#include <iostream>
#include <string>
int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        int tabs = 0;
        std::size_t at = 0;
        while ((at = line.find("\t", at)) != std::string::npos) {
            ++tabs;
            ++at;
        }
        std::cout << tabs << '\n';
    }
}
)";

TEST(StringFindChar, PassesTheCharWithTheSameOutput) {
    // Faster: the char overload scans for one char (memchr); the C-string overload measures the
    // literal and runs the general substring search.
    expect_rewrite("string-find-char", k_find_char, "line.find(", {{"a\tb\tc\n\n", "2\n0\n"}, {"x\t\t\n", "2\n"}},
                   replace_first(k_find_char, "line.find(\"\\t\", at)", "line.find('\\t', at)"));
}

TEST(StringFindChar, EscapesTheChar) {
    for (const auto& [call, expected] : std::vector<std::pair<std::string, std::string>>{
             {"s.find(\"\\n\")", "'\\n'"},
             {"s.rfind(\"'\")", "'\\''"},
             {"s.find_first_of(\"\\\\\")", "'\\\\'"},
             {"s.find_last_of(\"a\", 2)", "'a'"},
         }) {
        SCOPED_TRACE(call);
        const auto found = findings_of("#include <string>\nstd::size_t f(const std::string& s) { return " + call + "; }\n",
                                       "string-find-char");
        ASSERT_EQ(found.size(), 1u);
        ASSERT_EQ(found[0].fix.size(), 1u);
        EXPECT_EQ(found[0].fix[0].text, expected);
    }
}

TEST(StringFindChar, SilentForLongerLiteralsOtherArgumentsAndTheNulChar) {
    for (const char* call : {"s.find(\"ab\")", "s.find(t)", "s.find(cs)", "s.find_first_of(\"ab\")", "s.find(\"a\", 0, 1)",
                             "s.find('a')",
                             // find("\0") looks for an empty string and matches at once; find('\0') looks for a NUL.
                             "s.find(\"\\0\")"}) {
        SCOPED_TRACE(call);
        EXPECT_TRUE(findings_of(std::string(R"(#include <string>
std::size_t f(const std::string& s, const std::string& t, const char* cs) {
    return )") + call + ";\n}\n",
                                "string-find-char").empty());
    }
}

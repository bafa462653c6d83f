// The set-count-then-insert rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_count_insert = R"(#include <iostream>
#include <set>
int main() {
    std::set<long> seen;
    long x, firsts = 0;
    while (std::cin >> x) {
        if (!seen.count(x)) {
            seen.insert(x);
            firsts += x * static_cast<long>(seen.size());
        }
    }
    std::cout << seen.size() << ' ' << firsts << '\n';
}
)";

TEST(SetCountThenInsert, InsertsInTheConditionWithTheSameOutput) {
    expect_rewrite("set-count-then-insert", k_count_insert, "if (!seen.count(x))",
                   {{"3 1 3 2 1\n", "3 11\n"}, {"7\n", "1 7\n"}, {"", "0 0\n"}},
                   replace_first(replace_first(k_count_insert, "if (!seen.count(x))", "if (seen.insert(x).second)"),
                                 "            seen.insert(x);\n", ""));
}

TEST(SetCountThenInsert, ABareInsertUnderTheTestBecomesTheInsert) {
    const std::string program = R"(#include <iostream>
#include <unordered_set>
int main() {
    std::unordered_set<int> seen;
    int x;
    while (std::cin >> x)
        if (seen.find(x) == seen.end()) seen.insert(x);
    std::cout << seen.size() << '\n';
}
)";
    expect_rewrite("set-count-then-insert", program, "if (seen.find(x) == seen.end())", {{"1 2 1 3\n", "3\n"}, {"", "0\n"}},
                   replace_first(program, "if (seen.find(x) == seen.end()) seen.insert(x);", "seen.insert(x);"));
}

TEST(SetCountThenInsert, SilentUnlessTheBranchStartsWithTheSameInsert) {
    // Something before the insert, another key, the positive test, and a bare insert with an
    // else all stay as they are.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <set>
int main() {
    std::set<int> seen;
    int x, before = 0;
    while (std::cin >> x) {
        if (!seen.count(x)) {
            before += static_cast<int>(seen.size());
            seen.insert(x);
        }
        if (seen.count(x) == 0) {
            seen.insert(x + 1);
        }
        if (seen.count(x)) {
            seen.insert(x);
        }
        if (!seen.count(x)) seen.insert(x);
        else ++before;
    }
    std::cout << seen.size() << ' ' << before << '\n';
}
)", "set-count-then-insert").empty());
}

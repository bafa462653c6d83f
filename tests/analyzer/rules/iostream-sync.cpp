// The iostream-sync rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_sync = R"(#include <iostream>
int main() {
    long a, b;
    std::cin >> a >> b;
    std::cout << a + b << '\n';
}
)";

TEST(IostreamSync, UnsyncsAndUntiesWithTheSameOutput) {
    expect_rewrite("iostream-sync", k_sync, "int main", {{"1 2\n", "3\n"}, {"-5 7\n", "2\n"}},
                   replace_first(k_sync, "int main() {\n",
                                 "int main() {\n    std::ios::sync_with_stdio(false);\n    std::cin.tie(nullptr);\n"));
}

TEST(IostreamSync, SilentWhenTheProgramAlsoUsesCStdioOrAlreadyUnsyncs) {
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
#include <iostream>
int main() {
    long a;
    std::cin >> a;
    printf("%ld\n", a);
}
)", "iostream-sync").empty());
    EXPECT_TRUE(findings_of(R"(#include <iostream>
int main() {
    std::ios_base::sync_with_stdio(false);
    long a;
    std::cin >> a;
    std::cout << a << '\n';
}
)", "iostream-sync").empty());
    // POSIX read() is C stdio's kind of I/O too.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <unistd.h>
int main() {
    char c;
    if (read(0, &c, 1) == 1) std::cout << c << '\n';
}
)", "iostream-sync").empty());
}

// std::getline and a program's own function named read are iostreams' and the program's, not C
// stdio: they do not silence the rule.
TEST(IostreamSync, FindsProgramsThatReadWithStdGetline) {
    EXPECT_EQ(findings_of(R"(#include <iostream>
#include <string>
int read(int x) { return x + 1; }
int main() {
    std::string line;
    long total = 0;
    while (std::getline(std::cin, line)) total += static_cast<long>(line.size()) + read(0);
    std::cout << total << '\n';
}
)", "iostream-sync").size(), 1u);
}

// The unnecessary-copy rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_copy = R"(#include <iostream>
#include <vector>
std::vector<long> read_all() {
    std::vector<long> values;
    long x;
    while (std::cin >> x) values.push_back(x);
    return values;
}
int main() {
    std::vector<long> values = read_all();
    std::vector<long> snapshot = values;
    long sum = 0;
    for (long v : snapshot) sum += v;
    std::cout << snapshot.size() << ' ' << sum << ' ' << values.size() << '\n';
}
)";

TEST(UnnecessaryCopy, BindsByConstRefWithTheSameOutput) {
    // Faster: the copy allocated and copied every element; the reference reads the original in place.
    expect_rewrite("unnecessary-copy", k_copy, "snapshot = values", {{"1 2 3\n", "3 6 3\n"}, {"\n", "0 0 0\n"}},
                   replace_first(k_copy, "std::vector<long> snapshot", "const std::vector<long>& snapshot"));
}

TEST(UnnecessaryCopy, AutoBecomesConstAutoRefForAConstSource) {
    const std::string program = R"(#include <iostream>
#include <string>
const std::string k_greeting = "hello";
int main() {
    auto copy = k_greeting;
    std::cout << copy.size() << '\n';
}
)";
    expect_fix("unnecessary-copy", program, replace_first(program, "auto copy", "const auto& copy"));
}

TEST(UnnecessaryCopy, SilentWhenEitherSideMayChangeOrTheCopyEscapes) {
    const char* const head = R"(#include <iostream>
#include <utility>
#include <vector>
std::vector<int> g = {1};
void grow() { g.push_back(2); }
std::vector<int> f(std::vector<int> a, const std::vector<int>& r) {
)";
    // The same function copying its unchanged by-value parameter is a finding: the cases below
    // are silent for their own reason.
    EXPECT_EQ(findings_of(std::string(head) + "    std::vector<int> b = a;\n    std::cout << b.size() << '\\n';\n    return {};\n}\n",
                          "unnecessary-copy").size(), 1u);
    for (const char* body : {
             // The source changes after the copy: the copy keeps the old contents, a reference would not.
             "    std::vector<int> b = a;\n    a.push_back(3);\n    std::cout << b.size() << '\\n';\n    return {};\n",
             // The copy itself is changed.
             "    std::vector<int> b = a;\n    b.push_back(3);\n    std::cout << b.size() << '\\n';\n    return {};\n",
             // A global can change through any call; a reference through an alias.
             "    std::vector<int> b = g;\n    grow();\n    std::cout << b.size() << '\\n';\n    return {};\n",
             "    std::vector<int> b = r;\n    std::cout << b.size() << '\\n';\n    return {};\n",
             // Returned, moved, or its address taken.
             "    std::vector<int> b = a;\n    return b;\n",
             "    std::vector<int> b = a;\n    return std::move(b);\n",
             "    std::vector<int> b = a;\n    const std::vector<int>* p = &b;\n    return *p;\n",
             // Initialised from a temporary: nothing to refer to.
             "    std::vector<int> b = f({}, r);\n    std::cout << b.size() << '\\n';\n    return {};\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "}\nint main() { std::cout << f({1}, g).size() << '\\n'; }\n",
                                "unnecessary-copy").empty());
    }
    // A map's operator[] has no const overload.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    const std::map<int, int> source = {{1, 2}};
    std::map<int, int> copy = source;
    std::cout << copy[1] << '\n';
}
)", "unnecessary-copy").empty());
    // Its at() has one, and reads the same element.
    EXPECT_EQ(findings_of(R"(#include <iostream>
#include <map>
int main() {
    const std::map<int, int> source = {{1, 2}};
    std::map<int, int> copy = source;
    std::cout << copy.at(1) << '\n';
}
)", "unnecessary-copy").size(), 1u);
}

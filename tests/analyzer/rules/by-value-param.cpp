// The by-value-param rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include <algorithm>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_by_value = R"(#include <iostream>
#include <vector>
long total(std::vector<long> values);
long total(std::vector<long> values) {
    long sum = 0;
    for (long v : values) sum += v;
    return sum;
}
int main() {
    int n;
    std::cin >> n;
    std::vector<long> values(n);
    for (auto& v : values) std::cin >> v;
    std::cout << total(values) << '\n';
}
)";

TEST(ByValueParam, EveryDeclarationTakesConstRefWithTheSameOutput) {
    std::string expected = k_by_value;
    for (int i = 0; i < 2; ++i)
        expected = replace_first(expected, "long total(std::vector<long> values)", "long total(const std::vector<long>& values)");
    expect_rewrite("by-value-param", k_by_value, "long total(std::vector<long> values) {", {{"3\n1 2 3\n", "6\n"}, {"1\n-4\n", "-4\n"}},
                   expected);
}

TEST(ByValueParam, SilentWhenTheParameterIsModifiedOrTheFunctionsAddressIsTaken) {
    // Sorting the copy must not sort the caller's vector.
    EXPECT_TRUE(findings_of(R"(#include <algorithm>
#include <iostream>
#include <vector>
long median(std::vector<long> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}
int main() {
    std::vector<long> values = {3, 1, 2};
    std::cout << median(values) << ' ' << values[0] << '\n';
}
)", "by-value-param").empty());
    // A function pointer fixes the signature.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
std::size_t length(std::string s) { return s.size(); }
int main() {
    std::size_t (*measure)(std::string) = length;
    std::cout << measure("abc") << '\n';
}
)", "by-value-param").empty());
    // The caller may pass the global the function changes: the copy keeps the old contents.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
std::vector<int> g = {1};
std::size_t f(std::vector<int> v) { g.push_back(2); return v.size(); }
int main() { std::cout << f(g) << '\n'; }
)", "by-value-param").empty());
    // Likewise through a non-const reference parameter, or a call that might write anything.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
std::size_t f(std::vector<int> v, std::vector<int>& out) { out.push_back(2); return v.size(); }
int main() { std::vector<int> a = {1}; std::cout << f(a, a) << '\n'; }
)", "by-value-param").empty());
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
std::vector<int> g = {1};
void grow() { g.push_back(2); }
std::size_t f(std::vector<int> v) { grow(); return v.size(); }
int main() { std::cout << f(g) << '\n'; }
)", "by-value-param").empty());
    // A constructor that moves the parameter into a member consumes it: const& would make the
    // move a copy.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
#include <utility>
struct Edge {
    Edge(int a, std::string l) : from(a), label(std::move(l)) {}
    int from;
    std::string label;
};
int main() { Edge e(1, "abc"); std::cout << e.label << '\n'; }
)", "by-value-param").empty());
    // One that only reads it in an initialiser is still found.
    EXPECT_EQ(findings_of(R"(#include <iostream>
#include <string>
struct Name {
    explicit Name(std::string s) : length(s.size()) {}
    std::size_t length;
};
int main() { Name n("abc"); std::cout << n.length << '\n'; }
)", "by-value-param").size(), 1u);
}

// The list-to-vector rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// Appended to in one branch, walked by an iterator in the other (which dies before the next
// append), summed by a range-for, its middle reached with std::next.
const char* const k_list = R"(#include <cstdio>
#include <iterator>
#include <list>
using namespace std;
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    list<long> values;
    for (int i = 0; i < n; i++) {
        long x;
        if (scanf("%ld", &x) != 1) return 1;
        if (x < 0) {
            auto it = values.begin();
            long below = 0;
            while (it != values.end()) {
                if (*it < -x) below++;
                ++it;
            }
            printf("%ld\n", below);
        } else {
            values.push_back(x);
        }
    }
    long total = 0;
    for (long v : values) total += v;
    if (!values.empty()) {
        auto mid = next(values.begin(), (long)values.size() / 2);
        printf("%ld %ld %ld %ld\n", total, values.front(), values.back(), *mid);
    }
}
)";

TEST(ListToVector, StoresTheElementsSideBySideWithTheSameOutput) {
    const std::string expected = replace_each(k_list, {{"#include <cstdio>", "#include <vector>\n#include <cstdio>"}, {"list<long> values;", "vector<long> values;"}});
    expect_rewrites("list-to-vector", k_list, 1, expected, {{"6\n5 1 -3 9 2 -6\n", "1\n3\n17 5 2 9\n"}, {"2\n-1 -2\n", "0\n0\n"}});
}

TEST(ListToVector, SilentWhileAnIteratorOrReferenceMayOutliveAGrowth) {
    const char* const head = R"(#include <iterator>
#include <list>
void take(std::list<int>& x) { x.push_back(0); }
int run(int n) {
    std::list<int> l(3, 1);
    std::list<bool> flags;
    int s = 0;
)";
    for (const char* body : {
             "    auto it = l.begin();\n    l.push_back(1);\n    s += *it;\n",
             "    for (int v : l) if (v > 0) l.push_back(-v);\n",
             "    int& f = l.front();\n    l.push_back(2);\n    s += f;\n",
             "    int* p = &l.back();\n    l.push_back(2);\n    s += *p;\n",
             "    l.push_back(1);\n    l.push_front(2);\n    s += l.front();\n",
             "    l.push_back(1);\n    take(l);\n",
             "    auto add = [&] { l.push_back(1); };\n    auto it = l.begin();\n    add();\n    s += *it;\n",
             "    auto it = l.begin();\n    auto jt = it;\n    l.push_back(3);\n    s += *jt;\n",
             "    std::list<int>::iterator it = l.begin();\n    s += *it;\n    l.push_back(4);\n",
             "    for (auto it = l.begin(); it != l.end(); ++it) if (*it > 0) l.push_back(0);\n",
             "    flags.push_back(true);\n    for (bool f : flags) s += f;\n",
             "    l.push_back(5);\n    l.erase(l.begin());\n",
             "    l.push_back(l.front());\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return s + n;\n}\n", "list-to-vector").empty());
    }
}

// The set-linear-search rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include <algorithm>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_set_search = R"(#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
using namespace std;

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    set<int> s;
    multiset<long long> m;
    set<string> words;
    long long answer = 0;
    for (int i = 0; i < n; ++i) {
        int x;
        if (scanf("%d", &x) != 1) return 1;
        auto it = lower_bound(s.begin(), s.end(), x);
        if (it != s.end()) answer += *it;
        auto hi = std::upper_bound(m.cbegin(), m.cend(), x);
        if (hi != m.cend()) answer ^= *hi;
        answer += count(m.begin(), m.end(), (long long)x) * 3 - 1;
        if (binary_search(s.begin(), s.end(), x + 1)) answer += 7;
        if (find(words.begin(), words.end(), "seven") != words.end()) answer += 1;
        s.insert(x);
        m.insert(x % 10);
        if (x == 7) words.insert("seven");
    }
    printf("%lld\n", answer);
}
)";

TEST(SetLinearSearch, SearchesTheTreeWithTheSameOutput) {
    const std::string expected =
        replace_each(k_set_search, {{"lower_bound(s.begin(), s.end(), x)", "s.lower_bound(x)"},
                                    {"std::upper_bound(m.cbegin(), m.cend(), x)", "m.upper_bound(x)"},
                                    {"count(m.begin(), m.end(), (long long)x)", "static_cast<std::ptrdiff_t>(m.count((long long)x))"},
                                    {"binary_search(s.begin(), s.end(), x + 1)", "(s.find(x + 1) != s.end())"},
                                    {"find(words.begin(), words.end(), \"seven\")", "words.find(\"seven\")"}});
    expect_rewrites("set-linear-search", k_set_search, 5, expected,
                    {{"5\n3 1 7 2 7\n", "18\n"}, {"8\n-5 4 4 9 -5 0 6 3\n", "18\n"}, {"6\n9 8 7 1 2 3\n", "35\n"}, {"0\n", "0\n"}});
}

TEST(SetLinearSearch, SilentWhenTheMemberMightAnswerDifferently) {
    // Another order, a value that the key type would narrow or round, == on floating point, a
    // range that is not the whole set, two sets, a vector, a map, an object with side effects.
    EXPECT_TRUE(findings_of(R"(#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <vector>
int main() {
    std::set<int, std::greater<int>> down = {3, 2, 1};
    std::set<int> s = {1, 2, 3}, t = {4};
    std::set<double> d = {0.5};
    std::vector<int> v = {1, 2};
    std::map<int, int> m;
    std::vector<std::set<int>> many(2);
    int i = 0;
    long long wide = 2;
    long r = 0;
    r += *std::lower_bound(down.begin(), down.end(), 2);
    r += *std::lower_bound(s.begin(), s.end(), wide);
    r += *std::lower_bound(s.begin(), s.end(), 1.5);
    r += *std::lower_bound(s.begin(), s.end(), 2u);
    r += std::count(d.begin(), d.end(), 0.5);
    r += *std::lower_bound(std::next(s.begin()), s.end(), 2);
    r += *std::lower_bound(s.begin(), t.end(), 2);
    r += *std::lower_bound(v.begin(), v.end(), 2);
    r += std::count(m.begin(), m.end(), std::pair<const int, int>(1, 1));
    r += std::count(many[i++].begin(), many[i].end(), 1);
    return static_cast<int>(r);
}
)", "set-linear-search").empty());
}

// The post-increment-iterator rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_post_increment = R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> counts;
    int x;
    while (std::cin >> x) ++counts[x];
    for (auto it = counts.begin(); it != counts.end(); it++) {
        std::cout << it->first << ' ' << it->second << '\n';
    }
}
)";

TEST(PostIncrementIterator, PreIncrementsWithTheSameOutput) {
    // Faster: it++ copies the iterator to return its old value, which nobody reads; ++it
    // advances it without the copy.
    expect_rewrite("post-increment-iterator", k_post_increment, "it++", {{"3 1 3\n", "1 1\n3 2\n"}, {"5\n", "5 1\n"}},
                   replace_first(k_post_increment, "it++", "++it"));
}

TEST(PostIncrementIterator, SilentWhenTheResultIsUsedOrTheTypeIsNotAStandardClass) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <list>
struct Odd {
    int n = 0;
    Odd operator++(int) { Odd old = *this; n += 2; return old; }  // not what ++ does
    Odd& operator++() { ++n; return *this; }
};
int main() {
    std::list<int> values = {1, 2, 3, 4};
    for (auto it = values.begin(); it != values.end();) {
        if (*it % 2 == 0) values.erase(it++);
        else std::cout << *(it++) << '\n';
    }
    int i = 0;
    i++;
    int* p = &i;
    p++;
    Odd odd;
    odd++;
    std::cout << i << ' ' << odd.n << ' ' << (p != nullptr) << '\n';
}
)", "post-increment-iterator").empty());
}

// The map-double-lookup rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_double_lookup = R"(#include <iostream>
#include <map>
#include <string>
int main() {
    std::map<std::string, int> seen;
    std::string word;
    long repeats = 0;
    while (std::cin >> word) {
        if (seen.count(word)) {
            repeats += seen[word];
            seen[word] += 1;
        } else {
            seen[word] = 1;
        }
    }
    std::cout << seen.size() << ' ' << repeats << '\n';
}
)";

TEST(MapDoubleLookup, FindsOnceAndUsesTheIteratorWithTheSameOutput) {
    expect_rewrite("map-double-lookup", k_double_lookup, "if (seen.count(word))",
                   {{"a b a c a b\n", "3 4\n"}, {"x\n", "1 0\n"}, {"", "0 0\n"}},
                   replace_first(replace_first(replace_first(k_double_lookup, "if (seen.count(word))",
                                                             "if (auto optiloop_found_9 = seen.find(word); optiloop_found_9 != seen.end())"),
                                               "repeats += seen[word];", "repeats += optiloop_found_9->second;"),
                                 "seen[word] += 1;", "optiloop_found_9->second += 1;"));
}

TEST(MapDoubleLookup, FindAgainstEndToo) {
    const auto found = findings_of(R"(#include <iostream>
#include <unordered_map>
int main() {
    std::unordered_map<int, long> sums;
    int key;
    long value;
    while (std::cin >> key >> value) {
        if (sums.find(key) != sums.end()) sums.at(key) += value;
        else sums[key] = value;
    }
    std::cout << sums.size() << '\n';
}
)", "map-double-lookup");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].line, 8);
    EXPECT_EQ(found[0].fix.size(), 2u);  // the condition and the one use in the then-branch
}

TEST(MapDoubleLookup, AKeyConvertedInPlaceIsStillTheSameKey) {
    // m[(int)i] binds a temporary int to operator[](key_type&&): the temporary, not i, is what
    // the call may change, so i stays the key the test found.
    const std::string program = R"(#include <cstdio>
#include <map>
int main() {
    std::map<int, long> weight = {{1, 10}, {3, 30}};
    long total = 0;
    for (long i = 0; i < 5; i++)
        if (weight.count((int)i)) total += weight[(int)i] * i;
    std::printf("%ld\n", total);
}
)";
    expect_rewrite("map-double-lookup", program, "if (weight.count((int)i))", {{"", "100\n"}},
                   replace_first(replace_first(program, "if (weight.count((int)i))",
                                               "if (auto optiloop_found_7 = weight.find((int)i); optiloop_found_7 != weight.end())"),
                                 "weight[(int)i]", "optiloop_found_7->second"));
}

TEST(MapDoubleLookup, SilentWhenTheBranchChangesTheMapOrTheKey) {
    // erase, a changed key (also beside a key converted in place), a different key, or no
    // second lookup at all.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> m = {{1, 2}, {3, 4}};
    int k = 1, total = 0;
    if (m.count(k)) {
        total += m[k];
        m.erase(k);
    }
    if (m.count(k)) {
        ++k;
        total += m[k];
    }
    if (m.count(k)) total += m[k + 1];
    if (m.count((long)k)) {
        k = 2;
        total += m[(long)k];
    }
    if (m.count(k)) total += 1;
    if (m.count(k)) {
        int k = 3;  // another k: m[k] here may insert
        total += m[k];
    }
    std::cout << total << '\n';
}
)", "map-double-lookup").empty());
}

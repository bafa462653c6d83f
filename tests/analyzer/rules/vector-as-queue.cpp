// The vector-as-queue rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include <algorithm>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// Josephus by rotation: the front is taken off again and again.
const char* const k_queue_rotation = R"(#include <cstdio>
#include <vector>
int main() {
    int n, k;
    if (std::scanf("%d %d", &n, &k) != 2) return 0;
    std::vector<int> circle;
    for (int i = 1; i <= n; i++) circle.push_back(i);
    while (circle.size() > 1) {
        for (int step = 1; step < k; step++) {
            circle.push_back(circle.front());
            circle.erase(circle.begin());
        }
        std::printf("%d ", circle[0]);
        circle.erase(circle.begin());
    }
    if (!circle.empty()) std::printf("%d\n", circle.front());
}
)";

TEST(VectorAsQueue, ErasingTheFrontBecomesPopFrontOnADeque) {
    std::string expected = "#include <deque>\n" + std::string(k_queue_rotation);
    expected = replace_first(expected, "std::vector<int> circle;", "std::deque<int> circle;");
    expected = replace_first(expected, "circle.erase(circle.begin());", "circle.pop_front();");
    expected = replace_first(expected, "circle.erase(circle.begin());", "circle.pop_front();");
    expect_rewrite("vector-as-queue", k_queue_rotation, "circle;", {{"7 3\n", "3 6 2 7 5 1 4\n"}, {"1 1\n", "1\n"}, {"0 1\n", ""}}, expected);
}

// Inserted at the front under an if, erased in the middle, walked by a range-for.
const char* const k_queue_front_insert = R"(#include <cstdio>
#include <deque>
#include <vector>
using namespace std;
int main() {
    vector<long> history(2, 0);
    long x;
    while (std::scanf("%ld", &x) == 1) {
        if (x < 0)
            history.insert(history.begin(), -x);
        else
            history.push_back(x);
        if (history.size() > 5) history.erase(history.begin() + 2);
    }
    for (long h : history) std::printf("%ld\n", h);
}
)";

TEST(VectorAsQueue, InsertingAtTheFrontBecomesPushFront) {
    expect_rewrite("vector-as-queue", k_queue_front_insert, "history(2, 0);", {{"3 -4 5 -6 7 8\n", "6\n4\n5\n7\n8\n"}, {"\n", "0\n0\n"}},
                   replace_first(replace_first(k_queue_front_insert, "vector<long> history(2, 0);", "deque<long> history(2, 0);"),
                                 "history.insert(history.begin(), -x);", "history.push_front(-x);"));
}

TEST(VectorAsQueue, SilentWhereADequeWouldNotServe) {
    // Each vector's front is erased, but it is also: handed to a function, copied from another
    // vector, read through data(), reserved, sorted through its iterators, kept in a typed
    // iterator, assigned, a vector<bool>, an element's address taken (the elements are assumed
    // side by side), or erase's iterator kept; and one never loses its front at all. (Each on a
    // declaration of its own: one declaring several is left alone anyway.)
    EXPECT_TRUE(findings_of(R"(#include <algorithm>
#include <cstdio>
#include <vector>
int total(const std::vector<int>& v) { return (int)v.size(); }
int main() {
    std::vector<int> source = {5, 4, 3};
    std::vector<int> passed = {1, 2};
    std::vector<int> copied = source;
    std::vector<int> raw = {1};
    std::vector<int> reserved;
    std::vector<int> sorted = {3, 1, 2};
    std::vector<int> iterated = {1, 2};
    std::vector<int> assigned;
    std::vector<bool> flags(3, true);
    std::vector<int> addressed = {1, 2, 3};
    std::vector<int> returned = {1, 2};
    std::vector<int> stack;
    passed.erase(passed.begin());
    copied.erase(copied.begin());
    raw.erase(raw.begin());
    reserved.reserve(8);
    reserved.push_back(1);
    reserved.erase(reserved.begin());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(sorted.begin());
    std::vector<int>::iterator it = iterated.begin();
    iterated.erase(iterated.begin());
    assigned = source;
    assigned.erase(assigned.begin());
    flags.erase(flags.begin());
    const int* first = &addressed.front();
    addressed.erase(addressed.begin());
    std::vector<int>::iterator next = returned.erase(returned.begin());
    stack.push_back(1);
    stack.pop_back();
    std::printf("%d %d %d %d %d %d %d\n", total(passed), *raw.data(), (int)copied.size(), (int)flags.size(), (int)(it == iterated.end()),
                first[1], (int)(next == returned.end()));
}
)", "vector-as-queue").empty());
}

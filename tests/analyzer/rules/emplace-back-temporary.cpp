// The emplace-back-temporary rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_emplace = R"(#include <iostream>
#include <vector>
struct Point {
    long x, y;
    Point(long px, long py) : x(px), y(py) {}
};
int main() {
    std::vector<Point> points;
    long x, y;
    while (std::cin >> x >> y) points.push_back(Point(x, y));
    long area = 0;
    for (const Point& p : points) area += p.x * p.y;
    std::cout << points.size() << ' ' << area << '\n';
}
)";

TEST(EmplaceBackTemporary, ConstructsInPlaceWithTheSameOutput) {
    // Faster: push_back constructed a temporary Point and then moved it into the vector;
    // emplace_back constructs it once, directly in the vector's storage.
    expect_rewrite("emplace-back-temporary", k_emplace, "points.push_back", {{"1 2\n3 4\n", "2 14\n"}, {"\n", "0 0\n"}},
                   replace_first(k_emplace, "points.push_back(Point(x, y))", "points.emplace_back(x, y)"));
}

TEST(EmplaceBackTemporary, EmptyBracesBecomeNoArguments) {
    const std::string program = R"(#include <deque>
#include <string>
void f(std::deque<std::string>& lines) { lines.push_back(std::string{}); }
)";
    expect_fix("emplace-back-temporary", program, replace_first(program, "lines.push_back(std::string{})", "lines.emplace_back()"));
}

TEST(EmplaceBackTemporary, SilentWhenTheArgumentIsNotATemporaryOfTheValueType) {
    const char* const head = R"(#include <string>
#include <vector>
struct Base {
    int v;
    explicit Base(int x) : v(x) {}
};
struct Derived : Base {
    explicit Derived(int x) : Base(x) {}
};
void f(std::vector<Base>& bases, std::vector<std::vector<int>>& rows, std::vector<std::string>& names, std::vector<long>& longs) {
    Base b(1);
)";
    for (const char* call : {
             "bases.push_back(b);",                            // a variable
             "bases.push_back(Derived(2));",                   // a derived type, sliced
             "names.push_back(\"x\");",                        // an implicit conversion
             "longs.push_back(long(3));",                      // a scalar: nothing to gain
             "rows.push_back(std::vector<int>{3, 1});",        // braces: {3, 1} is two elements, (3, 1) three
             "bases.push_back(Base{2});",
             "bases.push_back(Base(bases[0].v));",             // reads the container being grown
         }) {
        SCOPED_TRACE(call);
        EXPECT_TRUE(findings_of(std::string(head) + "    " + call + "\n}\n", "emplace-back-temporary").empty());
    }
}

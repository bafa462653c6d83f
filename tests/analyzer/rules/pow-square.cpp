// The pow-square rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_pow = R"(#include <cmath>
#include <iostream>
int main() {
    int n;
    std::cin >> n;
    double total = 0;
    for (int i = 0; i < n; ++i) {
        double x;
        std::cin >> x;
        total += std::pow(x, 2);
    }
    std::cout << total << '\n';
}
)";

TEST(PowSquare, MultipliesWithTheSameOutput) {
    expect_rewrite("pow-square", k_pow, "std::pow(x, 2)", {{"2\n1.5 2\n", "6.25\n"}, {"1\n-3\n", "9\n"}},
                   replace_first(k_pow, "std::pow(x, 2)", "(static_cast<double>(x) * static_cast<double>(x))"));
}

// An element of a vector is read twice in the rewrite: reading it has no side effect, though
// operator[] is a call.
const char* const k_pow_element = R"(#include <cmath>
#include <iostream>
#include <vector>
int main() {
    std::vector<double> values;
    double x;
    while (std::cin >> x) values.push_back(x);
    double total = 0;
    for (std::size_t i = 0; i < values.size(); ++i) total += pow(values[i], 2);
    std::cout << total << '\n';
}
)";

TEST(PowSquare, SquaresAVectorElementInPlace) {
    expect_rewrite("pow-square", k_pow_element, "pow(values[i], 2)", {{"1.5 2\n", "6.25\n"}, {"-3\n", "9\n"}},
                   replace_first(k_pow_element, "pow(values[i], 2)",
                                 "(static_cast<double>(values[i]) * static_cast<double>(values[i]))"));
}

TEST(PowSquare, SilentWhenTheBaseHasSideEffects) {
    // Squared by hand, these would advance i twice or read two numbers.
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
#include <vector>
double next() {
    double x = 0;
    std::cin >> x;
    return x;
}
int main() {
    std::vector<double> values = {1, 2, 3, 4};
    std::size_t i = 0;
    double total = pow(values[i++], 2) + std::pow(next(), 2);
    std::cout << total << ' ' << i << '\n';
}
)", "pow-square").empty());
}

TEST(PowSquare, SilentForOtherExponents) {
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
int main() {
    double x;
    std::cin >> x;
    std::cout << std::pow(x, 3) << ' ' << pow(x, 0.5) << '\n';
}
)", "pow-square").empty());
}

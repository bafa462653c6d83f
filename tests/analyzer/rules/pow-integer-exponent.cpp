// The pow-integer-exponent rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// Whole bases (an int, the absolute value of one, a literal) to whole powers, small and large
// (past 2^53, where optiloop_ipow hands over to pow) and negative.
const char* const k_pow_integer = R"(#include <cmath>
#include <cstdio>
using namespace std;

int main() {
    int n, p;
    if (scanf("%d %d", &n, &p) != 2) return 1;
    double total = 0;
    long long hits = 0;
    for (int i = -n; i <= n; ++i) {
        total += pow(fabs(i - 3), p) + std::pow(10, i % 7);
        if (pow(i, p) > 1e6) hits++;
    }
    printf("%.17g %lld\n", total, hits);
}
)";

const char* const k_ipow_helper = R"(// pow(x, n) for whole x and n: exact products below 2^53 are what pow returns.
static inline double optiloop_ipow(double x, double n) {
    if (n >= 0 && n <= 64) {
        double r = 1;
        for (int k = 0; k < (int)n; ++k) {
            r *= x;
            if (!(r < 9007199254740992.0 && r > -9007199254740992.0)) return ::pow(x, n);
        }
        return r;
    }
    return ::pow(x, n);
}

)";

TEST(PowIntegerExponent, MultipliesWholePowersWithTheSameOutput) {
    const std::string expected = replace_each(k_pow_integer, {{"using namespace std;", std::string(k_ipow_helper) + "using namespace std;"},
                                                              {"pow(fabs(i - 3), p)", "optiloop_ipow(fabs(i - 3), p)"},
                                                              {"std::pow(10, i % 7)", "optiloop_ipow(10, i % 7)"},
                                                              {"pow(i, p) > 1e6", "optiloop_ipow(i, p) > 1e6"}});
    expect_rewrites("pow-integer-exponent", k_pow_integer, 3, expected,
                    {{"50 3\n", "11097940.877777001 0\n"}, {"7 40\n", "1.0149144437592483e+40 12\n"}, {"9 -2\n", "inf 1\n"},
                     {"3 0\n", "1118.1110000000001 0\n"}});
}

TEST(PowIntegerExponent, HelperAgreesWithPowOnThisMachine) {
    // The rule's claim: where every product is exact, pow returns it. Checked here over whole
    // bases up to 10^5 in magnitude and beyond 2^50, and every exponent up to 64.
    const auto found = findings_of(k_pow_integer, "pow-integer-exponent");
    ASSERT_FALSE(found.empty());
    const std::string program = found[0].fix[0].text + R"(#include <cstdio>
int main() {
    long checked = 0, differ = 0;
    auto sweep = [&](double x) {
        for (int n = 0; n <= 64; ++n) {
            volatile double vx = x, vn = n;
            const double a = optiloop_ipow(vx, vn), b = pow(vx, vn);
            ++checked;
            if (a != b || std::signbit(a) != std::signbit(b)) ++differ;
        }
    };
    for (long x = -100000; x <= 100000; ++x) sweep((double)x);
    unsigned long long s = 1;
    for (int k = 0; k < 100000; ++k) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        sweep((double)(long long)(s >> 11));
        sweep(-(double)(long long)(s >> 40));
    }
    printf("%ld %ld\n", checked > 0 ? 1L : 0L, differ);
}
)";
    expect_accepted("pow-integer-helper", "#include <cmath>\n" + program, {{"", "1 0\n"}});
}

TEST(PowIntegerExponent, SilentWhenTheBaseOrExponentMayNotBeWhole) {
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
int main() {
    double x;
    int i, p;
    long double y = 2;
    std::cin >> x >> i >> p;
    std::cout << std::pow(x, p) << ' ' << pow(i, 0.5) << ' ' << pow(i, 2) << ' ' << pow(i, (double)p) << ' ' << pow(y, p) << ' '
              << pow(i + 0.5, 3) << ' ' << pow(true, p) << '\n';
}
)", "pow-integer-exponent").empty());
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
double optiloop_ipow(double, double);
int main() {
    int i, p;
    std::cin >> i >> p;
    std::cout << std::pow(i, p) << '\n';
}
)", "pow-integer-exponent").empty());
}

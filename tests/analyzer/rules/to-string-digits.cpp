// The to-string-digits rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_digits = R"(#include <cstdio>
#include <string>
using namespace std;

int main() {
    long long lo, hi;
    if (scanf("%lld %lld", &lo, &hi) != 2) return 1;
    long long total = 0, sevens = 0;
    for (long long x = lo; x <= hi; x++) {
        string t = to_string(x);
        for (char c : t) total += c - '0';
        if (t.size() > 1 && t[t.size() - 2] == '7') sevens++;
        sevens += t.back() == '7';
    }
    printf("%lld %lld\n", total, sevens);
}
)";

TEST(ToStringDigits, ReadsTheCharsFromAStackBufferWithTheSameOutput) {
    const std::string expected = replace_each(
        k_digits, {{"#include <cstdio>\n", "#include <charconv>\n#include <string_view>\n#include <cstdio>\n"},
                   {"        string t = to_string(x);",
                    "        char t_chars[24];\n        const std::string_view t(t_chars, std::to_chars(t_chars, t_chars + sizeof t_chars, "
                    "static_cast<long long>(x)).ptr - t_chars);"}});
    // Negative numbers ('-' counts as '-' - '0'), the extremes of long long, 19-digit numbers.
    expect_rewrites("to-string-digits", k_digits, 1, expected,
                    {{"-12 12\n", "66 2\n"}, {"9223372036854775800 9223372036854775806\n", "588 0\n"},
                     {"-9223372036854775807 -9223372036854775800\n", "652 1\n"}, {"999999999999999990 1000000000000000005\n", "1596 1\n"}});
}

TEST(ToStringDigits, SilentWhenTheStringIsUsedAsAString) {
    const char* const head = R"(#include <algorithm>
#include <cstdio>
#include <string>
void show(const std::string& s) { std::puts(s.c_str()); }
int main() {
    int n = 123;
    double d = 1.5;
    long s = 0;
)";
    for (const char* body : {
             "    std::string t = std::to_string(n);\n    t += '!';\n    s += t.size();\n",
             "    std::string t = std::to_string(n);\n    t[0] = '9';\n    s += t[0];\n",
             "    std::string t = std::to_string(n);\n    std::reverse(t.begin(), t.end());\n    s += t[0];\n",
             "    std::string t = std::to_string(n);\n    show(t);\n",
             "    std::string t = std::to_string(n);\n    std::puts(t.c_str());\n",
             "    std::string t = std::to_string(d);\n    for (char c : t) s += c;\n",
             "    std::string t = std::to_string(n);\n    for (char& c : t) c = '0';\n    s += t.size();\n",
             "    std::string t = std::to_string(n), u = \"x\";\n    for (char c : t) s += c;\n",
             "    std::string t = std::to_string(n);\n    std::string u = t;\n    s += u.size();\n",
             "    std::string t = std::to_string(n);\n    t.back() = 'x';\n    s += t.size();\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return (int)s;\n}\n", "to-string-digits").empty());
    }
}

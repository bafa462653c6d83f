// The find-char-table rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// Two loops read a key that repeats chars (the first position wins) and lacks others (npos),
// through a char variable and through an element; the outer while loop leaves the key alone too,
// so the first table is built once, before it.
const char* const k_find_table = R"(#include <iostream>
#include <string>
int main() {
    std::string key, line, last;
    std::getline(std::cin, key);
    long total = 0;
    while (std::getline(std::cin, line)) {
        last = line;
        for (char& c : line) {
            std::size_t pos = key.find(c);
            if (pos != std::string::npos) c = char('a' + pos);
        }
        std::cout << line << '\n';
    }
    for (std::size_t i = 0; i < last.size(); ++i) total += key.find(last[i]) == std::string::npos ? -1 : (long)key.find(last[i]);
    std::cout << total << '\n';
}
)";

TEST(FindCharTable, LooksUpFirstPositionsWithTheSameOutput) {
    auto table = [](const std::string& n) {
        return "std::size_t " + n + "[256];\n    for (std::size_t& optiloop_at : " + n + ") optiloop_at = std::string::npos;\n" +
               "    for (std::size_t optiloop_at = key.size(); optiloop_at-- > 0;) " + n + "[(unsigned char)key[optiloop_at]] = optiloop_at;\n    ";
    };
    const std::string table7 = table("key_first_7"), table15 = table("key_first_15");
    const std::string expected =
        replace_each(k_find_table, {{"    while (std::getline", "    " + table7 + "while (std::getline"},
                                    {"key.find(c)", "key_first_7[(unsigned char)(c)]"},
                                    {"    for (std::size_t i = 0;", "    " + table15 + "for (std::size_t i = 0;"},
                                    {"key.find(last[i])", "key_first_15[(unsigned char)(last[i])]"},
                                    {"key.find(last[i])", "key_first_15[(unsigned char)(last[i])]"}});
    expect_rewrites("find-char-table", k_find_table, 3, expected,
                    {{"zyxzab\nzebra yak\nxyz?\n", "aefre bek\ncba?\n2\n"}, {"\n\nabc\n", "\nabc\n-3\n"}});
}

TEST(FindCharTable, SilentWhenTheKeyMayChangeOrTheCallIsAnother) {
    const char* const head = R"(#include <string>
long run(std::string line, const std::string& shared, std::wstring wide) {
    std::string key = "abc";
    long s = 0;
)";
    for (const char* body : {
             "    for (char c : line) { s += key.find(c); key += c; }\n",
             "    for (char c : line) s += shared.find(c);\n",
             "    std::string& other = key;\n    for (char c : line) { s += key.find(c); other.clear(); }\n",
             "    for (char c : line) s += key.find(c, 1);\n",
             "    for (char c : line) s += key.find(\"ab\") + c;\n",
             "    for (wchar_t c : wide) s += wide.find(c);\n",
             "    for (char c : line) { std::string inner = \"xy\"; s += inner.find(c); }\n",
             "    for (char c : line) s += [&] { return key.find(c); }();\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return s;\n}\n", "find-char-table").empty());
    }
}

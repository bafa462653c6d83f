// The invariant-call-in-condition rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_invariant = R"(#include <cstring>
#include <iostream>
#include <string>
int count_a(const char* text) {
    int as = 0;
    for (std::size_t i = 0; i < strlen(text); ++i) {
        if (text[i] == 'a') ++as;
    }
    return as;
}
int main() {
    std::string word;
    while (std::cin >> word) std::cout << count_a(word.c_str()) << '\n';
}
)";

TEST(InvariantCallInCondition, HoistsStrlenWithTheSameOutput) {
    const std::string expected = replace_first(
        replace_first(k_invariant, "i < strlen(text)", "i < optiloop_hoisted_6"),
        "    for (std::size_t", "    const auto optiloop_hoisted_6 = strlen(text);\n    for (std::size_t");
    expect_rewrite("invariant-call-in-condition", k_invariant, "strlen(text)", {{"banana xyz\n", "3\n0\n"}, {"a\n", "1\n"}},
                   expected);
}

// A while loop and a do loop read the same string: hoisted before each, strlen runs once.
const char* const k_invariant_while = R"(#include <cstdio>
#include <cstring>
int main() {
    char word[64];
    while (scanf("%63s", word) == 1) {
        std::size_t i = 0, vowels = 0;
        while (i < strlen(word)) {
            if (strchr("aeiou", word[i])) ++vowels;
            ++i;
        }
        std::size_t j = 0;
        do {
            ++j;
        } while (j < strlen(word));
        printf("%zu %zu\n", vowels, j);
    }
}
)";

TEST(InvariantCallInCondition, HoistsFromWhileAndDoLoops) {
    const auto found = findings_of(k_invariant_while, "invariant-call-in-condition");
    ASSERT_EQ(found.size(), 2u);
    std::string expected = replace_first(k_invariant_while, "        while (i < strlen(word)) {",
                                         "        const auto optiloop_hoisted_7 = strlen(word);\n        while (i < optiloop_hoisted_7) {");
    expected = replace_first(expected, "        do {", "        const auto optiloop_hoisted_12 = strlen(word);\n        do {");
    expected = replace_first(expected, "} while (j < strlen(word));", "} while (j < optiloop_hoisted_12);");
    expect_rewrites("invariant-call-in-condition", k_invariant_while, 2, expected, {{"banana sky a\n", "3 6\n0 3\n1 1\n"}});
}

// The baseline of ll-strlen-loop-condition in small: the loop capitalises words in place, which
// never changes the length, and cuts the line at a '#', which does.
const char* const k_tracked = R"(#include <cstdio>
#include <cstring>
static char line[256];
int main() {
    while (fgets(line, sizeof line, stdin)) {
        int words = 0;
        for (int i = 0; i < (int)strlen(line); i++) {
            if (line[i] == '#') {
                line[i] = '\0';
            } else if (line[i] != ' ' && line[i] != '\n' && (i == 0 || line[i - 1] == ' ')) {
                line[i] -= 'a' - 'A';
                words++;
            }
        }
        printf("%d %s|\n", words, line);
    }
}
)";

TEST(InvariantCallInCondition, TracksTheLengthOfAStringTheLoopWritesOneCharAtATime) {
    std::string expected = replace_first(k_tracked, "        for (int i = 0; i < (int)strlen(line);",
                                         "        auto optiloop_length_7 = strlen(line);\n        for (int i = 0; i < (int)optiloop_length_7;");
    expected = replace_first(expected, "line[i] = '\\0';\n",
                             "line[i] = '\\0';\n                if (line[i] == '\\0') { if ((size_t)(i) < optiloop_length_7) optiloop_length_7 = i; } "
                             "else if ((size_t)(i) == optiloop_length_7) optiloop_length_7 = strlen(line);\n");
    expected = replace_first(expected, "line[i] -= 'a' - 'A';\n",
                             "line[i] -= 'a' - 'A';\n                if (line[i] == '\\0') { if ((size_t)(i) < optiloop_length_7) optiloop_length_7 = i; } "
                             "else if ((size_t)(i) == optiloop_length_7) optiloop_length_7 = strlen(line);\n");
    expect_rewrite("invariant-call-in-condition", k_tracked, "strlen(line)",
                   {{"ab  cd e\n", "3 Ab  Cd E\n|\n"}, {"one #two three\nx\n\n", "1 One |\n1 X\n|\n0 \n|\n"}}, expected);
}

// Writes that lengthen the string (overwriting its '\0'), through a pointer, as the lone branch
// of an if, at an index that is not the loop's counter.
const char* const k_tracked_join = R"(#include <cstdio>
#include <cstring>
int main() {
    char text[] = "ab\0cd\0\0ef";
    char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    char* p = text;
    unsigned joins = 0;
    for (unsigned i = 0; i < strlen(copy); ++i)
        if (copy[i + 1] == '\0' && copy[i + 2] != '\0') copy[i + 1] = '-', ++joins;
    for (unsigned i = 0; i < strlen(p); ++i)
        if (p[i + 1] == '\0' && i + 2 < sizeof text && p[i + 2] != '\0')
            p[i + 1] = '-';
    printf("%s %s %u\n", p, copy, joins);
}
)";

TEST(InvariantCallInCondition, TracksALengthThatGrowsThroughAPointer) {
    // The first loop writes inside a comma expression, which the rule leaves alone; the second
    // joins "ab" and "cd" (the '\0' at the end is overwritten) but not "ef", behind two '\0's.
    const std::string expected = replace_first(
        replace_first(k_tracked_join, "    for (unsigned i = 0; i < strlen(p); ++i)\n",
                      "    auto optiloop_length_11 = strlen(p);\n    for (unsigned i = 0; i < optiloop_length_11; ++i)\n"),
        "            p[i + 1] = '-';",
        "            { p[i + 1] = '-'; if (p[i + 1] == '\\0') { if (i + 1 < optiloop_length_11) optiloop_length_11 = i + 1; } "
        "else if (i + 1 == optiloop_length_11) optiloop_length_11 = strlen(p); }");
    expect_rewrite("invariant-call-in-condition", k_tracked_join, "i < strlen(p)", {{"", "ab-cd ab-cd 1\n"}}, expected);
}

TEST(InvariantCallInCondition, SilentWhenTheLoopMayWriteTheStringAnotherWay) {
    // Each loop may change the string other than by a statement text[i] = v (or p[i] = v):
    // through an expression, through another pointer to the same chars, through a call, by an
    // index that reads the string, by moving the pointer, or by writing a variable the pointer
    // may point into.
    const char* const head = R"(#include <cstring>
#include <iostream>
int global = 0x41;
void cut(char* s) { s[0] = '\0'; }
int main() {
    char text[128] = "ab cd";
    char* p = text;
    const char* q = text;
    int letter = 0x42;
    char* r = (char*)&letter;
    std::size_t at = 0;
)";
    for (const char* loop : {
             "    for (std::size_t i = 0; i < strlen(p); ++i) {\n        if (p[i] == ' ') *(p + i) = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(q); ++i) {\n        if (q[i] == ' ') p[i] = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') p[i] = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(q); ++i) {\n        if (q[i] == ' ') strcpy(p + i, \"\");\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') cut(text + i);\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') at = (text[i] = '\\0');\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[text[0] - 'a'] = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[i] = (char)(i + (at = 1));\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); text[i++] = 'x') {\n    }\n",
             "    for (std::size_t i = 0; i < strlen(p); ++i) {\n        if (p[i] == ' ') p = text + i + 1;\n        p[0] = 'x';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(r); ++i) {\n        r[i] = 'x';\n        letter = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(r); ++i) {\n        r[i] = 'x';\n        global = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[i] = 'x';\n        char& c = text[i + 1];\n        c = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[i] = 'x';\n        [&] { text[i + 1] = 0; }();\n    }\n",
             "    for (p = text + 1; at < strlen(p); ++at) {\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') *(int*)(text + i) = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(p); ++i) {\n        if (p[i] == ' ') reinterpret_cast<int*>(p)[0] = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        char (*whole)[128] = &text;\n        (*whole)[i] = 0;\n    }\n",
             "    for (char* e = text; at < strlen(e); ++at) {\n    }\n",
         }) {
        SCOPED_TRACE(loop);
        EXPECT_TRUE(findings_of(std::string(head) + loop + "    std::cout << text << q << r << at << '\\n';\n}\n", "invariant-call-in-condition").empty());
    }
}

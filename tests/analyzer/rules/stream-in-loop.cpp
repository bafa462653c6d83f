// The stream-in-loop rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

const char* const k_stream = R"(#include <iostream>
#include <sstream>
#include <string>
int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream fields(line);
        std::string name;
        long value, total = 0;
        if (!(fields >> name)) continue;
        while (fields >> value) total += value;
        if (!fields.eof()) std::cout << "bad ";
        std::cout << name << ' ' << total << '\n';
    }
}
)";

TEST(StreamInLoop, MakesTheStreamOnceAndResetsItWithTheSameOutput) {
    // The second line leaves the stream failed mid-line: clear() must undo that for the third.
    expect_rewrite("stream-in-loop", k_stream, "std::istringstream fields(line);",
                   {{"a 1 2 3\nb 4 x\nc 5\n\n", "a 6\nbad b 4\nc 5\n"}, {"", ""}},
                   replace_first(replace_first(k_stream, "    while (std::getline(std::cin, line)) {",
                                               "    std::istringstream fields;\n    while (std::getline(std::cin, line)) {"),
                                 "        std::istringstream fields(line);",
                                 "        fields.clear();\n        fields.str(line);"));
}

TEST(StreamInLoop, SilentWhenTheStreamsStateCouldCarryOver) {
    // A manipulator, a function that may change the flags, and a stream written to: each would
    // behave differently if the stream outlived the iteration.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <sstream>
#include <string>
void parse(std::istream& in, long& x) { in >> std::hex >> x; }
int main() {
    std::string line;
    long x = 0, total = 0;
    while (std::getline(std::cin, line)) {
        std::istringstream hex_fields(line);
        hex_fields >> std::hex >> x;
        std::istringstream passed(line);
        parse(passed, x);
        std::stringstream both(line);
        both << "1";
        std::istringstream binary(line, std::ios::binary);
        binary >> x;
        total += x;
    }
    std::cout << total << '\n';
}
)", "stream-in-loop").empty());
}

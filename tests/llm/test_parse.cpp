#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include <optiloop/llm/edit.hpp>
#include <optiloop/llm/parse.hpp>

using namespace optiloop;

namespace {

const std::string k_main =
    "#include <cstdio>\n"
    "int main() {\n"
    "    int sum = 0;\n"
    "    for (int i = 0; i < 10; ++i) {\n"
    "        sum += i;\n"
    "    }\n"
    "    std::printf(\"%d\\n\", sum);\n"
    "}\n";
const std::string k_util = "#pragma once\ninline int twice(int x) { return x + x; }\n";

const std::vector<core::SourceFile> k_one = {{"main.cpp", k_main}};
const std::vector<core::SourceFile> k_two = {{"main.cpp", k_main}, {"util.hpp", k_util}};

// Parses, applies and returns the new content of `path` (empty and a test failure on error).
std::string applied(const std::string& answer, const std::vector<core::SourceFile>& sources, const std::string& path = "main.cpp") {
    auto edit = llm::parse_answer(answer, sources, "test");
    EXPECT_TRUE(edit) << (edit ? "" : edit.error().message);
    if (!edit) return {};
    auto out = llm::apply_edit(sources, *edit);
    EXPECT_TRUE(out) << (out ? "" : out.error().message);
    if (!out) return {};
    auto it = std::find_if(out->begin(), out->end(), [&](const core::SourceFile& f) { return f.path == path; });
    EXPECT_NE(it, out->end()) << path << " missing from the result";
    return it == out->end() ? std::string() : it->content;
}

// Parses an answer that must fail and returns the message.
std::string failure(const std::string& answer, const std::vector<core::SourceFile>& sources = k_one) {
    auto edit = llm::parse_answer(answer, sources, "test");
    EXPECT_FALSE(edit) << "expected a failure for:\n" << answer;
    return edit ? std::string() : edit.error().message;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

// ---- SEARCH/REPLACE -------------------------------------------------------------------------

TEST(ParseSearchReplace, ExactBlockBecomesOneReplacement) {
    const std::string answer =
        "Use the closed form.\n"
        "main.cpp\n"
        "```cpp\n"
        "<<<<<<< SEARCH\n"
        "    for (int i = 0; i < 10; ++i) {\n"
        "        sum += i;\n"
        "    }\n"
        "=======\n"
        "    sum = 45;\n"
        ">>>>>>> REPLACE\n"
        "```\n";
    auto edit = llm::parse_answer(answer, k_one, "openai");
    ASSERT_TRUE(edit) << edit.error().message;
    EXPECT_EQ(edit->proposer, "openai");
    ASSERT_EQ(edit->replacements.size(), 1u);
    EXPECT_TRUE(edit->files.empty());
    const auto& r = edit->replacements[0];
    EXPECT_EQ(r.path, "main.cpp");
    EXPECT_EQ(r.offset, k_main.find("    for"));
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "    for (int i = 0; i < 10; ++i) {\n        sum += i;\n    }\n", "    sum = 45;\n"));
}

TEST(ParseSearchReplace, AcceptsFiveAndNineMarkerCharacters) {
    const std::string five = "<<<<< SEARCH\n    int sum = 0;\n=====\n    long sum = 0;\n>>>>> REPLACE\n";
    EXPECT_EQ(applied(five, k_one), replaced(k_main, "int sum", "long sum"));
    const std::string nine = "<<<<<<<<< SEARCH\n    int sum = 0;\n=========\n    long sum = 0;\n>>>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(nine, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseSearchReplace, FourOrTenMarkerCharactersAreNotMarkers) {
    EXPECT_EQ(failure("<<<< SEARCH\n    int sum = 0;\n====\n    long sum = 0;\n>>>> REPLACE\n"),
              "the answer holds no code block, SEARCH/REPLACE block or diff");
    EXPECT_EQ(failure("<<<<<<<<<< SEARCH\nx\n==========\ny\n>>>>>>>>>> REPLACE\n"),
              "the answer holds no code block, SEARCH/REPLACE block or diff");
}

TEST(ParseSearchReplace, TrailingSpacesAndLowerCaseMarkers) {
    const std::string answer = "<<<<<<< search   \n    int sum = 0;\n=======  \n    long sum = 0;\n>>>>>>> Replace \n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseSearchReplace, CrlfAnswerAgainstLfFile) {
    const std::string answer = "main.cpp\r\n```\r\n<<<<<<< SEARCH\r\n    int sum = 0;\r\n=======\r\n    long sum = 0;\r\n>>>>>>> REPLACE\r\n```\r\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseSearchReplace, CrlfFileKeepsItsLineEndings) {
    const std::vector<core::SourceFile> sources = {{"main.cpp", "int a = 1;\r\nint b = 2;\r\nint c = 3;\r\n"}};
    const std::string answer = "<<<<<<< SEARCH\nint b = 2;\n=======\nint b = 20;\nint bb = 21;\n>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, sources), "int a = 1;\r\nint b = 20;\r\nint bb = 21;\r\nint c = 3;\r\n");
}

TEST(ParseSearchReplace, WhitespaceTolerantMatchReindentsTheReplacement) {
    // The model dropped the indentation; the file has 4 and 8 spaces.
    const std::string answer =
        "<<<<<<< SEARCH\n"
        "for (int i = 0; i < 10; ++i) {\n"
        "    sum += i;\n"
        "}\n"
        "=======\n"
        "for (int i = 9; i >= 0; --i) {\n"
        "    sum += i;\n"
        "}\n"
        ">>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, k_one),
              replaced(k_main, "    for (int i = 0; i < 10; ++i) {\n        sum += i;\n    }\n", "    for (int i = 9; i >= 0; --i) {\n        sum += i;\n    }\n"));
}

TEST(ParseSearchReplace, WhitespaceTolerantMatchRemovesExtraIndentation) {
    const std::string answer = "<<<<<<< SEARCH\n            int sum = 0;\n=======\n            long sum = 0;\n            long spare = 0;\n>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "    int sum = 0;\n", "    long sum = 0;\n    long spare = 0;\n"));
}

TEST(ParseSearchReplace, TrailingWhitespaceInSearchStillMatches) {
    const std::string answer = "<<<<<<< SEARCH\n    int sum = 0;   \t\n=======\n    long sum = 0;\n>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseSearchReplace, NeverFuzzierThanWhitespace) {
    const std::string message = failure("<<<<<<< SEARCH\n    int  sum = 0;\n=======\n    long sum = 0;\n>>>>>>> REPLACE\n");
    EXPECT_TRUE(contains(message, "SEARCH block 1 was not found in main.cpp")) << message;
}

TEST(ParseSearchReplace, AmbiguousSearchIsAnError) {
    const std::vector<core::SourceFile> sources = {{"main.cpp", "int f() {\n    return 1;\n}\nint g() {\n    return 1;\n}\nint h() {\n    return 1;\n}\n"}};
    const std::string answer =
        "<<<<<<< SEARCH\nint f() {\n=======\nint f() {  // first\n>>>>>>> REPLACE\n"
        "<<<<<<< SEARCH\n    return 1;\n=======\n    return 2;\n>>>>>>> REPLACE\n";
    const std::string message = failure(answer, sources);
    EXPECT_TRUE(contains(message, "SEARCH block 2 matches 3 places in main.cpp; include more lines to make it unique")) << message;
    EXPECT_TRUE(contains(message, "2, 5, 8")) << message;
}

TEST(ParseSearchReplace, NotFoundSaysWhichLineDiffers) {
    const std::string answer =
        "<<<<<<< SEARCH\n"
        "    for (int i = 0; i < 10; ++i) {\n"
        "        sum += i * 2;\n"
        "=======\n"
        "    sum = 90;\n"
        ">>>>>>> REPLACE\n";
    const std::string message = failure(answer);
    EXPECT_TRUE(contains(message, "SEARCH block 1 was not found in main.cpp")) << message;
    EXPECT_TRUE(contains(message, "first 1 line matches at line 4")) << message;
    EXPECT_TRUE(contains(message, "`sum += i * 2;`")) << message;
}

TEST(ParseSearchReplace, NotFoundFirstLine) {
    const std::string message = failure("<<<<<<< SEARCH\nint nothing_like_this;\n=======\nint x;\n>>>>>>> REPLACE\n");
    EXPECT_TRUE(contains(message, "its first line `int nothing_like_this;` is not a line of main.cpp")) << message;
}

TEST(ParseSearchReplace, FileNameMayBeOmittedWithOneSource) {
    const std::string answer = "Change the type.\n\n<<<<<<< SEARCH\n    int sum = 0;\n=======\n    long sum = 0;\n>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseSearchReplace, FileNameIsRequiredWithSeveralSources) {
    const std::string message = failure("<<<<<<< SEARCH\n    int sum = 0;\n=======\n    long sum = 0;\n>>>>>>> REPLACE\n", k_two);
    EXPECT_TRUE(contains(message, "SEARCH block 1 names no file")) << message;
    EXPECT_TRUE(contains(message, "main.cpp, util.hpp")) << message;
}

TEST(ParseSearchReplace, UnknownFileNameIsAnErrorNamingIt) {
    const std::string message = failure("other.cpp\n<<<<<<< SEARCH\n    int sum = 0;\n=======\n    long sum = 0;\n>>>>>>> REPLACE\n");
    EXPECT_TRUE(contains(message, "SEARCH block 1 names other.cpp, which is not among the sources (main.cpp)")) << message;
}

TEST(ParseSearchReplace, FileNameFormsAndSeveralFiles) {
    const std::string answer =
        "**File: util.hpp**\n"
        "```cpp\n"
        "<<<<<<< SEARCH\n"
        "inline int twice(int x) { return x + x; }\n"
        "=======\n"
        "inline int twice(int x) { return 2 * x; }\n"
        ">>>>>>> REPLACE\n"
        "```\n"
        "\n"
        "```cpp src/main.cpp\n"
        "<<<<<<< SEARCH\n"
        "    int sum = 0;\n"
        "=======\n"
        "    long sum = 0;\n"
        ">>>>>>> REPLACE\n"
        "```\n";
    auto edit = llm::parse_answer(answer, k_two, "test");
    ASSERT_TRUE(edit) << edit.error().message;
    auto out = llm::apply_edit(k_two, *edit);
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_EQ((*out)[0].content, replaced(k_main, "int sum", "long sum"));
    EXPECT_EQ((*out)[1].content, replaced(k_util, "x + x", "2 * x"));
}

TEST(ParseSearchReplace, BlockWithoutNameEditsThePreviousBlocksFile) {
    const std::string answer =
        "`util.hpp`:\n"
        "<<<<<<< SEARCH\n#pragma once\n=======\n#pragma once\n#include <cstdint>\n>>>>>>> REPLACE\n"
        "<<<<<<< SEARCH\ninline int twice(int x) { return x + x; }\n=======\ninline int twice(int x) { return x << 1; }\n>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, k_two, "util.hpp"), "#pragma once\n#include <cstdint>\ninline int twice(int x) { return x << 1; }\n");
}

TEST(ParseSearchReplace, TwoBlocksInOneFileAreLocatedInTheOriginal) {
    // The second block's SEARCH text is found in the original file, whatever the first one did.
    const std::string answer =
        "<<<<<<< SEARCH\n    int sum = 0;\n=======\n    long sum = 0;\n>>>>>>> REPLACE\n"
        "<<<<<<< SEARCH\n    std::printf(\"%d\\n\", sum);\n=======\n    std::printf(\"%ld\\n\", sum);\n>>>>>>> REPLACE\n";
    auto edit = llm::parse_answer(answer, k_one, "test");
    ASSERT_TRUE(edit) << edit.error().message;
    EXPECT_EQ(edit->replacements.size(), 2u);
    EXPECT_EQ(applied(answer, k_one), replaced(replaced(k_main, "int sum", "long sum"), "%d", "%ld"));
}

TEST(ParseSearchReplace, OverlappingBlocksAreAnError) {
    const std::string answer =
        "<<<<<<< SEARCH\n    int sum = 0;\n    for (int i = 0; i < 10; ++i) {\n=======\n    long sum = 0;\n    for (long i = 0; i < 10; ++i) {\n>>>>>>> REPLACE\n"
        "<<<<<<< SEARCH\n    for (int i = 0; i < 10; ++i) {\n        sum += i;\n=======\n    for (int i = 0; i < 10; ++i) {\n        sum += 2 * i;\n>>>>>>> REPLACE\n";
    const std::string message = failure(answer);
    EXPECT_TRUE(contains(message, "SEARCH block 1 and SEARCH block 2 overlap in main.cpp")) << message;
}

TEST(ParseSearchReplace, EmptySearchAppendsToTheFile) {
    const std::string answer = "<<<<<<< SEARCH\n=======\n// appended\n>>>>>>> REPLACE\n<<<<<<< SEARCH\n\n=======\n// and more\n>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, k_one), k_main + "// appended\n// and more\n");
}

TEST(ParseSearchReplace, EmptySearchAppendsAfterAMissingFinalNewline) {
    const std::vector<core::SourceFile> sources = {{"main.cpp", "int x;"}};
    EXPECT_EQ(applied("<<<<<<< SEARCH\n=======\nint y;\n>>>>>>> REPLACE\n", sources), "int x;\nint y;\n");
}

TEST(ParseSearchReplace, EmptySearchWithNewNameCreatesAFile) {
    const std::string answer =
        "fast_sum.hpp\n```cpp\n<<<<<<< SEARCH\n=======\n#pragma once\nconstexpr int k_sum = 45;\n>>>>>>> REPLACE\n```\n"
        "main.cpp\n```cpp\n<<<<<<< SEARCH\n#include <cstdio>\n=======\n#include <cstdio>\n#include \"fast_sum.hpp\"\n>>>>>>> REPLACE\n```\n";
    auto edit = llm::parse_answer(answer, k_one, "test");
    ASSERT_TRUE(edit) << edit.error().message;
    ASSERT_EQ(edit->files.size(), 1u);
    EXPECT_EQ(edit->files[0].path, "fast_sum.hpp");
    EXPECT_EQ(applied(answer, k_one, "fast_sum.hpp"), "#pragma once\nconstexpr int k_sum = 45;\n");
    EXPECT_EQ(applied(answer, k_one, "main.cpp"), replaced(k_main, "<cstdio>\n", "<cstdio>\n#include \"fast_sum.hpp\"\n"));
}

TEST(ParseSearchReplace, NewFileMustBeARelativePath) {
    const std::string message = failure("../../etc/evil.cpp\n<<<<<<< SEARCH\n=======\nint x;\n>>>>>>> REPLACE\n");
    EXPECT_TRUE(contains(message, "not a relative path inside the task")) << message;
}

TEST(ParseSearchReplace, UnfinishedBlocksSayWhatIsMissing) {
    EXPECT_EQ(failure("<<<<<<< SEARCH\n    int sum = 0;\n"), "SEARCH block 1 has no ======= line (the answer may be cut off)");
    EXPECT_EQ(failure("<<<<<<< SEARCH\n    int sum = 0;\n=======\n    long sum = 0;\n"),
              "SEARCH block 1 has no >>>>>>> REPLACE line (the answer may be cut off)");
    EXPECT_EQ(failure("<<<<<<< SEARCH\nx\n>>>>>>> REPLACE\n"), "SEARCH block 1 has no ======= line between its SEARCH and REPLACE text");
}

TEST(ParseSearchReplace, BlocksThatChangeNothingAreAnError) {
    const std::string message = failure("<<<<<<< SEARCH\n    int sum = 0;\n=======\n    int sum = 0;\n>>>>>>> REPLACE\n");
    EXPECT_TRUE(contains(message, "change nothing")) << message;
}

TEST(ParseSearchReplace, DeletesTheLastLineWithoutNewline) {
    const std::vector<core::SourceFile> sources = {{"main.cpp", "int a;\nint b;"}};
    EXPECT_EQ(applied("<<<<<<< SEARCH\nint b;\n=======\nint c;\n>>>>>>> REPLACE\n", sources), "int a;\nint c;");
}

// ---- unified diffs ---------------------------------------------------------------------------

TEST(ParseDiff, HunkAtItsStatedLine) {
    const std::string answer =
        "Avoid the loop.\n"
        "```diff\n"
        "--- a/main.cpp\n"
        "+++ b/main.cpp\n"
        "@@ -2,6 +2,4 @@\n"
        " int main() {\n"
        "     int sum = 0;\n"
        "-    for (int i = 0; i < 10; ++i) {\n"
        "-        sum += i;\n"
        "-    }\n"
        "+    sum = 45;\n"
        "     std::printf(\"%d\\n\", sum);\n"
        "```\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "    for (int i = 0; i < 10; ++i) {\n        sum += i;\n    }\n", "    sum = 45;\n"));
    auto edit = llm::parse_answer(answer, k_one, "test");
    ASSERT_TRUE(edit);
    EXPECT_EQ(edit->explanation, "Avoid the loop.");
}

TEST(ParseDiff, WrongLineNumbersAreFoundBySearch) {
    const std::string answer =
        "--- main.cpp\n"
        "+++ main.cpp\n"
        "@@ -40,3 +40,3 @@\n"
        "     int sum = 0;\n"
        "-    for (int i = 0; i < 10; ++i) {\n"
        "+    for (int i = 1; i < 10; ++i) {\n"
        "         sum += i;\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int i = 0;", "int i = 1;"));
}

TEST(ParseDiff, WhitespaceTolerantHunkIsReindented) {
    const std::string answer =
        "--- a/main.cpp\n+++ b/main.cpp\n@@ -5,1 +5,1 @@\n"
        "-sum += i;\n"
        "+sum += i + 1;\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "        sum += i;\n", "        sum += i + 1;\n"));
}

TEST(ParseDiff, NearestOccurrenceToTheStatedLineWins) {
    // Stated line 5 holds "d"; of the two "x" lines, line 6 is nearer than line 2.
    const std::vector<core::SourceFile> sources = {{"main.cpp", "a\nx\nb\nc\nd\nx\ne\n"}};
    const std::string answer = "--- a/main.cpp\n+++ b/main.cpp\n@@ -5,1 +5,1 @@\n-x\n+y\n";
    EXPECT_EQ(applied(answer, sources), "a\nx\nb\nc\nd\ny\ne\n");
}

TEST(ParseDiff, UnplaceableHunkNamesHunkAndFile) {
    const std::string answer =
        "--- a/main.cpp\n+++ b/main.cpp\n"
        "@@ -3,1 +3,1 @@\n-    int sum = 0;\n+    long sum = 0;\n"
        "@@ -7,1 +7,1 @@\n-    std::puts(\"hello\");\n+    std::puts(\"bye\");\n";
    const std::string message = failure(answer);
    EXPECT_TRUE(contains(message, "hunk 2 of the diff for main.cpp")) << message;
    EXPECT_TRUE(contains(message, "not found")) << message;
}

TEST(ParseDiff, HeaderlessHunksWithOneSource) {
    const std::string answer = "```diff\n@@ -3,1 +3,1 @@\n-    int sum = 0;\n+    long sum = 0;\n```\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseDiff, DevNullCreatesANewFile) {
    const std::string answer =
        "--- /dev/null\n+++ b/fast.hpp\n@@ -0,0 +1,2 @@\n+#pragma once\n+int fast();\n"
        "--- a/main.cpp\n+++ b/main.cpp\n@@ -1,1 +1,2 @@\n #include <cstdio>\n+#include \"fast.hpp\"\n";
    EXPECT_EQ(applied(answer, k_one, "fast.hpp"), "#pragma once\nint fast();\n");
    EXPECT_EQ(applied(answer, k_one, "main.cpp"), replaced(k_main, "<cstdio>\n", "<cstdio>\n#include \"fast.hpp\"\n"));
}

TEST(ParseDiff, DeletingAFileIsRefused) {
    const std::string message = failure("--- a/main.cpp\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-#include <cstdio>\n");
    EXPECT_TRUE(contains(message, "deletes main.cpp")) << message;
}

TEST(ParseDiff, UnknownFileIsAnError) {
    const std::string message = failure("--- a/other.cpp\n+++ b/other.cpp\n@@ -1,1 +1,1 @@\n-x\n+y\n");
    EXPECT_TRUE(contains(message, "the diff edits other.cpp, which is not among the sources (main.cpp)")) << message;
}

TEST(ParseDiff, BareDiffFollowedByAListUsesTheHunkCounts) {
    const std::string answer =
        "--- a/main.cpp\n+++ b/main.cpp\n@@ -3,1 +3,1 @@\n-    int sum = 0;\n+    long sum = 0;\n"
        "- widened the accumulator\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseDiff, PureInsertionAtAStatedLine) {
    const std::string answer = "--- a/main.cpp\n+++ b/main.cpp\n@@ -1,0 +2,1 @@\n+#include <numeric>\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "<cstdio>\n", "<cstdio>\n#include <numeric>\n"));
}

// ---- whole files in fences -------------------------------------------------------------------

TEST(ParseFences, WholeFileWithOneSource) {
    const std::string answer = "Here is the faster program:\n\n```cpp\nint main() { return 0; }\n```\n\nIt skips the loop.\n";
    auto edit = llm::parse_answer(answer, k_one, "test");
    ASSERT_TRUE(edit) << edit.error().message;
    ASSERT_EQ(edit->files.size(), 1u);
    EXPECT_EQ(edit->files[0].path, "main.cpp");
    EXPECT_EQ(applied(answer, k_one), "int main() { return 0; }\n");
    EXPECT_EQ(edit->explanation, "Here is the faster program: It skips the loop.");
}

TEST(ParseFences, LargestBlockWinsWithOneSource) {
    const std::string answer =
        "The key line is\n```cpp\nsum = 45;\n```\nFull program:\n```c++\n#include <cstdio>\nint main() {\n    std::printf(\"45\\n\");\n}\n```\n"
        "Build with\n```bash\ng++ -O2 main.cpp -o main && ./main && echo this shell block is the longest of them all\n```\n";
    EXPECT_EQ(applied(answer, k_one), "#include <cstdio>\nint main() {\n    std::printf(\"45\\n\");\n}\n");
}

TEST(ParseFences, QuotedOriginalIsSkipped) {
    const std::string answer = "Your code:\n```cpp\n" + k_main + "```\nBetter:\n```cpp\nint main() {}\n```\n";
    EXPECT_EQ(applied(answer, k_one), "int main() {}\n");
}

TEST(ParseFences, SeveralFilesAssignedByName) {
    const std::string answer =
        "```cpp util.hpp\n#pragma once\ninline int twice(int x) { return x << 1; }\n```\n"
        "**main.cpp**\n```cpp\nint main() { return 0; }\n```\n";
    auto edit = llm::parse_answer(answer, k_two, "test");
    ASSERT_TRUE(edit) << edit.error().message;
    auto out = llm::apply_edit(k_two, *edit);
    ASSERT_TRUE(out);
    EXPECT_EQ((*out)[0].content, "int main() { return 0; }\n");
    EXPECT_EQ((*out)[1].content, "#pragma once\ninline int twice(int x) { return x << 1; }\n");
}

TEST(ParseFences, FirstLineCommentAndColonLineName) {
    const std::string answer =
        "```cpp\n// main.cpp\nint main() { return 1; }\n```\n"
        "util.hpp:\n\n```\n#pragma once\n```\n";
    auto edit = llm::parse_answer(answer, k_two, "test");
    ASSERT_TRUE(edit) << edit.error().message;
    auto out = llm::apply_edit(k_two, *edit);
    ASSERT_TRUE(out);
    EXPECT_EQ((*out)[0].content, "// main.cpp\nint main() { return 1; }\n");
    EXPECT_EQ((*out)[1].content, "#pragma once\n");
}

TEST(ParseFences, UnassignableBlockWithSeveralSourcesIsAnError) {
    const std::string message = failure("Here:\n```cpp\nint main() {}\n```\n", k_two);
    EXPECT_TRUE(contains(message, "code block 1 names no file")) << message;
}

TEST(ParseFences, IdenticalCodeIsAnError) {
    EXPECT_EQ(failure("No change needed:\n```cpp\n" + k_main + "\n```\n"), "the answer's code is identical to the current main.cpp");
}

TEST(ParseFences, UnclosedBlockSaysTheAnswerMayBeCutOff) {
    const std::string message = failure("```cpp\nint main() {\n");
    EXPECT_TRUE(contains(message, "code block 1 is not closed")) << message;
}

TEST(ParseFences, ShellBlocksAreNotCode) {
    EXPECT_EQ(failure("Run\n```bash\n./main\n```\n"), "the answer holds no code block, SEARCH/REPLACE block or diff");
}

// ---- the answer as a whole -------------------------------------------------------------------

TEST(ParseAnswer, NoCodeAtAll) {
    EXPECT_EQ(failure("The program is already optimal."), "the answer holds no code block, SEARCH/REPLACE block or diff");
    EXPECT_EQ(failure(""), "the answer holds no code block, SEARCH/REPLACE block or diff");
}

TEST(ParseAnswer, SearchBlocksWinOverFences) {
    const std::string answer = "```cpp\nint main() {}\n```\n<<<<<<< SEARCH\n    int sum = 0;\n=======\n    long sum = 0;\n>>>>>>> REPLACE\n";
    EXPECT_EQ(applied(answer, k_one), replaced(k_main, "int sum", "long sum"));
}

TEST(ParseAnswer, ExplanationIsCollapsedAndCapped) {
    std::string prose;
    for (int i = 0; i < 100; ++i) prose += "word   \t word\n";
    auto edit = llm::parse_answer("Intro\n\n   line two  \n```cpp\nint main() {}\n```\n" + prose, k_one, "test");
    ASSERT_TRUE(edit) << edit.error().message;
    EXPECT_TRUE(edit->explanation.starts_with("Intro line two word word word")) << edit->explanation;
    EXPECT_LE(edit->explanation.size(), 400u);
    EXPECT_TRUE(edit->explanation.ends_with("...")) << edit->explanation;
}

TEST(ParseAnswer, HugeAnswerIsRefused) {
    const std::string huge(std::size_t{1} << 21, 'x');
    EXPECT_TRUE(contains(failure(huge), "larger than 1 MiB"));
}

TEST(ParseAnswer, TooManyBlocksAreRefused) {
    std::string answer;
    for (int i = 0; i < 300; ++i) answer += "<<<<<<< SEARCH\n=======\n// x\n>>>>>>> REPLACE\n";
    EXPECT_TRUE(contains(failure(answer), "more than 256 SEARCH blocks"));
}

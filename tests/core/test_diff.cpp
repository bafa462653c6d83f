#include <gtest/gtest.h>

#include <vector>

#include <optiloop/core/diff.hpp>

using optiloop::core::unified_diff;

TEST(UnifiedDiff, EqualTextsHaveNoDiff) { EXPECT_EQ(unified_diff("a.cpp", "x\ny\n", "x\ny\n"), ""); }

TEST(UnifiedDiff, OneChangedLineWithItsContext) {
    const std::string before = "1\n2\n3\n4\n5\n6\n7\n", after = "1\n2\n3\nfour\n5\n6\n7\n";
    EXPECT_EQ(unified_diff("m.cpp", before, after, 2), "--- a/m.cpp\n+++ b/m.cpp\n@@ -2,5 +2,5 @@\n 2\n 3\n-4\n+four\n 5\n 6\n");
}

TEST(UnifiedDiff, FarApartChangesAreSeparateHunksAndInsertionsCount) {
    std::string before, after;
    for (int i = 1; i <= 20; ++i) {
        before += std::to_string(i) + "\n";
        after += (i == 3 ? "three" : std::to_string(i)) + "\n";
        if (i == 15) after += "new\n";
    }
    const std::string d = unified_diff("f", before, after, 1);
    EXPECT_NE(d.find("@@ -2,3 +2,3 @@\n 2\n-3\n+three\n 4\n"), std::string::npos) << d;
    EXPECT_NE(d.find("@@ -15,2 +15,3 @@\n 15\n+new\n 16\n"), std::string::npos) << d;
}

TEST(UnifiedDiff, ALongDiffIsCutAndSaysHowMuchWasLeftOut) {
    std::string before, after;
    for (int i = 0; i < 100; ++i) before += "a" + std::to_string(i) + "\n", after += "b" + std::to_string(i) + "\n";
    const std::string d = unified_diff("f", before, after, 0, 20);
    EXPECT_NE(d.find("more lines of changes left out"), std::string::npos) << d;
    EXPECT_LT(std::count(d.begin(), d.end(), '\n'), 30);
}

TEST(UnifiedDiff, CommonEndsOfStringsAndLines) {
    using optiloop::core::common_prefix, optiloop::core::common_suffix;
    const std::string a = "int x = 1;", b = "int y = 1;";
    EXPECT_EQ(common_prefix(a, b), 4u);
    EXPECT_EQ(common_suffix(a, b, 4), 5u);
    // The suffix never reaches into the shared prefix: "aa" vs "aaa" shares 2, then nothing.
    EXPECT_EQ(common_prefix(std::string("aa"), std::string("aaa")), 2u);
    EXPECT_EQ(common_suffix(std::string("aa"), std::string("aaa"), 2), 0u);
    const std::vector<std::string> x = {"1", "2", "3"}, y = {"1", "9", "3"};
    EXPECT_EQ(common_prefix(x, y), 1u);
    EXPECT_EQ(common_suffix(x, y, 1), 1u);
}

// Hot spots: a per-line profile laid over the functions and loops of the analysis.
#include <gtest/gtest.h>

#include <optiloop/analyzer/analyzer.hpp>

using namespace optiloop;

TEST(HotSpots, SharesOfFunctionsAndTheirHottestLoop) {
    analyzer::Analysis analysis;
    analysis.functions.push_back({"work", "main.cpp", 3, 12, {{5, 10, 1, "for"}, {6, 9, 2, "for"}}, {}});
    analysis.functions.push_back({"main", "main.cpp", 14, 20, {}, {"work"}});
    core::LineProfile profile;
    profile.total = 1000;
    profile.lines = {{"main.cpp", 4, 10}, {"main.cpp", 7, 600}, {"main.cpp", 10, 90}, {"main.cpp", 16, 100}, {"other.cpp", 7, 50}};
    const auto spots = analyzer::hot_spots(analysis, profile);
    ASSERT_EQ(spots.size(), 2u);
    EXPECT_EQ(spots[0].function, "work");
    EXPECT_DOUBLE_EQ(spots[0].share, 0.7);
    EXPECT_EQ(spots[0].loop_line, 5u);  // the outer loop holds 690, the inner 600
    EXPECT_DOUBLE_EQ(spots[0].loop_share, 0.69);
    EXPECT_EQ(spots[1].function, "main");
    EXPECT_EQ(analyzer::describe(spots),
              "function work (main.cpp:3-12): 70% of instructions; loop at line 5: 69%\n"
              "function main (main.cpp:14-20): 10% of instructions\n");
    EXPECT_TRUE(analyzer::hot_spots(analysis, core::LineProfile{}).empty());
}

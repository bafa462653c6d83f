// The small text and work helpers every layer shares: each once, here, with what its callers
// rely on.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>

#include <optiloop/core/text.hpp>

using namespace optiloop;

TEST(Text, TrimmedDropsTheBlanksAroundOnly) {
    EXPECT_EQ(core::trimmed("  3f2a1c\r\n"), "3f2a1c");
    EXPECT_EQ(core::trimmed("\tfatal: no\n such ref \n\n"), "fatal: no\n such ref");
    EXPECT_EQ(core::trimmed(" \n\t"), "");
    EXPECT_EQ(core::trimmed(""), "");
}

TEST(Text, AShellQuotedWordIsOneWordWhateverItHolds) {
    EXPECT_EQ(core::shell_quote("a b"), "'a b'");
    EXPECT_EQ(core::shell_quote("it's"), "'it'\\''s'");
    // Through a real shell: the word comes back as it was.
    const std::string hostile = "x'; echo pwned; '$(id)`id`\"\\";
    const std::string command = "test \"$(printf '%s' " + core::shell_quote(hostile) + ")\" = " + core::shell_quote(hostile);
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(Text, AFenceIsLongerThanAnyBacktickRunInside) {
    EXPECT_EQ(core::fence_for("plain"), "```");
    EXPECT_EQ(core::fence_for("a ```` b"), "`````");
    EXPECT_EQ(core::fenced("x", "cpp"), "```cpp\nx\n```\n");
}

TEST(Text, NearestNamesATypoAndNothingFarther) {
    EXPECT_EQ(core::edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(core::nearest("endl-in-lop", {"endl-in-loop", "pow-square"}), "endl-in-loop");
    EXPECT_EQ(core::nearest("zzzz", {"endl-in-loop", "pow-square"}), "");
}

TEST(Text, ParallelForDoesEveryIndexOnceAndReturnsTheFirstError) {
    std::atomic<int> sum = 0;
    ASSERT_TRUE(core::parallel_for(100, 4, [&](std::size_t i) -> core::Result<void> {
        sum += static_cast<int>(i);
        return {};
    }));
    EXPECT_EQ(sum.load(), 4950);
    std::atomic<int> done = 0;
    auto failed = core::parallel_for(100, 1, [&](std::size_t i) -> core::Result<void> {
        ++done;
        if (i == 10) return core::fail(core::Error::input("ten"));
        return {};
    });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "ten");
    EXPECT_EQ(done.load(), 11);  // one at a time: nothing handed out after the error
}

TEST(Text, HtmlEscapeLeavesNoMarkupOrQuote) {
    EXPECT_EQ(core::html_escape("<b a=\"1\" c='2'>&</b>"), "&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;&lt;/b&gt;");
}

TEST(Text, Utf8) {
    EXPECT_TRUE(core::is_utf8("plain"));
    EXPECT_TRUE(core::is_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_FALSE(core::is_utf8("\xc3"));
    EXPECT_FALSE(core::is_utf8("\xc0\xaf"));  // overlong
    EXPECT_FALSE(core::is_utf8("\xe2\x82"));
}

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include <unistd.h>

#include <optiloop/core/diff.hpp>
#include <optiloop/core/files.hpp>

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

namespace {

// Applies `patch` with `git apply` to a scratch folder holding `files`; the folder's files after.
std::vector<optiloop::core::SourceFile> git_apply(const std::vector<optiloop::core::SourceFile>& files, const std::string& patch) {
    namespace fs = std::filesystem;
    std::string dir_template = (fs::temp_directory_path() / "optiloop-patch-XXXXXX").string();
    if (!::mkdtemp(dir_template.data())) return {};
    const fs::path dir = dir_template;
    for (const auto& f : files) EXPECT_TRUE(optiloop::core::write_file_atomically(dir / f.path, f.content));
    EXPECT_TRUE(optiloop::core::write_file_atomically(dir / "change.patch", patch));
    const std::string command = "cd '" + dir.string() + "' && git apply change.patch";
    EXPECT_EQ(std::system(command.c_str()), 0) << patch;
    fs::remove(dir / "change.patch");
    std::vector<optiloop::core::SourceFile> out;
    for (const auto& entry : fs::directory_iterator(dir)) out.push_back({entry.path().filename().string(), *optiloop::core::read_file(entry.path())});
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.path < y.path; });
    fs::remove_all(dir);
    return out;
}

}  // namespace

// The patches optiloop writes (optimize --out, ci's suggestions) apply with git: a changed file,
// a last line without a line end on either side, and a file the change adds.
TEST(PatchDiff, AppliesWithGitIncludingMissingLineEndsAndNewFiles) {
    using optiloop::core::SourceFile;
    const std::vector<SourceFile> before = {{"a.cpp", "int a;\nint b;\nint c;"}, {"b.cpp", "x\ny\n"}, {"c.cpp", "same\n"}};
    const std::vector<SourceFile> after = {{"a.cpp", "int a;\nint bb;\nint c;\n"}, {"b.cpp", "x\ny"}, {"c.cpp", "same\n"}, {"d.hpp", "new"}};
    const std::string patch = optiloop::core::patch_diff(before, after);
    EXPECT_NE(patch.find("\\ No newline at end of file\n"), std::string::npos) << patch;
    EXPECT_NE(patch.find("--- /dev/null\n+++ b/d.hpp\n@@ -0,0 +1,1 @@\n+new\n"), std::string::npos) << patch;
    EXPECT_EQ(patch.find("c.cpp"), std::string::npos) << patch;
    const auto applied = git_apply(before, patch);
    ASSERT_EQ(applied.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(applied[i].path, after[i].path);
        EXPECT_EQ(applied[i].content, after[i].content) << applied[i].path;
    }
}

// optimize --apply (optimizer::apply_best): what is written over the user's file, and when not.
#include <filesystem>

#include <gtest/gtest.h>

#include <optiloop/core/files.hpp>
#include <optiloop/optimizer/result_report.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;
using namespace optiloop;

namespace {

// A fresh folder of this test process's scratch directory.
fs::path folder(const std::string& name) {
    const fs::path dir = test_support::process_dir("optiloop-apply-test-") / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

core::Task one_file_task(const std::string& content) {
    core::Task task;
    task.id = "t";
    task.baseline = {core::SourceFile{"main.cpp", content}};
    return task;
}

// A result whose best candidate's main.cpp is `faster`.
optimizer::Result verified(const std::string& faster) {
    optimizer::Result result;
    optimizer::CandidateResult c;
    c.candidate.sources = {core::SourceFile{"main.cpp", faster}};
    result.candidates.push_back(c);
    result.best = 0;
    return result;
}

}  // namespace

TEST(ApplyBest, NothingVerifiedWritesNothing) {
    const fs::path file = folder("NothingVerifiedWritesNothing") / "main.cpp";
    ASSERT_TRUE(core::write_file_atomically(file, "slow\n"));
    auto applied = optimizer::apply_best(one_file_task("slow\n"), optimizer::Result{}, {file, true, false});
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_FALSE(*applied);
    EXPECT_EQ(core::read_file(file).value_or(""), "slow\n");
    EXPECT_FALSE(fs::exists(file.string() + ".orig"));
}

TEST(ApplyBest, ASourceFileKeepsItsOriginal) {
    const fs::path file = folder("ASourceFileKeepsItsOriginal") / "main.cpp";
    ASSERT_TRUE(core::write_file_atomically(file, "slow\n"));
    auto applied = optimizer::apply_best(one_file_task("slow\n"), verified("fast\n"), {file, true, false});
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_TRUE(*applied);
    EXPECT_EQ(core::read_file(file).value_or(""), "fast\n");
    EXPECT_EQ(core::read_file(file.string() + ".orig").value_or(""), "slow\n");
}

// A repository file changed since HEAD (the task's baseline) is left alone: the best version was
// made from HEAD's and would throw the user's edit away.
TEST(ApplyBest, ARepositoryFileWithUncommittedChangesIsRefused) {
    const fs::path file = folder("ARepositoryFileWithUncommittedChangesIsRefused") / "main.cpp";
    ASSERT_TRUE(core::write_file_atomically(file, "slow, edited by the user\n"));
    auto refused = optimizer::apply_best(one_file_task("slow\n"), verified("fast\n"), {file, false, true});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, core::ErrorKind::input);
    EXPECT_EQ(refused.error().message, "--apply: " + file.string() + " differs from HEAD (uncommitted changes?); apply best.patch by hand");
    EXPECT_EQ(core::read_file(file).value_or(""), "slow, edited by the user\n");

    ASSERT_TRUE(core::write_file_atomically(file, "slow\n"));
    auto applied = optimizer::apply_best(one_file_task("slow\n"), verified("fast\n"), {file, false, true});
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_EQ(core::read_file(file).value_or(""), "fast\n");
    EXPECT_FALSE(fs::exists(file.string() + ".orig")) << "git keeps the original of a repository file";
}

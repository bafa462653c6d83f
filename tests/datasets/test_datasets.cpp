// The task folder loader's validation, and the built-in dataset's promise: for every task the
// baseline and the reference are correct on every test, and the reference is at least 1.5x
// cheaper in instructions on the stress tests.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include <optiloop/core/files.hpp>
#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/measure.hpp>

#include "support/deadline.hpp"
#include "support/test_name.hpp"

namespace fs = std::filesystem;
using namespace optiloop;

namespace {

const fs::path k_builtin = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "builtin";

class Folder {
public:
    Folder() : m_dir(fs::temp_directory_path() / ("optiloop-ds-test-" + std::to_string(::getpid()) + "-" + std::to_string(s_count++))) {
        fs::create_directories(m_dir / "baseline");
        fs::create_directories(m_dir / "tests");
        write("task.json", R"({"id":"t","language":"cpp","kind":"stdio"})");
        write("baseline/main.cpp", "int main(){}\n");
        write("tests/a.in", "1\n");
        write("tests/a.out", "1\n");
    }
    ~Folder() {
        fs::remove_all(m_dir);
        fs::remove_all(outside());
    }
    void write(const std::string& name, const std::string& text) { std::ofstream(m_dir / name, std::ios::binary) << text; }
    const fs::path& dir() const { return m_dir; }
    // Beside the task, its name starting with the task's: outside it, though a string prefix
    // test would say inside.
    fs::path outside() const { return m_dir.string() + "-outside"; }
    // A file outside the task folder, standing for /etc/shadow.
    fs::path secret() const {
        fs::create_directories(outside());
        std::ofstream(outside() / "shadow") << "root:$6$secret:19000:0:99999:7:::\n";
        return outside() / "shadow";
    }

private:
    fs::path m_dir;
    static inline int s_count = 0;
};

std::string first_problem(const Folder& f) {
    auto t = datasets::load_task(f.dir());
    return t ? "" : t.error().message;
}

}  // namespace

TEST(TaskFolder, LoadsAValidFolder) {
    Folder f;
    auto t = datasets::load_task(f.dir());
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_EQ(t->id, "t");
    ASSERT_EQ(t->baseline.size(), 1u);
    EXPECT_EQ(t->baseline[0].path, "main.cpp");
    ASSERT_EQ(t->tests.size(), 1u);
    EXPECT_EQ(t->tests[0].name, "a");
}

TEST(TaskFolder, EachProblemIsOneLineNamingThePath) {
    {
        Folder f;
        fs::remove(f.dir() / "task.json");
        EXPECT_EQ(first_problem(f), (f.dir() / "task.json").string() + ": missing (every task folder needs a task.json)");
    }
    {
        Folder f;
        f.write("task.json", "{\"id\": ");
        EXPECT_EQ(first_problem(f).rfind((f.dir() / "task.json").string() + ": invalid JSON", 0), 0u) << first_problem(f);
    }
    {
        Folder f;
        f.write("task.json", R"({"id":"t","language":"cpp","kind":"stdio","checker":{"type":"approx"}})");
        EXPECT_EQ(first_problem(f), (f.dir() / "task.json").string() +
                                        ": checker.type: expected \"exact\", \"tokens\", \"float\" or \"program\", got \"approx\"");
    }
    {
        Folder f;
        f.write("tests/b.in", "2\n");
        EXPECT_EQ(first_problem(f), (f.dir() / "tests" / "b.in").string() + ": test input without its expected output b.out");
    }
    {
        Folder f;
        f.write("baseline/main.cpp", std::string("int main(){ /* \xff\xfe */ }\n"));
        EXPECT_EQ(first_problem(f), (f.dir() / "baseline" / "main.cpp").string() + ": not valid UTF-8 (sources must be UTF-8 text)");
    }
}

TEST(TaskFolder, ValidateReportsEveryProblem) {
    Folder f;
    f.write("tests/b.in", "2\n");
    f.write("tests/c.out", "2\n");
    f.write("baseline/extra.cpp", std::string("\xc3("));
    const auto problems = datasets::validate_task(f.dir());
    EXPECT_EQ(problems.size(), 3u);
}

// A hostile task folder: every file a load reads or hands to a program is a regular file inside
// the folder, checked without ever opening a FIFO; anything else is one input error naming it.
namespace {

// The load's first problem, or "" when it loads; a load that blocks fails the test.
std::string hostile_problem(const Folder& f) {
    auto t = test_support::within_seconds(20, [&] { return datasets::load_task(f.dir()); });
    if (t) return "";
    EXPECT_EQ(t.error().kind, core::ErrorKind::input) << t.error().message;
    EXPECT_EQ(t.error().message.find('\n'), std::string::npos) << t.error().message;
    return t.error().message;
}

std::string real(const fs::path& p) { return fs::canonical(p).string(); }

}  // namespace

TEST(HostileTaskFolder, RefusesATestInputLinkedOutsideTheFolder) {
    Folder f;
    fs::remove(f.dir() / "tests" / "a.in");
    fs::create_symlink(f.secret(), f.dir() / "tests" / "a.in");
    EXPECT_EQ(hostile_problem(f), (f.dir() / "tests" / "a.in").string() + ": a symlink to " + real(f.secret()) + ", outside " +
                                      real(f.dir()) + "; test inputs must be regular files inside the task folder");
    // The real thing, where the machine has it.
    if (fs::exists("/etc/shadow")) {
        fs::remove(f.dir() / "tests" / "a.in");
        fs::create_symlink("/etc/shadow", f.dir() / "tests" / "a.in");
        EXPECT_EQ(hostile_problem(f), (f.dir() / "tests" / "a.in").string() + ": a symlink to " + real("/etc/shadow") +
                                          ", outside " + real(f.dir()) + "; test inputs must be regular files inside the task folder");
    }
}

TEST(HostileTaskFolder, RefusesAFifoQuicklyWithoutOpeningIt) {
    Folder f;
    fs::remove(f.dir() / "tests" / "a.in");
    ASSERT_EQ(::mkfifo((f.dir() / "tests" / "a.in").c_str(), 0600), 0);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(hostile_problem(f), (f.dir() / "tests" / "a.in").string() +
                                      ": not a regular file (a FIFO); test inputs must be regular files inside the task folder");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
    // validate_task walks the same files.
    const auto problems = test_support::within_seconds(20, [&] { return datasets::validate_task(f.dir()); });
    ASSERT_EQ(problems.size(), 1u);
}

TEST(HostileTaskFolder, LoadsASymlinkThatStaysInsideTheFolder) {
    Folder f;
    fs::create_directories(f.dir() / "data");
    f.write("data/shared.in", "1\n");
    fs::remove(f.dir() / "tests" / "a.in");
    fs::create_symlink("../data/shared.in", f.dir() / "tests" / "a.in");
    fs::create_symlink(f.dir() / "tests" / "a.out", f.dir() / "tests" / "b.out");
    fs::create_symlink("a.in", f.dir() / "tests" / "b.in");
    fs::create_symlink("../data", f.dir() / "baseline" / "linked");  // a folder link: not walked
    f.write("data/util.hpp", "#pragma once\n");
    fs::create_symlink("../data/util.hpp", f.dir() / "baseline" / "util.hpp");
    auto t = test_support::within_seconds(20, [&] { return datasets::load_task(f.dir()); });
    ASSERT_TRUE(t) << t.error().message;
    ASSERT_EQ(t->tests.size(), 2u);
    EXPECT_EQ(t->tests[0].input, fs::absolute(f.dir() / "tests" / "a.in"));
    ASSERT_EQ(t->baseline.size(), 2u);
    EXPECT_EQ(t->baseline[1].path, "util.hpp");
    EXPECT_EQ(t->baseline[1].content, "#pragma once\n");
    // The task folder named through a symlink of its own is still the root its links resolve in.
    const fs::path alias = f.outside() / "alias";
    fs::create_directories(f.outside());
    fs::create_directory_symlink(f.dir(), alias);
    auto aliased = datasets::load_task(alias);
    ASSERT_TRUE(aliased) << aliased.error().message;
    EXPECT_EQ(aliased->tests.size(), 2u);
}

TEST(HostileTaskFolder, RefusesADirectoryWhereAFileIsExpected) {
    Folder f;
    f.write("tests/b.in", "2\n");
    fs::create_directories(f.dir() / "tests" / "b.out");
    EXPECT_EQ(hostile_problem(f), (f.dir() / "tests" / "b.out").string() +
                                      ": not a regular file (a directory); expected outputs must be regular files inside the task folder");
}

TEST(HostileTaskFolder, RefusesAnOversizedFileWithTheLimit) {
    Folder f;
    // Sparse: the size is only in the inode.
    fs::resize_file(f.dir() / "tests" / "a.in", datasets::k_max_test_file_bytes + 1);
    EXPECT_EQ(hostile_problem(f), (f.dir() / "tests" / "a.in").string() + ": too large (" +
                                      std::to_string(datasets::k_max_test_file_bytes + 1) +
                                      " bytes; the limit is 1 GiB); test inputs must be regular files inside the task folder");
    Folder g;
    fs::resize_file(g.dir() / "baseline" / "main.cpp", core::k_max_source_file_bytes + 1);
    EXPECT_EQ(hostile_problem(g), (g.dir() / "baseline" / "main.cpp").string() + ": too large (" +
                                      std::to_string(core::k_max_source_file_bytes + 1) +
                                      " bytes; the limit is 4 MiB); sources must be regular files inside the task folder");
    Folder h;
    fs::resize_file(h.dir() / "task.json", datasets::k_max_task_json_bytes + 1);
    EXPECT_EQ(hostile_problem(h), (h.dir() / "task.json").string() + ": too large (" +
                                      std::to_string(datasets::k_max_task_json_bytes + 1) +
                                      " bytes; the limit is 1 MiB); task.json must be a regular file inside the task folder");
}

TEST(HostileTaskFolder, RefusesEveryOtherFileItReadsWhenItLeavesTheFolder) {
    const std::string inside = "; sources must be regular files inside the task folder";
    {
        Folder f;  // task.json itself
        const fs::path json = f.outside() / "task.json";
        fs::create_directories(f.outside());
        std::ofstream(json) << R"({"id":"t","language":"cpp","kind":"stdio"})";
        fs::remove(f.dir() / "task.json");
        fs::create_symlink(json, f.dir() / "task.json");
        EXPECT_EQ(hostile_problem(f), (f.dir() / "task.json").string() + ": a symlink to " + real(json) + ", outside " +
                                          real(f.dir()) + "; task.json must be a regular file inside the task folder");
    }
    {
        Folder f;  // a source, sent to proposers
        fs::create_symlink(f.secret(), f.dir() / "baseline" / "leak.cpp");
        EXPECT_EQ(hostile_problem(f), (f.dir() / "baseline" / "leak.cpp").string() + ": a symlink to " + real(f.secret()) +
                                          ", outside " + real(f.dir()) + inside);
    }
    {
        Folder f;  // a FIFO named as a source
        ASSERT_EQ(::mkfifo((f.dir() / "baseline" / "pipe.hpp").c_str(), 0600), 0);
        EXPECT_EQ(hostile_problem(f), (f.dir() / "baseline" / "pipe.hpp").string() + ": not a regular file (a FIFO)" + inside);
    }
    {
        Folder f;  // a whole folder of the task
        f.secret();
        fs::create_directories(f.dir() / "reference");
        fs::remove(f.dir() / "reference");
        std::ofstream(f.outside() / "main.cpp") << "int main(){}\n";
        fs::create_directory_symlink(f.outside(), f.dir() / "reference");
        EXPECT_EQ(hostile_problem(f), (f.dir() / "reference").string() + ": a symlink to " + real(f.outside()) + ", outside " +
                                          real(f.dir()) + "; a task's folders must be inside the task folder");
    }
    {
        Folder f;  // the tests folder
        f.secret();
        std::ofstream(f.outside() / "x.in") << "1\n";
        std::ofstream(f.outside() / "x.out") << "1\n";
        fs::remove_all(f.dir() / "tests");
        fs::create_directory_symlink(f.outside(), f.dir() / "tests");
        EXPECT_EQ(hostile_problem(f), (f.dir() / "tests").string() + ": a symlink to " + real(f.outside()) + ", outside " +
                                          real(f.dir()) + "; a task's folders must be inside the task folder");
    }
    {
        Folder f;  // a dangling expected output
        fs::remove(f.dir() / "tests" / "a.out");
        fs::create_symlink("gone.out", f.dir() / "tests" / "a.out");
        EXPECT_EQ(hostile_problem(f), (f.dir() / "tests" / "a.out").string() +
                                          ": a symlink to gone.out, which does not exist; expected outputs must be regular files inside the task folder");
    }
    {
        Folder f;  // a stress input
        fs::create_directories(f.dir() / "stress");
        f.write("stress/big.out", "1\n");
        fs::create_symlink(f.secret(), f.dir() / "stress" / "big.in");
        EXPECT_EQ(hostile_problem(f), (f.dir() / "stress" / "big.in").string() + ": a symlink to " + real(f.secret()) +
                                          ", outside " + real(f.dir()) + "; test inputs must be regular files inside the task folder");
    }
    {
        Folder f;  // the checker program's source
        f.write("task.json", R"({"id":"t","language":"cpp","kind":"stdio","checker":{"type":"program","program":"../)" +
                                 f.outside().filename().string() + R"(/shadow"}})");
        f.secret();
        EXPECT_EQ(hostile_problem(f), (f.dir() / ("../" + f.outside().filename().string()) / "shadow").string() +
                                          ": outside " + real(f.dir()) +
                                          "; checker.program must name a regular file inside the task folder");
    }
}

TEST(TaskFolder, LoadTestFolderHoldsTestsToTheSameRules) {
    Folder f;
    auto tests = datasets::load_test_folder(f.dir() / "tests");
    ASSERT_TRUE(tests) << tests.error().message;
    ASSERT_EQ(tests->size(), 1u);
    EXPECT_EQ((*tests)[0].name, "a");
    fs::create_symlink(f.secret(), f.dir() / "tests" / "b.in");
    f.write("tests/b.out", "x\n");
    auto refused = datasets::load_test_folder(f.dir() / "tests");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, (f.dir() / "tests" / "b.in").string() + ": a symlink to " + real(f.secret()) + ", outside " +
                                           real(f.dir() / "tests") + "; test inputs must be regular files inside the test folder");
}

TEST(Builtin, HasTheTasksItPromises) {
    const auto dirs = datasets::find_task_dirs(k_builtin);
    int stdio = 0, function = 0;
    for (const auto& dir : dirs) {
        auto task = datasets::load_task(dir);
        ASSERT_TRUE(task) << task.error().message;
        EXPECT_EQ(task->id, dir.filename().string());
        EXPECT_GE(task->tests.size(), 5u) << task->id;
        EXPECT_GE(task->stress.size(), 2u) << task->id;
        EXPECT_FALSE(task->reference.empty()) << task->id;
        EXPECT_FALSE(task->tags.empty()) << task->id;
        EXPECT_TRUE(fs::exists(dir / "gen" / "gen.cpp")) << task->id;
        EXPECT_TRUE(fs::exists(dir / "gen" / "stress.args")) << task->id;
        if (task->kind == core::TaskKind::stdio) ++stdio;
        if (task->kind == core::TaskKind::function) ++function;
    }
    EXPECT_GE(stdio, 40);
    EXPECT_GE(function, 10);
}

class BuiltinTask : public ::testing::TestWithParam<std::string> {};

TEST_P(BuiltinTask, ReferenceIsCorrectAndCheaper) {
    auto task = datasets::load_task(k_builtin / GetParam());
    ASSERT_TRUE(task) << task.error().message;
    runner::MeasureOptions options;
    options.repeats = 1;
    options.warmups = 0;
    options.jobs = 1;  // ctest runs the tasks in parallel already
    // The cheapest counter this machine has: perf when it has hardware counters, else cachegrind.
    auto base = runner::measure(*task, task->baseline, options);
    ASSERT_TRUE(base) << base.error().message;
    ASSERT_EQ(base->verdict, core::Verdict::ok) << base->compile_output;
    auto ref = runner::measure(*task, task->reference, options);
    ASSERT_TRUE(ref) << ref.error().message;
    ASSERT_EQ(ref->verdict, core::Verdict::ok) << ref->compile_output;
    if (base->counter == core::CounterKind::none) GTEST_SKIP() << "no instruction counter on this machine";
    auto s = runner::speedup(*base, *ref);
    ASSERT_TRUE(s);
    EXPECT_GE(*s, 1.5) << GetParam() << ": baseline " << *base->total_cost << " vs reference " << *ref->total_cost;
}

std::vector<std::string> builtin_ids() {
    std::vector<std::string> ids;
    for (const auto& dir : datasets::find_task_dirs(k_builtin)) ids.push_back(dir.filename().string());
    return ids;
}

INSTANTIATE_TEST_SUITE_P(All, BuiltinTask, ::testing::ValuesIn(builtin_ids()),
                         [](const auto& info) { return test_support::test_name(info.param); });

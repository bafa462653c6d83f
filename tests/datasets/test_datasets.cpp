// The task folder loader's validation, and the built-in dataset's promise: for every task the
// baseline and the reference are correct on every test, and the reference is at least 1.5x
// cheaper in instructions on the stress tests.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/measure.hpp>

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
    ~Folder() { fs::remove_all(m_dir); }
    void write(const std::string& name, const std::string& text) { std::ofstream(m_dir / name, std::ios::binary) << text; }
    const fs::path& dir() const { return m_dir; }

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

TEST(TaskFolder, Utf8) {
    EXPECT_TRUE(datasets::is_utf8("plain"));
    EXPECT_TRUE(datasets::is_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_FALSE(datasets::is_utf8("\xc3"));
    EXPECT_FALSE(datasets::is_utf8("\xc0\xaf"));  // overlong
    EXPECT_FALSE(datasets::is_utf8("\xe2\x82"));
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

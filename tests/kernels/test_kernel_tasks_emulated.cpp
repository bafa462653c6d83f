// Every cuda-kernel task of datasets/kernels, its harness built with the baseline and with the
// reference (when it has one) for the SIMT emulator (tests/CMakeLists.txt lists them in
// emulated_tasks.hpp), run on every test input and judged by the task's own checker: the harness,
// the expected outputs, the tolerances and both kernels are known to agree before a GPU ever runs
// them. (The stress inputs, 4k to 32k long, are too big to emulate.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <utility>

#include <sys/wait.h>

#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/runner/checker.hpp>

#include "emulated_tasks.hpp"
#include "support/process_dir.hpp"
#include "support/test_name.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

}  // namespace

void PrintTo(const EmulatedTask& entry, std::ostream* out) { *out << entry.id << ' ' << entry.solution; }

namespace {

class KernelTasksEmulated : public ::testing::TestWithParam<EmulatedTask> {};

TEST_P(KernelTasksEmulated, PassesItsTestsWithItsChecker) {
    const EmulatedTask& entry = GetParam();
    const std::string name = std::string(entry.id) + " " + entry.solution;
    const fs::path folder = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels" / entry.id;
    auto task = optiloop::datasets::load_task(folder);
    ASSERT_TRUE(task.has_value()) << task.error().message;
    ASSERT_EQ(task->kind, optiloop::core::TaskKind::cuda_kernel) << name;
    ASSERT_EQ(task->checker.type, optiloop::core::CheckerType::floating) << name;
    ASSERT_GE(task->tests.size(), 5u) << name;
    const fs::path work = test_support::process_dir("optiloop-emulated-task-") / (std::string(entry.id) + "-" + entry.solution);
    fs::create_directories(work);
    for (const auto& test : task->tests) {
        const fs::path output = work / (test.name + ".out");
        const fs::path errors = work / (test.name + ".err");
        // The harness writes cost.json where it runs.
        const std::string command = "cd " + quoted(work) + " && " + quoted(entry.binary) + " < " + quoted(test.input) +
                                    " > " + quoted(output) + " 2> " + quoted(errors);
        const int status = std::system(command.c_str());
        ASSERT_EQ(status, 0) << name << " " << test.name << ": " << read_file(errors);
        const auto verdict = optiloop::runner::check_float(read_file(output), read_file(test.expected),
                                                           task->checker.abs_tolerance, task->checker.rel_tolerance);
        EXPECT_TRUE(verdict.accepted) << name << " " << test.name << ": " << verdict.detail;
        EXPECT_NE(read_file(work / "cost.json").find("\"cost\""), std::string::npos) << name << " " << test.name;
        fs::remove(work / "cost.json");
    }
}

TEST(KernelTasksEmulatedList, HoldsEveryTaskWithItsSolutions) {
    // Every task folder of datasets/kernels, with its baseline and, where it has one, its
    // reference: a task the CMake glob missed would go unchecked.
    const fs::path kernels = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels";
    std::size_t expected = 0;
    for (const auto& entry : fs::directory_iterator(kernels)) {
        if (!fs::exists(entry.path() / "task.json")) continue;
        const std::string id = entry.path().filename().string();
        for (const char* solution : {"baseline", "reference"}) {
            if (!fs::is_directory(entry.path() / solution)) continue;
            ++expected;
            const bool listed = std::any_of(std::begin(k_emulated_tasks), std::end(k_emulated_tasks), [&](const EmulatedTask& t) {
                return id == t.id && std::string(solution) == t.solution;
            });
            EXPECT_TRUE(listed) << id << " " << solution << " is not built for the emulator";
        }
    }
    EXPECT_GE(expected, 14u);  // eight tasks, six of them with a reference
    EXPECT_EQ(std::size(k_emulated_tasks), expected);
}

// The harness's own defences (issue 21), with kernels the static check would refuse before any
// build: a run that skips its work leaves the poison behind and gets no cost, and nothing of the
// candidate's runs after the cost is written.
struct HostileRun {
    int status = 0;
    std::string errors;
    std::string output;
    std::string cost;
    bool has_cost = false;
};

// On sgemm's first test, or on the test named test_name.
HostileRun run_hostile(const std::string& binary, const std::string& name, const std::string& test_name = "") {
    const fs::path folder = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels" / "sgemm-f32";
    auto task = optiloop::datasets::load_task(folder);
    EXPECT_TRUE(task.has_value() && !task->tests.empty());
    auto test = task->tests.begin();
    if (!test_name.empty())
        test = std::find_if(task->tests.begin(), task->tests.end(), [&](const auto& t) { return t.name == test_name; });
    EXPECT_NE(test, task->tests.end()) << test_name;
    if (test == task->tests.end()) return {};
    const fs::path work = test_support::process_dir("optiloop-emulated-task-") / ("hostile-" + name);
    fs::create_directories(work);
    fs::remove(work / "cost.json");
    const std::string command = "cd " + quoted(work) + " && " + quoted(fs::path(binary)) + " < " + quoted(test->input) +
                                " > " + quoted(work / "output") + " 2> " + quoted(work / "errors");
    HostileRun run;
    run.status = std::system(command.c_str());
    run.output = read_file(work / "output");
    run.errors = read_file(work / "errors");
    run.has_cost = fs::exists(work / "cost.json");
    if (run.has_cost) run.cost = read_file(work / "cost.json");
    return run;
}

TEST(KernelTasksEmulatedHarness, ATimedRunThatSkipsItsWorkGetsNoCost) {
    const HostileRun run = run_hostile(OPTILOOP_HOSTILE_SGEMM_MEMO, "memo");
    EXPECT_NE(run.status, 0);
    EXPECT_NE(run.errors.find("the timed runs did not reproduce the checked output"), std::string::npos) << run.errors;
    EXPECT_FALSE(run.has_cost) << run.cost;
}

// A kernel that writes only the elements the harness prints (04-k-one: C is 100 x 70, 7000 values,
// of which about 3500 are printed) passes the printed check and reproduces its output in every
// timed run (the poison it leaves is NaN in both), so the harness scans the whole output for
// poison before it prints anything.
TEST(KernelTasksEmulatedHarness, AnOutputElementLeftUnwrittenGetsNoCost) {
    // tests/CMakeLists.txt builds emulated_hostile_sgemm_sampled next to emulated_hostile_sgemm_memo.
    std::string binary = OPTILOOP_HOSTILE_SGEMM_MEMO;
    const std::string memo = "emulated_hostile_sgemm_memo";
    const std::size_t at = binary.rfind(memo);
    ASSERT_NE(at, std::string::npos) << binary;
    binary.replace(at, memo.size(), "emulated_hostile_sgemm_sampled");
    const HostileRun run = run_hostile(binary, "sampled", "04-k-one");
    EXPECT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) == 1) << run.status << ": " << run.errors;
    EXPECT_NE(run.errors.find("unwritten (still the 0xFF poison the harness filled it with)"), std::string::npos)
        << run.errors;
    EXPECT_TRUE(run.output.empty()) << run.output.substr(0, 200);
    EXPECT_FALSE(run.has_cost) << run.cost;
}

TEST(KernelTasksEmulatedHarness, NothingRunsAfterTheCostIsWritten) {
    const HostileRun run = run_hostile(OPTILOOP_HOSTILE_SGEMM_FORGE, "forge");
    ASSERT_EQ(run.status, 0) << run.errors;
    ASSERT_TRUE(run.has_cost);
    // The harness's one line, and not the destructor's.
    EXPECT_EQ(std::count(run.cost.begin(), run.cost.end(), '\n'), 1) << run.cost;
    EXPECT_EQ(run.cost.find("0.001"), std::string::npos) << run.cost;
}

// Each harness compares the last timed run with the checked one under its task's checker
// tolerance, spelled as two constants in its main.cu: one changed without the other would refuse
// honest kernels (tighter) or let the timed runs drift from what was checked (looser).
TEST(KernelTasksEmulatedHarness, ComparesTimedRunsUnderTheCheckersTolerance) {
    const fs::path kernels = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels";
    std::size_t harnesses = 0;
    for (const auto& entry : fs::directory_iterator(kernels)) {
        if (!fs::exists(entry.path() / "task.json")) continue;
        const std::string id = entry.path().filename().string();
        auto task = optiloop::datasets::load_task(entry.path());
        ASSERT_TRUE(task.has_value()) << id << ": " << task.error().message;
        const std::string harness = read_file(entry.path() / "harness" / "main.cu");
        for (const auto& [name, tolerance] : {std::pair{"k_checker_abs", task->checker.abs_tolerance},
                                              std::pair{"k_checker_rel", task->checker.rel_tolerance}}) {
            const std::regex declaration("constexpr double " + std::string(name) + " = ([^;]+);");
            std::smatch match;
            ASSERT_TRUE(std::regex_search(harness, match, declaration)) << id << ": harness/main.cu declares no " << name;
            EXPECT_EQ(std::stod(match[1].str()), tolerance) << id << ": " << name << " differs from task.json's checker";
        }
        ++harnesses;
    }
    EXPECT_GE(harnesses, 8u);
}

std::string entry_name(const ::testing::TestParamInfo<EmulatedTask>& info) {
    return test_support::test_name(std::string(info.param.id) + "_" + info.param.solution);
}

INSTANTIATE_TEST_SUITE_P(Datasets, KernelTasksEmulated, ::testing::ValuesIn(k_emulated_tasks), entry_name);

}  // namespace

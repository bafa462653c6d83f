// optiloop's own cuda-kernel tasks (datasets/kernels/attention-*-fp16): harness and baseline
// kernel built for the SIMT emulator, run on every test input and judged by the task's own float
// checker, so the harness, the expected outputs and the tolerances are known to agree with the
// kernel before a GPU ever runs them. (The stress inputs, 4k-8k long, are too big to emulate.)
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/runner/checker.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string quoted(const fs::path& path) { return "'" + path.string() + "'"; }

void expect_task_passes(const std::string& id, const fs::path& binary) {
    const fs::path folder = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels" / id;
    auto task = optiloop::datasets::load_task(folder);
    ASSERT_TRUE(task.has_value()) << task.error().message;
    ASSERT_EQ(task->checker.type, optiloop::core::CheckerType::floating);
    ASSERT_GE(task->tests.size(), 5u);
    const fs::path work = test_support::process_dir("optiloop-emulated-task-") / id;
    fs::create_directories(work);
    for (const auto& test : task->tests) {
        const fs::path output = work / (test.name + ".out");
        const fs::path errors = work / (test.name + ".err");
        // The harness writes cost.json where it runs.
        const std::string command = "cd " + quoted(work) + " && " + quoted(binary) + " < " + quoted(test.input) +
                                    " > " + quoted(output) + " 2> " + quoted(errors);
        const int status = std::system(command.c_str());
        ASSERT_EQ(status, 0) << id << " " << test.name << ": " << read_file(errors);
        const auto verdict = optiloop::runner::check_float(read_file(output), read_file(test.expected),
                                                           task->checker.abs_tolerance, task->checker.rel_tolerance);
        EXPECT_TRUE(verdict.accepted) << id << " " << test.name << ": " << verdict.detail;
        EXPECT_NE(read_file(work / "cost.json").find("\"cost\""), std::string::npos) << id << " " << test.name;
        fs::remove(work / "cost.json");
    }
}

TEST(KernelTasksEmulated, PrefillPassesItsTestsWithItsChecker) {
    expect_task_passes("attention-prefill-fp16", OPTILOOP_EMULATED_PREFILL_TASK);
}

TEST(KernelTasksEmulated, DecodePassesItsTestsWithItsChecker) {
    expect_task_passes("attention-decode-fp16", OPTILOOP_EMULATED_DECODE_TASK);
}

}  // namespace

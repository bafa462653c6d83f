// What optimize and measure work on: a task folder, or one source file with --tests DIR.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::cli {

struct TargetArgs {
    std::string target;
    std::string tests;
    std::string checker = "tokens";
    std::vector<std::string> flags;
    double time_limit = 10;

    [[nodiscard]] bool is_task_folder() const;
};

void add_target_options(CLI::App& app, TargetArgs& args);

// --counter auto|perf|cachegrind|callgrind|none, and what it asks of the runner (nullopt: auto).
std::optional<core::CounterKind> counter_choice(const std::string& counter);
core::Result<core::Task> load_target(const TargetArgs& args);

// One line for a CUDA task on a machine without an NVIDIA device node (its programs build but
// every run fails), empty otherwise.
std::string missing_gpu_note(const core::Task& task);

}  // namespace optiloop::cli

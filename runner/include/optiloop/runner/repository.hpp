// Repository targets: the user's project, built, tested and benchmarked with its own commands.
// A candidate is written into a scratch workspace (a detached git worktree of HEAD, or a copy),
// never into the user's tree; the commands run there inside the sandbox, because the candidate
// is untrusted code and the build compiles and runs it.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/runner/host.hpp>
#include <optiloop/runner/measure.hpp>

namespace optiloop::runner {

struct Workspace {
    std::filesystem::path path;
    std::string head;  // the commit checked out (empty when the repository is not a git one)
};

// A detached worktree of `root`'s HEAD (git), else a copy of the tree without .git and build*/.
core::Result<Workspace> make_workspace(const std::filesystem::path& root);
// The robust spread (1.4826 MAD / median) of a Google Benchmark's repetitions under which its
// median is trusted; above it, repetitions are doubled, up to 4x the number asked for.
inline constexpr double k_gbench_target_cv = 0.03;

// Removes the workspace (and its worktree entry in `root`'s .git).
void remove_workspace(const std::filesystem::path& root, const Workspace& workspace);
// Removes the worktrees an earlier optiloop run left registered in `root`'s .git (it was killed
// before it could clean up): those under optiloop-workspace-* whose owner process is gone.
// Returns how many it removed.
int sweep_stale_workspaces(const std::filesystem::path& root);

// Writes `sources` into the workspace, then build, test and cost as the task's RepositorySpec says.
// Build failure is CE (its log's tail as compile_output), a failing test command WA/RE/TLE.
core::Result<core::Measurement> measure_repository(const core::Task& task, const std::vector<core::SourceFile>& sources, const MeasureOptions& options);

// One benchmark of a Google Benchmark JSON report: the median and spread of its repetitions.
struct BenchmarkResult {
    std::string name;
    double median_ns = 0;
    double min_ns = 0;
    double cv = 0;  // robust coefficient of variation of the repetitions (1.4826 MAD / median)
    int repetitions = 0;
};
// Reads `--benchmark_format=json` output; `metric` is real_time or cpu_time.
core::Result<std::vector<BenchmarkResult>> parse_google_benchmark(const std::string& json_text, const std::string& metric);


}  // namespace optiloop::runner

// Repository targets: the user's project, built, tested and benchmarked with its own commands.
// A candidate is written into a scratch workspace (a detached git worktree of HEAD, or a copy),
// never into the user's tree; the commands run there inside the sandbox, because the candidate
// is untrusted code and the build compiles and runs it.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
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

// A file (and maybe one function) of the user's project, and the project's own commands: what
// `optimize --repo` and `ci --verify` optimize, from their flags and [repository] settings.
struct RepositoryTarget {
    std::string repo;
    std::string file;
    std::string function;
    std::string build, test, bench;
    std::string bench_format = "instructions";
    std::string bench_filter;
    std::string bench_metric = "cpu_time";
    int bench_repetitions = 5;
    int build_timeout = 1800, test_timeout = 600, bench_timeout = 900;  // seconds each command may run
    std::string compile_commands;  // -p DIR: the folder holding compile_commands.json (default: build/ or the root)
};

// The workspace lives as long as this object; it is removed from the user's .git afterwards, and
// also when the run is interrupted (SIGINT, SIGTERM, SIGHUP: a watcher thread removes every live
// workspace, then exits 130, 143 or 129). A run killed outright leaves its workspace for the next
// open_workspace to sweep.
class WorkspaceGuard {
public:
    WorkspaceGuard(std::filesystem::path root, Workspace ws);
    ~WorkspaceGuard();
    WorkspaceGuard(const WorkspaceGuard&) = delete;
    WorkspaceGuard& operator=(const WorkspaceGuard&) = delete;
    [[nodiscard]] const Workspace& workspace() const { return m_ws; }

private:
    std::filesystem::path m_root;
    Workspace m_ws;
};

core::Result<std::unique_ptr<WorkspaceGuard>> open_workspace(const std::string& repo);

// The flags to parse one file of a project. From compile_commands.json when there is one (`-p
// DIR`, else `USER_ROOT/build/` or `USER_ROOT/`): the file's entry's -I, -isystem, -iquote,
// -include, -D, -U and -std, relative paths resolved against the entry's directory, paths inside
// the user's tree mapped to `root` (the workspace) where they exist there. Otherwise -std=c++17
// and -I for the usual include directories (the file's own, include/, src/, the root). `extra`
// (--flags) comes last; its relative -I paths resolve against `root`. A -p folder without the
// file, or a file that is not a compilation database, is an input error naming it.
core::Result<std::vector<std::string>> project_parse_flags(const std::filesystem::path& root, const std::string& file, const std::vector<std::string>& extra,
                                                           const std::filesystem::path& user_root = {}, const std::string& compile_commands = "");

// The task for `file` (relative to the repository root; its content at HEAD) and `function`.
core::Result<core::Task> repository_task(const RepositoryTarget& target, const Workspace& ws, const std::string& file, const std::string& function,
                                         const std::vector<std::string>& extra_flags);

}  // namespace optiloop::runner

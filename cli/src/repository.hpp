// Repository targets for optimize --repo and ci: the options, the scratch workspace, and the
// task that describes one file (and maybe one function) of the user's project.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/runner/repository.hpp>

namespace optiloop::cli {

struct RepoArgs {
    std::string repo;
    std::string file;
    std::string function;
    std::string build, test, bench;
    std::string bench_format = "instructions";
    std::string bench_filter;
    std::string bench_metric = "real_time";
    int bench_repetitions = 5;
};

// --build, --test, --bench and the --bench-* options; `with_target` adds --repo, --file, --function.
void add_repo_options(CLI::App& app, RepoArgs& args, bool with_target);

// The workspace lives as long as this object; it is removed from the user's .git afterwards, and
// also when the run is interrupted (SIGINT, SIGTERM, SIGHUP: a watcher thread removes every live
// workspace, then exits 130, 143 or 129). A run killed outright leaves its workspace for the next
// open_workspace to sweep.
class WorkspaceGuard {
public:
    WorkspaceGuard(std::filesystem::path root, runner::Workspace ws);
    ~WorkspaceGuard();
    WorkspaceGuard(const WorkspaceGuard&) = delete;
    WorkspaceGuard& operator=(const WorkspaceGuard&) = delete;
    [[nodiscard]] const runner::Workspace& workspace() const { return m_ws; }

private:
    std::filesystem::path m_root;
    runner::Workspace m_ws;
};

core::Result<std::unique_ptr<WorkspaceGuard>> open_workspace(const std::string& repo);

// -std=c++17 and -I for the project's usual include directories (the file's own, include/, src/,
// the root): what the analyzer needs to parse one file of a project without its build.
std::vector<std::string> project_parse_flags(const std::filesystem::path& root, const std::string& file, const std::vector<std::string>& extra);

// The task for `file` (relative to the repository root; its content at HEAD) and `function`.
core::Result<core::Task> repository_task(const RepoArgs& args, const runner::Workspace& ws, const std::string& file, const std::string& function,
                                         const std::vector<std::string>& extra_flags);

}  // namespace optiloop::cli

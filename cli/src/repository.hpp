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

#include "config.hpp"

namespace optiloop::cli {

struct RepoArgs {
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
core::Result<core::Task> repository_task(const RepoArgs& args, const runner::Workspace& ws, const std::string& file, const std::string& function,
                                         const std::vector<std::string>& extra_flags);

}  // namespace optiloop::cli

// Repository targets for optimize --repo and ci: their options (the target itself, the workspace
// and the task live in runner/repository.hpp).
#pragma once

#include <memory>

#include <CLI/CLI.hpp>

#include <optiloop/core/model.hpp>

#include <optiloop/runner/repository.hpp>

#include "config.hpp"
#include "target.hpp"

namespace optiloop::cli {

using RepoArgs = runner::RepositoryTarget;

// --build, --test, --bench and the --bench-* options; `with_target` adds --repo, --file, --function.
void add_repo_options(CLI::App& app, RepoArgs& args, bool with_target);

// optimize's target: a task folder or source file (TARGET), or with --repo a file of a repository
// in a scratch workspace that lives as long as this object (`repo` takes [repository]'s settings
// the flags did not give). Input errors for conflicting options.
struct OpenedTarget {
    core::Task task;
    std::unique_ptr<runner::WorkspaceGuard> workspace;  // set for --repo
};
core::Result<OpenedTarget> open_target(const CLI::App& app, const Settings& settings, const TargetArgs& target, RepoArgs& repo);

}  // namespace optiloop::cli

// Repository targets for optimize --repo and ci: their options (the target itself, the workspace
// and the task live in runner/repository.hpp).
#pragma once

#include <CLI/CLI.hpp>

#include <optiloop/runner/repository.hpp>

#include "config.hpp"

namespace optiloop::cli {

using RepoArgs = runner::RepositoryTarget;

// --build, --test, --bench and the --bench-* options; `with_target` adds --repo, --file, --function.
void add_repo_options(CLI::App& app, RepoArgs& args, bool with_target);

}  // namespace optiloop::cli

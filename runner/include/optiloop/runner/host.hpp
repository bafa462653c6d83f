// The one runner of trusted host commands: git, sbatch, squeue, a compiler asked for its version.
// No shell, no sandbox (they are the user's own tools, never a candidate's code).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace optiloop::runner {

// Its stdout and stderr together, in `output` or, when on_output is given, handed to it as they
// arrive (for long commands a user watches); exit_code -1 when it could not be started, 127 when
// the program was not found, 128 + N when signal N ended it.
struct HostRun {
    int exit_code = -1;
    std::string output;
};
// `extra_env` ("NAME=value") is added to (or replaces in) the inherited environment: how a
// caller hands a secret to the one command that needs it (sbatch) and to no other.
HostRun run_host(const std::vector<std::string>& argv, const std::filesystem::path& cwd = {},
                 const std::function<void(std::string_view)>& on_output = {},
                 const std::vector<std::string>& extra_env = {});

// `git -C repo ARGS...`: every git command optiloop runs (workspaces, ci's diff and refs).
HostRun git(const std::filesystem::path& repo, const std::vector<std::string>& args);

}  // namespace optiloop::runner

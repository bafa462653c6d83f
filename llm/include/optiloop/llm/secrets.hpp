// API keys: taken out of the environment when optiloop starts (the CLI calls capture_secrets), so that no child process (the
// sandbox, git, diff, a user's build command) can inherit them; kept only in memory.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace optiloop::llm {

struct Secret {
    std::string value;
    std::string source;  // "env OPENAI_API_KEY": safe to print, the value never is
};

// Moves OPTILOOP_API_KEY, OPENAI_API_KEY and ANTHROPIC_API_KEY from the environment into memory.
void capture_secrets();

// The key for a provider: OPTILOOP_API_KEY first, then the provider's own variable.
std::optional<Secret> api_key_for(const std::string& provider);
// Any key at all (for `config show` and `doctor`).
std::optional<Secret> any_api_key();
// The captured keys as "NAME=value", for the one child that must pass them on: sbatch, which
// exports its environment to the shard jobs (never a script, a log or a file).
std::vector<std::string> secret_environment();

}  // namespace optiloop::llm

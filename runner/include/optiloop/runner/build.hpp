// Building a candidate: the task's compiler and flags, run inside the sandbox with time, memory
// and output limits, and a compile cache keyed by sources, flags and the compiler's version.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::runner {

struct BuildRequest {
    std::vector<core::SourceFile> sources;  // the candidate's files plus any harness files
    core::BuildSpec spec;
    double time_limit_seconds = 120;
    std::int64_t memory_bytes = std::int64_t{4} << 30;
};

struct BuildResult {
    bool ok = false;
    bool cached = false;
    std::filesystem::path binary;  // when ok
    std::string diagnostics;       // trimmed compiler errors when not ok
    core::Verdict verdict = core::Verdict::ok;  // CE, or SECURITY for a forbidden construct
    double seconds = 0;
};

// Where built binaries are kept: $XDG_CACHE_HOME/optiloop/build (or ~/.cache/optiloop/build).
std::filesystem::path cache_dir();

// The compiler's identity for cache keys ("g++ (Debian 12.2.0-14) 12.2.0"), or an error when
// the compiler cannot be found.
core::Result<std::string> compiler_version(const std::string& compiler);

// Builds the sources; an error only when the compiler itself is missing (infrastructure).
core::Result<BuildResult> build(const BuildRequest& request);

// The first errors of a compiler's output, with file:line, at most `max_lines` lines.
std::string trim_diagnostics(const std::string& output, std::size_t max_lines = 20);

}  // namespace optiloop::runner

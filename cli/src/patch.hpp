// Unified diffs of our own text (the host's diff, a trusted tool, run without a shell).
#pragma once

#include <string>
#include <vector>

#include <optiloop/core/model.hpp>

namespace optiloop::cli {

// `diff -u` of one file's two versions, labelled a/PATH and b/PATH (git apply takes it).
std::string unified_diff(const std::string& path, const std::string& before, const std::string& after);

// The patch turning `before` into `after`, file by file.
std::string patch_of(const std::vector<core::SourceFile>& before, const std::vector<core::SourceFile>& after);

}  // namespace optiloop::cli

// A unified line diff computed in process (no `diff` child), for what a model is shown about its
// own attempts. Exact (a longest common subsequence of lines) for files of up to a few thousand
// lines; beyond that, one hunk from the first to the last changed line.
#pragma once

#include <cstddef>
#include <string>

namespace optiloop::core {

// "--- a/PATH\n+++ b/PATH\n@@ -l,n +l,n @@\n..." with `context` unchanged lines around each
// change; empty when the texts are equal. At most `max_lines` lines of hunks are kept, then one
// line says how many more were left out.
std::string unified_diff(const std::string& path, const std::string& before, const std::string& after, std::size_t context = 2,
                         std::size_t max_lines = 200);

}  // namespace optiloop::core

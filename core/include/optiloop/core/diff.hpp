// A unified line diff computed in process (no `diff` child): what a model is shown about its own
// attempts, and the patches optiloop writes (optimize --out, ci's suggestions). Exact (a longest
// common subsequence of lines) for files of up to a few thousand lines; beyond that, one hunk
// from the first to the last changed line.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <optiloop/core/model.hpp>

namespace optiloop::core {

// How many elements (chars of a string, lines of a vector) two sequences share at their start,
// and, of what follows that shared start, at their end: every diff here begins with these.
template <class Sequence>
std::size_t common_prefix(const Sequence& a, const Sequence& b) {
    std::size_t n = 0;
    while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
    return n;
}
template <class Sequence>
std::size_t common_suffix(const Sequence& a, const Sequence& b, std::size_t prefix) {
    std::size_t n = 0;
    while (n < a.size() - prefix && n < b.size() - prefix && a[a.size() - 1 - n] == b[b.size() - 1 - n]) ++n;
    return n;
}

// "--- a/PATH\n+++ b/PATH\n@@ -l,n +l,n @@\n..." with `context` unchanged lines around each
// change; empty when the texts are equal. At most `max_lines` lines of hunks are kept, then one
// line says how many more were left out.
std::string unified_diff(const std::string& path, const std::string& before, const std::string& after, std::size_t context = 2,
                         std::size_t max_lines = 200);

// The whole change as a patch `git apply` and `patch -p1` take: three lines of context, nothing
// left out, "\ No newline at end of file" where a version's last line has no line end.
std::string patch_diff(const std::string& path, const std::string& before, const std::string& after);
// Of the files of `after` that differ from `before`; a file only in `after` is added ("--- /dev/null";
// an empty one cannot be said in a unified diff and is left out).
std::string patch_diff(const std::vector<SourceFile>& before, const std::vector<SourceFile>& after);

}  // namespace optiloop::core

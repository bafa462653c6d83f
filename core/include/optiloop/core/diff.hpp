// A unified line diff computed in process (no `diff` child), for what a model is shown about its
// own attempts. Exact (a longest common subsequence of lines) for files of up to a few thousand
// lines; beyond that, one hunk from the first to the last changed line.
#pragma once

#include <cstddef>
#include <string>

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

}  // namespace optiloop::core

// Small text and work helpers every layer uses: Markdown code fences that no content can break,
// and a parallel loop over indices whose first error wins.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <optiloop/core/error.hpp>

namespace optiloop::core {

// A backtick fence longer than any run of backticks inside `text` (at least three).
std::string fence_for(std::string_view text);

// `text` inside such a fence, with an info string ("cpp", "diff"), ending in a newline.
std::string fenced(std::string_view text, std::string_view info = "");

// `text` without the spaces, tabs and line ends around it (a command's one-line answer).
std::string trimmed(std::string_view text);

// `text` safe inside HTML (and the HTML of Markdown), as text or as a quoted attribute value.
std::string html_escape(std::string_view text);

// `s` as one word for a POSIX shell: in single quotes, each ' written as '\''.
std::string shell_quote(std::string_view s);

// True when the bytes are UTF-8: each lead byte followed by its continuation bytes (the two-byte
// overlong leads C0 and C1, and leads above F4, refused).
bool is_utf8(std::string_view bytes);

// Levenshtein distance between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word` when it is close enough to be a typo of it (edit distance at
// most a third of the word's length), else "": for "did you mean X?".
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// Runs work(i) for i in [0, count) on up to `jobs` threads (the caller's among them); hands out
// no more work after an error, and returns the first one.
Result<void> parallel_for(std::size_t count, int jobs, const std::function<Result<void>(std::size_t)>& work);

}  // namespace optiloop::core

// Reading a model's free-form answer: finds the edit in it (SEARCH/REPLACE blocks, a unified
// diff or whole files in code fences) and turns it into a core::Edit that llm::apply_edit can
// apply. A failure is one line that is sent back to the model, so it says which block and why.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::llm {

// Turns a model's answer into an Edit against `sources` (the current files). Accepts, in order of
// preference (the first format present is the only one read):
//
//  1. SEARCH/REPLACE blocks (aider's format, 5 to 9 marker characters), each optionally preceded
//     by a file-name line or a fence naming the file. The SEARCH text is found as whole lines,
//     exactly, else ignoring leading and trailing whitespace on every line (the replacement is
//     then re-indented by the difference in indentation of the first line); it must match one
//     place. An empty SEARCH appends to the file, or creates it when the name is new. Every block
//     is located in the ORIGINAL content of its file, not in the result of earlier blocks, so
//     blocks of one file must not overlap. Result: Replacements (new files: whole files).
//  2. A unified diff (`--- a/x`, `+++ b/x`, `@@ -l,n +l,n @@`; hunks without headers are read
//     when there is one source). A hunk is placed at its stated line when its old lines are
//     there, else at the occurrence of its old lines nearest the stated line (exact, then
//     ignoring surrounding whitespace). Result: Replacements against the original content
//     (files created from /dev/null: whole files).
//  3. Fenced code blocks holding whole files. With one source, the largest block that differs
//     from it is its new content; with several, a block belongs to the file that its info string,
//     its first-line comment or the line before the fence names. Result: whole files.
//
// The explanation is the answer's prose outside code, whitespace collapsed, at most 400 bytes.
// Answers over 1 MiB, and answers with more than 256 blocks or hunks, are refused. The returned
// Edit is known to apply and to change something.
inline constexpr std::size_t k_max_answer_bytes = std::size_t{1} << 20;  // 1 MiB
core::Result<core::Edit> parse_answer(std::string_view answer, const std::vector<core::SourceFile>& sources,
                                      const std::string& proposer);

}  // namespace optiloop::llm

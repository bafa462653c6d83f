// Prompts: templates (llm/prompts/*.md, built into the binary, each overridable by a file of
// the same name in --prompt-dir), few-shot examples retrieved from a dataset by similarity of
// the source (PIE found retrieved examples beat fixed ones), analyzer hints and feedback.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::llm {

struct Message {
    std::string role;  // "system", "user", "assistant"
    std::string content;
    bool operator==(const Message&) const = default;
};

// A slow program and its faster version, as a few-shot example.
struct Example {
    std::string id;
    std::string slow;
    std::string fast;
};

enum class EditFormat { automatic, search_replace, whole_file };

// name ("system", "user", "format-search-replace", "format-whole-file", "example") -> text.
using PromptTemplates = std::map<std::string, std::string>;

// The built-in templates, with any file NAME.md found in `override_dir` replacing its namesake.
// An unknown file name in the directory is an error (a typo would otherwise be silently ignored).
core::Result<PromptTemplates> load_templates(const std::filesystem::path& override_dir);

// Replaces {{name}} by its value; {{#name}}...{{/name}} is kept only when the value is not empty.
std::string render(const std::string& text, const std::map<std::string, std::string>& values);

// The `count` examples most similar to `source` (cosine of token counts), leaving out the task
// itself (by id, and any example whose slow program is the source), and any whose names have too
// little in common with the source's: the cosine of their identifier counts (keywords, common
// standard-library names and names shorter than 3 characters left out) must reach
// `min_similarity`. An unrelated example costs tokens and can mislead; none is better.
std::vector<Example> retrieve_examples(const std::string& source, const std::vector<Example>& pool, std::size_t count, const std::string& exclude_id,
                                       double min_similarity = 0);

// The relevance a retrieved example needs by default. On the built-in dataset's 53 programs the
// nearest other program scores 0.0 to 0.82 (median 0.53): at 0.4 about a third of the programs
// get no example, those whose nearest neighbour shares only generic names.
constexpr double k_example_min_similarity = 0.4;

struct PromptInputs {
    const core::Task* task = nullptr;
    std::vector<core::SourceFile> sources;
    std::string hints;
    std::string feedback;
    std::vector<Example> examples;
    EditFormat format = EditFormat::automatic;
};

// What `automatic` resolves to: whole files for small programs (weaker models do better with
// them), SEARCH/REPLACE blocks for large ones.
EditFormat resolve_format(EditFormat format, const std::vector<core::SourceFile>& sources);

std::vector<Message> build_messages(const PromptTemplates& templates, const PromptInputs& inputs);

}  // namespace optiloop::llm

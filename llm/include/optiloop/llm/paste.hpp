// The paste-in provider: a person with only a chat window (or a test that scripts a model) is the
// model. Each request's prompt is written to DIR/TASK-rR-cN-prompt.md (N: the request's place in
// round R, which asks once per member of the population; shown on the terminal when stdin is one);
// each of its k answers is read from DIR/TASK-rR-cN-answer-J.md once that file has appeared and
// stopped growing, or, on a terminal, pasted and ended by a line holding `.end`. With files, the
// requests of a round are all written at once and may be answered in any order.
// An answer is parsed as a model's; an empty or unusable answer becomes that candidate's note.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>

#include <optiloop/core/proposer.hpp>
#include <optiloop/llm/prompt.hpp>

namespace optiloop::llm {

struct PasteOptions {
    std::filesystem::path dir = "optiloop-paste";
    PromptTemplates templates;
    std::vector<Example> examples;
    std::size_t example_count = 2;
    EditFormat edit_format = EditFormat::automatic;
    bool terminal = false;               // read answers from `in`, show prompts on `out`
    std::istream* in = nullptr;
    std::ostream* out = nullptr;
    double wait_seconds = 3600;          // for an answer file; then the request fails
    double poll_seconds = 0.2;
    std::function<void(const std::string&)> log;
};

class PasteProposer : public core::Proposer {
public:
    // Creates the folder when missing; an error names it.
    static core::Result<std::unique_ptr<PasteProposer>> create(PasteOptions options);
    [[nodiscard]] std::string name() const override { return "paste"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;
    [[nodiscard]] bool wants_hints() const override { return true; }
    // A terminal takes one answer at a time.
    [[nodiscard]] bool concurrent() const override { return !m_options.terminal; }

private:
    explicit PasteProposer(PasteOptions options) : m_options(std::move(options)) {}
    core::Result<std::string> answer_from_file(const std::filesystem::path& path);
    std::string answer_from_terminal(int number, int of);
    PasteOptions m_options;
};

}  // namespace optiloop::llm

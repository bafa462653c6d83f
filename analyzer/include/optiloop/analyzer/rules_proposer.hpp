// The offline proposers: optiloop's own rule catalogue applied through the Clang AST, and
// clang-tidy's performance checks with their fixes (analyzer/tidy.hpp). Each rule or check that
// fires becomes one edit, and all of them together one more; the runner verifies each like any
// other candidate.
#pragma once

#include <optiloop/core/proposer.hpp>

namespace optiloop::analyzer {

class RulesProposer : public core::Proposer {
public:
    // Where the findings come from: optiloop's rules ("rules"), clang-tidy's checks ("clang-tidy").
    enum class Source { rules, clang_tidy };
    explicit RulesProposer(Source source = Source::rules) : m_source(source) {}
    [[nodiscard]] std::string name() const override { return m_source == Source::rules ? "rules" : "clang-tidy"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;

private:
    Source m_source;
};

}  // namespace optiloop::analyzer

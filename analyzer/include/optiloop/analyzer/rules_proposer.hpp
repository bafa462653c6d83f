// The offline proposer: the rule catalogue applied through the Clang AST. Each rule that fires
// becomes one edit, and all of them together one more; the runner verifies each like any other
// candidate.
#pragma once

#include <optiloop/core/proposer.hpp>

namespace optiloop::analyzer {

class RulesProposer : public core::Proposer {
public:
    [[nodiscard]] std::string name() const override { return "rules"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;
};

}  // namespace optiloop::analyzer

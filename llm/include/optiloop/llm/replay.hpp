// The replay proposer: returns the task's reference as a whole-file edit (for checking the
// harness end to end, and for offline demos). Recorded LLM answers in JSONL are issue #6's.
#pragma once

#include <optiloop/core/proposer.hpp>

namespace optiloop::llm {

class ReplayProposer : public core::Proposer {
public:
    [[nodiscard]] std::string name() const override { return "replay"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;
};

}  // namespace optiloop::llm

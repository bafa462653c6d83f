// The replay proposer: without a recording it returns the task's reference as a whole-file edit
// (to check the harness end to end); with a JSONL recording of model answers it replays them,
// parsed exactly as live answers are (for offline demos and for re-running an experiment).
// Each line: {"task": ID, "round": N (default 1), "answer": "model text"} or {..., "edit": Edit}.
#pragma once

#include <filesystem>
#include <map>

#include <optiloop/core/proposer.hpp>

namespace optiloop::llm {

class ReplayProposer : public core::Proposer {
public:
    ReplayProposer() = default;
    // Reads a recording; a malformed line is an error naming the file, the line and the field.
    static core::Result<ReplayProposer> from_recording(const std::filesystem::path& path);

    [[nodiscard]] std::string name() const override { return "replay"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;

private:
    struct Recorded {
        std::string answer;
        std::optional<core::Edit> edit;
    };
    bool m_recorded = false;
    std::map<std::pair<std::string, int>, std::vector<Recorded>> m_records;  // (task, round) -> answers
};

}  // namespace optiloop::llm

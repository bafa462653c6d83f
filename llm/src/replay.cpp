#include <optiloop/llm/replay.hpp>

namespace optiloop::llm {

core::Result<std::vector<core::Edit>> ReplayProposer::propose(const core::Task& task, const core::ProposalContext& context) {
    if (task.reference.empty())
        return core::fail(core::Error::input("--provider replay: task " + task.id + " has no reference/ to replay"));
    // The reference is offered once; after it became the current version there is nothing new.
    if (context.current == task.reference) return std::vector<core::Edit>{};
    return std::vector<core::Edit>{core::Edit{name(), "the task's reference solution", task.reference, {}}};
}

}  // namespace optiloop::llm

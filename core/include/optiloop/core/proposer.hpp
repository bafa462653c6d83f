// The interface every proposer implements (rules engine, LLM providers, replay), so that the
// optimizer never knows which one it drives.
#pragma once

#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::core {

// What the optimizer tells a proposer about the current state of the search.
struct ProposalContext {
    std::vector<SourceFile> current;  // the sources to improve (the best candidate so far)
    std::string feedback;             // what happened to the previous round's candidates
    std::string hints;                // analyzer findings: hot spots, anti-patterns
    int round = 0;
    int samples = 1;  // k: how many edits to return at most
    unsigned seed = 0;
};

class Proposer {
public:
    virtual ~Proposer() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    virtual Result<std::vector<Edit>> propose(const Task& task, const ProposalContext& context) = 0;
};

}  // namespace optiloop::core

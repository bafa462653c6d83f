// The interface every proposer implements (rules engine, LLM providers, replay), so that the
// optimizer never knows which one it drives.
#pragma once

#include <cstdint>
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
    // Where this request stands in its round, which may ask once per member of the population:
    // its place among the round's requests and the place of its first sample among the round's
    // samples. The same in every run of the same search, however the requests were scheduled.
    int request = 0;
    int first_sample = 0;
};

// What a proposer spent: requests to a model and their tokens (zero for offline proposers).
struct ProposerUsage {
    std::int64_t requests = 0;  // answered by the server (retries not counted)
    std::int64_t retries = 0;
    std::int64_t cached = 0;  // answers taken from the response cache
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
    ProposerUsage& operator+=(const ProposerUsage& o) {
        requests += o.requests, retries += o.retries, cached += o.cached;
        prompt_tokens += o.prompt_tokens, completion_tokens += o.completion_tokens;
        return *this;
    }
};

class Proposer {
public:
    virtual ~Proposer() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    virtual Result<std::vector<Edit>> propose(const Task& task, const ProposalContext& context) = 0;
    // Whether hints (hot spots measured by a profile) are worth their cost to this proposer.
    [[nodiscard]] virtual bool wants_hints() const { return false; }
    [[nodiscard]] virtual ProposerUsage usage() const { return {}; }
    // Whether propose() may run on several threads at once (a round's requests, one per member,
    // are then made side by side: a model's latency is paid once per round, not once per member).
    [[nodiscard]] virtual bool concurrent() const { return false; }
};

}  // namespace optiloop::core

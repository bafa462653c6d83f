// The loop: propose -> apply -> evaluate -> rank -> feed back. Each round asks the proposer for
// k candidates, builds and verifies them with the runner, and makes the best correct one the
// base of the next round when it beats the current best by more than the noise band.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/core/proposer.hpp>
#include <optiloop/runner/measure.hpp>

namespace optiloop::optimizer {

struct Options {
    int samples = 4;  // k per round
    int rounds = 3;
    double min_gain = 0.01;  // a new best must be this much cheaper (instruction counts are exact)
    unsigned seed = 0;
    double time_budget_seconds = 0;  // stop starting new work past this much wall time (0: none)
    runner::MeasureOptions measure;
    // The baseline's measurement when the caller already has it (the same sources, measured
    // with the same options): `optiloop ci --verify` measures the unchanged repository once for
    // all the functions it works on.
    std::optional<core::Measurement> baseline;
};

struct CandidateResult {
    core::Candidate candidate;
    int round = 0;
    std::optional<core::Measurement> measurement;  // none when the edit did not apply
    std::string note;                              // why it was not evaluated, or what failed
    std::optional<double> speedup;                 // over the baseline, same counter
    std::optional<double> wall_speedup;
    std::size_t change_size = 0;
    // Its instruction gain is contradicted by clearly measurable wall time
    // (runner::time_contradiction): never verified, never the best, ranked below every honest one.
    bool contradicted = false;
    std::string contradiction;  // why, in one line; empty when not contradicted
};

struct Result {
    core::Measurement baseline;
    std::vector<CandidateResult> candidates;
    std::optional<std::size_t> best;  // index into candidates; never a contradicted one
    int rounds_run = 0;
    std::string stop_reason;
};

// Indices of the correct candidates, best first as the analyzer ranks them (by speedup over the
// baseline, then by the smaller change), every contradicted candidate below every honest one.
std::vector<std::size_t> rank_candidates(const std::vector<CandidateResult>& candidates, const core::Measurement& baseline);

using Log = std::function<void(const std::string&)>;

core::Result<Result> optimize(const core::Task& task, core::Proposer& proposer, const Options& options, const Log& log = {});

}  // namespace optiloop::optimizer

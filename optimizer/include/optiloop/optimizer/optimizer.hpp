// The loop: propose -> apply -> evaluate -> rank -> feed back.
//
// The default search keeps a small population (the best few distinct correct programs, the
// baseline among them until better ones push it out) and draws each round's prompts from it:
// the k samples of a round are dealt out best-first, and each member's prompt carries the history
// of the attempts made from it (their diffs, compiler errors, failing tests). Rounds go on while a
// round brings a new member of the population (a new best, or another distinct program that beats
// the baseline and ranks among the best few) or a failure worth repairing (CE, WA, RE, TLE, MLE, an
// answer that did not apply), until --rounds, the time budget or the token budget. A round's candidates are measured
// in parallel. When a model's candidate becomes the new best, the rules proposer polishes it in the
// same round (each rule's edit verified like any candidate).
//
// `Search::greedy` is the first loop, kept for comparison: one current best, feedback on the last
// round only, and the run ends at the first round without a new best.
//
// Two variants after OpenEvolve / AlphaEvolve, kept to measure against the default (README,
// "Islands and MAP-Elites, measured"): `Search::islands` runs --islands populations that deal the
// round's samples between them and never share a member, except that every --migrate-every rounds
// each island's best moves to the next island (a ring); `Search::elites` keeps, instead of the best
// few, the best program of each cell of a MAP-Elites grid over one feature, how much of the
// original program a candidate rewrote (cell i of P holds the programs that changed between i/P
// and (i+1)/P of its bytes), so that a slower rewrite survives beside a faster small edit.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/core/proposer.hpp>
#include <optiloop/runner/measure.hpp>

namespace optiloop::optimizer {

enum class Search { population, greedy, islands, elites };
const char* to_string(Search search);

struct Options {
    int samples = 4;  // k per round
    int rounds = 3;
    Search search = Search::population;
    int population = 3;  // distinct correct programs kept to draw prompts from (1: the best only); per island; elites: cells
    int islands = 2;        // Search::islands: how many
    int migrate_every = 2;  // Search::islands: rounds between migrations
    bool polish = true;  // let the rules proposer polish a model's new best
    int parallel = 0;    // candidates measured at once; 0: one per core (one at a time without a counter)
    double min_gain = 0.01;  // a new best must be this much cheaper (instruction counts are exact)
    unsigned seed = 0;
    double time_budget_seconds = 0;  // stop starting new work past this much wall time (0: none)
    std::int64_t token_budget = 0;   // stop asking once the proposer spent this many tokens (0: none)
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
    bool polish = false;        // proposed by the rules proposer polishing a model's new best
};

// Why the search ended, as a word for JSON and databases; Result::stop_reason says it in a sentence.
enum class Stop { rounds, no_progress, proposer_empty, proposer_failed, time_budget, token_budget };
const char* to_string(Stop stop);

struct Result {
    core::Measurement baseline;
    // False when the proposer had nothing to suggest before anything was measured (a proposer
    // that needs no profile is asked first): minutes of building and benchmarking are skipped.
    bool baseline_measured = true;
    std::vector<CandidateResult> candidates;
    std::optional<std::size_t> best;  // index into candidates; never a contradicted one
    int rounds_run = 0;
    Stop stop = Stop::rounds;
    std::string stop_reason;
    std::vector<std::string> population;  // ids of the final population, best first ("baseline" included while it is a member); islands: every island's, each once
    std::int64_t answers = 0;            // edits the proposer returned (polish edits not counted)
    // The gain a new best had to clear, as a fraction: min_gain with a counter (counts are
    // exact), else twice the largest spread of the baseline's timed repetitions.
    double noise_band = 0;
};

// Indices of the correct candidates, best first as the analyzer ranks them (by speedup over the
// baseline, then by the smaller change), every contradicted candidate below every honest one.
std::vector<std::size_t> rank_candidates(const std::vector<CandidateResult>& candidates, const core::Measurement& baseline);

// What a proposer is told about the attempts made from one program: for each, its diff against
// that program, and its fate precisely enough to act on (the compiler's first errors; the failing
// test, its input trimmed, what was expected and what came out; the speedup; a contradiction).
std::string attempt_feedback(const core::Task& task, const std::vector<core::SourceFile>& parent, const std::vector<const CandidateResult*>& attempts);

using Log = std::function<void(const std::string&)>;

core::Result<Result> optimize(const core::Task& task, core::Proposer& proposer, const Options& options, const Log& log = {});

}  // namespace optiloop::optimizer

// What `optiloop ci` found on a pull request, and its three renderings: SARIF 2.1.0 (for code
// scanning, with fixes for verified suggestions), a Markdown pull-request comment, and JSON.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <optiloop/core/model.hpp>

namespace optiloop::ci {

struct CiFinding {
    std::string rule;              // a rule id ("endl-in-loop"), "verified-speedup" for a proposer's verified edit,
                                   // or "contradicted-speedup" for one whose gain wall time contradicts
    std::string rule_description;  // one sentence: what the rule looks for and why it is slow
    std::string level;             // SARIF level: "note" (unverified rule finding), "warning" (verified speedup)
    std::string file;              // relative to the repository root, forward slashes
    unsigned line = 0, column = 0;  // 1-based; column 0 when unknown
    unsigned end_line = 0;         // 0 when a single line
    std::string function;          // the changed function it lies in
    std::string message;           // one or two sentences for a reviewer
    bool verified = false;
    // Verified suggestions only: the measured result and the fix.
    std::optional<double> speedup;       // cost ratio baseline / candidate on `metric`
    std::optional<double> wall_speedup;  // wall-time ratio beside it
    std::string metric;                  // "instructions (cachegrind)", "cpu_time (Google Benchmark)"
    std::optional<double> noise_band;    // timed metrics: the gain the speedup had to clear (0.04 = 4%)
    std::vector<core::Replacement> fix;  // byte offsets into `original` (the file at HEAD)
    std::string original;                // the file's content at HEAD
    std::string diff;                    // unified diff of the suggestion
    // Why wall time contradicts the measured gain (runner::time_contradiction); empty when it does
    // not. A contradicted finding is never rendered as verified, whatever `verified` says: it is a
    // note without a fix.
    std::string contradiction;
};

// A file (or a function) optiloop could not analyse or verify: a CI gate must not go green while
// analysing nothing, so each is an error-level notification in SARIF and a line in Markdown/JSON.
struct CiProblem {
    std::string file;      // relative to the repository root
    std::string function;  // empty when the whole file could not be analysed
    std::string message;   // what went wrong, with the compiler's first errors
};

struct CiReport {
    std::string base;  // the --base ref as given, and its commit
    std::string base_commit;
    std::string head_commit;
    std::vector<std::string> changed_functions;  // "src/lib.cpp:join_all"
    std::vector<CiFinding> findings;
    std::string provider;  // "rules", "openai gpt-4o", ...; empty when nothing was verified
    bool verify = false;
    std::vector<CiProblem> problems;  // what could not be analysed or verified
    // Changed functions --verify did not reach because --time-budget was spent: said, but not an
    // error (the run did what it was allowed to).
    std::vector<CiProblem> not_verified;
};

std::string to_sarif(const CiReport& report);     // SARIF 2.1.0 JSON text
std::string to_markdown(const CiReport& report);  // a pull-request comment
nlohmann::json to_json(const CiReport& report);
std::string to_text(const CiReport& report);      // the terminal summary: counts, one line per finding

// Whether the report has a result at or above `fail_on` (error, warning, note; none: never). A
// file or function that could not be analysed is an error-level result: with --fail-on error the
// gate fails instead of passing while analysing nothing.
bool fails_gate(const CiReport& report, const std::string& fail_on);

}  // namespace optiloop::ci

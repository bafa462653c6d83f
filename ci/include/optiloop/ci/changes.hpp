// What a change touched and how a measured edit becomes a CI finding: the pieces of `optiloop ci`
// below its command line (diff hunks to line ranges, the smallest replacement between two
// versions, SARIF levels, a rule's description, a measured suggestion's finding).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <optiloop/ci/report.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/optimizer/optimizer.hpp>

namespace optiloop::ci {

// The new side's changed line ranges (first, last; 1-based) of each file of a
// `git diff --unified=0`; a pure deletion touches the line it happened after.
std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> changed_lines(const std::string& diff);

// One replacement covering what differs between two versions (common prefix and suffix kept,
// the prefix backed up to a line start).
core::Replacement minimal_replacement(const std::string& path, const std::string& before, const std::string& after);

// error 3, warning 2, note 1, anything else (none) 0.
int level_rank(const std::string& level);

// One sentence on what a rule looks for: the catalogue's rationale for an own rule, a line naming
// the check for a clang-tidy one, "" for an unknown id.
std::string rule_description(const std::string& rule);

// What a verified and a contradicted suggestion share: where it is, what was measured, and the
// smallest replacement that turns the function's file into the candidate's (its first line is the
// finding's line).
CiFinding measured_finding(const std::string& file, const std::string& function, const optimizer::CandidateResult& candidate,
                           const core::Task& task, const core::Measurement& baseline);

}  // namespace optiloop::ci

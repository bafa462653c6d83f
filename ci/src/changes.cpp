#include <algorithm>
#include <sstream>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/ci/changes.hpp>
#include <optiloop/core/diff.hpp>

namespace optiloop::ci {

// The new side's changed line ranges of each file, from `git diff --unified=0`.
std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> changed_lines(const std::string& diff) {
    std::map<std::string, std::vector<std::pair<unsigned, unsigned>>> out;
    std::istringstream in(diff);
    std::string line, file;
    while (std::getline(in, line)) {
        if (line.starts_with("+++ ")) {
            file = line.substr(4);
            if (file.starts_with("b/")) file = file.substr(2);
            if (file == "/dev/null") file.clear();
        } else if (line.starts_with("@@ ") && !file.empty()) {
            // @@ -a[,b] +c[,d] @@
            const std::size_t plus = line.find(" +");
            if (plus == std::string::npos) continue;
            unsigned start = 0, count = 1;
            const std::string range = line.substr(plus + 2, line.find(' ', plus + 2) - plus - 2);
            try {
                const std::size_t comma = range.find(',');
                start = static_cast<unsigned>(std::stoul(range.substr(0, comma)));
                if (comma != std::string::npos) count = static_cast<unsigned>(std::stoul(range.substr(comma + 1)));
            } catch (...) {
                continue;
            }
            // A pure deletion (count 0) touches the line it happened after.
            out[file].push_back({std::max(1u, start), std::max(1u, start) + (count ? count - 1 : 0)});
        }
    }
    return out;
}

// One replacement covering what differs between two versions (common prefix and suffix kept).
core::Replacement minimal_replacement(const std::string& path, const std::string& before, const std::string& after) {
    std::size_t prefix = core::common_prefix(before, after);
    // Whole lines read better in a review: back up to the start of the line.
    while (prefix > 0 && before[prefix - 1] != '\n') --prefix;
    const std::size_t suffix = core::common_suffix(before, after, prefix);
    return {path, prefix, before.size() - prefix - suffix, after.substr(prefix, after.size() - prefix - suffix)};
}

int level_rank(const std::string& level) { return level == "error" ? 3 : level == "warning" ? 2 : level == "note" ? 1 : 0; }

std::string rule_description(const std::string& rule) {
    for (const auto& info : analyzer::rule_catalogue())
        if (rule == info.id) return info.rationale;
    if (rule.starts_with("performance-") || rule.starts_with("modernize-"))
        return "clang-tidy's " + rule + " check (https://clang.llvm.org/extra/clang-tidy/checks/" + rule.substr(0, rule.find('-')) + "/" +
               rule.substr(rule.find('-') + 1) + ".html).";
    return "";
}

// What a verified and a contradicted suggestion share: where it is, what was measured, and the
// smallest replacement that turns the function's code into the candidate's (its first line is
// the finding's line).
CiFinding measured_finding(const std::string& file, const std::string& function, const optimizer::CandidateResult& candidate,
                           const core::Task& task, const core::Measurement& baseline) {
    CiFinding finding;
    finding.file = file;
    finding.function = function;
    finding.speedup = candidate.speedup;
    finding.wall_speedup = candidate.wall_speedup;
    finding.metric = baseline.total_cost ? "instructions (" + std::string(core::to_string(baseline.counter)) + ")"
                                         : baseline.cost_unit + " (Google Benchmark medians)";
    const std::string& before = task.baseline[0].content;
    finding.fix = {minimal_replacement(file, before, candidate.candidate.sources[0].content)};
    finding.line = 1 + static_cast<unsigned>(std::count(before.begin(), before.begin() + static_cast<std::ptrdiff_t>(finding.fix[0].offset), '\n'));
    return finding;
}

}  // namespace optiloop::ci

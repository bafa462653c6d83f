#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <sstream>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/tidy.hpp>
#include <optiloop/ci/changes.hpp>
#include <optiloop/ci/review.hpp>
#include <optiloop/core/diff.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/format.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/runner/host.hpp>

namespace optiloop::ci {

namespace fs = std::filesystem;

namespace {

struct Changed {
    std::string file, function;
};

// The changed functions of each changed C/C++ file, with the rules' findings inside them; a file
// that cannot be parsed becomes a problem of the report.
core::Result<std::vector<Changed>> changed_functions(const ReviewOptions& o, const fs::path& root, const std::string& head, const std::string& diff,
                                                     CiReport& report, const std::function<void(const std::string&)>& log) {
    std::vector<Changed> changed;
    for (const auto& [file, ranges] : changed_lines(diff)) {
        if (!core::is_cpp_source(file)) continue;
        auto content = runner::git(root, {"show", head + ":" + file});
        if (content.exit_code != 0) continue;
        analyzer::AnalyzeOptions options;
        auto parse_flags = runner::project_parse_flags(root, file, o.flags, root, o.commands.compile_commands);
        if (!parse_flags) return core::fail(parse_flags.error());
        options.flags = *parse_flags;
        options.tidy_checks = analyzer::k_tidy_extra_checks;  // as the rules proposer: clang-tidy's checks optiloop has no rule for
        auto analysis = analyzer::analyze({{file, content.output}}, options);
        if (!analysis) {
            log("ci: " + file + ": not analysed: " + analysis.error().message);
            report.problems.push_back({file, "", analysis.error().message});
            continue;
        }
        for (const auto& fn : analysis->functions) {
            if (fn.file != file) continue;
            const bool touched = std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) { return r.first <= fn.end_line && r.second >= fn.begin_line; });
            if (!touched) continue;
            changed.push_back({file, fn.name});
            report.changed_functions.push_back(file + ":" + fn.name);
            for (const auto& f : analysis->findings) {
                if (f.file != file || f.line < fn.begin_line || f.line > fn.end_line) continue;
                CiFinding finding;
                finding.rule = f.rule;
                finding.rule_description = rule_description(f.rule);
                finding.level = "note";
                finding.file = file;
                finding.line = f.line;
                finding.column = f.column;
                finding.function = fn.name;
                finding.message = f.message;
                report.findings.push_back(finding);
            }
        }
    }
    return changed;
}

// A gain that wall time contradicts is not posted as a verified suggestion; the largest such
// claim is still said, as a note without a fix, so a reviewer sees why nothing was suggested.
std::optional<CiFinding> contradicted_finding(const Changed& c, const optimizer::Result& result, const core::Task& task) {
    const optimizer::CandidateResult* claimed = nullptr;
    for (const auto& candidate : result.candidates)
        if (candidate.contradicted && (!claimed || candidate.speedup.value_or(0) > claimed->speedup.value_or(0))) claimed = &candidate;
    if (!claimed) return std::nullopt;
    CiFinding finding = measured_finding(c.file, c.function, *claimed, task, result.baseline);
    finding.rule = "contradicted-speedup";
    finding.rule_description = "An edit that optiloop proposed, built and tested, whose measured instruction gain wall time contradicts.";
    finding.level = "note";
    finding.contradiction = claimed->contradiction;
    finding.fix.clear();
    finding.message = c.function + ": a suggested edit counted fewer instructions, but its wall time does not confirm the gain, so it is not suggested.";
    return finding;
}

CiFinding verified_finding(const Changed& c, const optimizer::Result& result, const core::Task& task) {
    const auto& best = result.candidates[*result.best];
    const std::string& before = task.baseline[0].content;
    const std::string& after = best.candidate.sources[0].content;
    CiFinding finding = measured_finding(c.file, c.function, best, task, result.baseline);
    if (!result.baseline.total_cost) finding.noise_band = result.noise_band;
    finding.rule = "verified-speedup";
    finding.rule_description = "An edit that optiloop proposed, built and tested with the project's own commands, and measured faster.";
    finding.level = "warning";
    finding.verified = true;
    finding.original = before;
    finding.diff = core::patch_diff(c.file, before, after);
    std::ostringstream message;
    message << c.function << " runs " << (best.speedup ? core::format_ratio(*best.speedup) : "?x") << " faster by " << finding.metric
            << " with this change; the project builds and its tests pass. " << best.candidate.edit.explanation.substr(0, 300);
    finding.message = message.str();
    return finding;
}

// Each changed function optimized in one workspace of the repository at head; the unchanged
// repository is the baseline of every function, measured once.
core::Result<void> verify_functions(const ReviewOptions& o, const std::vector<Changed>& changed, CiReport& report,
                                    const std::function<void(const std::string&)>& log) {
    report.provider = o.proposer_description;
    auto opened = runner::open_workspace(o.repo);
    if (!opened) return core::fail(opened.error());
    runner::RepositoryTarget commands = o.commands;
    commands.repo = o.repo;  // the repository tasks name it, and parse with its compile_commands.json
    std::optional<core::Measurement> baseline;
    const auto started = std::chrono::steady_clock::now();
    for (const auto& c : changed) {
        const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (o.time_budget > 0 && spent >= o.time_budget) {
            std::ostringstream why;
            why << "not verified: the --time-budget of " << o.time_budget << " s was spent before this function";
            log("ci: " + c.file + ":" + c.function + ": " + why.str());
            report.not_verified.push_back({c.file, c.function, why.str()});
            continue;
        }
        auto task = runner::repository_task(commands, (*opened)->workspace(), c.file, c.function, o.flags);
        if (!task) return core::fail(task.error());
        log("ci: verifying " + c.file + ":" + c.function);
        optimizer::Options options;
        options.samples = o.samples;
        options.rounds = o.rounds;
        options.baseline = baseline;
        if (o.time_budget > 0) options.time_budget_seconds = o.time_budget - spent;
        auto proposer = o.make_proposer();
        auto result = optimizer::optimize(*task, *proposer, options, [&](const std::string& line) { log("  " + line); });
        if (!result) {
            if (result.error().kind != core::ErrorKind::input) return core::fail(result.error());
            log("ci: " + c.file + ":" + c.function + ": " + result.error().message);
            report.problems.push_back({c.file, c.function, "not verified: " + result.error().message});
            continue;
        }
        if (result->baseline_measured) baseline = result->baseline;
        if (result->best) report.findings.push_back(verified_finding(c, *result, *task));
        else if (auto finding = contradicted_finding(c, *result, *task)) report.findings.push_back(*finding);
    }
    return {};
}

}  // namespace

core::Result<CiReport> review(const ReviewOptions& o, const std::function<void(const std::string&)>& log) {
    const fs::path root = fs::absolute(o.repo);
    if (!fs::is_directory(root)) return core::fail(core::Error::input("--repo " + o.repo + ": not a directory"));
    if (runner::git(root, {"rev-parse", "--git-dir"}).exit_code != 0) return core::fail(core::Error::input("--repo " + o.repo + ": not a git repository"));
    auto commit_of = [&](const std::string& ref, const std::string& flag) -> core::Result<std::string> {
        auto r = runner::git(root, {"rev-parse", "--verify", "--quiet", ref + "^{commit}"});
        if (r.exit_code != 0) return core::fail(core::Error::input(flag + " " + ref + ": no such commit in " + root.string() + " (fetch it, e.g. actions/checkout with fetch-depth: 0)"));
        return core::trimmed(r.output);
    };
    CiReport report;
    report.base = o.base;
    auto base = commit_of(o.base, "--base");
    if (!base) return core::fail(base.error());
    auto head = commit_of(o.head, "--head");
    if (!head) return core::fail(head.error());
    report.base_commit = *base;
    report.head_commit = *head;
    report.verify = o.verify;
    if (o.verify) {
        if (o.commands.build.empty() || o.commands.test.empty())
            return core::fail(core::Error::input("--verify needs --build CMD and --test CMD (and --bench CMD to measure something other than the tests)"));
        auto at_head = commit_of("HEAD", "HEAD");
        if (!at_head || *at_head != *head) return core::fail(core::Error::input("--verify works on the checked-out commit: check out " + o.head + " first"));
    }
    const auto diff = runner::git(root, {"diff", "--unified=0", "--no-color", "--no-ext-diff", *base, *head});
    if (diff.exit_code != 0) return core::fail(core::Error::infrastructure("git diff " + o.base + " " + o.head + " failed: " + core::trimmed(diff.output)));
    auto changed = changed_functions(o, root, *head, diff.output, report, log);
    if (!changed) return core::fail(changed.error());
    if (o.verify && !changed->empty())
        if (auto verified = verify_functions(o, *changed, report, log); !verified) return core::fail(verified.error());
    return report;
}

}  // namespace optiloop::ci

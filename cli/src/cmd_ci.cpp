// `optiloop ci --base REF`: the functions a change touched (the diff's line ranges mapped onto
// Clang's function ranges), the rules' findings in them, and with --verify edits proposed and
// verified with the project's own build, tests and benchmark. Writes SARIF, Markdown and JSON.
#include <filesystem>
#include <chrono>
#include <map>
#include <ostream>
#include <sstream>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/tidy.hpp>
#include <optiloop/ci/changes.hpp>
#include <optiloop/ci/report.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/runner/repository.hpp>

#include "commands.hpp"
#include "config.hpp"
#include "patch.hpp"
#include "proposers.hpp"
#include "repository.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;
using ci::CiFinding;
using ci::CiProblem;
using ci::CiReport;

namespace {

struct CiArgs {
    std::string base;
    std::string head = "HEAD";
    std::string repo = ".";
    std::string sarif, markdown;
    bool json = false;
    std::string fail_on = "error";
    bool verify = false;
    int samples = 2;
    int rounds = 1;
    double time_budget = 0;  // seconds for all of --verify (0: none)
    std::vector<std::string> flags;
    RepoArgs commands;
    ProposerArgs proposer;
};

}  // namespace

Action setup_ci(CLI::App& app) {
    auto a = std::make_shared<CiArgs>();
    app.add_option("--base", a->base, "The commit the change is compared with (the pull request's base)")->required();
    app.add_option("--head", a->head, "The changed commit (default HEAD)");
    app.add_option("--repo", a->repo, "The repository (default: the current directory)");
    app.add_option("--sarif", a->sarif, "Write SARIF 2.1.0 here (for code scanning; verified suggestions carry fixes)");
    app.add_option("--markdown", a->markdown, "Write a pull-request comment here");
    app.add_flag("--json", a->json, "Print the report as JSON");
    app.add_option("--fail-on", a->fail_on, "Exit 1 when a result is at or above this level: error (the default: a file or function that could not be analysed), warning (a verified speedup), note (a rule finding), none")
        ->check(CLI::IsMember({"none", "note", "warning", "error"}));
    app.add_flag("--verify", a->verify, "Propose edits for each changed function and verify them with --build, --test and --bench");
    // ci keeps its own smaller defaults (-k 2, one round: a pull-request job has minutes); a
    // setting the user made (environment, optiloop.toml) applies here too.
    add_setting(app, "samples", a->samples, "With --verify: ");
    add_setting(app, "rounds", a->rounds, "With --verify: ");
    app.add_option("--time-budget", a->time_budget, "With --verify: seconds for verifying all changed functions; the rest are listed as not verified")
        ->check(positive_up_to(7 * 86400));
    app.add_option("--flags", a->flags, "Extra compiler flags for parsing the sources (e.g. -Ithird_party)")->delimiter(' ')->allow_extra_args(false);
    add_repo_options(app, a->commands, false);
    add_proposer_options(app, a->proposer);
    return [a, &app](Streams& s) {
        auto fail = [&](const core::Error& e) {
            s.err << "optiloop ci: " << e.message << "\n";
            return static_cast<int>(e.exit_code());
        };
        auto settings = Settings::load("");
        if (!settings) return fail(settings.error());
        note_proposer_sources(app, *settings, a->proposer);
        apply_settings(app, *settings);
        apply_settings(app, *settings, "repository");
        for (const auto& [flag, path] : {std::pair{"--sarif", a->sarif}, std::pair{"--markdown", a->markdown}})
            if (!path.empty())
                if (const std::string why = core::cannot_write(path, false); !why.empty())
                    return fail(core::Error::input(std::string(flag) + " " + path + ": cannot write there (" + why + ")"));
        const fs::path root = fs::absolute(a->repo);
        a->commands.repo = a->repo;  // the repository tasks of --verify name it, and parse with its compile_commands.json
        if (!fs::is_directory(root)) return fail(core::Error::input("--repo " + a->repo + ": not a directory"));
        if (runner::run_host({"git", "-C", root.string(), "rev-parse", "--git-dir"}).exit_code != 0)
            return fail(core::Error::input("--repo " + a->repo + ": not a git repository"));
        auto commit_of = [&](const std::string& ref, const std::string& flag) -> core::Result<std::string> {
            auto r = runner::run_host({"git", "-C", root.string(), "rev-parse", "--verify", "--quiet", ref + "^{commit}"});
            if (r.exit_code != 0) return core::fail(core::Error::input(flag + " " + ref + ": no such commit in " + root.string() + " (fetch it, e.g. actions/checkout with fetch-depth: 0)"));
            return core::trimmed(r.output);
        };
        CiReport report;
        report.base = a->base;
        auto base = commit_of(a->base, "--base");
        if (!base) return fail(base.error());
        auto head = commit_of(a->head, "--head");
        if (!head) return fail(head.error());
        report.base_commit = *base;
        report.head_commit = *head;
        report.verify = a->verify;
        if (a->verify) {
            if (a->commands.build.empty() || a->commands.test.empty())
                return fail(core::Error::input("--verify needs --build CMD and --test CMD (and --bench CMD to measure something other than the tests)"));
            auto at_head = commit_of("HEAD", "HEAD");
            if (!at_head || *at_head != *head) return fail(core::Error::input("--verify works on the checked-out commit: check out " + a->head + " first"));
        }
        // Validate the proposer before any work.
        auto source = proposer_source(a->proposer, [&](const std::string& line) { s.err << "  " << line << "\n"; });
        if (!source) return fail(source.error());

        const auto diff = runner::run_host({"git", "-C", root.string(), "diff", "--unified=0", "--no-color", "--no-ext-diff", *base, *head});
        if (diff.exit_code != 0) return fail(core::Error::infrastructure("git diff " + a->base + " " + a->head + " failed: " + core::trimmed(diff.output)));
        const auto changes = ci::changed_lines(diff.output);

        // The changed functions of each changed C/C++ file, with the rules' findings inside them.
        struct Changed {
            std::string file, function;
        };
        std::vector<Changed> changed;
        for (const auto& [file, ranges] : changes) {
            if (!core::is_cpp_source(file)) continue;
            auto content = runner::run_host({"git", "-C", root.string(), "show", *head + ":" + file});
            if (content.exit_code != 0) continue;
            analyzer::AnalyzeOptions options;
            auto parse_flags = runner::project_parse_flags(root, file, a->flags, root, a->commands.compile_commands);
            if (!parse_flags) return fail(parse_flags.error());
            options.flags = *parse_flags;
            options.tidy_checks = analyzer::k_tidy_extra_checks;  // as the rules proposer: clang-tidy's checks optiloop has no rule for
            auto analysis = analyzer::analyze({{file, content.output}}, options);
            if (!analysis) {
                s.err << "optiloop ci: " << file << ": not analysed: " << analysis.error().message << "\n";
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
                    finding.rule_description = ci::rule_description(f.rule);
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

        if (a->verify && !changed.empty()) {
            report.provider = source->description;
            auto opened = runner::open_workspace(a->repo);
            if (!opened) return fail(opened.error());
            // The unchanged repository is the baseline of every function: measured once.
            std::optional<core::Measurement> baseline;
            const auto started = std::chrono::steady_clock::now();
            for (const auto& c : changed) {
                const double spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
                if (a->time_budget > 0 && spent >= a->time_budget) {
                    std::ostringstream why;
                    why << "not verified: the --time-budget of " << a->time_budget << " s was spent before this function";
                    s.err << "ci: " << c.file << ":" << c.function << ": " << why.str() << "\n";
                    report.not_verified.push_back({c.file, c.function, why.str()});
                    continue;
                }
                auto task = runner::repository_task(a->commands, (*opened)->workspace(), c.file, c.function, a->flags);
                if (!task) return fail(task.error());
                s.err << "ci: verifying " << c.file << ":" << c.function << "\n";
                optimizer::Options options;
                options.samples = a->samples;
                options.rounds = a->rounds;
                options.baseline = baseline;
                if (a->time_budget > 0) options.time_budget_seconds = a->time_budget - spent;
                auto proposer = source->make();
                auto result = optimizer::optimize(*task, *proposer, options, [&](const std::string& line) { s.err << "  " << line << "\n"; });
                if (!result) {
                    if (result.error().kind != core::ErrorKind::input) return fail(result.error());
                    s.err << "optiloop ci: " << c.file << ":" << c.function << ": " << result.error().message << "\n";
                    report.problems.push_back({c.file, c.function, "not verified: " + result.error().message});
                    continue;
                }
                if (result->baseline_measured) baseline = result->baseline;
                if (!result->best) {
                    // A gain that wall time contradicts is not posted as a verified suggestion; the
                    // largest such claim is still said, as a note without a fix, so a reviewer sees
                    // why nothing was suggested.
                    const optimizer::CandidateResult* claimed = nullptr;
                    for (const auto& candidate : result->candidates)
                        if (candidate.contradicted && (!claimed || candidate.speedup.value_or(0) > claimed->speedup.value_or(0))) claimed = &candidate;
                    if (!claimed) continue;
                    CiFinding finding = ci::measured_finding(c.file, c.function, *claimed, *task, result->baseline);
                    finding.rule = "contradicted-speedup";
                    finding.rule_description = "An edit that optiloop proposed, built and tested, whose measured instruction gain wall time contradicts.";
                    finding.level = "note";
                    finding.contradiction = claimed->contradiction;
                    finding.fix.clear();
                    finding.message = c.function + ": a suggested edit counted fewer instructions, but its wall time does not confirm the gain, so it is not suggested.";
                    report.findings.push_back(finding);
                    continue;
                }
                const auto& best = result->candidates[*result->best];
                const std::string& before = task->baseline[0].content;
                const std::string& after = best.candidate.sources[0].content;
                CiFinding finding = ci::measured_finding(c.file, c.function, best, *task, result->baseline);
                if (!result->baseline.total_cost) finding.noise_band = result->noise_band;
                finding.rule = "verified-speedup";
                finding.rule_description = "An edit that optiloop proposed, built and tested with the project's own commands, and measured faster.";
                finding.level = "warning";
                finding.verified = true;
                finding.original = before;
                finding.diff = unified_diff(c.file, before, after);
                std::ostringstream message;
                message << c.function << " runs " << (best.speedup ? std::to_string(*best.speedup).substr(0, 4) : "?") << "x faster by " << finding.metric
                        << " with this change; the project builds and its tests pass. " << best.candidate.edit.explanation.substr(0, 300);
                finding.message = message.str();
                report.findings.push_back(finding);
            }
        }

        auto write = [&](const std::string& path, const std::string& text) {
            if (path.empty()) return true;
            if (core::write_file_atomically(path, text)) return true;
            s.err << "optiloop ci: cannot write " << path << "\n";
            return false;
        };
        if (!write(a->sarif, ci::to_sarif(report)) || !write(a->markdown, ci::to_markdown(report))) return static_cast<int>(core::ExitCode::usage);
        if (a->json) {
            s.out << ci::to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            std::size_t verified = 0, contradicted = 0;
            for (const auto& f : report.findings) {
                verified += f.verified && f.contradiction.empty();
                contradicted += !f.contradiction.empty();
            }
            s.out << "ci: " << report.changed_functions.size() << " changed functions between " << report.base_commit.substr(0, 12) << " and "
                  << report.head_commit.substr(0, 12) << ", " << report.findings.size() - verified - contradicted << " rule findings, " << verified
                  << " verified speedups" << (contradicted ? ", " + std::to_string(contradicted) + " contradicted by wall time" : "") << "\n";
            for (const auto& f : report.findings) {
                s.out << "  " << f.file << ":" << f.line << " " << f.function << ": [" << f.rule << "] " << f.message.substr(0, 160) << "\n";
                if (!f.contradiction.empty()) s.out << "    not verified: " << f.contradiction << "\n";
            }
        }
        // A file or function that could not be analysed is an error-level result: with the
        // default --fail-on error the gate fails instead of passing while analysing nothing.
        if (!report.not_verified.empty() && !a->json)
            s.out << "  not verified: " << report.not_verified.size() << " changed function" << (report.not_verified.size() == 1 ? "" : "s")
                  << " (the --time-budget was spent first)\n";
        if (!report.problems.empty() && !a->json)
            s.out << "  not analysed: " << report.problems.size() << (report.problems.size() == 1 ? " file or function" : " files or functions") << " (see above)\n";
        const int threshold = ci::level_rank(a->fail_on);
        if (threshold > 0) {
            if (!report.problems.empty() && ci::level_rank("error") >= threshold) return static_cast<int>(core::ExitCode::findings);
            for (const auto& f : report.findings)
                if (ci::level_rank(f.level) >= threshold) return static_cast<int>(core::ExitCode::findings);
        }
        return 0;
    };
}

}  // namespace optiloop::cli

// `optiloop optimize TARGET`: propose, verify and rank faster versions of a task folder or of a
// source file with --tests; print the table, write --out, and --apply the best when significant.
#include <unistd.h>

#include <cmath>
#include <iomanip>
#include <memory>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <optiloop/core/diff.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/optimizer/optimizer.hpp>

#include "commands.hpp"
#include "config.hpp"
#include <optiloop/core/format.hpp>
#include "proposers.hpp"
#include "repository.hpp"
#include "target.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

namespace {

struct OptimizeArgs {
    TargetArgs target;
    RepoArgs repo;
    ProposerArgs proposer;
    SearchArgs search;
    int samples = 4;
    int rounds = 3;
    std::string counter = "auto";
    int jobs = 0;
    int repeat = 3;
    bool json = false;
    std::string out;
    bool apply = false;
    std::string config;
    double time_budget = 0;
};

std::string what_changed(const core::Edit& edit) {
    if (edit.rules.empty()) return edit.proposer + ": " + edit.explanation.substr(0, edit.explanation.find('\n'));
    std::string summary;
    for (const auto& r : edit.rules) summary += (summary.empty() ? "" : " + ") + r;
    return summary;
}

nlohmann::json candidate_json(const optimizer::CandidateResult& c, const core::Measurement& baseline) {
    nlohmann::json j = {{"id", c.candidate.id}, {"parent", c.candidate.parent}, {"round", c.round},
                        {"edit", core::to_json(c.candidate.edit)}, {"change_size", c.change_size}};
    if (c.measurement) j["measurement"] = core::to_json(*c.measurement);
    if (!c.note.empty()) j["note"] = c.note;
    j["speedup"] = c.speedup ? nlohmann::json(*c.speedup) : nlohmann::json();
    j["wall_speedup"] = c.wall_speedup ? nlohmann::json(*c.wall_speedup) : nlohmann::json();
    // The mild note of the text output: the two ratios differ by more than their noise.
    j["ratios_disagree"] = c.measurement && runner::ratios_disagree(baseline, *c.measurement);
    // A speedup that wall time contradicts is reported, but never as verified.
    j["contradicted"] = c.contradicted;
    j["contradiction"] = c.contradiction;
    j["polish"] = c.polish;
    return j;
}

}  // namespace

Action setup_optimize(CLI::App& app) {
    auto a = std::make_shared<OptimizeArgs>();
    add_target_options(app, a->target);
    add_proposer_options(app, a->proposer);
    add_search_options(app, a->search);
    add_repo_options(app, a->repo, true);
    add_setting(app, "samples", a->samples);
    add_setting(app, "rounds", a->rounds);
    add_setting(app, "counter", a->counter);
    add_setting(app, "jobs", a->jobs);
    add_setting(app, "repeat", a->repeat);
    app.add_flag("--json", a->json, "Print the result as JSON");
    app.add_option("--out", a->out, "Write best.cpp (best.cc, best.cu: the source's extension), best.patch, candidates.jsonl and result.json here");
    app.add_flag("--apply", a->apply, "Write the best version over the source file (keeping FILE.orig) when the speedup is significant");
    app.add_option("--config", a->config, "A config file instead of ./optiloop.toml");
    app.add_option("--time-budget", a->time_budget, "Stop starting new candidates after this many seconds")->check(positive_up_to(7 * 86400));
    return [a, &app](Streams& s) {
        // Flags win; what the user did not give comes from the environment, the config files
        // or the defaults (optiloop config show prints the result).
        auto settings = Settings::load(a->config);
        if (!settings) {
            s.err << "optiloop optimize: " << settings.error().message << "\n";
            return 2;
        }
        note_proposer_sources(app, *settings, a->proposer);
        apply_settings(app, *settings);
        // A repository target works in a scratch workspace that lives until the end of the command.
        std::unique_ptr<runner::WorkspaceGuard> workspace;
        core::Result<core::Task> task = core::fail(core::Error::internal("no target"));
        const bool repo_mode = !a->repo.repo.empty();
        if (!a->out.empty())
            if (const std::string why = core::cannot_write(a->out, true); !why.empty()) {
                s.err << "optiloop optimize: --out " << a->out << ": cannot write there (" << why << ")\n";
                return static_cast<int>(core::ExitCode::usage);
            }
        if (repo_mode && !a->target.target.empty()) {
            s.err << "optiloop optimize: give either a TARGET or --repo DIR --file PATH, not both\n";
            return static_cast<int>(core::ExitCode::usage);
        }
        if (!repo_mode && (!a->repo.file.empty() || !a->repo.build.empty() || !a->repo.test.empty() || !a->repo.function.empty())) {
            s.err << "optiloop optimize: --file, --function, --build and --test work with --repo DIR\n";
            return static_cast<int>(core::ExitCode::usage);
        }
        if (repo_mode) {
            // [repository] in optiloop.toml fills the commands the flags did not give.
            apply_settings(app, *settings, "repository");
            if (a->repo.file.empty()) {
                s.err << "optiloop optimize: --repo needs --file PATH (the source file to optimize)\n";
                return static_cast<int>(core::ExitCode::usage);
            }
            auto opened = runner::open_workspace(a->repo.repo);
            if (!opened) {
                s.err << "optiloop optimize: " << opened.error().message << "\n";
                return static_cast<int>(opened.error().exit_code());
            }
            workspace = std::move(*opened);
            task = runner::repository_task(a->repo, workspace->workspace(), a->repo.file, a->repo.function, a->target.flags);
        } else {
            task = load_target(a->target);
        }
        if (!task) {
            s.err << "optiloop optimize: " << task.error().message << "\n";
            return static_cast<int>(task.error().exit_code());
        }
        // A CUDA task cannot be measured without a GPU: say so instead of failing its baseline.
        if (const std::string note = missing_gpu_note(*task); !note.empty()) {
            s.err << "optiloop optimize: " << task->id << " is CUDA and this machine has no GPU (no /dev/nvidia* device): nothing can be measured here; "
                  << "run it on a GPU machine (optiloop analyze " << (a->target.target.empty() ? "KERNEL.cu" : a->target.target) << " reports its kernels' resources without one)\n";
            return static_cast<int>(core::ExitCode::infrastructure);
        }
        const std::string provider = a->proposer.provider;
        if (!a->proposer.provider_given) s.err << "optiloop optimize: no provider configured; using the offline rules proposer\n";
        auto source = proposer_source(a->proposer, [&](const std::string& line) { s.err << "  " << line << "\n"; });
        if (!source) {
            s.err << "optiloop optimize: " << source.error().message << "\n";
            return static_cast<int>(source.error().exit_code());
        }
        std::unique_ptr<core::Proposer> proposer = source->make();
        if (a->apply && !repo_mode && a->target.is_task_folder()) {
            s.err << "optiloop optimize: --apply works on a source file target; for a task folder use --out DIR\n";
            return static_cast<int>(core::ExitCode::usage);
        }

        optimizer::Options options;
        options.samples = a->samples;
        options.rounds = a->rounds;
        options.time_budget_seconds = a->time_budget;
        apply_search(a->search, a->proposer, options);
        options.measure.counter = counter_choice(a->counter);
        options.measure.jobs = a->jobs;
        options.measure.repeats = a->repeat;
        auto result = optimizer::optimize(*task, *proposer, options, [&](const std::string& line) { s.err << "  " << line << "\n"; });
        if (!result) {
            s.err << "optiloop optimize: " << result.error().message << "\n";
            return static_cast<int>(result.error().exit_code());
        }
        const auto& r = *result;
        const std::vector<core::SourceFile>& best_sources = r.best ? r.candidates[*r.best].candidate.sources : task->baseline;
        const std::string patch = r.best ? core::patch_diff(task->baseline, best_sources) : "";

        nlohmann::json summary = {{"task", task->id},
                                  {"provider", provider},
                                  {"counter", r.baseline_measured ? nlohmann::json(core::to_string(r.baseline.counter)) : nlohmann::json()},
                                  {"baseline", r.baseline_measured ? core::to_json(r.baseline) : nlohmann::json()},
                                  {"search", optimizer::to_string(options.search)},
                                  {"rounds", r.rounds_run},
                                  {"stop", optimizer::to_string(r.stop)},
                                  {"stop_reason", r.stop_reason},
                                  {"population", r.population},
                                  {"answers", r.answers},
                                  {"verified", r.best.has_value()},
                                  {"best", r.best ? nlohmann::json(r.candidates[*r.best].candidate.id) : nlohmann::json()},
                                  {"speedup", r.best && r.candidates[*r.best].speedup ? nlohmann::json(*r.candidates[*r.best].speedup) : nlohmann::json()},
                                  {"wall_speedup", r.best && r.candidates[*r.best].wall_speedup ? nlohmann::json(*r.candidates[*r.best].wall_speedup) : nlohmann::json()},
                                  {"noise_band", r.noise_band},
                                  {"ratios_disagree", r.best && runner::ratios_disagree(r.baseline, *r.candidates[*r.best].measurement)},
                                  {"patch", patch}};
        const core::ProposerUsage usage = proposer->usage();
        if (source->usage)
            summary["usage"] = {{"requests", usage.requests}, {"retries", usage.retries}, {"cached", usage.cached},
                                {"prompt_tokens", usage.prompt_tokens}, {"completion_tokens", usage.completion_tokens}};
        nlohmann::json candidates = nlohmann::json::array();
        for (const auto& c : r.candidates) candidates.push_back(candidate_json(c, r.baseline));
        nlohmann::json contradicted = nlohmann::json::array();
        for (const auto& c : r.candidates)
            if (c.contradicted) contradicted.push_back(c.candidate.id);
        summary["contradicted"] = contradicted;

        if (!a->out.empty()) {
            std::error_code ec;
            fs::create_directories(a->out, ec);
            bool ok = !ec;
            // best.cc for a .cc file, best.cu for a kernel: the name keeps the source's extension.
            if (best_sources.size() == 1) {
                const std::string extension = fs::path(best_sources[0].path).extension().string();
                ok = ok && core::write_file_atomically(fs::path(a->out) / ("best" + (extension.empty() ? std::string(".cpp") : extension)), best_sources[0].content);
            }
            for (const auto& f : best_sources)
                if (best_sources.size() > 1) {
                    fs::create_directories((fs::path(a->out) / "best" / f.path).parent_path(), ec);
                    ok = ok && core::write_file_atomically(fs::path(a->out) / "best" / f.path, f.content);
                }
            // No patch when nothing was verified, and none left over from an earlier run either.
            if (!patch.empty()) ok = ok && core::write_file_atomically(fs::path(a->out) / "best.patch", patch);
            else fs::remove(fs::path(a->out) / "best.patch", ec);
            std::string lines;
            for (const auto& c : candidates) lines += c.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
            ok = ok && core::write_file_atomically(fs::path(a->out) / "candidates.jsonl", lines);
            nlohmann::json full = summary;
            full["candidates"] = candidates;
            ok = ok && core::write_file_atomically(fs::path(a->out) / "result.json", full.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
            if (!ok) {
                s.err << "optiloop optimize: --out " << a->out << ": cannot write there\n";
                return static_cast<int>(core::ExitCode::usage);
            }
        }

        if (a->json) {
            summary["candidates"] = candidates;
            s.out << summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
            const std::string baseline_text = !r.baseline_measured ? "not measured"
                                              : r.baseline.total_cost ? core::format_count(*r.baseline.total_cost) + " instructions (" + std::string(core::to_string(r.baseline.counter)) + ")"
                                                                      : core::format_seconds(r.baseline.wall_seconds);
            s.out << "task " << task->id << ": baseline " << baseline_text << ", "
                  << (repo_mode ? "the project's build and test commands" : std::to_string(task->tests.size() + task->stress.size()) + " tests") << "\n";
            // Timed costs carry their noise band beside every ratio: "1.09x ±4%".
            const bool timed = r.baseline_measured && !r.baseline.total_cost;
            const std::string band = timed ? " ±" + std::to_string(static_cast<int>(std::lround(r.noise_band * 100))) + "%" : "";
            s.out << std::left << std::setw(6) << "cand" << std::setw(7) << "round" << std::setw(10) << "verdict" << std::right << std::setw(16) << "cost" << std::setw(10)
                  << "speedup" << std::string(band.size(), ' ') << std::setw(12) << "wall ratio" << "  " << std::left << "what changed\n";
            for (const auto& c : r.candidates) {
                const std::string verdict = c.measurement ? std::string(core::to_string(c.measurement->verdict)) : "skipped";
                const std::string cost = c.measurement && c.measurement->total_cost ? core::format_count(*c.measurement->total_cost)
                                         : c.measurement && c.measurement->verdict == core::Verdict::ok ? core::format_seconds(c.measurement->wall_seconds) : "-";
                s.out << std::left << std::setw(6) << c.candidate.id << std::setw(7) << c.round << std::setw(10) << verdict << std::right << std::setw(16) << cost
                      << std::setw(10) << (c.speedup ? core::format_ratio(*c.speedup) : "-") << (timed ? band : std::string(band.size(), ' '))
                      // Without a counter the speedup is the wall ratio already: not shown twice.
                      << std::setw(12) << (c.wall_speedup && r.baseline.total_cost ? core::format_ratio(*c.wall_speedup) : "-") << "  "
                      << what_changed(c.candidate.edit) << (c.note.empty() ? "" : " (" + c.note + ")") << (r.best && &c == &r.candidates[*r.best] ? "  <- best" : "")
                      << (c.contradicted ? "  <- not verified" : "") << "\n";
            }
            // Beyond the mild "ratios disagree" note: these gains are contradicted, so never verified.
            bool first_contradicted = true;
            for (const auto& c : r.candidates)
                if (c.contradicted) {
                    s.out << (first_contradicted ? "\n" : "") << "not verified: " << c.candidate.id << ": wall time contradicts its instruction gain: " << c.contradiction << "\n";
                    first_contradicted = false;
                }
            if (r.best) {
                const auto& b = r.candidates[*r.best];
                const std::string measure = r.baseline.total_cost ? " fewer instructions than the baseline" : " faster than the baseline (" + r.baseline.cost_unit + ", medians)";
                const std::string correct = repo_mode ? "the project builds and its tests pass" : "correct on all " + std::to_string(task->tests.size() + task->stress.size()) + " tests";
                s.out << "\nbest: " << b.candidate.id << ", " << (b.speedup ? core::format_ratio(*b.speedup) : "?") << band << measure
                      << (b.wall_speedup && r.baseline.total_cost ? ", wall time " + core::format_ratio(*b.wall_speedup) : "") << "; " << correct << "\n";
                if (runner::ratios_disagree(r.baseline, *b.measurement))
                    s.out << "note: the instruction ratio and the wall-time ratio disagree by more than their noise\n";
                s.out << patch;
            } else {
                s.out << "\nno verified speedup found";
                if (!r.candidates.empty()) s.out << " among " << r.candidates.size() << " candidates";
                s.out << "\n";
            }
            s.out << "stopped: " << r.stop_reason << " (" << r.rounds_run << " round" << (r.rounds_run == 1 ? "" : "s") << ", " << r.answers << " proposals";
            if (options.search == optimizer::Search::population) {
                s.out << "; population:";
                for (const auto& id : r.population) s.out << " " << id;
            }
            s.out << ")\n";
            if (source->usage) s.out << source->description << ": " << core::usage_line(usage) << "\n";
        }

        if (a->apply && r.best && repo_mode) {
            // Into the user's tree, only where the file is still what HEAD has (the patch is against HEAD).
            const fs::path target = fs::absolute(a->repo.repo) / task->baseline[0].path;
            const auto now = core::read_file(target);
            if (!now || *now != task->baseline[0].content) {
                s.err << "optiloop optimize: --apply: " << target.string() << " differs from HEAD (uncommitted changes?); apply best.patch by hand\n";
                return static_cast<int>(core::ExitCode::usage);
            }
            if (!core::write_file_atomically(target, best_sources[0].content)) {
                s.err << "optiloop optimize: --apply: cannot write " << target.string() << "\n";
                return static_cast<int>(core::ExitCode::usage);
            }
            s.err << "applied to " << target.string() << " (git diff shows the change)\n";
        } else if (a->apply && r.best) {
            const fs::path source(a->target.target);
            std::error_code ec;
            fs::copy_file(source, source.string() + ".orig", fs::copy_options::overwrite_existing, ec);
            if (ec || !core::write_file_atomically(source, best_sources[0].content)) {
                s.err << "optiloop optimize: --apply: cannot write " << source.string() << "\n";
                return static_cast<int>(core::ExitCode::usage);
            }
            s.err << "applied to " << source.string() << " (the original is " << source.string() << ".orig)\n";
        }
        // 0 when a candidate was verified, 1 when none was (a CI job can tell the two apart).
        return r.best ? 0 : static_cast<int>(core::ExitCode::findings);
    };
}

}  // namespace optiloop::cli

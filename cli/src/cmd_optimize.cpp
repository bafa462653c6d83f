// `optiloop optimize TARGET`: propose, verify and rank faster versions of a task folder or of a
// source file with --tests; print the table, write --out, and --apply the best when significant.
#include <memory>
#include <ostream>

#include <nlohmann/json.hpp>

#include <optiloop/core/files.hpp>
#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/optimizer/result_report.hpp>

#include "commands.hpp"
#include "config.hpp"
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
        auto fail = [&](const core::Error& e) {
            s.err << "optiloop optimize: " << e.message << "\n";
            return static_cast<int>(e.exit_code());
        };
        if (!settings) return fail(settings.error());
        note_proposer_sources(app, *settings, a->proposer);
        apply_settings(app, *settings);
        if (!a->out.empty())
            if (const std::string why = core::cannot_write(a->out, true); !why.empty())
                return fail(core::Error::input("--out " + a->out + ": cannot write there (" + why + ")"));
        const bool repo_mode = !a->repo.repo.empty();
        if (a->apply && !repo_mode && a->target.is_task_folder())
            return fail(core::Error::input("--apply works on a source file target; for a task folder use --out DIR"));
        auto opened = open_target(app, *settings, a->target, a->repo);
        if (!opened) return fail(opened.error());
        const core::Task& task = opened->task;
        // A CUDA task cannot be measured without a GPU: say so instead of failing its baseline.
        if (const std::string note = missing_gpu_note(task); !note.empty()) {
            s.err << "optiloop optimize: " << task.id << " is CUDA and this machine has no GPU (no /dev/nvidia* device): nothing can be measured here; "
                  << "run it on a GPU machine (optiloop analyze " << (a->target.target.empty() ? "KERNEL.cu" : a->target.target) << " reports its kernels' resources without one)\n";
            return static_cast<int>(core::ExitCode::infrastructure);
        }
        if (!a->proposer.provider_given) s.err << "optiloop optimize: no provider configured; using the offline rules proposer\n";
        auto source = proposer_source(a->proposer, [&](const std::string& line) { s.err << "  " << line << "\n"; });
        if (!source) return fail(source.error());
        std::unique_ptr<core::Proposer> proposer = source->make();

        optimizer::Options options;
        options.samples = a->samples;
        options.rounds = a->rounds;
        options.time_budget_seconds = a->time_budget;
        apply_search(a->search, a->proposer, options);
        options.measure.counter = counter_choice(a->counter);
        options.measure.jobs = a->jobs;
        options.measure.repeats = a->repeat;
        auto result = optimizer::optimize(task, *proposer, options, [&](const std::string& line) { s.err << "  " << line << "\n"; });
        if (!result) return fail(result.error());
        const auto& r = *result;
        optimizer::RunDescription run{a->proposer.provider, options.search, repo_mode, source->description, {}};
        if (source->usage) run.usage = proposer->usage();
        if (!a->out.empty())
            if (auto written = optimizer::write_result_folder(a->out, task, r, run); !written)
                return fail(core::Error{written.error().kind, "--out " + written.error().message});
        if (a->json) s.out << optimizer::result_json(task, r, run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        else s.out << optimizer::result_text(task, r, run);
        if (a->apply) {
            // A repository file only where it is still what HEAD has (the best version was made from HEAD's).
            const optimizer::ApplyTo to{repo_mode ? fs::absolute(a->repo.repo) / task.baseline[0].path : fs::path(a->target.target), !repo_mode, repo_mode};
            auto applied = optimizer::apply_best(task, r, to);
            if (!applied) return fail(applied.error());
            if (*applied)
                s.err << "applied to " << to.path.string() << (repo_mode ? " (git diff shows the change)" : " (the original is " + to.path.string() + ".orig)") << "\n";
        }
        // 0 when a candidate was verified, 1 when none was (a CI job can tell the two apart).
        return r.best ? 0 : static_cast<int>(core::ExitCode::findings);
    };
}

}  // namespace optiloop::cli

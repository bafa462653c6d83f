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
        const std::vector<core::SourceFile>& best_sources = optimizer::best_sources(*task, r);
        optimizer::RunDescription run{a->proposer.provider, options.search, repo_mode, source->description, {}};
        if (source->usage) run.usage = proposer->usage();
        if (!a->out.empty())
            if (auto written = optimizer::write_result_folder(a->out, *task, r, run); !written) {
                s.err << "optiloop optimize: --out " << written.error().message << "\n";
                return static_cast<int>(written.error().exit_code());
            }
        if (a->json) s.out << optimizer::result_json(*task, r, run).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        else s.out << optimizer::result_text(*task, r, run);

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

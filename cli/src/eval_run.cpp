#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <thread>

#include <optiloop/core/format.hpp>
#include <optiloop/optimizer/eval.hpp>
#include <optiloop/optimizer/slurm.hpp>

#include "eval_run.hpp"
#include "status_line.hpp"
#include "target.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_interrupted{false};

void on_signal(int) { g_interrupted.store(true); }

void install_interrupt_handler() {
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

std::optional<std::pair<int, int>> parse_shard(const std::string& text) {
    int i = 0, n = 0;
    char slash = 0;
    std::istringstream in(text);
    if (!(in >> i >> slash >> n) || slash != '/' || !in.eof() || n < 1 || i < 0 || i >= n) return std::nullopt;
    return std::make_pair(i, n);
}

std::string eta(double elapsed, std::size_t done_now, std::size_t left) {
    if (done_now == 0) return "?";
    const int seconds = static_cast<int>(elapsed / static_cast<double>(done_now) * static_cast<double>(left));
    return std::to_string(seconds / 60) + "m" + std::to_string(seconds % 60) + "s";
}

}  // namespace

void add_eval_run_options(CLI::App& app, EvalRunArgs& a) {
    add_proposer_options(app, a.proposer);
    add_search_options(app, a.search);
    add_setting(app, "samples", a.samples);
    add_setting(app, "rounds", a.rounds);
    // eval keeps its own defaults: one task at a time, one wall-time repetition (a dataset run
    // counts instructions; wall time is the cross-check).
    add_setting(app, "jobs", a.jobs);
    app.add_option("--limit", a.limit, "At most this many tasks")->check(CLI::Range(1, 1000000));
    app.add_option("--tasks", a.tasks, "Only the tasks whose id matches this glob");
    app.add_option("--shard", a.shard, "i/n: this machine's share of the tasks (0 <= i < n)");
    app.add_option("--db", a.db, "Results database (SQLite, WAL)");
    app.add_flag("--resume", a.resume, "Continue a run whose database exists, redoing nothing that finished");
    app.add_option("--merge", a.merge, "Join these shard databases into --db")->expected(1, -1);
    add_setting(app, "counter", a.counter);
    add_setting(app, "repeat", a.repeat);
    app.add_flag("--no-reference", a.no_reference, "Do not measure the tasks' references (no human-reference metrics)");
    app.add_flag("--slurm", a.slurm, "Run the shards as one Slurm job array (sbatch), watch it and merge the shard databases into --db");
    app.add_option("--shards", a.shards, "With --slurm: how many shards (array tasks)")->check(CLI::Range(1, 10000));
    app.add_option("--slurm-opt", a.slurm_options, "With --slurm: an sbatch option line, e.g. \"--partition=cpu --time=4:00:00\" (repeatable)");
    app.add_option("--slurm-dir", a.slurm_dir, "With --slurm: the run's folder (job script, shard databases, logs), on a filesystem every node shares (default: DB.slurm)");
    app.add_flag("--slurm-script-only", a.slurm_script_only, "With --slurm: print the job script and submit nothing");
    app.add_flag("--no-wait", a.no_wait, "With --slurm: submit and return; a later --slurm --resume watches, resubmits failed shards and merges");
}

// One database holds one configuration: a resumed run must be the same run. A shard stores this
// with " shard=i/n" appended; a whole run (plain or merged) with " shard=".
static std::string eval_config(const std::string& dataset, const EvalRunArgs& a) {
    return dataset + " provider=" + a.proposer.provider + (a.proposer.model.empty() ? "" : " model=" + a.proposer.model) + " k=" + std::to_string(a.samples) +
           " rounds=" + std::to_string(a.rounds) + " search=" + a.search.search + " population=" + std::to_string(a.search.population) +
           (a.search.search == "islands" ? " islands=" + std::to_string(a.search.islands) + " migrate-every=" + std::to_string(a.search.migrate_every) : "") +
           (a.search.no_polish ? " no-polish" : "") + " counter=" + a.counter + " tasks=" + a.tasks + " limit=" + (a.limit ? std::to_string(*a.limit) : "");
}

int merge_command(Streams& s, const EvalRunArgs& a) {
    auto merged = optimizer::merge_runs(a.db, a.merge);
    if (!merged) {
        s.err << "optiloop eval: " << merged.error().message << "\n";
        return static_cast<int>(merged.error().exit_code());
    }
    s.out << "merged " << *merged << " tasks into " << a.db << "\n";
    return 0;
}

int run_eval_command(Streams& s, const std::string& dataset, const std::vector<std::string>& ids, const LoadTask& load, const EvalRunArgs& a) {
    optimizer::Selection selection;
    selection.glob = a.tasks;
    selection.limit = a.limit;
    if (!a.shard.empty()) {
        const auto shard = parse_shard(a.shard);
        if (!shard) {
            s.err << "optiloop eval: --shard " << a.shard << ": expected i/n with 0 <= i < n, e.g. 0/4\n";
            return 2;
        }
        selection.shard_index = shard->first;
        selection.shard_count = shard->second;
    }
    const std::string provider = a.proposer.provider;
    StatusLine status(s.err);
    auto source = proposer_source(a.proposer, [&](const std::string& line) { status.print(line); });
    if (!source) {
        s.err << "optiloop eval: " << source.error().message << "\n";
        return static_cast<int>(source.error().exit_code());
    }
    const auto selected = optimizer::select_tasks(ids, selection);
    if (selected.empty()) {
        s.err << "optiloop eval: no task of " << dataset << " matches the selection\n";
        return 2;
    }
    // One database holds one configuration: a resumed run must be the same run.
    auto db = optimizer::open_run_database(a.db, eval_config(dataset, a) + " shard=" + a.shard, a.resume);
    if (!db) {
        s.err << "optiloop eval: " << db.error().message << "\n";
        return static_cast<int>(db.error().exit_code());
    }

    optimizer::EvalOptions options;
    options.jobs = a.jobs > 0 ? a.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));  // 0: one per core
    options.measure_reference = !a.no_reference;
    options.optimize.samples = a.samples;
    options.optimize.rounds = a.rounds;
    apply_search(a.search, a.proposer, options.optimize);
    options.optimize.parallel = 1;  // tasks already run side by side (--jobs)
    options.optimize.measure.repeats = a.repeat;
    options.optimize.measure.jobs = 1;
    options.optimize.measure.counter = counter_choice(a.counter);

    install_interrupt_handler();
    s.err << "eval: " << selected.size() << " tasks of " << dataset << " into " << a.db << " (provider " << provider << ")\n";
    auto progress = [&](const optimizer::EvalProgress& p) {
        const std::size_t fresh = p.done - p.skipped;
        std::ostringstream line;
        line << "[" << p.done << "/" << p.total << "] " << p.task << "  %OPT " << static_cast<int>(p.opt_percent * 10) / 10.0 << "%  ETA "
             << eta(p.elapsed_seconds, fresh, p.total - p.done) << (p.failed ? "  failed " + std::to_string(p.failed) : "");
        status.update(line.str());
    };
    auto result = optimizer::run_eval(selected, load, **db, source->make, options, progress, g_interrupted);
    status.finish();
    if (!result) {
        s.err << "optiloop eval: " << result.error().message << "\n";
        return static_cast<int>(result.error().exit_code());
    }
    if (g_interrupted.load()) {
        s.err << "optiloop eval: interrupted; " << result->done << " of " << result->total << " tasks are saved in " << a.db
              << "; rerun with --resume to finish\n";
        return static_cast<int>(core::ExitCode::interrupted);
    }
    s.out << "eval: " << result->done << " tasks in " << a.db << " (" << result->skipped << " from an earlier run, " << result->failed
          << " failed); see optiloop report " << a.db << "\n";
    if (source->usage) s.out << source->description << ": " << core::usage_line(source->usage->get()) << "\n";
    return 0;
}

namespace {

// The shards' command line: this eval command with every option the user gave (so provider,
// model, k, rounds, counter, budgets reach every shard as typed), less what --slurm owns.
std::vector<std::string> shard_command(const CLI::App& app, const std::string& binary, const std::string& dataset) {
    static const std::vector<std::string> owned = {"--help", "--slurm", "--shards", "--slurm-opt", "--slurm-dir", "--slurm-script-only",
                                                   "--no-wait", "--db", "--resume", "--shard", "--merge", "--validate", "--list"};
    std::vector<std::string> command = {binary, "eval", dataset};
    for (const CLI::Option* option : app.get_options()) {
        if (option->count() == 0 || option->get_positional()) continue;
        const std::string name = !option->get_lnames().empty() ? "--" + option->get_lnames().front() : "-" + option->get_snames().front();
        if (std::find(owned.begin(), owned.end(), name) != owned.end()) continue;
        if (option->get_expected_max() == 0) {
            command.push_back(name);
            continue;
        }
        for (const auto& value : option->results()) {
            command.push_back(name);
            command.push_back(value);
        }
    }
    return command;
}

}  // namespace

int run_slurm_command(Streams& s, const CLI::App& app, const std::string& dataset, const std::vector<std::string>& ids, const EvalRunArgs& a) {
    namespace slurm = optimizer::slurm;
    const auto start = std::chrono::steady_clock::now();
    auto fail = [&](const core::Error& e) {
        s.err << "optiloop eval: " << e.message << "\n";
        return static_cast<int>(e.exit_code());
    };
    if (!a.shard.empty()) return fail(core::Error::input("--shard: not with --slurm, which makes the shards itself (--shards N)"));
    optimizer::Selection selection;
    selection.glob = a.tasks;
    selection.limit = a.limit;
    const auto selected = optimizer::select_tasks(ids, selection);
    if (selected.empty()) return fail(core::Error::input("no task of " + dataset + " matches the selection"));
    std::error_code ec;
    const fs::path binary = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return fail(core::Error::infrastructure("--slurm: cannot find this optiloop binary's path (/proc/self/exe): " + ec.message()));

    slurm::ArrayRun run;
    run.db = fs::absolute(a.db).lexically_normal();
    run.config = eval_config(dataset, a);
    run.tasks = selected.size();
    run.resume = a.resume;
    run.no_wait = a.no_wait;
    slurm::Plan& plan = run.plan;
    plan.dir = fs::absolute(a.slurm_dir.empty() ? run.db.string() + ".slurm" : a.slurm_dir).lexically_normal();
    plan.workdir = fs::current_path();
    plan.command = shard_command(app, binary.string(), dataset);
    plan.shards = a.shards;
    plan.sbatch_options = a.slurm_options;
    const bool cpus_given = std::any_of(a.slurm_options.begin(), a.slurm_options.end(), [](const std::string& o) {
        return o.find("--cpus-per-task") != std::string::npos || o.find("-c ") != std::string::npos || o.rfind("-c", 0) == 0;
    });
    if (a.jobs > 1 && !cpus_given) plan.sbatch_options.push_back("--cpus-per-task=" + std::to_string(a.jobs));
    plan.shared = {binary, fs::path(dataset)};
    if (auto valid = slurm::validate(run); !valid) return fail(valid.error());

    if (a.slurm_script_only) {
        s.out << slurm::job_script(plan);
        s.err << "optiloop eval: to run it yourself: mkdir -p " << plan.dir.string() << " && sbatch SCRIPT; when every shard is done: optiloop eval --merge "
              << plan.dir.string() << "/shard-*.db --db " << run.db.string() << "\n";
        return 0;
    }
    auto client = slurm::host_client(plan.workdir);
    if (!client) return fail(client.error());
    install_interrupt_handler();
    StatusLine status(s.err);
    slurm::ArrayEvents events;
    events.note = [&](const std::string& line) { status.print("eval: " + line); };
    events.progress = [&](const std::string& job, const std::vector<slurm::Shard>& now) { status.update("eval: Slurm job " + job + ", " + slurm::summary(now)); };
    auto result = slurm::run_array(run, *client, events, g_interrupted);
    status.finish();
    if (!result) return fail(result.error());
    switch (result->outcome) {
        case slurm::ArrayOutcome::submitted:
            s.out << "eval: " << selected.size() << " tasks in " << a.shards << " shards submitted as Slurm job " << result->job
                  << "; rerun this command with --resume (without --no-wait) to watch it, resubmit failed shards and merge into " << run.db.string() << "\n";
            return 0;
        case slurm::ArrayOutcome::interrupted:
            s.err << "optiloop eval: stopped watching; the Slurm jobs keep running; rerun with --slurm --resume to watch and merge them (scancel " << result->job
                  << " stops them)\n";
            return static_cast<int>(core::ExitCode::interrupted);
        case slurm::ArrayOutcome::shards_failed:
            for (const auto& shard : result->failed) s.err << "optiloop eval: shard " << shard.index << " failed: " << shard.detail << "\n";
            s.err << "optiloop eval: " << result->failed.size() << " of " << a.shards << " shards failed; nothing was merged; rerun with --slurm --resume to resubmit them\n";
            return static_cast<int>(core::ExitCode::infrastructure);
        case slurm::ArrayOutcome::merged: break;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    s.out << "eval: " << result->merged << " tasks from " << a.shards << " Slurm shards merged into " << run.db.string() << " in " << static_cast<int>(seconds)
          << " s; see optiloop report " << run.db.string() << "\n";
    return 0;
}

}  // namespace optiloop::cli

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <thread>

#include <optiloop/core/format.hpp>
#include <optiloop/llm/secrets.hpp>
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
           (a.search.no_polish ? " no-polish" : "") + " counter=" + a.counter + " tasks=" + a.tasks + " limit=" + (a.limit ? std::to_string(*a.limit) : "");
}

int merge_command(Streams& s, const EvalRunArgs& a) {
    auto target = optimizer::ResultsDb::open(a.db);
    if (!target) {
        s.err << "optiloop eval: " << target.error().message << "\n";
        return 2;
    }
    int total = 0;
    for (const auto& path : a.merge) {
        if (!fs::exists(path)) {
            s.err << "optiloop eval: --merge " << path << ": no such file\n";
            return 2;
        }
        auto source = optimizer::ResultsDb::open_existing(path);
        if (!source) {
            s.err << "optiloop eval: " << source.error().message << "\n";
            return 2;
        }
        auto added = (*target)->merge_from(**source);
        if (!added) {
            s.err << "optiloop eval: " << added.error().message << "\n";
            return static_cast<int>(added.error().exit_code());
        }
        total += *added;
    }
    s.out << "merged " << total << " tasks into " << a.db << "\n";
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

    struct sigaction action {};
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    s.err << "eval: " << selected.size() << " tasks of " << dataset << " into " << a.db << " (provider " << provider << ")\n";
    std::size_t skipped_reported = 0;
    auto progress = [&](const optimizer::EvalProgress& p) {
        const std::size_t fresh = p.done - p.skipped;
        if (skipped_reported == 0 && p.skipped) skipped_reported = p.skipped;
        std::ostringstream line;
        line << "[" << p.done << "/" << p.total << "] " << p.task << "  %OPT " << static_cast<int>(p.opt_percent * 10) / 10.0 << "%  ETA "
             << eta(p.elapsed_seconds, fresh, p.total - p.done) << (p.failed ? "  failed " + std::to_string(p.failed) : "");
        status.update(line.str());
    };
    auto result = optimizer::run_eval(
        selected, load, **db,
        source->make,
        options, progress, g_interrupted);
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

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
    return false;
}

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

std::string shard_line(const std::vector<optimizer::slurm::Shard>& shards) {
    std::map<std::string, int> by_state;
    std::size_t done = 0, total = 0;
    for (const auto& shard : shards) {
        ++by_state[optimizer::slurm::to_string(shard.state)];
        done += shard.tasks_done;
        total += shard.tasks_total;
    }
    std::ostringstream line;
    line << shards.size() << " shards: " << by_state["pending"] << " pending, " << by_state["running"] << " running, " << by_state["done"]
         << " done, " << by_state["failed"] << " failed; " << done << " tasks finished";
    return line.str();
}

}  // namespace

int run_slurm_command(Streams& s, const CLI::App& app, const std::string& dataset, const std::vector<std::string>& ids, const EvalRunArgs& a) {
    namespace slurm = optimizer::slurm;
    const auto start = std::chrono::steady_clock::now();
    if (!a.shard.empty()) {
        s.err << "optiloop eval: --shard: not with --slurm, which makes the shards itself (--shards N)\n";
        return 2;
    }
    if (a.shards < 1) {
        s.err << "optiloop eval: --slurm: give --shards N, the number of array tasks to split the dataset into\n";
        return 2;
    }
    optimizer::Selection selection;
    selection.glob = a.tasks;
    selection.limit = a.limit;
    const auto selected = optimizer::select_tasks(ids, selection);
    if (selected.empty()) {
        s.err << "optiloop eval: no task of " << dataset << " matches the selection\n";
        return 2;
    }
    if (static_cast<std::size_t>(a.shards) > selected.size()) {
        s.err << "optiloop eval: --shards " << a.shards << ": only " << selected.size() << " tasks are selected; use at most that many shards\n";
        return 2;
    }
    std::error_code ec;
    const fs::path binary = fs::read_symlink("/proc/self/exe", ec);
    if (ec) {
        s.err << "optiloop eval: --slurm: cannot find this optiloop binary's path (/proc/self/exe): " << ec.message() << "\n";
        return 3;
    }
    const std::string db = fs::absolute(a.db).lexically_normal().string();
    slurm::Plan plan;
    plan.dir = fs::absolute(a.slurm_dir.empty() ? db + ".slurm" : a.slurm_dir).lexically_normal();
    plan.workdir = fs::current_path();
    plan.command = shard_command(app, binary.string(), dataset);
    plan.shards = a.shards;
    plan.sbatch_options = a.slurm_options;
    const bool cpus_given = std::any_of(a.slurm_options.begin(), a.slurm_options.end(), [](const std::string& o) {
        return o.find("--cpus-per-task") != std::string::npos || o.find("-c ") != std::string::npos || o.rfind("-c", 0) == 0;
    });
    if (a.jobs > 1 && !cpus_given) plan.sbatch_options.push_back("--cpus-per-task=" + std::to_string(a.jobs));
    plan.shared = {binary, fs::path(dataset)};
    const std::string config = eval_config(dataset, a);

    if (a.slurm_script_only) {
        s.out << slurm::job_script(plan);
        s.err << "optiloop eval: to run it yourself: mkdir -p " << plan.dir.string() << " && sbatch SCRIPT; when every shard is done: optiloop eval --merge "
              << plan.dir.string() << "/shard-*.db --db " << db << "\n";
        return 0;
    }
    if (!on_path("sbatch") || !on_path("squeue")) {
        s.err << "optiloop eval: --slurm: sbatch and squeue are not on PATH; run on a machine with Slurm's client tools (a login node), or try scripts/slurm-local\n";
        return 3;
    }
    for (const fs::path& p : {binary, fs::path(dataset), plan.dir, fs::path(db)})
        if (slurm::node_local(p))
            s.err << "optiloop eval: note: " << p.string() << " is usually local to each node; on a cluster of several nodes put the binary, the dataset, --slurm-dir and --db on a shared filesystem\n";

    auto state = slurm::read_state(plan.dir);
    if (!state) {
        s.err << "optiloop eval: --slurm-dir " << plan.dir.string() << ": " << state.error().message << "\n";
        return static_cast<int>(state.error().exit_code());
    }
    if (*state && !a.resume) {
        s.err << "optiloop eval: --slurm-dir " << plan.dir.string() << " holds a Slurm run already (job " << (*state)->jobs.back()
              << "); pass --resume to watch it, resubmit its failed shards and merge, or choose another --slurm-dir\n";
        return 2;
    }
    if (*state && ((*state)->config != config || (*state)->shards != a.shards)) {
        s.err << "optiloop eval: --slurm-dir " << plan.dir.string() << " was started with another configuration (" << (*state)->config << ", "
              << (*state)->shards << " shards); choose another --slurm-dir\n";
        return 2;
    }
    if (fs::exists(db, ec) && !a.resume) {
        s.err << "optiloop eval: --db " << db << " exists; pass --resume to continue that run or choose another --db\n";
        return 2;
    }
    fs::create_directories(plan.dir, ec);
    if (ec) {
        s.err << "optiloop eval: --slurm-dir " << plan.dir.string() << ": cannot be created: " << ec.message() << "\n";
        return 2;
    }

    // sbatch alone gets the API key (the jobs need it); squeue and the rest do not.
    const auto keys = llm::secret_environment();
    const slurm::Command sbatch = [&](const std::vector<std::string>& argv) { return runner::run_host(argv, plan.workdir, {}, keys); };
    const slurm::Command plain = [&](const std::vector<std::string>& argv) { return runner::run_host(argv, plan.workdir); };
    slurm::State run = state->value_or(slurm::State{config, a.shards, {}});
    auto submit = [&](const std::vector<int>& indices) -> int {
        auto id = slurm::submit(plan, indices, sbatch);
        if (!id) {
            s.err << "optiloop eval: --slurm: " << id.error().message << "\n";
            return static_cast<int>(id.error().exit_code());
        }
        run.jobs.push_back(*id);
        if (auto w = slurm::write_state(plan.dir, run); !w) {
            s.err << "optiloop eval: " << w.error().message << " (job " << *id << " is submitted)\n";
            return 3;
        }
        s.err << "eval: submitted Slurm job " << *id << " (" << indices.size() << " of " << a.shards << " shards; logs in " << plan.dir.string() << ")\n";
        return 0;
    };
    if (run.jobs.empty()) {
        std::vector<int> all(static_cast<std::size_t>(a.shards));
        for (int i = 0; i < a.shards; ++i) all[static_cast<std::size_t>(i)] = i;
        if (int code = submit(all)) return code;
    } else {
        auto shards = slurm::poll(plan, run.jobs, plain);
        if (!shards) {
            s.err << "optiloop eval: --slurm: " << shards.error().message << "\n";
            return static_cast<int>(shards.error().exit_code());
        }
        std::vector<int> again;
        for (const auto& shard : *shards)
            if (shard.state == slurm::ShardState::failed) {
                s.err << "eval: resubmitting shard " << shard.index << " (" << shard.detail << ")\n";
                again.push_back(shard.index);
            }
        if (!again.empty())
            if (int code = submit(again)) return code;
    }
    if (a.no_wait) {
        s.out << "eval: " << selected.size() << " tasks in " << a.shards << " shards submitted as Slurm job " << run.jobs.back()
              << "; rerun this command with --resume (without --no-wait) to watch it, resubmit failed shards and merge into " << db << "\n";
        return 0;
    }

    struct sigaction action {};
    action.sa_handler = on_signal;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    StatusLine status(s.err);
    auto shards = slurm::watch(
        plan, run.jobs, plain, [&](const std::vector<slurm::Shard>& now) { status.update("eval: Slurm job " + run.jobs.back() + ", " + shard_line(now)); },
        g_interrupted, 2.0);
    status.finish();
    if (!shards) {
        s.err << "optiloop eval: --slurm: " << shards.error().message << "\n";
        return static_cast<int>(shards.error().exit_code());
    }
    if (g_interrupted.load()) {
        s.err << "optiloop eval: stopped watching; the Slurm jobs keep running; rerun with --slurm --resume to watch and merge them (scancel "
              << run.jobs.back() << " stops them)\n";
        return static_cast<int>(core::ExitCode::interrupted);
    }
    std::size_t failed = 0;
    for (const auto& shard : *shards)
        if (shard.state == slurm::ShardState::failed) {
            s.err << "optiloop eval: shard " << shard.index << " failed: " << shard.detail << "\n";
            ++failed;
        }
    if (failed) {
        s.err << "optiloop eval: " << failed << " of " << a.shards << " shards failed; nothing was merged; rerun with --slurm --resume to resubmit them\n";
        return 3;
    }
    auto merged = slurm::merge(plan, config, db);
    if (!merged) {
        s.err << "optiloop eval: " << merged.error().message << "\n";
        return static_cast<int>(merged.error().exit_code());
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    s.out << "eval: " << *merged << " tasks from " << a.shards << " Slurm shards merged into " << db << " in " << static_cast<int>(seconds)
          << " s; see optiloop report " << db << "\n";
    return 0;
}

}  // namespace optiloop::cli

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <sstream>

#include <optiloop/optimizer/eval.hpp>

#include "eval_run.hpp"
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
    app.add_option("-k,--samples", a.samples, "Candidates per round")->check(CLI::Range(1, 64));
    app.add_option("--rounds", a.rounds, "Rounds per task")->check(CLI::Range(1, 50));
    app.add_option("--jobs,-j", a.jobs, "Tasks evaluated in parallel")->check(CLI::Range(1, 256));
    app.add_option("--limit", a.limit, "At most this many tasks")->check(CLI::Range(1, 1000000));
    app.add_option("--tasks", a.tasks, "Only the tasks whose id matches this glob");
    app.add_option("--shard", a.shard, "i/n: this machine's share of the tasks (0 <= i < n)");
    app.add_option("--db", a.db, "Results database (SQLite, WAL)");
    app.add_flag("--resume", a.resume, "Continue a run whose database exists, redoing nothing that finished");
    app.add_option("--merge", a.merge, "Join these shard databases into --db")->expected(1, -1);
    add_counter_option(app, a.counter);
    app.add_option("--repeat", a.repeat, "Wall-time repetitions per cost test")->check(CLI::Range(1, 100));
    app.add_flag("--no-reference", a.no_reference, "Do not measure the tasks' references (no human-reference metrics)");
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
    const bool terminal = ::isatty(STDERR_FILENO) && !std::getenv("CI");
    auto source = proposer_source(a.proposer, [&](const std::string& line) {
        if (terminal) s.err << "\r\033[K";
        s.err << line << "\n";
    });
    if (!source) {
        s.err << "optiloop eval: " << source.error().message << "\n";
        return static_cast<int>(source.error().exit_code());
    }
    const auto selected = optimizer::select_tasks(ids, selection);
    if (selected.empty()) {
        s.err << "optiloop eval: no task of " << dataset << " matches the selection\n";
        return 2;
    }
    const bool existed = fs::exists(a.db);
    auto db = optimizer::ResultsDb::open(a.db);
    if (!db) {
        s.err << "optiloop eval: " << db.error().message << "\n";
        return 2;
    }
    // One database holds one configuration: a resumed run must be the same run.
    const std::string config = dataset + " provider=" + provider + (a.proposer.model.empty() ? "" : " model=" + a.proposer.model) + " k=" + std::to_string(a.samples) + " rounds=" + std::to_string(a.rounds) +
                               " search=" + a.search.search + " population=" + std::to_string(a.search.population) + (a.search.no_polish ? " no-polish" : "") +
                               " counter=" + a.counter + " tasks=" + a.tasks + " limit=" + (a.limit ? std::to_string(*a.limit) : "") + " shard=" + a.shard;
    auto stored = (*db)->meta("config");
    auto done = (*db)->tasks();
    if (!stored || !done) {
        s.err << "optiloop eval: --db " << a.db << ": cannot be read\n";
        return 2;
    }
    if (existed && !done->empty() && !a.resume) {
        s.err << "optiloop eval: --db " << a.db << " already holds " << done->size() << " tasks; pass --resume to continue that run or choose another --db\n";
        return 2;
    }
    if (*stored && **stored != config) {
        s.err << "optiloop eval: --db " << a.db << " was written by another configuration (" << **stored << "); choose another --db\n";
        return 2;
    }
    if (auto r = (*db)->set_meta("config", config); !r) {
        s.err << "optiloop eval: " << r.error().message << "\n";
        return 3;
    }

    optimizer::EvalOptions options;
    options.jobs = a.jobs;
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
        if (terminal) s.err << "\r\033[K" << line.str() << std::flush;
        else s.err << line.str() << "\n";
    };
    auto result = optimizer::run_eval(
        selected, load, **db,
        source->make,
        options, progress, g_interrupted);
    if (terminal) s.err << "\n";
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
    if (source->usage) s.out << source->description << ": " << usage_line(source->usage->get()) << "\n";
    return 0;
}

}  // namespace optiloop::cli

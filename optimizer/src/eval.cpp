#include <filesystem>
#include <fnmatch.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include <optiloop/core/json.hpp>
#include <optiloop/optimizer/eval.hpp>
#include <optiloop/runner/verify.hpp>

namespace optiloop::optimizer {

core::Result<std::unique_ptr<ResultsDb>> open_run_database(const std::string& path, const std::string& config, bool resume) {
    std::error_code ec;
    const bool existed = std::filesystem::exists(path, ec);
    auto db = ResultsDb::open(path);
    if (!db) return core::fail(core::Error::input(db.error().message));
    auto stored = (*db)->meta("config");
    auto done = (*db)->tasks();
    if (!stored || !done) return core::fail(core::Error::input("--db " + path + ": cannot be read"));
    if (existed && !done->empty() && !resume)
        return core::fail(core::Error::input("--db " + path + " already holds " + std::to_string(done->size()) +
                                             " tasks; pass --resume to continue that run or choose another --db"));
    if (*stored && **stored != config)
        return core::fail(core::Error::input("--db " + path + " was written by another configuration (" + **stored + "); choose another --db"));
    if (auto r = (*db)->set_meta("config", config); !r) return core::fail(core::Error::infrastructure(r.error().message));
    return std::move(*db);
}

namespace {

// "DATASET provider=... shard=i/n" -> "DATASET provider=..."
std::string without_shard(const std::string& config) {
    const auto at = config.rfind(" shard=");
    return at == std::string::npos ? config : config.substr(0, at);
}

}  // namespace

core::Result<int> merge_runs(const std::string& path, const std::vector<std::string>& sources) {
    std::error_code ec;
    std::vector<std::unique_ptr<ResultsDb>> opened;
    std::optional<std::string> run;  // the configuration every database must share
    std::string first;               // the file it came from
    auto check = [&](ResultsDb& db, const std::string& file, const std::string& flag) -> core::Result<void> {
        auto stored = db.meta("config");
        if (!stored) return core::fail(core::Error::input(flag + " " + file + ": cannot be read: " + stored.error().message));
        if (!*stored) return {};  // written before databases recorded their run
        const std::string base = without_shard(**stored);
        if (!run) {
            run = base;
            first = file;
        } else if (*run != base) {
            return core::fail(core::Error::input(flag + " " + file + " holds another run (" + base + ") than " + first + " (" + *run +
                                                 "); merge only the shards of one run"));
        }
        return {};
    };
    for (const auto& source : sources) {
        if (!std::filesystem::exists(source, ec)) return core::fail(core::Error::input("--merge " + source + ": no such file"));
        auto db = ResultsDb::open_existing(source);
        if (!db) return core::fail(db.error());
        if (auto c = check(**db, source, "--merge"); !c) return core::fail(c.error());
        opened.push_back(std::move(*db));
    }
    if (std::filesystem::exists(path, ec) && std::filesystem::file_size(path, ec) > 0) {
        auto existing = ResultsDb::open_existing(path);
        if (!existing) return core::fail(existing.error());
        if (auto c = check(**existing, path, "--db"); !c) return core::fail(c.error());
    }
    auto target = ResultsDb::open(path);
    if (!target) return core::fail(target.error());
    int total = 0;
    for (auto& source : opened) {
        auto added = (*target)->merge_from(*source);
        if (!added) return core::fail(added.error());
        total += *added;
    }
    if (run)
        if (auto r = (*target)->set_meta("config", *run + " shard="); !r) return core::fail(r.error());
    return total;
}

std::vector<std::string> select_tasks(std::vector<std::string> ids, const Selection& s) {
    std::sort(ids.begin(), ids.end());
    std::vector<std::string> matched;
    for (const auto& id : ids)
        if (s.glob.empty() || ::fnmatch(s.glob.c_str(), id.c_str(), 0) == 0) matched.push_back(id);
    if (s.limit && static_cast<std::size_t>(*s.limit) < matched.size()) matched.resize(static_cast<std::size_t>(*s.limit));
    std::vector<std::string> shard;
    for (std::size_t i = 0; i < matched.size(); ++i)
        if (static_cast<int>(i % static_cast<std::size_t>(s.shard_count)) == s.shard_index) shard.push_back(matched[i]);
    return shard;
}

namespace {

std::string join_tags(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& t : tags) out += (out.empty() ? "" : ",") + t;
    return out;
}

// Evaluates one task; a Result error only for infrastructure failures.
core::Result<std::pair<TaskRow, std::vector<CandidateRow>>> evaluate(const std::string& id, const TaskLoader& load,
                                                                     const ProposerFactory& make_proposer, const EvalOptions& options) {
    TaskRow row;
    row.task_id = id;
    std::vector<CandidateRow> rows;
    auto task = load(id);
    if (!task) {
        if (task.error().kind != core::ErrorKind::input) return core::fail(task.error());
        row.status = "failed";
        row.error = task.error().message;
        return std::make_pair(row, rows);
    }
    row.tags = join_tags(task->tags);
    auto proposer = make_proposer();
    auto result = optimize(*task, *proposer, options.optimize);
    row.usage = proposer->usage();
    if (!result) {
        if (result.error().kind != core::ErrorKind::input) return core::fail(result.error());
        row.status = "failed";
        row.error = result.error().message;
        return std::make_pair(row, rows);
    }
    row.status = "done";
    row.search = to_string(options.optimize.search);
    row.rounds = result->rounds_run;
    row.stop = to_string(result->stop);
    row.stop_reason = result->stop_reason;
    for (const auto& id : result->population) row.population += (row.population.empty() ? "" : ",") + id;
    row.answers = result->answers;
    if (result->baseline_measured) {
        row.counter = core::to_string(result->baseline.counter);
        row.cost_unit = result->baseline.cost_unit;
        row.baseline_cost = result->baseline.total_cost;
    }
    if (options.measure_reference && !task->reference.empty()) {
        auto reference = runner::measure(*task, task->reference, options.optimize.measure);
        if (!reference) return core::fail(reference.error());
        if (reference->verdict == core::Verdict::ok) row.reference_cost = reference->total_cost;
    }
    // The optimizer never makes a contradicted candidate the best, so best_speedup (and the %OPT
    // counted from it below) holds only gains that wall time does not contradict.
    if (result->best) {
        row.best_candidate = result->candidates[*result->best].candidate.id;
        row.best_speedup = result->candidates[*result->best].speedup;
    }
    for (const auto& c : result->candidates) {
        CandidateRow r;
        r.task_id = id;
        r.candidate_id = c.candidate.id;
        r.round = c.round;
        r.verdict = c.measurement ? std::string(core::to_string(c.measurement->verdict)) : "skipped";
        if (c.measurement) {
            r.cost = c.measurement->total_cost;
            r.measurement_json = core::to_json(*c.measurement).dump();
        }
        r.speedup = c.speedup;
        r.wall_speedup = c.wall_speedup;
        r.change_size = static_cast<std::int64_t>(c.change_size);
        r.proposer = c.candidate.edit.proposer;
        r.explanation = c.note.empty() ? c.candidate.edit.explanation : c.note;
        // Kept, so that report leaves the claimed gain out of its metrics and says why.
        r.contradicted = c.contradicted;
        r.contradiction = c.contradiction;
        r.parent = c.candidate.parent;
        r.polish = c.polish;
        r.ratios_disagree = c.measurement && runner::ratios_disagree(result->baseline, *c.measurement);
        rows.push_back(std::move(r));
    }
    return std::make_pair(row, rows);
}

}  // namespace

core::Result<EvalProgress> run_eval(const std::vector<std::string>& ids, const TaskLoader& load, ResultsDb& db,
                                    const ProposerFactory& make_proposer, const EvalOptions& options,
                                    const std::function<void(const EvalProgress&)>& progress, const std::atomic<bool>& stop) {
    auto existing = db.tasks();
    if (!existing) return core::fail(existing.error());
    std::vector<std::string> todo;
    EvalProgress state;
    state.total = ids.size();
    std::size_t opt = 0;
    for (const auto& id : ids) {
        const auto it = std::find_if(existing->begin(), existing->end(), [&](const TaskRow& r) { return r.task_id == id; });
        if (it == existing->end()) todo.push_back(id);
        else {
            ++state.done;
            ++state.skipped;
            if (it->best_speedup && *it->best_speedup >= 1.10) ++opt;
        }
    }
    const auto start = std::chrono::steady_clock::now();
    std::mutex mutex;
    std::size_t next = 0;
    std::optional<core::Error> error;
    auto worker = [&] {
        for (;;) {
            std::string id;
            {
                std::lock_guard lock(mutex);
                if (error || stop.load() || next >= todo.size()) return;
                id = todo[next++];
            }
            auto result = evaluate(id, load, make_proposer, options);
            std::lock_guard lock(mutex);
            if (!result) {
                if (!error) error = result.error();
                return;
            }
            if (stop.load()) return;  // interrupted mid-task: leave it for --resume
            if (auto saved = db.save(result->first, result->second); !saved) {
                if (!error) error = saved.error();
                return;
            }
            ++state.done;
            if (result->first.status == "failed") ++state.failed;
            if (result->first.best_speedup && *result->first.best_speedup >= 1.10) ++opt;
            state.task = id;
            state.elapsed_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            state.opt_percent = state.done ? 100.0 * static_cast<double>(opt) / static_cast<double>(state.done) : 0;
            if (progress) progress(state);
        }
    };
    std::vector<std::thread> pool;
    for (int i = 1; i < std::max(1, options.jobs); ++i) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (error) return core::fail(*error);
    return state;
}

}  // namespace optiloop::optimizer

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include <optiloop/core/files.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/llm/secrets.hpp>
#include <optiloop/optimizer/results_db.hpp>
#include <optiloop/optimizer/slurm.hpp>

namespace optiloop::optimizer::slurm {

namespace fs = std::filesystem;

namespace {

std::string first_line(const std::string& s) {
    const std::string t = core::trimmed(s);
    return t.substr(0, t.find('\n'));
}

std::string array_list(const std::vector<int>& indices) {
    std::string out;
    for (int i : indices) out += (out.empty() ? "" : ",") + std::to_string(i);
    return out;
}

// What a failed shard said last: the line optiloop's own error starts with, else the last line.
std::string last_words(const std::string& log) {
    std::istringstream in(log);
    std::string line, last, error;
    while (std::getline(in, line)) {
        if (core::trimmed(line).empty()) continue;
        last = core::trimmed(line);
        if (last.rfind("optiloop", 0) == 0 || last.find("error") != std::string::npos) error = last;
    }
    return error.empty() ? last : error;
}

}  // namespace

fs::path script_path(const Plan& plan) { return plan.dir / "job.sh"; }
fs::path shard_db(const Plan& plan, int index) { return plan.dir / ("shard-" + std::to_string(index) + ".db"); }
fs::path shard_log(const Plan& plan, int index) { return plan.dir / ("shard-" + std::to_string(index) + ".log"); }
fs::path shard_exit(const Plan& plan, int index) { return plan.dir / ("shard-" + std::to_string(index) + ".exit"); }

std::string job_script(const Plan& plan) {
    const std::string dir = plan.dir.string();
    std::ostringstream s;
    s << "#!/bin/bash\n"
      << "#SBATCH --job-name=" << plan.job_name << "\n"
      << "#SBATCH --array=0-" << plan.shards - 1 << "\n"
      << "#SBATCH --output=" << dir << "/shard-%a.log\n"
      << "#SBATCH --open-mode=append\n"
      << "#SBATCH --chdir=" << plan.workdir.string() << "\n"
      << "#SBATCH --ntasks=1\n";
    for (const auto& option : plan.sbatch_options) s << "#SBATCH " << option << "\n";
    s << "# Written by optiloop eval --slurm: array task i evaluates shard i of " << plan.shards << ".\n"
      << "# An API key, when the provider needs one, comes from the environment sbatch exported;\n"
      << "# it is never written here or to a log.\n"
      << "set -u\n"
      << "i=${SLURM_ARRAY_TASK_ID:?this script runs as a Slurm array task}\n"
      << "dir=" << core::shell_quote(dir) << "\n"
      << "rm -f \"$dir/shard-$i.exit\"\n"
      << "# The LLM response cache (SQLite) and the build cache live under XDG_CACHE_HOME. SQLite must not\n"
      << "# be shared between hosts, so each shard has its own in the run's folder: used by one job at a\n"
      << "# time, and still there when a failed shard is resubmitted (its answers are not asked again).\n"
      << "export XDG_CACHE_HOME=\"$dir/cache-$i\"\n"
      << "echo \"optiloop eval --slurm: shard $i/" << plan.shards << " on $(hostname), job ${SLURM_ARRAY_JOB_ID:-?}_$i, $(date -u +%FT%TZ)\"\n"
      << "for path in " << core::shell_quote(dir);
    for (const auto& p : plan.shared) s << " " << core::shell_quote(p.string());
    s << "; do\n"
      << "  if [ ! -e \"$path\" ]; then\n"
      << "    echo \"optiloop eval --slurm: $path is not visible on $(hostname): the optiloop binary, the dataset and the run's folder must be on a filesystem every node shares\"\n"
      << "    echo 3 > \"$dir/shard-$i.exit\" 2>/dev/null\n"
      << "    exit 3\n"
      << "  fi\n"
      << "done\n";
    for (std::size_t k = 0; k < plan.command.size(); ++k) s << (k ? " " : "") << core::shell_quote(plan.command[k]);
    s << " --shard \"$i/" << plan.shards << "\" --db \"$dir/shard-$i.db\" --resume\n"
      << "code=$?\n"
      << "echo \"$code\" > \"$dir/shard-$i.exit.tmp\" && mv \"$dir/shard-$i.exit.tmp\" \"$dir/shard-$i.exit\"\n"
      << "exit \"$code\"\n";
    return s.str();
}

bool node_local(const fs::path& path) {
    const std::string p = path.lexically_normal().string();
    for (const char* prefix : {"/tmp", "/var/tmp", "/dev/shm", "/run"}) {
        const std::string x(prefix);
        if (p == x || p.rfind(x + "/", 0) == 0) return true;
    }
    return false;
}

core::Result<std::optional<State>> read_state(const fs::path& dir) {
    const fs::path file = dir / "slurm.json";
    std::error_code ec;
    if (!fs::exists(file, ec)) return std::optional<State>();
    const auto text = core::read_file(file);
    if (!text) return core::fail(core::Error::infrastructure(file.string() + ": cannot be read"));
    try {
        const auto j = nlohmann::json::parse(*text);
        State state;
        state.config = j.at("config").get<std::string>();
        state.shards = j.at("shards").get<int>();
        state.jobs = j.at("jobs").get<std::vector<std::string>>();
        if (state.shards < 1) throw std::runtime_error("shards < 1");
        return std::optional<State>(std::move(state));
    } catch (const std::exception&) {
        return core::fail(core::Error::input(file.string() + ": not a run state optiloop wrote (expected config, shards, jobs); remove the folder or choose another --slurm-dir"));
    }
}

core::Result<void> write_state(const fs::path& dir, const State& state) {
    const nlohmann::json j{{"config", state.config}, {"shards", state.shards}, {"jobs", state.jobs}};
    if (!core::write_file_atomically(dir / "slurm.json", j.dump(2) + "\n"))
        return core::fail(core::Error::infrastructure((dir / "slurm.json").string() + ": cannot be written"));
    return {};
}

core::Result<std::string> submit(const Plan& plan, const std::vector<int>& indices, const Command& run) {
    if (!core::write_file_atomically(script_path(plan), job_script(plan), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec))
        return core::fail(core::Error::infrastructure(script_path(plan).string() + ": cannot be written"));
    for (int i : indices) {
        std::error_code ec;
        fs::remove(shard_exit(plan, i), ec);
    }
    const auto r = run({"sbatch", "--parsable", "--array=" + array_list(indices), script_path(plan).string()});
    const std::string out = core::trimmed(r.output);
    if (r.exit_code == 127) return core::fail(core::Error::infrastructure("sbatch could not be run (not on PATH?)"));
    // --parsable prints "JOBID" or "JOBID;CLUSTER" (warnings, if any, come first).
    const std::string last = out.substr(out.find_last_of('\n') == std::string::npos ? 0 : out.find_last_of('\n') + 1);
    const std::string id = last.substr(0, last.find(';'));
    const bool numeric = !id.empty() && std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); });
    if (r.exit_code != 0 || !numeric) {
        const std::string why = out.empty() ? "exit code " + std::to_string(r.exit_code) : last_words(out);
        // What the user typed (a partition, a time, an option) is wrong, or the cluster is not reachable.
        const bool wrong_option = out.find("nvalid") != std::string::npos || out.find("unrecognized option") != std::string::npos ||
                                  out.find("requires an argument") != std::string::npos || out.find("not available") != std::string::npos;
        return core::fail(wrong_option ? core::Error::input("sbatch rejected the job: " + why + " (check --slurm-opt)")
                                       : core::Error::infrastructure("sbatch could not submit the job: " + why));
    }
    return id;
}

const char* to_string(ShardState state) {
    switch (state) {
        case ShardState::pending: return "pending";
        case ShardState::running: return "running";
        case ShardState::done: return "done";
        case ShardState::failed: return "failed";
    }
    return "?";
}

std::map<std::pair<std::string, int>, std::string> parse_squeue(const std::string& text) {
    std::map<std::pair<std::string, int>, std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string job, index, state;
        if (!(fields >> job >> index >> state)) continue;
        // Pending array tasks may still be one line with a range ("4-7", "1,3", "0-9%2").
        const std::string list = index.substr(0, index.find('%'));
        std::istringstream parts(list);
        std::string part;
        while (std::getline(parts, part, ',')) {
            try {
                const auto dash = part.find('-');
                const int from = std::stoi(part.substr(0, dash));
                const int to = dash == std::string::npos ? from : std::stoi(part.substr(dash + 1));
                for (int i = from; i <= to && i - from < 100000; ++i) out[{job, i}] = state;
            } catch (const std::exception&) {
            }
        }
    }
    return out;
}

core::Result<std::vector<Shard>> poll(const Plan& plan, const std::vector<std::string>& jobs, const Command& run) {
    std::map<std::pair<std::string, int>, std::string> queued;
    if (!jobs.empty()) {
        // Filtering by name never fails for a job that has left the queue, as --jobs does.
        runner::HostRun r;
        for (int attempt = 0; attempt < 3; ++attempt) {
            r = run({"squeue", "-h", "-r", "-n", plan.job_name, "-o", "%F %K %T"});
            if (r.exit_code == 0) break;
            std::this_thread::sleep_for(std::chrono::seconds(1));
        }
        if (r.exit_code != 0)
            return core::fail(core::Error::infrastructure("squeue failed: " + (core::trimmed(r.output).empty() ? "exit code " + std::to_string(r.exit_code) : first_line(r.output))));
        queued = parse_squeue(r.output);
    }
    static const std::regex progress(R"(\[(\d+)/(\d+)\])");
    std::vector<Shard> shards;
    for (int i = 0; i < plan.shards; ++i) {
        Shard shard;
        shard.index = i;
        const auto log = core::read_file(shard_log(plan, i)).value_or("");
        for (auto it = std::sregex_iterator(log.begin(), log.end(), progress); it != std::sregex_iterator(); ++it) {
            shard.tasks_done = std::stoul((*it)[1]);
            shard.tasks_total = std::stoul((*it)[2]);
        }
        if (const auto code = core::read_file(shard_exit(plan, i))) {
            const std::string c = core::trimmed(*code);
            if (c == "0") {
                shard.state = ShardState::done;
            } else {
                shard.state = ShardState::failed;
                shard.detail = "exit code " + c + ": " + last_words(log);
            }
        } else {
            std::string state;
            // The newest job holding index i decides (an older attempt may linger while it ends).
            for (auto job = jobs.rbegin(); job != jobs.rend() && state.empty(); ++job)
                if (auto q = queued.find({*job, i}); q != queued.end()) state = q->second;
            if (state.empty()) {
                shard.state = ShardState::failed;
                shard.detail = "left the queue without finishing (cancelled, out of time, or its node failed); see " + shard_log(plan, i).string();
            } else if (state == "PENDING" || state == "REQUEUED" || state == "SUSPENDED" || state == "RESV_DEL_HOLD") {
                shard.state = ShardState::pending;
            } else {
                shard.state = ShardState::running;
            }
        }
        shards.push_back(std::move(shard));
    }
    return shards;
}

core::Result<std::vector<Shard>> watch(const Plan& plan, const std::vector<std::string>& jobs, const Command& run,
                                       const std::function<void(const std::vector<Shard>&)>& update, const std::atomic<bool>& stop,
                                       double poll_seconds) {
    for (;;) {
        auto shards = poll(plan, jobs, run);
        if (!shards) return shards;
        if (update) update(*shards);
        const bool busy = std::any_of(shards->begin(), shards->end(), [](const Shard& s) { return s.state == ShardState::pending || s.state == ShardState::running; });
        if (!busy || stop.load()) return shards;
        const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(poll_seconds);
        while (std::chrono::steady_clock::now() < until && !stop.load()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

core::Result<int> merge(const Plan& plan, const std::string& config, const std::string& db) {
    const fs::path partial = db + ".merging";
    std::error_code ec;
    fs::remove(partial, ec);
    int total = 0;
    {
        auto target = ResultsDb::open(partial.string());
        if (!target) return core::fail(target.error());
        for (int i = 0; i < plan.shards; ++i) {
            const std::string path = shard_db(plan, i).string();
            const std::string expected = config + " shard=" + std::to_string(i) + "/" + std::to_string(plan.shards);
            auto fail = [&](core::Error e) {
                target->reset();
                fs::remove(partial, ec);
                return core::fail(std::move(e));
            };
            if (!fs::exists(path, ec)) return fail(core::Error::infrastructure("shard database " + path + " is missing"));
            auto source = ResultsDb::open_existing(path);
            if (!source) return fail(source.error());
            auto stored = (*source)->meta("config");
            if (!stored) return fail(stored.error());
            if (!*stored || **stored != expected)
                return fail(core::Error::input("shard database " + path + " was written by another configuration (" + stored->value_or("none") +
                                               "); remove it and rerun with --resume"));
            auto added = (*target)->merge_from(**source);
            if (!added) return fail(added.error());
            total += *added;
        }
        if (auto r = (*target)->set_meta("config", config + " shard="); !r) {
            target->reset();
            fs::remove(partial, ec);
            return core::fail(r.error());
        }
    }
    fs::rename(partial, db, ec);
    if (ec) {
        fs::remove(partial, ec);
        return core::fail(core::Error::infrastructure("cannot move the merged database to " + db + ": " + ec.message()));
    }
    return total;
}

std::string summary(const std::vector<Shard>& shards) {
    std::map<ShardState, int> by_state;
    std::size_t done = 0;
    for (const auto& shard : shards) {
        ++by_state[shard.state];
        done += shard.tasks_done;
    }
    std::ostringstream line;
    line << shards.size() << " shards: " << by_state[ShardState::pending] << " pending, " << by_state[ShardState::running] << " running, "
         << by_state[ShardState::done] << " done, " << by_state[ShardState::failed] << " failed; " << done << " tasks finished";
    return line.str();
}

namespace {

bool on_path(const std::string& program) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && ::access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
    return false;
}

}  // namespace

core::Result<Client> host_client(const fs::path& workdir) {
    if (!on_path("sbatch") || !on_path("squeue"))
        return core::fail(core::Error::infrastructure(
            "--slurm: sbatch and squeue are not on PATH; run on a machine with Slurm's client tools (a login node), or try scripts/slurm-local"));
    Client client;
    client.sbatch = [workdir, keys = llm::secret_environment()](const std::vector<std::string>& argv) { return runner::run_host(argv, workdir, {}, keys); };
    client.plain = [workdir](const std::vector<std::string>& argv) { return runner::run_host(argv, workdir); };
    return client;
}

core::Result<void> validate(const ArrayRun& run) {
    if (run.plan.shards < 1) return core::fail(core::Error::input("--slurm: give --shards N, the number of array tasks to split the dataset into"));
    if (static_cast<std::size_t>(run.plan.shards) > run.tasks)
        return core::fail(core::Error::input("--shards " + std::to_string(run.plan.shards) + ": only " + std::to_string(run.tasks) +
                                             " tasks are selected; use at most that many shards"));
    return {};
}

core::Result<ArrayResult> run_array(const ArrayRun& run, const Client& client, const ArrayEvents& events, const std::atomic<bool>& stop) {
    const Plan& plan = run.plan;
    const std::string dir = plan.dir.string();
    auto note = [&](const std::string& line) {
        if (events.note) events.note(line);
    };
    if (auto valid = validate(run); !valid) return core::fail(valid.error());
    std::vector<fs::path> local_checks = plan.shared;
    local_checks.push_back(plan.dir);
    local_checks.push_back(run.db);
    for (const fs::path& p : local_checks)
        if (node_local(p))
            note("note: " + p.string() + " is usually local to each node; on a cluster of several nodes put the binary, the dataset, --slurm-dir and --db on a shared filesystem");

    auto state = read_state(plan.dir);
    if (!state) return core::fail(core::Error{state.error().kind, "--slurm-dir " + dir + ": " + state.error().message});
    if (*state && !run.resume)
        return core::fail(core::Error::input("--slurm-dir " + dir + " holds a Slurm run already (job " + (*state)->jobs.back() +
                                             "); pass --resume to watch it, resubmit its failed shards and merge, or choose another --slurm-dir"));
    if (*state && ((*state)->config != run.config || (*state)->shards != plan.shards))
        return core::fail(core::Error::input("--slurm-dir " + dir + " was started with another configuration (" + (*state)->config + ", " +
                                             std::to_string((*state)->shards) + " shards); choose another --slurm-dir"));
    std::error_code ec;
    if (fs::exists(run.db, ec) && !run.resume)
        return core::fail(core::Error::input("--db " + run.db.string() + " exists; pass --resume to continue that run or choose another --db"));
    fs::create_directories(plan.dir, ec);
    if (ec) return core::fail(core::Error::input("--slurm-dir " + dir + ": cannot be created: " + ec.message()));

    State saved = state->value_or(State{run.config, plan.shards, {}});
    auto submit_shards = [&](const std::vector<int>& indices) -> core::Result<void> {
        auto id = submit(plan, indices, client.sbatch);
        if (!id) return core::fail(core::Error{id.error().kind, "--slurm: " + id.error().message});
        saved.jobs.push_back(*id);
        if (auto w = write_state(plan.dir, saved); !w)
            return core::fail(core::Error::infrastructure(w.error().message + " (job " + *id + " is submitted)"));
        note("submitted Slurm job " + *id + " (" + std::to_string(indices.size()) + " of " + std::to_string(plan.shards) + " shards; logs in " + dir + ")");
        return {};
    };
    if (saved.jobs.empty()) {
        std::vector<int> all(static_cast<std::size_t>(plan.shards));
        for (int i = 0; i < plan.shards; ++i) all[static_cast<std::size_t>(i)] = i;
        if (auto r = submit_shards(all); !r) return core::fail(r.error());
    } else {
        auto shards = poll(plan, saved.jobs, client.plain);
        if (!shards) return core::fail(core::Error{shards.error().kind, "--slurm: " + shards.error().message});
        std::vector<int> again;
        for (const auto& shard : *shards)
            if (shard.state == ShardState::failed) {
                note("resubmitting shard " + std::to_string(shard.index) + " (" + shard.detail + ")");
                again.push_back(shard.index);
            }
        if (!again.empty())
            if (auto r = submit_shards(again); !r) return core::fail(r.error());
    }
    ArrayResult result;
    result.job = saved.jobs.back();
    if (run.no_wait) return result;

    auto shards = watch(
        plan, saved.jobs, client.plain,
        [&](const std::vector<Shard>& now) {
            if (events.progress) events.progress(result.job, now);
        },
        stop, run.poll_seconds);
    if (!shards) return core::fail(core::Error{shards.error().kind, "--slurm: " + shards.error().message});
    if (stop.load()) {
        result.outcome = ArrayOutcome::interrupted;
        return result;
    }
    for (const auto& shard : *shards)
        if (shard.state == ShardState::failed) result.failed.push_back(shard);
    if (!result.failed.empty()) {
        result.outcome = ArrayOutcome::shards_failed;
        return result;
    }
    auto merged = merge(plan, run.config, run.db.string());
    if (!merged) return core::fail(merged.error());
    result.outcome = ArrayOutcome::merged;
    result.merged = *merged;
    return result;
}

}  // namespace optiloop::optimizer::slurm

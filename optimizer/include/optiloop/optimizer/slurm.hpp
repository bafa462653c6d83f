// `optiloop eval --slurm`: a dataset's shards as one Slurm job array. Each array task runs
// `optiloop eval ... --shard i/n --db DIR/shard-i.db --resume` on a compute node; the submitting
// process watches the jobs through squeue and the files the job script leaves, resubmits failed
// shards when asked, and merges the shard databases into one when every shard is done.
//
// Everything lives in one folder (DIR) that every node must see: the job script, the run's state
// (slurm.json), and per shard its database, its log and its exit file. Progress is read from the
// logs, not from the shard databases: SQLite's WAL must not be read from another host while it
// is written.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/runner/repository.hpp>

namespace optiloop::optimizer::slurm {

struct Plan {
    std::filesystem::path dir;         // absolute; see above
    std::filesystem::path workdir;     // absolute; the jobs start here (sbatch --chdir)
    std::vector<std::string> command;  // one shard's eval command line, the absolute binary first, without --shard/--db/--resume
    int shards = 1;
    std::vector<std::string> sbatch_options;      // each one #SBATCH line ("--partition=cpu --time=2:00:00")
    std::vector<std::filesystem::path> shared;    // paths every node must see (binary, dataset): checked by each job first
    std::string job_name = "optiloop-eval";
};

std::filesystem::path script_path(const Plan& plan);
std::filesystem::path shard_db(const Plan& plan, int index);
std::filesystem::path shard_log(const Plan& plan, int index);
std::filesystem::path shard_exit(const Plan& plan, int index);

// The job array script. No secret is ever in it: an API key reaches the jobs through the
// environment sbatch exports.
std::string job_script(const Plan& plan);

// Paths that are usually local to each node (/tmp, /var/tmp, /dev/shm, /run): fine on a one-node
// cluster, wrong on a real one.
bool node_local(const std::filesystem::path& path);

// DIR/slurm.json: what a later --resume needs.
struct State {
    std::string config;             // the run's configuration; a resumed run must be the same run
    int shards = 0;
    std::vector<std::string> jobs;  // every job id submitted for the run, oldest first
};
core::Result<std::optional<State>> read_state(const std::filesystem::path& dir);
core::Result<void> write_state(const std::filesystem::path& dir, const State& state);

// Runs one Slurm client command (sbatch, squeue); a seam for tests.
using Command = std::function<runner::HostRun(const std::vector<std::string>& argv)>;

// Writes the job script and submits it for the given shard indices; the job id. A job the
// cluster rejects is an input error when sbatch names a wrong option, else infrastructure.
core::Result<std::string> submit(const Plan& plan, const std::vector<int>& indices, const Command& run);

enum class ShardState { pending, running, done, failed };
const char* to_string(ShardState state);

struct Shard {
    int index = 0;
    ShardState state = ShardState::pending;
    std::string detail;  // why it failed
    std::size_t tasks_done = 0, tasks_total = 0;  // the last "[d/t]" progress line of its log
};

// `squeue -h -r -o '%F %K %T'`: (array job id, array index) -> Slurm state.
std::map<std::pair<std::string, int>, std::string> parse_squeue(const std::string& text);

// One look at every shard: its exit file when it has one, else its line in squeue, else failed
// (it left the queue without finishing: cancelled, out of time, its node lost).
core::Result<std::vector<Shard>> poll(const Plan& plan, const std::vector<std::string>& jobs, const Command& run);

// Polls until no shard is pending or running (or `stop` is set); `update` sees every look.
core::Result<std::vector<Shard>> watch(const Plan& plan, const std::vector<std::string>& jobs, const Command& run,
                                       const std::function<void(const std::vector<Shard>&)>& update, const std::atomic<bool>& stop,
                                       double poll_seconds);

// Joins the shard databases into `db`. Each shard must have stored `config + " shard=i/n"`; the
// result stores `config + " shard="`, as a plain eval of the same tasks does. Written beside `db`
// and renamed into place: a failure merges nothing. The number of tasks merged.
core::Result<int> merge(const Plan& plan, const std::string& config, const std::string& db);

// One line on the shards: "3 shards: 0 pending, 1 running, 2 done, 0 failed; 5 tasks finished".
std::string summary(const std::vector<Shard>& shards);

// The Slurm client tools of the submitting machine. sbatch alone gets the provider's API key
// (the jobs need it); squeue and the rest do not. An infrastructure error when sbatch or squeue
// is not on PATH.
struct Client {
    Command sbatch;
    Command plain;
};
core::Result<Client> host_client(const std::filesystem::path& workdir);

// `eval --slurm` from start to end: refuses a folder holding another run (or any run without
// `resume`) and an existing `db` without `resume`; submits every shard, or on a resumed run
// resubmits the failed ones; unless `no_wait`, watches until no shard is queued or `stop` is set,
// and merges the shard databases into `db` when every shard is done.
struct ArrayRun {
    Plan plan;
    std::string config;            // the run's configuration: slurm.json's and the merged database's
    std::filesystem::path db;      // absolute
    std::size_t tasks = 0;         // how many tasks the shards split (at least `plan.shards`)
    bool resume = false;
    bool no_wait = false;
    double poll_seconds = 2.0;
};
struct ArrayEvents {
    std::function<void(const std::string&)> note;  // "submitted Slurm job 12 (3 of 3 shards; ...)", "resubmitting shard 1 (...)"
    std::function<void(const std::string& job, const std::vector<Shard>&)> progress;  // every look while watching
};
enum class ArrayOutcome {
    submitted,      // no_wait: the jobs are queued
    merged,         // every shard done, merged into db
    shards_failed,  // some shard failed; nothing merged
    interrupted,    // `stop` was set while watching; the jobs keep running
};
struct ArrayResult {
    ArrayOutcome outcome = ArrayOutcome::submitted;
    std::string job;            // the newest job id
    int merged = 0;             // tasks merged
    std::vector<Shard> failed;  // shards_failed: which, and why
};
// The shard count against the tasks (run_array checks it first too).
core::Result<void> validate(const ArrayRun& run);
core::Result<ArrayResult> run_array(const ArrayRun& run, const Client& client, const ArrayEvents& events, const std::atomic<bool>& stop);

}  // namespace optiloop::optimizer::slurm

// Batch evaluation: the optimizer over many tasks, in parallel, each task's result saved in the
// results database the moment it finishes. Shardable (--shard i/n) and resumable.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/proposer.hpp>
#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/optimizer/results_db.hpp>

namespace optiloop::optimizer {

struct Selection {
    std::string glob;             // fnmatch pattern on task ids; empty: all
    std::optional<int> limit;     // at most this many (after the glob, before sharding)
    int shard_index = 0, shard_count = 1;
};

// The task ids to run, in a stable order: sorted, filtered, limited, then every n-th from i.
std::vector<std::string> select_tasks(std::vector<std::string> ids, const Selection& selection);

struct EvalOptions {
    Options optimize;
    int jobs = 1;  // tasks in parallel
    bool measure_reference = true;
};

struct EvalProgress {
    std::size_t done = 0, total = 0, failed = 0, skipped = 0;
    std::string task;  // the one that just finished
    double elapsed_seconds = 0;
    double opt_percent = 0;  // share of finished tasks with a verified speedup >= 1.10
};

// Opens the results database of a run with configuration `config` (a string naming everything
// that decides its results). One database holds one configuration: a database with tasks from an
// earlier run is refused unless `resume`, one written by another configuration always is (input
// errors naming --db); the configuration is recorded.
core::Result<std::unique_ptr<ResultsDb>> open_run_database(const std::string& path, const std::string& config, bool resume);

// `eval --merge SOURCES --db DB`: joins the shard databases of one run into `db` (created when
// missing); a task already in `db` is kept. Every source is opened and checked before `db` is
// touched: a missing file, a file that is not a results database, or shards of different runs
// (their configurations, less " shard=i/n", differ from each other or from `db`'s) are input errors
// naming the file, and nothing is written. The merged database records the run's configuration
// with " shard=", as a plain eval of the same tasks does. The number of tasks added.
core::Result<int> merge_runs(const std::string& db, const std::vector<std::string>& sources);

using ProposerFactory = std::function<std::unique_ptr<core::Proposer>()>;
using TaskLoader = std::function<core::Result<core::Task>(const std::string& id)>;

// Runs every id not yet in the database. An infrastructure error stops the run; a task whose
// baseline fails or whose files are broken is saved as "failed" with the reason.
core::Result<EvalProgress> run_eval(const std::vector<std::string>& ids, const TaskLoader& load, ResultsDb& db,
                                    const ProposerFactory& make_proposer, const EvalOptions& options,
                                    const std::function<void(const EvalProgress&)>& progress, const std::atomic<bool>& stop);

}  // namespace optiloop::optimizer

// The results database of an eval: one row per task and one per candidate, in SQLite (WAL).
// A task's rows are written in one transaction when it finishes, so a run killed at any moment
// loses only the tasks in flight and --resume redoes nothing that finished.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/sqlite.hpp>
#include <optiloop/core/proposer.hpp>
#include <optiloop/optimizer/optimizer.hpp>


namespace optiloop::optimizer {

struct TaskRow {
    std::string task_id;
    std::string status;  // "done" or "failed"
    std::string error;   // when failed
    std::string tags;    // comma-separated
    std::string counter;
    std::string cost_unit;
    std::optional<double> baseline_cost;
    std::optional<double> reference_cost;
    std::string best_candidate;
    std::optional<double> best_speedup;
    core::ProposerUsage usage;  // what the task's proposer spent (LLM requests and tokens)
    // How the search went (empty / 0 in databases written before these columns existed).
    std::string search;       // optimizer::to_string(Search): "population", "greedy", "islands", "elites"
    int rounds = 0;
    std::string stop;         // optimizer::to_string(Stop)
    std::string stop_reason;
    std::string population;   // the final population's ids, best first, comma-separated
    std::int64_t answers = 0;  // edits the proposer returned
};

struct CandidateRow {
    std::string task_id;
    std::string candidate_id;
    int round = 0;
    std::string verdict;  // "skipped" when the edit did not apply
    std::optional<double> cost;
    std::optional<double> speedup;
    std::optional<double> wall_speedup;
    std::int64_t change_size = 0;
    std::string proposer;
    std::string explanation;
    std::string measurement_json;
    // Wall time contradicts its instruction gain (runner::time_contradiction), and why. Databases
    // written before these columns existed read as not contradicted.
    bool contradicted = false;
    std::string contradiction;
    std::string parent;            // the program it was made from ("baseline", "c3")
    bool polish = false;           // the rules polishing a model's new best
    bool ratios_disagree = false;  // its instruction and wall-time ratios differ by more than their noise
};

class ResultsDb {
public:
    // Opens path for writing, creating it and the schema where missing.
    static core::Result<std::unique_ptr<ResultsDb>> open(const std::string& path);
    // Opens an existing results database read-only (report, merge sources): a file that is not
    // one is an input error, and nothing is written to it.
    static core::Result<std::unique_ptr<ResultsDb>> open_existing(const std::string& path);
    ~ResultsDb();
    ResultsDb(const ResultsDb&) = delete;
    ResultsDb& operator=(const ResultsDb&) = delete;

    core::Result<void> save(const TaskRow& task, const std::vector<CandidateRow>& candidates);
    core::Result<std::vector<TaskRow>> tasks();
    core::Result<std::vector<CandidateRow>> candidates(const std::string& task_id = "");
    core::Result<std::optional<std::string>> meta(const std::string& key);
    core::Result<void> set_meta(const std::string& key, const std::string& value);
    // Copies every task (and its candidates) of other that this database lacks.
    core::Result<int> merge_from(ResultsDb& other);

private:
    ResultsDb(core::sqlite::Database db, std::string path) : m_db(std::move(db)), m_path(std::move(path)) {}
    core::Result<void> exec(const std::string& sql);
    // Adds the columns later versions added to an older database's tables (writable opens only).
    core::Result<void> migrate();
    bool has_column(const std::string& table, const std::string& column);
    core::sqlite::Database m_db;
    std::string m_path;
    bool m_has_contradiction = false;  // the candidates table has the contradicted columns
    bool m_has_search = false;         // the tasks and candidates tables have the search columns
    std::mutex m_mutex;
};

}  // namespace optiloop::optimizer

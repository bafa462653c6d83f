#include <utility>

#include <optiloop/optimizer/results_db.hpp>

namespace optiloop::optimizer {

namespace {

constexpr const char* k_schema = R"(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tasks(
  task_id TEXT PRIMARY KEY, status TEXT NOT NULL, error TEXT, tags TEXT, counter TEXT, cost_unit TEXT,
  baseline_cost REAL, reference_cost REAL, best_candidate TEXT, best_speedup REAL);
CREATE TABLE IF NOT EXISTS candidates(
  task_id TEXT NOT NULL, candidate_id TEXT NOT NULL, round INTEGER, verdict TEXT, cost REAL, speedup REAL,
  wall_speedup REAL, change_size INTEGER, proposer TEXT, explanation TEXT, measurement TEXT,
  contradicted INTEGER NOT NULL DEFAULT 0, contradiction TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(task_id, candidate_id));
CREATE TABLE IF NOT EXISTS usage(
  task_id TEXT PRIMARY KEY, requests INTEGER, retries INTEGER, cached INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER);
)";

// Columns of the candidates table that later versions added, as ALTER TABLE adds them to an older
// database (existing rows take the default: not contradicted).
constexpr std::pair<const char*, const char*> k_added_candidate_columns[] = {
    {"contradicted", "INTEGER NOT NULL DEFAULT 0"},
    {"contradiction", "TEXT NOT NULL DEFAULT ''"},
    {"parent", "TEXT NOT NULL DEFAULT ''"},
    {"polish", "INTEGER NOT NULL DEFAULT 0"},
    {"ratios_disagree", "INTEGER NOT NULL DEFAULT 0"},
};

// The same for the tasks table: how the search went.
constexpr std::pair<const char*, const char*> k_added_task_columns[] = {
    {"search", "TEXT NOT NULL DEFAULT ''"},
    {"rounds", "INTEGER NOT NULL DEFAULT 0"},
    {"stop", "TEXT NOT NULL DEFAULT ''"},
    {"stop_reason", "TEXT NOT NULL DEFAULT ''"},
    {"population", "TEXT NOT NULL DEFAULT ''"},
    {"answers", "INTEGER NOT NULL DEFAULT 0"},
};

constexpr const char* k_candidate_columns =
    "task_id, candidate_id, round, verdict, cost, speedup, wall_speedup, change_size, proposer, explanation, measurement";

using core::sqlite::Database;

}  // namespace

core::Result<std::unique_ptr<ResultsDb>> ResultsDb::open(const std::string& path) {
    auto db = Database::open(path, Database::Mode::read_write_create, "--db " + path);
    if (!db) return core::fail(db.error());
    std::unique_ptr<ResultsDb> results(new ResultsDb(std::move(*db), path));
    if (auto r = results->m_db.use_wal(); !r) return core::fail(core::Error::infrastructure(path + ": " + r.error().message));
    if (auto r = results->exec(k_schema); !r)
        return core::fail(core::Error::input("--db " + path + ": not an optiloop results database (" + r.error().message + ")"));
    if (auto r = results->migrate(); !r) return core::fail(r.error());
    return results;
}

core::Result<std::unique_ptr<ResultsDb>> ResultsDb::open_existing(const std::string& path) {
    auto db = Database::open(path, Database::Mode::read_only, path);
    if (!db) return core::fail(db.error());
    std::unique_ptr<ResultsDb> results(new ResultsDb(std::move(*db), path));
    // Every table of the schema; a file that is not SQLite fails to prepare this.
    auto s = results->m_db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('meta', 'tasks', 'candidates', 'usage')");
    if (!s.ok() || !s.row() || s.integer(0) != 4)
        return core::fail(core::Error::input(path + ": not an optiloop results database"));
    // Read-only, so an older database cannot be migrated: it is read as it is.
    results->m_has_contradiction = results->has_column("candidates", "contradicted") && results->has_column("candidates", "contradiction");
    results->m_has_search = results->has_column("candidates", "ratios_disagree") && results->has_column("tasks", "answers");
    return results;
}

bool ResultsDb::has_column(const std::string& table, const std::string& column) {
    auto s = m_db.prepare("SELECT count(*) FROM pragma_table_info(?) WHERE name = ?");
    if (!s.ok()) return false;
    s.bind(1, table);
    s.bind(2, column);
    return s.row() && s.integer(0) == 1;
}

core::Result<void> ResultsDb::migrate() {
    // In one write transaction, so two runs opening the same old database never both add a column.
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
    for (const auto& [column, definition] : k_added_candidate_columns)
        if (!has_column("candidates", column))
            if (auto r = exec(std::string("ALTER TABLE candidates ADD COLUMN ") + column + " " + definition); !r) {
                exec("ROLLBACK");
                return r;
            }
    for (const auto& [column, definition] : k_added_task_columns)
        if (!has_column("tasks", column))
            if (auto r = exec(std::string("ALTER TABLE tasks ADD COLUMN ") + column + " " + definition); !r) {
                exec("ROLLBACK");
                return r;
            }
    if (auto r = exec("COMMIT"); !r) return r;
    m_has_contradiction = true;
    m_has_search = true;
    return {};
}

ResultsDb::~ResultsDb() = default;

core::Result<void> ResultsDb::exec(const std::string& sql) {
    if (auto r = m_db.exec(sql); !r) return core::fail(core::Error::infrastructure(m_path + ": " + r.error().message));
    return {};
}

core::Result<void> ResultsDb::save(const TaskRow& t, const std::vector<CandidateRow>& candidates) {
    std::lock_guard lock(m_mutex);
    if (auto r = exec("BEGIN IMMEDIATE"); !r) return r;
    auto rollback = [&](const std::string& what) {
        exec("ROLLBACK");
        return core::fail(core::Error::infrastructure(m_path + ": " + what + ": " + m_db.message()));
    };
    {
        auto s = m_db.prepare("INSERT OR REPLACE INTO tasks(task_id, status, error, tags, counter, cost_unit, baseline_cost, reference_cost, best_candidate, best_speedup,"
                    " search, rounds, stop, stop_reason, population, answers) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
        if (!s.ok()) return rollback("prepare");
        s.bind(1, t.task_id);
        s.bind(2, t.status);
        s.bind(3, t.error);
        s.bind(4, t.tags);
        s.bind(5, t.counter);
        s.bind(6, t.cost_unit);
        s.bind(7, t.baseline_cost);
        s.bind(8, t.reference_cost);
        s.bind(9, t.best_candidate);
        s.bind(10, t.best_speedup);
        s.bind(11, t.search);
        s.bind(12, static_cast<std::int64_t>(t.rounds));
        s.bind(13, t.stop);
        s.bind(14, t.stop_reason);
        s.bind(15, t.population);
        s.bind(16, t.answers);
        if (!s.done()) return rollback("insert task");
    }
    {
        auto s = m_db.prepare("INSERT OR REPLACE INTO usage VALUES(?,?,?,?,?,?)");
        if (!s.ok()) return rollback("prepare");
        s.bind(1, t.task_id);
        s.bind(2, t.usage.requests);
        s.bind(3, t.usage.retries);
        s.bind(4, t.usage.cached);
        s.bind(5, t.usage.prompt_tokens);
        s.bind(6, t.usage.completion_tokens);
        if (!s.done()) return rollback("insert usage");
    }
    {
        auto d = m_db.prepare("DELETE FROM candidates WHERE task_id = ?");
        d.bind(1, t.task_id);
        if (!d.done()) return rollback("delete candidates");
    }
    for (const auto& c : candidates) {
        auto s = m_db.prepare((std::string("INSERT INTO candidates(") + k_candidate_columns + ", contradicted, contradiction, parent, polish, ratios_disagree) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)").c_str());
        if (!s.ok()) return rollback("prepare");
        s.bind(1, c.task_id);
        s.bind(2, c.candidate_id);
        s.bind(3, static_cast<std::int64_t>(c.round));
        s.bind(4, c.verdict);
        s.bind(5, c.cost);
        s.bind(6, c.speedup);
        s.bind(7, c.wall_speedup);
        s.bind(8, c.change_size);
        s.bind(9, c.proposer);
        s.bind(10, c.explanation);
        s.bind(11, c.measurement_json);
        s.bind(12, static_cast<std::int64_t>(c.contradicted));
        s.bind(13, c.contradiction);
        s.bind(14, c.parent);
        s.bind(15, static_cast<std::int64_t>(c.polish));
        s.bind(16, static_cast<std::int64_t>(c.ratios_disagree));
        if (!s.done()) return rollback("insert candidate");
    }
    return exec("COMMIT");
}

core::Result<std::vector<TaskRow>> ResultsDb::tasks() {
    std::lock_guard lock(m_mutex);
    auto s = m_db.prepare((std::string("SELECT t.task_id,status,error,tags,counter,cost_unit,baseline_cost,reference_cost,best_candidate,best_speedup,"
                             "u.requests,u.retries,u.cached,u.prompt_tokens,u.completion_tokens,") +
                 (m_has_search ? "search,rounds,stop,stop_reason,population,answers" : "'',0,'','','',0") +
                 " FROM tasks t LEFT JOIN usage u ON u.task_id = t.task_id ORDER BY t.task_id")
                    .c_str());
    if (!s.ok()) return core::fail(core::Error::input(m_path + ": " + m_db.message()));
    std::vector<TaskRow> rows;
    while (s.row())
        rows.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.real(6), s.real(7), s.text(8), s.real(9),
                        {s.integer(10), s.integer(11), s.integer(12), s.integer(13), s.integer(14)},
                        s.text(15), static_cast<int>(s.integer(16)), s.text(17), s.text(18), s.text(19), s.integer(20)});
    return rows;
}

core::Result<std::vector<CandidateRow>> ResultsDb::candidates(const std::string& task_id) {
    std::lock_guard lock(m_mutex);
    // An older database opened read-only has no contradicted columns: its candidates read as not contradicted.
    const std::string sql = std::string("SELECT ") + k_candidate_columns + (m_has_contradiction ? ", contradicted, contradiction" : ", 0, ''") +
                            (m_has_search ? ", parent, polish, ratios_disagree" : ", '', 0, 0") +
                            " FROM candidates" + (task_id.empty() ? " ORDER BY task_id, candidate_id" : " WHERE task_id = ? ORDER BY candidate_id");
    auto s = m_db.prepare(sql.c_str());
    if (!s.ok()) return core::fail(core::Error::input(m_path + ": " + m_db.message()));
    if (!task_id.empty()) s.bind(1, task_id);
    std::vector<CandidateRow> rows;
    while (s.row())
        rows.push_back({s.text(0), s.text(1), static_cast<int>(s.integer(2)), s.text(3), s.real(4), s.real(5), s.real(6), s.integer(7),
                        s.text(8), s.text(9), s.text(10), s.integer(11) != 0, s.text(12), s.text(13), s.integer(14) != 0, s.integer(15) != 0});
    return rows;
}

core::Result<std::optional<std::string>> ResultsDb::meta(const std::string& key) {
    std::lock_guard lock(m_mutex);
    auto s = m_db.prepare("SELECT value FROM meta WHERE key = ?");
    s.bind(1, key);
    if (s.row()) return std::optional<std::string>(s.text(0));
    return std::optional<std::string>();
}

core::Result<void> ResultsDb::set_meta(const std::string& key, const std::string& value) {
    std::lock_guard lock(m_mutex);
    auto s = m_db.prepare("INSERT OR REPLACE INTO meta VALUES(?,?)");
    s.bind(1, key);
    s.bind(2, value);
    if (!s.done()) return core::fail(core::Error::infrastructure(m_path + ": " + m_db.message()));
    return {};
}

core::Result<int> ResultsDb::merge_from(ResultsDb& other) {
    auto mine = tasks();
    if (!mine) return core::fail(mine.error());
    auto theirs = other.tasks();
    if (!theirs) return core::fail(theirs.error());
    int added = 0;
    for (const auto& t : *theirs) {
        const bool have = std::any_of(mine->begin(), mine->end(), [&](const TaskRow& m) { return m.task_id == t.task_id; });
        if (have) continue;
        auto candidates = other.candidates(t.task_id);
        if (!candidates) return core::fail(candidates.error());
        if (auto r = save(t, *candidates); !r) return core::fail(r.error());
        ++added;
    }
    return added;
}

}  // namespace optiloop::optimizer

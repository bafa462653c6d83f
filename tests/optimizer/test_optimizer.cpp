// The optimizer's side of "an instruction gain that wall time contradicts is not verified": such
// a candidate ranks below every honest one and is never the best, through the real loop; and the
// results database keeps the mark, reading databases written before the mark existed.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/optimizer/results_db.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/verify.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;
using namespace optiloop;
using core::Verdict;

namespace {

fs::path scratch_root() { return test_support::process_dir("optiloop-optimizer-test-"); }

core::Measurement measured(double instructions, double wall_seconds, Verdict verdict = Verdict::ok) {
    core::Measurement m;
    m.verdict = verdict;
    m.counter = core::CounterKind::cachegrind;
    m.total_cost = instructions;
    m.wall_seconds = wall_seconds;
    m.tests.push_back({"t1", false, verdict, "", instructions, wall_seconds, wall_seconds, 0.01, 0, 5});
    return m;
}

optimizer::CandidateResult scored(const std::string& id, std::optional<core::Measurement> m, bool contradicted = false, std::size_t change = 10) {
    optimizer::CandidateResult c;
    c.candidate.id = id;
    c.measurement = std::move(m);
    c.change_size = change;
    c.contradicted = contradicted;
    if (contradicted) c.contradiction = "wall time says otherwise";
    return c;
}

// Proposes the given programs as whole-file edits, once.
class FixedProposer : public core::Proposer {
public:
    explicit FixedProposer(std::vector<std::string> programs) : m_programs(std::move(programs)) {}
    [[nodiscard]] std::string name() const override { return "fixed"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task&, const core::ProposalContext& context) override {
        std::vector<core::Edit> edits;
        if (context.round > 1) return edits;
        for (std::size_t i = 0; i < m_programs.size(); ++i) {
            core::Edit e;
            e.proposer = name();
            e.explanation = "program " + std::to_string(i + 1);
            e.files = {{"main.cpp", m_programs[i]}};
            edits.push_back(std::move(e));
        }
        return edits;
    }

private:
    std::vector<std::string> m_programs;
};

// Almost no instructions, all of its time asleep: the shape of a candidate that moves its work
// where the counter does not look.
const char* k_gamed = R"(#include <cstdio>
#include <ctime>
int main() { timespec t{0, 120000000}; nanosleep(&t, nullptr); std::puts("1"); })";

// A real loop, so more instructions than the gamed one, and far less wall time than the baseline.
const char* k_honest = R"(#include <cstdio>
#include <ctime>
int main() {
  unsigned long x = 1;
  for (long i = 0; i < 2000000; ++i) { x = x * 6364136223846793005UL + 1442695040888963407UL; asm volatile("" : "+r"(x)); }
  timespec t{0, 10000000}; nanosleep(&t, nullptr);
  std::printf("%d\n", x != 0 || x == 0); })";

core::Task sleeping_task() {
    core::Task task;
    task.id = "gamed-counter";
    task.limits.time_seconds = 5;
    task.limits.memory_bytes = 256 << 20;
    const fs::path dir = scratch_root() / task.id;
    fs::create_directories(dir);
    std::ofstream(dir / "t1.in") << "\n";
    std::ofstream(dir / "t1.out") << "1\n";
    task.tests.push_back({"t1", dir / "t1.in", dir / "t1.out"});
    task.baseline = {{"main.cpp", "#include <cstdio>\nint main() { std::puts(\"1\"); }\n"}};
    return task;
}

// What the optimizer is told the baseline measured: a great many instructions in 0.12 s of
// steady wall time, so the gamed program's tiny count claims a huge gain its wall time denies.
optimizer::Options loop_options() {
    optimizer::Options options;
    options.samples = 4;
    options.rounds = 1;
    options.measure.counter = core::CounterKind::cachegrind;
    options.measure.repeats = 3;
    options.measure.warmups = 1;
    options.measure.jobs = 2;
    options.baseline = measured(1e12, 0.12);
    options.polish = false;  // these tests are about the candidates given, not the rules' additions
    return options;
}

}  // namespace

TEST(RankCandidates, AContradictedCandidateRanksBelowEveryHonestCorrectOne) {
    const core::Measurement baseline = measured(1000, 1.0);
    const std::vector<optimizer::CandidateResult> round = {
        scored("gamed", measured(100, 1.0), true),          // claims 10x
        scored("honest", measured(800, 0.8)),               // 1.25x
        scored("slower", measured(1100, 1.1)),              // correct, but slower than the baseline
        scored("wrong", measured(10, 0.1, Verdict::wrong_answer)),
        scored("not-applied", std::nullopt),
    };
    const auto ranked = optimizer::rank_candidates(round, baseline);
    ASSERT_EQ(ranked.size(), 3u);
    EXPECT_EQ(round[ranked[0]].candidate.id, "honest");
    EXPECT_EQ(round[ranked[1]].candidate.id, "slower");
    EXPECT_EQ(round[ranked[2]].candidate.id, "gamed");
    // Without the mark the same candidate would come first: the mark is what moves it.
    std::vector<optimizer::CandidateResult> unmarked = round;
    unmarked[0].contradicted = false;
    EXPECT_EQ(unmarked[optimizer::rank_candidates(unmarked, baseline).front()].candidate.id, "gamed");
}

TEST(Optimize, AContradictedCandidateIsNeverTheBest) {
    if (!runner::probe_counters().valgrind) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sleeping_task();
    FixedProposer proposer({k_gamed, k_honest});
    std::vector<std::string> log;
    auto result = optimizer::optimize(task, proposer, loop_options(), [&](const std::string& line) { log.push_back(line); });
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->candidates.size(), 2u);
    const auto& gamed = result->candidates[0];
    const auto& honest = result->candidates[1];
    ASSERT_TRUE(gamed.measurement && honest.measurement);
    ASSERT_EQ(gamed.measurement->verdict, Verdict::ok);
    ASSERT_EQ(honest.measurement->verdict, Verdict::ok);
    // The gamed program claims the larger gain by instructions ...
    ASSERT_TRUE(gamed.speedup && honest.speedup);
    EXPECT_GT(*gamed.speedup, *honest.speedup);
    // ... which its wall time contradicts (unless this machine was too noisy to trust the time).
    if (!gamed.contradicted && gamed.measurement->tests[0].wall_cv > runner::k_trusted_wall_cv)
        GTEST_SKIP() << "wall time was not steady enough to trust here: cv " << gamed.measurement->tests[0].wall_cv;
    ASSERT_TRUE(gamed.contradicted) << "wall " << gamed.measurement->wall_seconds << " s, cv " << gamed.measurement->tests[0].wall_cv;
    EXPECT_NE(gamed.contradiction.find("fewer instructions, but only"), std::string::npos) << gamed.contradiction;
    EXPECT_FALSE(honest.contradicted) << honest.contradiction;
    ASSERT_TRUE(result->best);
    EXPECT_EQ(result->candidates[*result->best].candidate.id, honest.candidate.id);
    bool said = false;
    for (const auto& line : log) said = said || line.find(gamed.candidate.id + " is not verified") != std::string::npos;
    EXPECT_TRUE(said);
}

TEST(Optimize, WhenOnlyAContradictedCandidateImprovesThereIsNoBestAndTheStopReasonSaysWhy) {
    if (!runner::probe_counters().valgrind) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sleeping_task();
    FixedProposer proposer({k_gamed});
    auto result = optimizer::optimize(task, proposer, loop_options());
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->candidates.size(), 1u);
    const auto& gamed = result->candidates[0];
    ASSERT_TRUE(gamed.measurement);
    ASSERT_EQ(gamed.measurement->verdict, Verdict::ok);
    if (!gamed.contradicted && gamed.measurement->tests[0].wall_cv > runner::k_trusted_wall_cv)
        GTEST_SKIP() << "wall time was not steady enough to trust here: cv " << gamed.measurement->tests[0].wall_cv;
    ASSERT_TRUE(gamed.contradicted) << "wall " << gamed.measurement->wall_seconds << " s, cv " << gamed.measurement->tests[0].wall_cv;
    EXPECT_FALSE(result->best);
    EXPECT_NE(result->stop_reason.find("not counting " + gamed.candidate.id + ", whose instruction gain wall time contradicts"), std::string::npos)
        << result->stop_reason;
}

// --- The results database ---------------------------------------------------------------------

namespace {

// The schema as optiloop wrote it before candidates carried the contradicted columns.
constexpr const char* k_old_schema = R"(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tasks(
  task_id TEXT PRIMARY KEY, status TEXT NOT NULL, error TEXT, tags TEXT, counter TEXT, cost_unit TEXT,
  baseline_cost REAL, reference_cost REAL, best_candidate TEXT, best_speedup REAL);
CREATE TABLE candidates(
  task_id TEXT NOT NULL, candidate_id TEXT NOT NULL, round INTEGER, verdict TEXT, cost REAL, speedup REAL,
  wall_speedup REAL, change_size INTEGER, proposer TEXT, explanation TEXT, measurement TEXT,
  PRIMARY KEY(task_id, candidate_id));
CREATE TABLE usage(
  task_id TEXT PRIMARY KEY, requests INTEGER, retries INTEGER, cached INTEGER, prompt_tokens INTEGER, completion_tokens INTEGER);
INSERT INTO tasks VALUES('old', 'done', '', '', 'cachegrind', 'instructions', 1000, NULL, 'c1', 2.0);
INSERT INTO candidates VALUES('old', 'c1', 1, 'OK', 500, 2.0, 1.9, 12, 'rules', 'faster', '{}');
INSERT INTO usage VALUES('old', 0, 0, 0, 0, 0);
)";

fs::path old_database(const std::string& name) {
    const fs::path path = scratch_root() / name;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, k_old_schema, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
    return path;
}

std::vector<std::string> candidate_columns(const fs::path& path) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, "SELECT name FROM pragma_table_info('candidates')", -1, &s, nullptr), SQLITE_OK);
    std::vector<std::string> names;
    while (sqlite3_step(s) == SQLITE_ROW) names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
    sqlite3_finalize(s);
    sqlite3_close(db);
    return names;
}

bool has(const std::vector<std::string>& names, const std::string& name) { return std::find(names.begin(), names.end(), name) != names.end(); }

optimizer::CandidateRow contradicted_row(const std::string& task) {
    optimizer::CandidateRow r;
    r.task_id = task;
    r.candidate_id = "c2";
    r.round = 1;
    r.verdict = "OK";
    r.cost = 100;
    r.speedup = 10;
    r.wall_speedup = 0.98;
    r.contradicted = true;
    r.contradiction = "10.00x fewer instructions, but only 0.98x in wall time";
    return r;
}

}  // namespace

TEST(ResultsDb, KeepsTheContradictedMark) {
    const fs::path path = scratch_root() / "new.db";
    auto db = optimizer::ResultsDb::open(path.string());
    ASSERT_TRUE(db) << db.error().message;
    optimizer::TaskRow task;
    task.task_id = "t";
    task.status = "done";
    optimizer::CandidateRow honest = contradicted_row("t");
    honest.candidate_id = "c1";
    honest.contradicted = false;
    honest.contradiction.clear();
    ASSERT_TRUE((*db)->save(task, {honest, contradicted_row("t")}));
    auto rows = (*db)->candidates("t");
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_FALSE((*rows)[0].contradicted);
    EXPECT_EQ((*rows)[0].contradiction, "");
    EXPECT_TRUE((*rows)[1].contradicted);
    EXPECT_EQ((*rows)[1].contradiction, contradicted_row("t").contradiction);
    db->reset();
    // Read back read-only, as report reads it.
    auto reader = optimizer::ResultsDb::open_existing(path.string());
    ASSERT_TRUE(reader) << reader.error().message;
    rows = (*reader)->candidates();
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_TRUE((*rows)[1].contradicted);
}

TEST(ResultsDb, AnOlderDatabaseIsReadAsItIsAndMigratedWhenOpenedForWriting) {
    const fs::path path = old_database("old.db");
    ASSERT_FALSE(has(candidate_columns(path), "contradicted"));

    // report and --merge sources open read-only: the old rows read as not contradicted, and the
    // file is not changed.
    {
        auto reader = optimizer::ResultsDb::open_existing(path.string());
        ASSERT_TRUE(reader) << reader.error().message;
        auto rows = (*reader)->candidates();
        ASSERT_TRUE(rows) << rows.error().message;
        ASSERT_EQ(rows->size(), 1u);
        EXPECT_EQ((*rows)[0].candidate_id, "c1");
        EXPECT_EQ((*rows)[0].measurement_json, "{}");
        EXPECT_FALSE((*rows)[0].contradicted);
        // Merged into a new database, the old candidates come along.
        auto merged = optimizer::ResultsDb::open((scratch_root() / "merged.db").string());
        ASSERT_TRUE(merged) << merged.error().message;
        auto added = (*merged)->merge_from(**reader);
        ASSERT_TRUE(added) << added.error().message;
        EXPECT_EQ(*added, 1);
        auto merged_rows = (*merged)->candidates("old");
        ASSERT_TRUE(merged_rows);
        ASSERT_EQ(merged_rows->size(), 1u);
        EXPECT_FALSE((*merged_rows)[0].contradicted);
    }
    EXPECT_FALSE(has(candidate_columns(path), "contradicted"));

    // eval --resume opens for writing: ALTER TABLE adds the columns, and the old rows stay.
    for (int reopen = 0; reopen < 2; ++reopen) {  // a second open finds the columns there
        auto db = optimizer::ResultsDb::open(path.string());
        ASSERT_TRUE(db) << db.error().message;
        auto rows = (*db)->candidates("old");
        ASSERT_TRUE(rows) << rows.error().message;
        ASSERT_EQ(rows->size(), 1u);
        EXPECT_FALSE((*rows)[0].contradicted);
        EXPECT_DOUBLE_EQ((*rows)[0].speedup.value_or(0), 2.0);
    }
    const auto columns = candidate_columns(path);
    EXPECT_TRUE(has(columns, "contradicted"));
    EXPECT_TRUE(has(columns, "contradiction"));
    auto db = optimizer::ResultsDb::open(path.string());
    ASSERT_TRUE(db);
    optimizer::TaskRow task;
    task.task_id = "new";
    task.status = "done";
    ASSERT_TRUE((*db)->save(task, {contradicted_row("new")}));
    auto rows = (*db)->candidates("new");
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_TRUE((*rows)[0].contradicted);
    EXPECT_EQ((*rows)[0].contradiction, contradicted_row("new").contradiction);
}

TEST(ResultsDb, KeepsHowTheSearchWentAndReadsOlderDatabasesWithoutIt) {
    const fs::path path = scratch_root() / "search.db";
    {
        auto db = optimizer::ResultsDb::open(path.string());
        ASSERT_TRUE(db) << db.error().message;
        optimizer::TaskRow t;
        t.task_id = "t";
        t.status = "done";
        t.search = "population";
        t.rounds = 3;
        t.stop = "no_progress";
        t.stop_reason = "no candidate of round 3 beat the current best";
        t.population = "c4,c2,baseline";
        t.answers = 6;
        optimizer::CandidateRow c = contradicted_row("t");
        c.parent = "c2";
        c.polish = true;
        c.ratios_disagree = true;
        ASSERT_TRUE((*db)->save(t, {c}));
    }
    auto reader = optimizer::ResultsDb::open_existing(path.string());
    ASSERT_TRUE(reader) << reader.error().message;
    auto tasks = (*reader)->tasks();
    ASSERT_TRUE(tasks && tasks->size() == 1u);
    EXPECT_EQ((*tasks)[0].search, "population");
    EXPECT_EQ((*tasks)[0].rounds, 3);
    EXPECT_EQ((*tasks)[0].stop, "no_progress");
    EXPECT_EQ((*tasks)[0].population, "c4,c2,baseline");
    EXPECT_EQ((*tasks)[0].answers, 6);
    auto rows = (*reader)->candidates("t");
    ASSERT_TRUE(rows && rows->size() == 1u);
    EXPECT_EQ((*rows)[0].parent, "c2");
    EXPECT_TRUE((*rows)[0].polish);
    EXPECT_TRUE((*rows)[0].ratios_disagree);

    auto old = optimizer::ResultsDb::open_existing(old_database("old-search.db").string());
    ASSERT_TRUE(old) << old.error().message;
    auto old_tasks = (*old)->tasks();
    ASSERT_TRUE(old_tasks && old_tasks->size() == 1u) << (old_tasks ? "" : old_tasks.error().message);
    EXPECT_EQ((*old_tasks)[0].search, "");
    EXPECT_EQ((*old_tasks)[0].rounds, 0);
    auto old_rows = (*old)->candidates("old");
    ASSERT_TRUE(old_rows && old_rows->size() == 1u);
    EXPECT_EQ((*old_rows)[0].parent, "");
}

// optiloop eval end to end: an eval killed with SIGKILL in the middle and resumed gives the same
// results as one that ran through; shards merge into the whole; report reads the database.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;

namespace {

const std::string k_builtin = std::string(OPTILOOP_SOURCE_DIR) + "/datasets/builtin";
// Five quick tasks, each of which the rules improve.
const std::string k_selection = "--tasks 'io-*' --rounds 1 --repeat 1 --jobs 1 --no-reference";

fs::path temp_dir() { return test_support::process_dir("optiloop-e2e-eval-"); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int sh(const std::string& args, std::string* out = nullptr) {
    const fs::path o = temp_dir() / "out";
    const int status = std::system((std::string(OPTILOOP_BINARY) + " " + args + " > " + o.string() + " 2>/dev/null </dev/null").c_str());
    if (out) *out = slurp(o);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The deterministic content of a results database: everything but wall-clock times.
nlohmann::json content(const fs::path& db) {
    std::string out;
    EXPECT_EQ(sh("report " + db.string() + " --json", &out), 0);
    auto j = nlohmann::json::parse(out);
    return {{"per_task", j["per_task"]}, {"verdicts", j["verdicts"]}, {"pie", j["pie"]}};
}

int finished_tasks(const fs::path& db) {
    if (!fs::exists(db)) return 0;
    std::string out;
    if (sh("report " + db.string() + " --json", &out) != 0) return 0;
    return static_cast<int>(nlohmann::json::parse(out)["tasks"].get<std::size_t>());
}

}  // namespace

TEST(Eval, KilledAndResumedEqualsUninterrupted) {
    const fs::path whole = temp_dir() / "whole.db", resumed = temp_dir() / "resumed.db";
    ASSERT_EQ(sh("eval " + k_builtin + " " + k_selection + " --db " + whole.string()), 0);
    const nlohmann::json expected = content(whole);
    ASSERT_EQ(expected["per_task"].size(), 5u);

    // The same run, killed with SIGKILL once some task has finished, then resumed.
    const pid_t child = ::fork();
    if (child == 0) {
        const std::string cmd = std::string("exec ") + OPTILOOP_BINARY + " eval " + k_builtin + " " + k_selection + " --db " + resumed.string() +
                                " > /dev/null 2>&1";
        ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(5);
    while (finished_tasks(resumed) < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    const int before = finished_tasks(resumed);
    EXPECT_GE(before, 2);
    EXPECT_LT(before, 5) << "the run finished before it could be killed";

    // Without --resume an existing database is refused, so runs never mix by accident.
    EXPECT_EQ(sh("eval " + k_builtin + " " + k_selection + " --db " + resumed.string()), 2);
    std::string log;
    ASSERT_EQ(sh("eval " + k_builtin + " " + k_selection + " --db " + resumed.string() + " --resume", &log), 0);
    EXPECT_EQ(content(resumed), expected);
}

TEST(Eval, ShardsMergeIntoTheWhole) {
    const fs::path a = temp_dir() / "shard0.db", b = temp_dir() / "shard1.db", merged = temp_dir() / "merged.db", whole = temp_dir() / "whole2.db";
    const std::string sel = "--tasks 'io-[dr]*' --rounds 1 --repeat 1 --no-reference";
    ASSERT_EQ(sh("eval " + k_builtin + " " + sel + " --shard 0/2 --db " + a.string()), 0);
    ASSERT_EQ(sh("eval " + k_builtin + " " + sel + " --shard 1/2 --db " + b.string()), 0);
    EXPECT_EQ(finished_tasks(a), 1);
    EXPECT_EQ(finished_tasks(b), 1);
    ASSERT_EQ(sh("eval --merge " + a.string() + " " + b.string() + " --db " + merged.string()), 0);
    ASSERT_EQ(sh("eval " + k_builtin + " " + sel + " --db " + whole.string()), 0);
    EXPECT_EQ(content(merged), content(whole));
    // The report in every format.
    std::string out;
    EXPECT_EQ(sh("report " + merged.string(), &out), 0);
    EXPECT_NE(out.find("%OPT"), std::string::npos);
    EXPECT_EQ(sh("report " + merged.string() + " --markdown", &out), 0);
    EXPECT_NE(out.find("| PIE | %OPT |"), std::string::npos);
    const fs::path html = temp_dir() / "report.html";
    EXPECT_EQ(sh("report " + merged.string() + " --html " + html.string()), 0);
    const std::string page = slurp(html);
    EXPECT_NE(page.find("<svg"), std::string::npos);
    EXPECT_EQ(page.find("http://www.w3.org/2000/svg'"), page.find("http"));  // no other link: self-contained
    EXPECT_EQ(sh("report " + merged.string() + " --compare " + merged.string() + " " + whole.string(), &out), 0);
}

// Shards of different runs (here: one round against two) do not mix: --merge names both files,
// exits 2 and writes no --db.
TEST(Eval, MergeRefusesShardsOfDifferentRuns) {
    const fs::path one = temp_dir() / "one-round.db", two = temp_dir() / "two-rounds.db", mixed = temp_dir() / "mixed.db";
    const std::string sel = "--tasks 'io-[dr]*' --repeat 1 --no-reference";
    ASSERT_EQ(sh("eval " + k_builtin + " " + sel + " --rounds 1 --shard 0/2 --db " + one.string()), 0);
    ASSERT_EQ(sh("eval " + k_builtin + " " + sel + " --rounds 2 --shard 1/2 --db " + two.string()), 0);
    const fs::path err = temp_dir() / "merge.err";
    const int status = std::system((std::string(OPTILOOP_BINARY) + " eval --merge " + one.string() + " " + two.string() + " --db " + mixed.string() +
                                    " > /dev/null 2> " + err.string() + " </dev/null")
                                       .c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 2);
    const std::string message = slurp(err);
    EXPECT_NE(message.find("--merge " + two.string() + " holds another run ("), std::string::npos) << message;
    EXPECT_NE(message.find(" than " + one.string() + " ("), std::string::npos) << message;
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    EXPECT_FALSE(fs::exists(mixed));
}

TEST(Eval, BadArgumentsExit2) {
    EXPECT_EQ(sh("eval " + k_builtin + " --shard 2/2"), 2);
    EXPECT_EQ(sh("eval " + k_builtin + " --shard x"), 2);
    EXPECT_EQ(sh("eval /nonexistent"), 2);
    EXPECT_EQ(sh("report /nonexistent.db"), 2);
}

// report and --merge sources only read: a file that is not a results database (text, or empty,
// which SQLite would take for a new database) is exit 2 and stays as it was.
TEST(Eval, ReportAndMergeLeaveANonDatabaseAlone) {
    const fs::path text = temp_dir() / "notes.db", empty = temp_dir() / "empty.db", target = temp_dir() / "target.db";
    std::ofstream(text) << "not a database\n";
    std::ofstream{empty};
    for (const fs::path& file : {text, empty}) {
        const std::string before = slurp(file);
        EXPECT_EQ(sh("report " + file.string()), 2) << file;
        EXPECT_EQ(sh("report " + file.string() + " --compare " + file.string() + " " + file.string()), 2) << file;
        EXPECT_EQ(sh("eval --merge " + file.string() + " --db " + target.string()), 2) << file;
        EXPECT_EQ(slurp(file), before) << file;
        EXPECT_FALSE(fs::exists(file.string() + "-wal")) << file;
    }
}

// eval honours the settings `optiloop config show` lists for it, as optimize does: from the
// environment here (a flag still wins).
TEST(Eval, SettingsFromTheEnvironmentReachTheRun) {
    const fs::path db = temp_dir() / "settings.db", db2 = temp_dir() / "settings2.db";
    const std::string run = "eval " + k_builtin + " --tasks io-word-count-getchar --no-reference --provider rules --db ";
    ASSERT_EQ(std::system(("OPTILOOP_SAMPLES=2 OPTILOOP_ROUNDS=1 OPTILOOP_COUNTER=callgrind " + std::string(OPTILOOP_BINARY) + " " + run + db.string() +
                           " > /dev/null 2>&1").c_str()),
              0);
    const fs::path out = temp_dir() / "meta";
    ASSERT_EQ(std::system(("sqlite3 " + db.string() + " \"select value from meta where key='config'\" > " + out.string()).c_str()), 0);
    const std::string config = slurp(out);
    EXPECT_NE(config.find(" k=2 rounds=1 "), std::string::npos) << config;
    EXPECT_NE(config.find(" counter=callgrind "), std::string::npos) << config;
    ASSERT_EQ(std::system(("OPTILOOP_SAMPLES=2 " + std::string(OPTILOOP_BINARY) + " " + run + db2.string() + " -k 3 --rounds 1 > /dev/null 2>&1").c_str()), 0);
    ASSERT_EQ(std::system(("sqlite3 " + db2.string() + " \"select value from meta where key='config'\" > " + out.string()).c_str()), 0);
    EXPECT_NE(slurp(out).find(" k=3 rounds=1 "), std::string::npos) << slurp(out);
}

// eval --slurm's pieces without a cluster: the job script (run by bash as an array task would
// be), squeue parsing, a shard's state from the files and the queue, sbatch's answers, the merge.
// tests/e2e/test_slurm.cpp runs the whole thing on a real local Slurm.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include <optiloop/core/files.hpp>
#include <optiloop/optimizer/eval.hpp>
#include <optiloop/optimizer/results_db.hpp>
#include <optiloop/optimizer/slurm.hpp>

namespace fs = std::filesystem;
using namespace optiloop;
namespace slurm = optimizer::slurm;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "optiloop-slurm-test-XXXXXX").string();
        path = ::mkdtemp(pattern.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

slurm::Plan plan_in(const fs::path& dir, int shards) {
    slurm::Plan plan;
    plan.dir = dir;
    plan.workdir = dir;
    plan.shards = shards;
    // Stands in for optiloop: records its arguments, fails for shard 1.
    plan.command = {"/bin/sh", "-c", "echo \"$*\" > \"$0.args\"; echo \"$XDG_CACHE_HOME\" > \"$0.cache\"; echo '[2/2] t'; case \"$2\" in 1/*) echo 'optiloop eval: boom'; exit 4;; esac",
                    (dir / "called").string()};
    plan.shared = {"/bin/sh"};
    return plan;
}

int run_array_task(const slurm::Plan& plan, int index) {
    const std::string command = "cd '" + plan.dir.string() + "' && SLURM_ARRAY_TASK_ID=" + std::to_string(index) + " bash '" +
                                slurm::script_path(plan).string() + "' >> '" + slurm::shard_log(plan, index).string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

runner::HostRun answer(int code, std::string output) { return runner::HostRun{code, std::move(output)}; }

}  // namespace

TEST(Slurm, TheJobScriptRunsOneShardPerArrayTaskAndLeavesItsExitCode) {
    TempDir tmp;
    auto plan = plan_in(tmp.path, 3);
    plan.sbatch_options = {"--partition=cpu --time=1:00:00"};
    std::vector<std::vector<std::string>> calls;
    auto id = slurm::submit(plan, {0, 1, 2}, [&](const std::vector<std::string>& argv) {
        calls.push_back(argv);
        return answer(0, "4711;cluster\n");
    });
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(*id, "4711");
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0][0], "sbatch");
    EXPECT_EQ(calls[0][2], "--array=0,1,2");
    const auto script = core::read_file(slurm::script_path(plan)).value_or("");
    EXPECT_NE(script.find("#SBATCH --array=0-2\n"), std::string::npos);
    EXPECT_NE(script.find("#SBATCH --partition=cpu --time=1:00:00\n"), std::string::npos);
    EXPECT_NE(script.find("#SBATCH --output=" + tmp.path.string() + "/shard-%a.log"), std::string::npos);
    EXPECT_NE(script.find("export XDG_CACHE_HOME=\"$dir/cache-$i\""), std::string::npos) << script;

    EXPECT_EQ(run_array_task(plan, 0), 0);
    EXPECT_EQ(run_array_task(plan, 1), 4);
    EXPECT_EQ(core::read_file(tmp.path / "called.args").value_or(""), "--shard 1/3 --db " + tmp.path.string() + "/shard-1.db --resume\n");
    EXPECT_EQ(core::read_file(slurm::shard_exit(plan, 0)).value_or(""), "0\n");
    EXPECT_EQ(core::read_file(tmp.path / "called.cache").value_or(""), tmp.path.string() + "/cache-1\n");
    EXPECT_EQ(core::read_file(slurm::shard_exit(plan, 1)).value_or(""), "4\n");

    // Shard 2 never ran and is not queued: it left the queue without finishing.
    auto shards = slurm::poll(plan, {"4711"}, [](const std::vector<std::string>&) { return answer(0, ""); });
    ASSERT_TRUE(shards) << shards.error().message;
    ASSERT_EQ(shards->size(), 3u);
    EXPECT_EQ((*shards)[0].state, slurm::ShardState::done);
    EXPECT_EQ((*shards)[0].tasks_done, 2u);
    EXPECT_EQ((*shards)[1].state, slurm::ShardState::failed);
    EXPECT_NE((*shards)[1].detail.find("exit code 4: optiloop eval: boom"), std::string::npos) << (*shards)[1].detail;
    EXPECT_EQ((*shards)[2].state, slurm::ShardState::failed);
    EXPECT_NE((*shards)[2].detail.find("left the queue"), std::string::npos);

    // Queued again (a resubmission, job 4712): pending while squeue says so, whatever 4711 said.
    shards = slurm::poll(plan, {"4711", "4712"}, [](const std::vector<std::string>&) { return answer(0, "4711 2 COMPLETING\n4712 2 PENDING\n"); });
    ASSERT_TRUE(shards);
    EXPECT_EQ((*shards)[2].state, slurm::ShardState::pending);
}

TEST(Slurm, AShardWhoseFilesAreNotOnItsNodeFailsSayingSo) {
    TempDir tmp;
    auto plan = plan_in(tmp.path, 1);
    plan.shared = {tmp.path / "not-shared" / "optiloop"};
    ASSERT_TRUE(slurm::submit(plan, {0}, [](const std::vector<std::string>&) { return answer(0, "1\n"); }));
    EXPECT_EQ(run_array_task(plan, 0), 3);
    const auto log = core::read_file(slurm::shard_log(plan, 0)).value_or("");
    EXPECT_NE(log.find("not-shared/optiloop is not visible on"), std::string::npos) << log;
    EXPECT_FALSE(fs::exists(tmp.path / "called.args"));
}

TEST(Slurm, SqueueLinesAndPendingRangesAreRead) {
    const auto q = slurm::parse_squeue("12 0 RUNNING\n12 1-2 PENDING\n13 4,6 PENDING\n14 0-3%2 PENDING\ngarbage\n");
    EXPECT_EQ(q.at({"12", 0}), "RUNNING");
    EXPECT_EQ(q.at({"12", 2}), "PENDING");
    EXPECT_EQ(q.count({"13", 5}), 0u);
    EXPECT_EQ(q.at({"13", 6}), "PENDING");
    EXPECT_EQ(q.at({"14", 3}), "PENDING");
    EXPECT_EQ(q.size(), 9u);
}

TEST(Slurm, ARejectedJobSaysWhetherTheOptionOrTheClusterIsWrong) {
    TempDir tmp;
    const auto plan = plan_in(tmp.path, 2);
    auto bad = slurm::submit(plan, {0, 1}, [](const std::vector<std::string>&) {
        return answer(1, "sbatch: error: Batch job submission failed: Invalid partition name specified\n");
    });
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, core::ErrorKind::input);
    EXPECT_NE(bad.error().message.find("Invalid partition name"), std::string::npos);
    auto down = slurm::submit(plan, {0, 1}, [](const std::vector<std::string>&) {
        return answer(1, "sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)\n");
    });
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().kind, core::ErrorKind::infrastructure);
    auto squeue_down = slurm::poll(plan, {"5"}, [](const std::vector<std::string>&) { return answer(1, "slurm_load_jobs error: Unable to contact slurm controller\n"); });
    ASSERT_FALSE(squeue_down);
    EXPECT_EQ(squeue_down.error().kind, core::ErrorKind::infrastructure);
}

TEST(Slurm, TheMergeTakesOnlyShardsOfThisConfigurationAndIsAllOrNothing) {
    TempDir tmp;
    const auto plan = plan_in(tmp.path, 2);
    const std::string config = "/data provider=rules k=4";
    for (int i = 0; i < 2; ++i) {
        auto db = optimizer::ResultsDb::open(slurm::shard_db(plan, i).string());
        ASSERT_TRUE(db);
        ASSERT_TRUE((*db)->set_meta("config", config + " shard=" + std::to_string(i) + "/2"));
        optimizer::TaskRow row;
        row.task_id = "task-" + std::to_string(i);
        row.status = "done";
        ASSERT_TRUE((*db)->save(row, {}));
    }
    const std::string merged = (tmp.path / "all.db").string();
    auto n = slurm::merge(plan, config, merged);
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, 2);
    auto db = optimizer::ResultsDb::open_existing(merged);
    ASSERT_TRUE(db);
    EXPECT_EQ((*db)->meta("config")->value_or(""), config + " shard=");
    EXPECT_EQ((*db)->tasks()->size(), 2u);
    db->reset();

    // A shard of another configuration: nothing is merged, no file is left half-written.
    {
        auto other = optimizer::ResultsDb::open(slurm::shard_db(plan, 1).string());
        ASSERT_TRUE((*other)->set_meta("config", "/data provider=openai k=4 shard=1/2"));
    }
    const std::string second = (tmp.path / "second.db").string();
    auto refused = slurm::merge(plan, config, second);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, core::ErrorKind::input);
    EXPECT_NE(refused.error().message.find("another configuration"), std::string::npos);
    EXPECT_FALSE(fs::exists(second));
    EXPECT_FALSE(fs::exists(second + ".merging"));
}

TEST(Slurm, NodeLocalPathsAreRecognised) {
    EXPECT_TRUE(slurm::node_local("/tmp/x/y.db"));
    EXPECT_TRUE(slurm::node_local("/dev/shm"));
    EXPECT_FALSE(slurm::node_local("/tmpfs/x"));
    EXPECT_FALSE(slurm::node_local("/home/me/run"));
}

// eval's guard on its database (optimizer::open_run_database): a database holds one run.
TEST(RunDatabase, OneDatabaseHoldsOneConfiguration) {
    TempDir tmp;
    const std::string path = (tmp.path / "run.db").string();
    {
        auto db = optimizer::open_run_database(path, "data k=4", false);
        ASSERT_TRUE(db) << db.error().message;
        optimizer::TaskRow row;
        row.task_id = "t";
        row.status = "done";
        ASSERT_TRUE((*db)->save(row, {}));
    }
    auto again = optimizer::open_run_database(path, "data k=4", false);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, core::ErrorKind::input);
    EXPECT_NE(again.error().message.find("already holds 1 tasks; pass --resume"), std::string::npos) << again.error().message;
    EXPECT_TRUE(optimizer::open_run_database(path, "data k=4", true));
    auto other = optimizer::open_run_database(path, "data k=2", true);
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().message.find("was written by another configuration (data k=4)"), std::string::npos) << other.error().message;
}

namespace {

// A shard database as a finished array task leaves it.
void finish_shard(const slurm::Plan& plan, int index, const std::string& config, int exit_code) {
    if (exit_code == 0) {
        auto db = optimizer::ResultsDb::open(slurm::shard_db(plan, index).string());
        ASSERT_TRUE(db);
        ASSERT_TRUE((*db)->set_meta("config", config + " shard=" + std::to_string(index) + "/" + std::to_string(plan.shards)));
        optimizer::TaskRow row;
        row.task_id = "task-" + std::to_string(index);
        row.status = "done";
        ASSERT_TRUE((*db)->save(row, {}));
    }
    ASSERT_TRUE(core::write_file_atomically(slurm::shard_exit(plan, index), std::to_string(exit_code) + "\n"));
}

// A cluster that runs each submitted shard at once: exit code 0 unless `fail` names its index.
struct FakeCluster {
    slurm::Plan plan;
    std::string config;
    std::set<int> fail;
    std::vector<std::vector<std::string>> sbatch_calls;
    int next_job = 7;
    slurm::Client client() {
        slurm::Client c;
        c.sbatch = [this](const std::vector<std::string>& argv) {
            sbatch_calls.push_back(argv);
            std::istringstream list(argv[2].substr(std::string("--array=").size()));
            for (std::string index; std::getline(list, index, ',');) finish_shard(plan, std::stoi(index), config, fail.count(std::stoi(index)) ? 4 : 0);
            return answer(0, std::to_string(next_job++) + "\n");
        };
        c.plain = [](const std::vector<std::string>&) { return answer(0, ""); };  // squeue: nothing queued
        return c;
    }
};

}  // namespace

TEST(Slurm, AnArrayRunSubmitsWatchesMergesAndOnResumeResubmitsOnlyTheFailedShards) {
    TempDir tmp;
    FakeCluster cluster;
    cluster.plan = plan_in(tmp.path / "run", 2);
    cluster.config = "/data provider=rules k=4";
    cluster.fail = {1};
    slurm::ArrayRun run;
    run.plan = cluster.plan;
    run.config = cluster.config;
    run.db = tmp.path / "all.db";
    run.tasks = 2;
    run.poll_seconds = 0.01;
    std::vector<std::string> notes;
    slurm::ArrayEvents events;
    events.note = [&](const std::string& line) { notes.push_back(line); };
    std::atomic<bool> stop{false};

    auto first = slurm::run_array(run, cluster.client(), events, stop);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->outcome, slurm::ArrayOutcome::shards_failed);
    ASSERT_EQ(first->failed.size(), 1u);
    EXPECT_EQ(first->failed[0].index, 1);
    EXPECT_NE(first->failed[0].detail.find("exit code 4"), std::string::npos) << first->failed[0].detail;
    EXPECT_FALSE(fs::exists(run.db)) << "nothing is merged while a shard failed";
    ASSERT_FALSE(notes.empty());
    EXPECT_NE(notes.back().find("submitted Slurm job 7 (2 of 2 shards"), std::string::npos) << notes.back();

    // The same folder again without --resume is refused, and nothing is submitted.
    auto again = slurm::run_array(run, cluster.client(), events, stop);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, core::ErrorKind::input);
    EXPECT_NE(again.error().message.find("holds a Slurm run already (job 7)"), std::string::npos) << again.error().message;
    EXPECT_EQ(cluster.sbatch_calls.size(), 1u);

    // Another configuration in the same folder is refused even with --resume.
    run.resume = true;
    run.config = "/data provider=rules k=2";
    auto other = slurm::run_array(run, cluster.client(), events, stop);
    ASSERT_FALSE(other);
    EXPECT_NE(other.error().message.find("was started with another configuration"), std::string::npos) << other.error().message;

    // --resume: shard 1 alone goes again, then everything merges.
    run.config = cluster.config;
    cluster.fail.clear();
    auto resumed = slurm::run_array(run, cluster.client(), events, stop);
    ASSERT_TRUE(resumed) << resumed.error().message;
    EXPECT_EQ(resumed->outcome, slurm::ArrayOutcome::merged);
    EXPECT_EQ(resumed->merged, 2);
    EXPECT_EQ(resumed->job, "8");
    ASSERT_EQ(cluster.sbatch_calls.size(), 2u);
    EXPECT_EQ(cluster.sbatch_calls[1][2], "--array=1");
    const auto state = slurm::read_state(run.plan.dir);
    ASSERT_TRUE(state && *state);
    EXPECT_EQ((*state)->jobs, (std::vector<std::string>{"7", "8"}));
    auto db = optimizer::ResultsDb::open_existing(run.db.string());
    ASSERT_TRUE(db);
    EXPECT_EQ((*db)->tasks()->size(), 2u);
}

TEST(Slurm, AnArrayRunWithoutWaitingOrStoppedWhileWatchingLeavesTheJobsRunning) {
    TempDir tmp;
    slurm::ArrayRun run;
    run.plan = plan_in(tmp.path / "run", 2);
    run.config = "/data";
    run.db = tmp.path / "all.db";
    run.tasks = 3;
    run.no_wait = true;
    slurm::Client queued;
    queued.sbatch = [](const std::vector<std::string>&) { return answer(0, "12\n"); };
    queued.plain = [](const std::vector<std::string>&) { return answer(0, "12 0-1 PENDING\n"); };
    std::atomic<bool> stop{false};
    auto submitted = slurm::run_array(run, queued, {}, stop);
    ASSERT_TRUE(submitted) << submitted.error().message;
    EXPECT_EQ(submitted->outcome, slurm::ArrayOutcome::submitted);
    EXPECT_EQ(submitted->job, "12");

    run.no_wait = false;
    run.resume = true;
    stop = true;
    std::vector<std::string> looks;
    slurm::ArrayEvents events;
    events.progress = [&](const std::string& job, const std::vector<slurm::Shard>& shards) { looks.push_back(job + ": " + slurm::summary(shards)); };
    auto watched = slurm::run_array(run, queued, events, stop);
    ASSERT_TRUE(watched) << watched.error().message;
    EXPECT_EQ(watched->outcome, slurm::ArrayOutcome::interrupted);
    ASSERT_EQ(looks.size(), 1u);
    EXPECT_EQ(looks[0], "12: 2 shards: 2 pending, 0 running, 0 done, 0 failed; 0 tasks finished");
    EXPECT_FALSE(fs::exists(run.db));
}

TEST(Slurm, AnArrayRunChecksItsShardCountFirst) {
    slurm::ArrayRun run;
    run.plan.shards = 4;
    run.tasks = 3;
    auto more = slurm::validate(run);
    ASSERT_FALSE(more);
    EXPECT_EQ(more.error().message, "--shards 4: only 3 tasks are selected; use at most that many shards");
    run.plan.shards = 0;
    EXPECT_FALSE(slurm::validate(run));
    run.plan.shards = 3;
    EXPECT_TRUE(slurm::validate(run));
}

// eval --merge (optimizer::merge_runs): the shards of one run, all checked before --db is written.
TEST(RunDatabase, MergeTakesTheShardsOfOneRunAndRefusesAMixBeforeWriting) {
    TempDir tmp;
    auto shard = [&](const std::string& name, const std::string& config, const std::string& task) {
        const std::string path = (tmp.path / name).string();
        auto db = optimizer::ResultsDb::open(path);
        EXPECT_TRUE(db);
        EXPECT_TRUE((*db)->set_meta("config", config));
        optimizer::TaskRow row;
        row.task_id = task;
        row.status = "done";
        EXPECT_TRUE((*db)->save(row, {}));
        return path;
    };
    const auto a = shard("a.db", "data k=4 shard=0/2", "t0");
    const auto b = shard("b.db", "data k=4 shard=1/2", "t1");
    const auto c = shard("c.db", "data k=2 shard=1/2", "t2");
    const std::string mixed = (tmp.path / "mixed.db").string();
    auto refused = optimizer::merge_runs(mixed, {a, c});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, core::ErrorKind::input);
    EXPECT_EQ(refused.error().message, "--merge " + c + " holds another run (data k=2) than " + a + " (data k=4); merge only the shards of one run");
    EXPECT_FALSE(fs::exists(mixed));
    auto missing = optimizer::merge_runs(mixed, {a, (tmp.path / "nope.db").string()});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nope.db: no such file"), std::string::npos);
    EXPECT_FALSE(fs::exists(mixed));

    const std::string merged = (tmp.path / "merged.db").string();
    auto n = optimizer::merge_runs(merged, {a, b});
    ASSERT_TRUE(n) << n.error().message;
    EXPECT_EQ(*n, 2);
    {
        auto db = optimizer::ResultsDb::open_existing(merged);
        ASSERT_TRUE(db);
        EXPECT_EQ((*db)->meta("config")->value_or(""), "data k=4 shard=");
    }
    // The merged database is of run k=4: a k=2 shard is not added to it.
    auto into = optimizer::merge_runs(merged, {c});
    ASSERT_FALSE(into);
    EXPECT_NE(into.error().message.find("holds another run"), std::string::npos) << into.error().message;
}

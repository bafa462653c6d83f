// eval --slurm's pieces without a cluster: the job script (run by bash as an array task would
// be), squeue parsing, a shard's state from the files and the queue, sbatch's answers, the merge.
// tests/e2e/test_slurm.cpp runs the whole thing on a real local Slurm.
#include <cstdlib>
#include <filesystem>
#include <fstream>

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

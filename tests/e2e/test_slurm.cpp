// optiloop eval --slurm end to end. The cluster test starts a real one-node Slurm with
// scripts/slurm-local (it skips, saying why, where Slurm cannot start), runs the io-* tasks as
// three array tasks, checks the merged database against a plain eval of the same tasks, then
// cancels a shard of a second run and checks that --resume resubmits it. The other tests need no
// cluster: what --slurm refuses, and that a key never reaches the job script.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;

namespace {

const std::string k_builtin = std::string(OPTILOOP_SOURCE_DIR) + "/datasets/builtin";
const std::string k_slurm_local = std::string(OPTILOOP_SOURCE_DIR) + "/scripts/slurm-local";
const std::string k_selection = "--tasks 'io-*' --provider rules --rounds 1 --repeat 1 --jobs 1 --no-reference";

fs::path temp_dir() { return test_support::process_dir("optiloop-e2e-slurm-"); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

int sh(const std::string& command, std::string* out = nullptr, std::string* err = nullptr) {
    const fs::path o = temp_dir() / "out", e = temp_dir() / "err";
    const int status = std::system(("cd " + temp_dir().string() + " && " + command + " > " + o.string() + " 2> " + e.string() + " </dev/null").c_str());
    if (out) *out = slurp(o);
    if (err) *err = slurp(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int optiloop(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) {
    return sh(std::string(OPTILOOP_BINARY) + " " + args, out, err);
}

nlohmann::json content(const fs::path& db) {
    std::string out;
    EXPECT_EQ(optiloop("report " + db.string() + " --json", &out), 0);
    auto j = nlohmann::json::parse(out);
    return {{"per_task", j["per_task"]}, {"verdicts", j["verdicts"]}, {"pie", j["pie"]}};
}

// A one-node Slurm for this process; stopped at the end of the test.
struct LocalSlurm {
    bool up = false;
    std::string why;
    LocalSlurm() {
        const fs::path dir = temp_dir() / "slurm";
        ::setenv("OPTILOOP_SLURM_DIR", dir.c_str(), 1);
        // Ports of its own, so that a cluster a user runs beside it is left alone.
        ::setenv("OPTILOOP_SLURM_PORT", std::to_string(20000 + (::getpid() % 4000) * 2).c_str(), 1);
        std::string out, err;
        up = sh(k_slurm_local + " start", &out, &err) == 0;
        why = out + err;
        if (up) ::setenv("SLURM_CONF", (dir / "slurm.conf").c_str(), 1);
    }
    ~LocalSlurm() { sh(k_slurm_local + " stop"); }
};

}  // namespace

TEST(Slurm, ShardsOnALocalClusterMergeIntoThePlainRunAndACancelledShardIsResubmitted) {
    LocalSlurm cluster;
    if (!cluster.up) GTEST_SKIP() << "no local Slurm here: " << cluster.why;

    const fs::path plain = temp_dir() / "plain.db", merged = temp_dir() / "merged.db";
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(optiloop("eval " + k_builtin + " " + k_selection + " --db " + plain.string()), 0);
    const auto t1 = std::chrono::steady_clock::now();
    std::string out, err;
    ASSERT_EQ(optiloop("eval " + k_builtin + " " + k_selection + " --slurm --shards 3 --db " + merged.string(), &out, &err), 0) << out << err;
    const auto t2 = std::chrono::steady_clock::now();
    std::cout << "plain eval " << std::chrono::duration<double>(t1 - t0).count() << " s, 3 Slurm shards " << std::chrono::duration<double>(t2 - t1).count()
              << " s\n";
    EXPECT_NE(out.find("5 tasks from 3 Slurm shards merged"), std::string::npos) << out;
    EXPECT_NE(err.find("3 shards: 0 pending, 0 running, 3 done, 0 failed; 5 tasks finished"), std::string::npos) << err;
    EXPECT_EQ(content(merged), content(plain));
    // The merged database is one whole run: a plain --resume of it has nothing left to do.
    ASSERT_EQ(optiloop("eval " + k_builtin + " " + k_selection + " --db " + merged.string() + " --resume", &out, &err), 0) << err;
    EXPECT_NE(out.find("(5 from an earlier run, 0 failed)"), std::string::npos) << out;

    // A second run, submitted without waiting; its shard 1 is cancelled before it can finish.
    const fs::path second = temp_dir() / "second.db";
    ASSERT_EQ(optiloop("eval " + k_builtin + " " + k_selection + " --slurm --shards 3 --no-wait --db " + second.string(), &out, &err), 0) << err;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex("Slurm job (\\d+)"))) << out;
    ASSERT_EQ(sh("scancel " + m[1].str() + "_1"), 0);
    // Watching now finds shard 1 gone: without --resume the folder is refused, with it the shard
    // is resubmitted and the run completes.
    EXPECT_EQ(optiloop("eval " + k_builtin + " " + k_selection + " --slurm --shards 3 --db " + second.string(), &out, &err), 2);
    EXPECT_NE(err.find("holds a Slurm run already"), std::string::npos) << err;
    ASSERT_EQ(optiloop("eval " + k_builtin + " " + k_selection + " --slurm --shards 3 --resume --db " + second.string(), &out, &err), 0) << out << err;
    EXPECT_NE(err.find("resubmitting shard 1 (left the queue"), std::string::npos) << err;
    EXPECT_EQ(content(second), content(plain));
    // Another configuration may not resume the folder.
    EXPECT_EQ(optiloop("eval " + k_builtin + " " + k_selection + " -k 2 --slurm --shards 3 --resume --db " + second.string(), &out, &err), 2);
    EXPECT_NE(err.find("was started with another configuration"), std::string::npos) << err;
}

TEST(Slurm, WhatSlurmModeRefusesIsOneLineEach) {
    std::string out, err;
    const std::string eval = std::string(OPTILOOP_BINARY) + " eval " + k_builtin + " " + k_selection;
    // No Slurm client on PATH: infrastructure, one line, nothing written.
    EXPECT_EQ(sh("PATH=/nonexistent " + eval + " --slurm --shards 2 --db none.db", &out, &err), 3);
    EXPECT_NE(err.find("sbatch and squeue are not on PATH"), std::string::npos) << err;
    EXPECT_FALSE(fs::exists(temp_dir() / "none.db.slurm"));
    EXPECT_FALSE(fs::exists(temp_dir() / "none.db"));
    // More shards than tasks; no --shards; --shard beside --slurm; --shards without --slurm.
    EXPECT_EQ(sh(eval + " --slurm --shards 6 --db none.db", &out, &err), 2);
    EXPECT_NE(err.find("--shards 6: only 5 tasks are selected"), std::string::npos) << err;
    EXPECT_EQ(sh(eval + " --slurm --db none.db", &out, &err), 2);
    EXPECT_NE(err.find("give --shards N"), std::string::npos) << err;
    EXPECT_EQ(sh(eval + " --slurm --shards 2 --shard 0/2 --db none.db", &out, &err), 2);
    EXPECT_NE(err.find("--shard: not with --slurm"), std::string::npos) << err;
    EXPECT_EQ(sh(eval + " --shards 2 --db none.db", &out, &err), 2);
    EXPECT_NE(err.find("go with --slurm"), std::string::npos) << err;
    EXPECT_FALSE(fs::exists(temp_dir() / "none.db"));
}

TEST(Slurm, TheJobScriptCarriesEveryOptionButNeverTheKey) {
    std::string out, err;
    ASSERT_EQ(sh("OPENAI_API_KEY=sk-never-in-a-script " + std::string(OPTILOOP_BINARY) + " eval " + k_builtin +
                     " --tasks 'io-*' --provider openai --model some-model -k 3 --rounds 2 --counter callgrind --jobs 2 --slurm --shards 2"
                     " --slurm-opt '--partition=cpu --time=2:00:00' --slurm-script-only --db run.db",
                 &out, &err),
              0)
        << err;
    EXPECT_EQ(out.find("sk-never"), std::string::npos);
    EXPECT_NE(out.find("#SBATCH --array=0-1"), std::string::npos) << out;
    EXPECT_NE(out.find("#SBATCH --partition=cpu --time=2:00:00"), std::string::npos) << out;
    EXPECT_NE(out.find("#SBATCH --cpus-per-task=2"), std::string::npos) << out;
    for (const char* part : {"'--provider' 'openai'", "'--model' 'some-model'", "'--samples' '3'", "'--rounds' '2'", "'--counter' 'callgrind'", "'--jobs' '2'",
                             "'--tasks' 'io-*'", "--shard \"$i/2\"", "--resume"})
        EXPECT_NE(out.find(part), std::string::npos) << part << "\n" << out;
    EXPECT_EQ(out.find("'--db'"), std::string::npos);
    EXPECT_EQ(out.find("'--slurm"), std::string::npos);
    EXPECT_FALSE(fs::exists(temp_dir() / "run.db.slurm"));
}

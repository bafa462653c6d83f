// End-to-end: the real optiloop binary on built-in tasks and on files, as a user runs it.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>
#include <chrono>

#include <nlohmann/json.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path k_builtin = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "builtin";

struct CliResult {
    int code = -1;
    std::string out, err;
};

fs::path temp_dir() { return test_support::process_dir("optiloop-e2e-"); }

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// `env`: VAR=VALUE assignments for the run, if any.
CliResult optiloop(const std::string& args, const std::string& env = "") {
    const fs::path out = temp_dir() / "stdout", err = temp_dir() / "stderr";
    const std::string command = (env.empty() ? "" : "env " + env + " ") + std::string(OPTILOOP_BINARY) + " " + args + " > " +
                                out.string() + " 2> " + err.string() + " < /dev/null";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

int lines(const std::string& text) {
    int n = 0;
    for (char c : text) n += c == '\n';
    return n;
}

}  // namespace

TEST(Optimize, RulesFindAVerifiedSpeedupOnABuiltinTask) {
    const CliResult r = optiloop("optimize " + (k_builtin / "io-rle-string-concat").string() + " --json --repeat 1");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["provider"], "rules");
    ASSERT_FALSE(j["best"].is_null());
    EXPECT_GT(j["speedup"].get<double>(), 1.5);
    EXPECT_NE(j["patch"].get<std::string>().find("+="), std::string::npos);
    EXPECT_NE(r.err.find("using the offline rules proposer"), std::string::npos);
    // Every candidate says whether wall time contradicts its gain; the best never is.
    ASSERT_TRUE(j["contradicted"].is_array()) << r.out;
    for (const auto& c : j["candidates"]) {
        ASSERT_TRUE(c["contradicted"].is_boolean()) << c.dump();
        ASSERT_TRUE(c["contradiction"].is_string()) << c.dump();
        ASSERT_TRUE(c["ratios_disagree"].is_boolean()) << c.dump();
        if (c["id"] == j["best"]) {
            EXPECT_FALSE(c["contradicted"].get<bool>()) << c.dump();
            EXPECT_EQ(c["contradiction"], "");
        }
    }
}

// clang-tidy's performance checks as a proposer: its fix (performance-avoid-endl) is built, tested
// and measured like any candidate, and `analyze --tidy` shows the finding beside optiloop's rule.
TEST(Optimize, ClangTidysFixesAreVerifiedLikeAnyCandidate) {
    const CliResult r = optiloop("optimize " + (k_builtin / "io-divisor-table-endl").string() + " --provider clang-tidy --json --repeat 1");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_FALSE(j["best"].is_null()) << r.out;
    EXPECT_GT(j["speedup"].get<double>(), 1.2);
    EXPECT_NE(j["patch"].get<std::string>().find("+        cout << divs[i] << '\\n';"), std::string::npos) << j["patch"].get<std::string>();
    bool named = false;
    for (const auto& c : j["candidates"]) named = named || c["edit"]["explanation"].get<std::string>().find("performance-avoid-endl") != std::string::npos;
    EXPECT_TRUE(named) << r.out;
    const CliResult a = optiloop("analyze " + (k_builtin / "io-divisor-table-endl").string() + " --tidy");
    ASSERT_EQ(a.code, 0) << a.err;
    EXPECT_NE(a.out.find("[performance-avoid-endl]"), std::string::npos) << a.out;
    EXPECT_NE(a.out.find("[endl-in-loop]"), std::string::npos) << a.out;
    EXPECT_EQ(a.err.find("warnings generated"), std::string::npos) << a.err;
}

TEST(Optimize, ReplayReturnsTheReferencesSpeedup) {
    const fs::path task = k_builtin / "alg-inversion-count";
    const CliResult m = optiloop("measure " + task.string() + " --json --repeat 1");
    ASSERT_EQ(m.code, 0) << m.err;
    const auto measured = nlohmann::json::parse(m.out);
    const double reference_speedup = measured["speedup"].get<double>();
    // One timed repeat says nothing about the noise: never a contradiction.
    EXPECT_EQ(measured["contradicted"], false);
    EXPECT_EQ(measured["contradiction"], "");
    EXPECT_TRUE(measured["ratios_disagree"].is_boolean());
    const CliResult r = optiloop("optimize " + task.string() + " --provider replay --json --repeat 1");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_FALSE(j["best"].is_null());
    // Instruction counts are exact, so the two measurements agree to the instruction.
    EXPECT_DOUBLE_EQ(j["speedup"].get<double>(), reference_speedup);
}

TEST(Optimize, SourceFileWithTestsOutAndApply) {
    const fs::path dir = temp_dir() / "file-target";
    fs::create_directories(dir / "tests");
    std::ofstream(dir / "slow.cpp") << "#include <iostream>\nusing namespace std;\nint main() {\n    int n;\n    cin >> n;\n"
                                       "    for (int i = 0; i < n; ++i) cout << i * i << endl;\n}\n";
    std::ofstream(dir / "tests" / "a.in") << "3\n";
    std::ofstream(dir / "tests" / "a.out") << "0\n1\n4\n";
    std::ofstream(dir / "tests" / "b.in") << "20000\n";
    std::string big;
    for (int i = 0; i < 20000; ++i) big += std::to_string(i * i) + "\n";
    std::ofstream(dir / "tests" / "b.out") << big;
    const std::string original = slurp(dir / "slow.cpp");
    const CliResult r = optiloop("optimize " + (dir / "slow.cpp").string() + " --tests " + (dir / "tests").string() + " --out " +
                           (dir / "out").string() + " --apply --repeat 1");
    ASSERT_EQ(r.code, 0) << r.err << r.out;
    EXPECT_NE(r.out.find("best: "), std::string::npos) << r.out;
    // The first candidate combines both findings (iostream-sync, endl-in-loop), and its progress
    // line says so rather than naming only the first.
    EXPECT_NE(r.err.find("evaluating c1 ("), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("; and 1 more)"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(dir / "slow.cpp.orig"), original);
    EXPECT_NE(slurp(dir / "slow.cpp"), original);
    EXPECT_NE(slurp(dir / "slow.cpp").find("'\\n'"), std::string::npos);
    for (const char* f : {"best.cpp", "best.patch", "candidates.jsonl", "result.json"}) EXPECT_TRUE(fs::exists(dir / "out" / f)) << f;
    EXPECT_EQ(slurp(dir / "out" / "best.cpp"), slurp(dir / "slow.cpp"));
    const auto result = nlohmann::json::parse(slurp(dir / "out" / "result.json"));
    EXPECT_GT(result["candidates"].size(), 0u);
    EXPECT_TRUE(result["contradicted"].is_array());
    for (const auto& c : result["candidates"]) EXPECT_TRUE(c["contradicted"].is_boolean()) << c.dump();
}

namespace {

// A task whose reference does almost no counted work and sleeps at least as long as the baseline
// runs: far fewer instructions, no gain in clearly measurable wall time. Its sleep (160 ms) is
// longer than the baseline's (a 5M-step loop, a few ms, then 120 ms), so that a loop slowed by a
// busy machine cannot make the reference look faster by more than the 10% band.
fs::path gamed_task() {
    const fs::path dir = temp_dir() / "gamed-task";
    if (fs::exists(dir / "task.json")) return dir;
    for (const char* sub : {"baseline", "reference", "tests"}) fs::create_directories(dir / sub);
    std::ofstream(dir / "task.json") << R"({"id":"gamed-counter","language":"cpp","kind":"stdio","limits":{"time_s":5,"memory_mb":256}})";
    std::ofstream(dir / "baseline" / "main.cpp")
        << "#include <cstdio>\n#include <ctime>\nint main() {\n  unsigned long x = 1;\n"
           "  for (long i = 0; i < 5000000; ++i) { x = x * 6364136223846793005UL + 1442695040888963407UL; asm volatile(\"\" : \"+r\"(x)); }\n"
           "  timespec t{0, 120000000}; nanosleep(&t, nullptr);\n  std::printf(\"%d\\n\", x != 0 || x == 0);\n}\n";
    std::ofstream(dir / "reference" / "main.cpp")
        << "#include <cstdio>\n#include <ctime>\nint main() {\n  timespec t{0, 160000000}; nanosleep(&t, nullptr);\n  std::puts(\"1\");\n}\n";
    std::ofstream(dir / "tests" / "a.in") << "\n";
    std::ofstream(dir / "tests" / "a.out") << "1\n";
    return dir;
}

// Whether both sides' wall time was steady enough (cv <= 10%) for a contradiction to be trusted.
bool steady(const nlohmann::json& result) {
    for (const auto* m : {&result["baseline"], &result["candidates"][0]["measurement"]})
        for (const auto& t : (*m)["tests"])
            if (t["wall_cv"].get<double>() > 0.10) return false;
    return true;
}

}  // namespace

// An instruction gain that clearly measurable wall time contradicts is never reported as verified:
// no best, the candidate marked in --json, in result.json and in the text output.
TEST(Optimize, AGainThatWallTimeContradictsIsNeverVerified) {
    const fs::path task = gamed_task(), out = temp_dir() / "gamed-out";
    const CliResult r = optiloop("optimize " + task.string() + " --provider replay --json --repeat 3 --counter cachegrind --out " + out.string());
    ASSERT_EQ(r.code, 1) << r.err;  // nothing verified
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["candidates"].size(), 1u) << r.out;
    const auto& c = j["candidates"][0];
    ASSERT_EQ(c["measurement"]["verdict"], "OK") << r.out;
    ASSERT_GT(c["speedup"].get<double>(), 1.25) << r.out;
    if (!c["contradicted"].get<bool>() && !steady(j)) GTEST_SKIP() << "wall time too noisy here to trust: " << r.out;
    EXPECT_TRUE(c["contradicted"].get<bool>()) << r.out;
    EXPECT_NE(c["contradiction"].get<std::string>().find("fewer instructions, but only"), std::string::npos) << r.out;
    EXPECT_EQ(j["contradicted"], nlohmann::json::array({"c1"}));
    EXPECT_TRUE(j["best"].is_null()) << r.out;
    EXPECT_TRUE(j["speedup"].is_null()) << r.out;
    EXPECT_EQ(j["patch"], "");
    EXPECT_NE(j["stop_reason"].get<std::string>().find("not counting c1, whose instruction gain wall time contradicts"), std::string::npos) << r.out;
    const auto result = nlohmann::json::parse(slurp(out / "result.json"));
    EXPECT_EQ(result["contradicted"], nlohmann::json::array({"c1"}));
    EXPECT_TRUE(result["candidates"][0]["contradicted"].get<bool>());
    EXPECT_TRUE(result["best"].is_null());

    const fs::path text_out = temp_dir() / "gamed-text-out";
    const CliResult text = optiloop("optimize " + task.string() + " --provider replay --repeat 3 --counter cachegrind --out " + text_out.string());
    ASSERT_EQ(text.code, 1) << text.err;
    const auto text_result = nlohmann::json::parse(slurp(text_out / "result.json"));
    if (!text_result["candidates"][0]["contradicted"].get<bool>() && !steady(text_result))
        GTEST_SKIP() << "wall time too noisy here on the second run: " << text.out;
    EXPECT_NE(text.out.find("not verified: c1: wall time contradicts its instruction gain: "), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("no verified speedup found among 1 candidates"), std::string::npos) << text.out;
    EXPECT_EQ(text.out.find("<- best"), std::string::npos) << text.out;
}

TEST(Optimize, NothingToFindIsReportedNotFaked) {
    const CliResult r = optiloop("optimize " + (k_builtin / "alg-modular-power").string() + " --json --repeat 1");
    ASSERT_EQ(r.code, 1) << r.err;  // nothing verified
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(j["best"].is_null());
    EXPECT_TRUE(j["speedup"].is_null());
    // The rules were asked first and had nothing: no minutes spent measuring the baseline.
    EXPECT_EQ(j["stop"], "proposer_empty");
    EXPECT_TRUE(j["baseline"].is_null()) << r.out;
    EXPECT_NE(j["stop_reason"].get<std::string>().find("the baseline was not measured"), std::string::npos);
}

TEST(Optimize, BadInputExits2WithOneLine) {
    const fs::path broken = temp_dir() / "broken-task";
    fs::create_directories(broken / "baseline");
    std::ofstream(broken / "task.json") << R"({"id":"b","language":"cpp","kind":"stdio","limits":{"time_s":"soon"}})";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"optimize /no/such/place", "/no/such/place: no such file or directory"},
        {"optimize " + broken.string(), "limits.time_s: expected a number, got string"},
        {"optimize " + (k_builtin / "alg-inversion-count").string() + " --provider openai", "needs --model"},
        {"optimize " + (k_builtin / "alg-inversion-count").string() + " --rounds 0", "--rounds"},
        {"optimize " + (k_builtin / "alg-inversion-count" / "baseline" / "main.cpp").string(), "--tests DIR is required"},
        {"measure " + broken.string(), "limits.time_s"},
        {"optimize", "give a task folder or a source file"},
        {"measure", "give a task folder or a source file"},
        // Outputs that cannot be written: said before the work, not after it.
        {"optimize " + (k_builtin / "alg-inversion-count").string() + " --out /proc/optiloop-out",
         "--out /proc/optiloop-out: cannot write there (/proc is not writable)"},
        {"ci --repo " + std::string(OPTILOOP_SOURCE_DIR) + " --base HEAD --sarif " + temp_dir().string(),
         "--sarif " + temp_dir().string() + ": cannot write there (a folder, not a file)"},
        {"report " + broken.string() + " --html /proc/optiloop.html", "--html /proc/optiloop.html: cannot write there"},
        // Files that are not sources: said, not compiled or parsed into "0 findings".
        {"measure " + (k_builtin / "alg-inversion-count" / "task.json").string() + " --tests " +
             (k_builtin / "alg-inversion-count" / "tests").string(),
         "task.json: expected a task folder or a source file (.cpp .cc .cxx .c .cu)"},
        {"analyze " + (k_builtin / "alg-inversion-count" / "task.json").string(),
         "task.json: expected a C or C++ source or header"},
        {"analyze " + (k_builtin / "alg-inversion-count" / "baseline" / "main.cpp").string() + " " +
             (k_builtin / "alg-inversion-count").string(),
         "alg-inversion-count: expected a C or C++ source or header"},
    };
    for (const auto& [args, expected] : cases) {
        const CliResult r = optiloop(args);
        EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
        EXPECT_EQ(lines(r.err), 1) << args << "\n" << r.err;
        EXPECT_NE(r.err.find(expected), std::string::npos) << args << "\n" << r.err;
        EXPECT_TRUE(r.out.empty()) << args;
    }
}

TEST(Eval, ValidateReportsEveryProblemOfADataset) {
    const fs::path root = temp_dir() / "dataset";
    for (const char* name : {"a", "b"}) {
        fs::create_directories(root / name / "baseline");
        fs::create_directories(root / name / "tests");
        std::ofstream(root / name / "baseline" / "main.cpp") << "int main(){}\n";
    }
    std::ofstream(root / "a" / "task.json") << R"({"id":"a","language":"cpp","kind":"stdio"})";
    std::ofstream(root / "a" / "tests" / "x.in") << "1";
    std::ofstream(root / "b" / "task.json") << R"({"id":"b","language":"cpp","kind":"stdio","checker":{"type":"nope"}})";
    const CliResult r = optiloop("eval " + root.string() + " --validate");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("x.in: test input without its expected output x.out"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("checker.type"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2 tasks, 2 with problems"), std::string::npos) << r.out;
    const CliResult ok = optiloop("eval " + k_builtin.string() + " --validate");
    EXPECT_EQ(ok.code, 0) << ok.out;
    const CliResult list = optiloop("eval " + k_builtin.string() + " --list");
    EXPECT_EQ(list.code, 0);
    EXPECT_NE(list.out.find("fn-count-inversions"), std::string::npos);
}

// measure follows what the user configured for the counter, jobs and repeat (a flag still wins),
// and refuses a bad configured value as the other commands do.
TEST(Config, MeasureFollowsTheConfiguredCounter) {
    const std::string task = (k_builtin / "io-divisor-table-endl").string();
    const CliResult configured = optiloop("measure " + task + " --json --baseline-only --repeat 1", "OPTILOOP_COUNTER=none");
    ASSERT_EQ(configured.code, 0) << configured.err;
    EXPECT_EQ(nlohmann::json::parse(configured.out)["counter"], "none");
    const CliResult bad = optiloop("measure " + task, "OPTILOOP_REPEAT=abc");
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("OPTILOOP_REPEAT: repeat: expected an integer from 1 to 100"), std::string::npos) << bad.err;
    EXPECT_EQ(lines(bad.err), 1) << bad.err;
}

TEST(Config, PrecedenceSourcesAndNoKey) {
    const fs::path dir = temp_dir() / "config";
    fs::create_directories(dir);
    std::ofstream(dir / "optiloop.toml") << "rounds = 2\nprovider = \"replay\"\nsamples = 6\n";
    const std::string cd = "cd " + dir.string() + " && env -u XDG_CONFIG_HOME HOME=" + dir.string() + " OPTILOOP_ROUNDS=5 OPENAI_API_KEY=sk-must-not-show ";
    CliResult r;
    {
        const fs::path out = temp_dir() / "cfg.out";
        const int status = std::system((cd + OPTILOOP_BINARY + " config show --json > " + out.string() + " 2>&1").c_str());
        r = {WEXITSTATUS(status), slurp(out), ""};
    }
    ASSERT_EQ(r.code, 0) << r.out;
    EXPECT_EQ(r.out.find("sk-must-not-show"), std::string::npos);
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["rounds"]["value"], "5");  // env beats the file
    EXPECT_EQ(j["rounds"]["source"], "env OPTILOOP_ROUNDS");
    EXPECT_EQ(j["provider"]["value"], "replay");
    EXPECT_EQ(j["provider"]["source"], "optiloop.toml");
    EXPECT_EQ(j["samples"]["value"], "6");
    EXPECT_EQ(j["counter"]["source"], "default");
    EXPECT_EQ(j["api_key"]["value"], "set");
    EXPECT_EQ(j["api_key"]["source"], "env OPENAI_API_KEY");

    std::ofstream(dir / "optiloop.toml") << "rounds = \"many\"\n";
    const fs::path out = temp_dir() / "cfg.err";
    const int status = std::system((cd + OPTILOOP_BINARY + " optimize " + (k_builtin / "alg-inversion-count").string() + " > /dev/null 2> " + out.string()).c_str());
    EXPECT_EQ(WEXITSTATUS(status), 2);
    EXPECT_EQ(slurp(out), "optiloop optimize: optiloop.toml: rounds: expected an integer from 1 to 50, got \"many\"\n");
}

TEST(Optimize, TimeBudgetStopsTheLoop) {
    // The baseline alone takes longer than a 1-second budget, so no round starts.
    const CliResult r = optiloop("optimize " + (k_builtin / "io-divisor-table-endl").string() + " --json --repeat 1 --time-budget 1");
    ASSERT_EQ(r.code, 1) << r.err;  // nothing was verified
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["stop_reason"], "the time budget of 1 s is spent");
    EXPECT_EQ(j["stop"], "time_budget");
    EXPECT_EQ(j["verified"], false);
    EXPECT_TRUE(j["candidates"].empty());
}

TEST(Analyze, TaskFolderShowsHotSpotsAndFindings) {
    const CliResult r = optiloop("analyze " + (k_builtin / "ds-subarray-sum-pass-by-value").string() + " --json");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_FALSE(j["hot_spots"].empty());
    double total = 0;
    for (const auto& h : j["hot_spots"]) total += h["share"].get<double>();
    EXPECT_GT(total, 0.9);  // nearly every instruction is laid on a function of the task
    ASSERT_EQ(j["findings"].size(), 1u);
    EXPECT_EQ(j["findings"][0]["rule"], "by-value-param");
}

TEST(Analyze, RulesAndFlagsBeforeTheFileLeaveTheFileAFile) {
    const std::string file = (k_builtin / "ll-pow-integer-exponent" / "baseline" / "main.cpp").string();
    const CliResult r = optiloop("analyze --rules pow-integer-exponent,pow-square --flags -std=c++17 " + file + " --json");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j["findings"].size(), 2u) << r.out;
    for (const auto& f : j["findings"]) EXPECT_EQ(f["rule"], "pow-integer-exponent");
}

TEST(KernelTasks, AreValidAndOnAGpuTheReferenceIsCorrectAndFaster) {
    const fs::path kernels = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels";
    const CliResult v = optiloop("eval " + kernels.string() + " --validate");
    EXPECT_EQ(v.code, 0) << v.out << v.err;
    if (!fs::exists("/dev/nvidia0") || !fs::exists("/dev/nvidiactl")) GTEST_SKIP() << "no NVIDIA GPU here: the kernel tasks only compile-check via --validate";
    // The naive baselines against their tiled / warp-per-row / privatised references: each
    // reference must pass and be clearly faster (the least expected gap is the transpose's: L2
    // merges some of the baseline's scattered writes).
    const std::pair<const char*, double> tasks[] = {{"attention-decode-f32", 2.0}, {"softmax-rows-f32", 2.0},
                                                    {"layernorm-f32", 2.0},        {"sgemm-f32", 3.0},
                                                    {"transpose-f32", 1.5},        {"histogram-u32", 2.0}};
    for (const auto& [task, least_speedup] : tasks) {
        const CliResult m = optiloop("measure " + (kernels / task).string() + " --json --repeat 1");
        ASSERT_EQ(m.code, 0) << task << ": " << m.err;
        const auto j = nlohmann::json::parse(m.out);
        EXPECT_EQ(j["baseline"]["verdict"], "OK") << task << ": " << m.out;
        EXPECT_EQ(j["reference"]["verdict"], "OK") << task << ": " << m.out;
        EXPECT_GT(j["speedup"].get<double>(), least_speedup) << task << ": " << m.out;
    }
}

// analyze on a CUDA task folder: nvcc's resource report of its baseline, built with the
// harness's headers beside it (no Clang parse, no profile run, which needs a GPU).
TEST(KernelTasks, AnalyzeReportsTheBaselinesKernels) {
    if (::access("/usr/local/cuda/bin/nvcc", X_OK) != 0) GTEST_SKIP() << "nvcc is not installed at /usr/local/cuda/bin/nvcc";
    const fs::path task = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels" / "transpose-f32";
    const CliResult r = optiloop("analyze " + task.string() + " --json");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    ASSERT_EQ(j.size(), 1u) << r.out;
    EXPECT_NE(j[0]["kernel"].get<std::string>().find("transpose_naive"), std::string::npos) << r.out;
    EXPECT_EQ(j[0]["file"], (task / "baseline" / "kernel.cu").string());
    EXPECT_GT(j[0]["registers"].get<int>(), 0);
}

// Without a GPU a CUDA task's programs build but cannot run: measure says so up front, and a
// failed run's verdict carries the program's last words on stderr (here the CUDA runtime's).
TEST(KernelTasks, WithoutAGpuMeasureSaysWhyTheyFail) {
    if (fs::exists("/dev/nvidia0") || fs::exists("/dev/nvidiactl")) GTEST_SKIP() << "a GPU is present";
    const fs::path task = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels" / "histogram-u32";
    const CliResult m = optiloop("measure " + task.string() + " --repeat 1 --baseline-only");
    EXPECT_EQ(m.code, 1) << m.err;  // the baseline failed its tests
    EXPECT_NE(m.err.find("note: histogram-u32 is CUDA and this machine has no GPU"), std::string::npos) << m.err;
    if (m.out.find("baseline    CE") != std::string::npos) GTEST_SKIP() << "no nvcc here: " << m.out;
    // e.g. "RE: exit code 1: /work/main.cu:32: CUDA driver version is insufficient ..."
    EXPECT_NE(m.out.find("RE: exit code 1: /work/main.cu:"), std::string::npos) << m.out;
}

// optiloop's own kernels have no faster reference; on a GPU their baseline must pass every test
// and report a cost.
TEST(KernelTasks, OnAGpuOptiloopsOwnKernelsPassTheirTests) {
    if (!fs::exists("/dev/nvidia0") || !fs::exists("/dev/nvidiactl")) GTEST_SKIP() << "no NVIDIA GPU here: the kernel tasks only compile-check via --validate";
    const fs::path kernels = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels";
    for (const char* task : {"attention-prefill-fp16", "attention-decode-fp16"}) {
        const CliResult m = optiloop("measure " + (kernels / task).string() + " --json --repeat 1");
        ASSERT_EQ(m.code, 0) << task << ": " << m.err;
        const auto j = nlohmann::json::parse(m.out);
        EXPECT_EQ(j["baseline"]["verdict"], "OK") << task << ": " << m.out;
        EXPECT_EQ(j["baseline"]["cost_unit"], "us") << task << ": " << m.out;
    }
}

// `optiloop kernels` runs the optiloop-kernels tool built beside it (where nvcc was found) with
// the flags it was given: the tool's own checks answer (exit 2 naming the flag), before any GPU
// is looked for; without the tool, exit 3 saying so.
TEST(KernelsCommand, ForwardsItsFlagsToTheTool) {
    const bool built = fs::exists(fs::path(OPTILOOP_BINARY).parent_path() / "optiloop-kernels");
    CliResult r = optiloop("kernels bench --prefill 1x2 --decode 1x64");
    if (!built) {
        EXPECT_EQ(r.code, 3) << r.out << r.err;
        EXPECT_NE(r.err.find("not built here"), std::string::npos) << r.err;
        GTEST_SKIP() << "optiloop-kernels is not built here (no nvcc)";
    }
    EXPECT_EQ(r.code, 2) << r.out << r.err;
    EXPECT_NE(r.out.find("--prefill expects BATCHxHEADSxSEQ"), std::string::npos) << r.out;
    EXPECT_EQ(lines(r.out + r.err), 1) << r.out << r.err;
    r = optiloop("kernels bench --runs 0");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.out.find("--runs expects"), std::string::npos) << r.out;
    r = optiloop("kernels check --family prefil");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE((r.out + r.err).find("--family expects naive, prefill or decode"), std::string::npos) << r.out << r.err;
    // The probe needs a GPU in this build (the emulated build runs it on the CPU: ctest -R kernels_probe).
    r = optiloop("kernels probe");
    if (r.code != 0) {
        EXPECT_EQ(r.code, 3) << r.out << r.err;
    }
}

// Being the model: with --provider paste each prompt is a file and each answer a file beside it.
// A compile error in round 1 comes back in round 2's prompt with the compiler's words, the fixed
// answer is verified, and the recorded exchanges replay to the same result.
TEST(Paste, AnsweringThePromptsFromFilesRepairsAFailureAndReplaysExactly) {
    const fs::path dir = temp_dir() / "paste";
    fs::create_directories(dir / "tests");
    std::ofstream(dir / "slow.cpp") << "#include <cstdio>\nint main() { long n; std::scanf(\"%ld\", &n); long s = 0;\n"
                                       "  for (long i = 0; i < n; ++i) s += i;\n  std::printf(\"%ld\\n\", s); }\n";
    std::ofstream(dir / "tests" / "a.in") << "100000\n";
    std::ofstream(dir / "tests" / "a.out") << "4999950000\n";
    const fs::path answers = dir / "answers";
    std::string second_prompt;
    std::thread model([&] {
        const fs::path first = answers / "slow-r1-c1-prompt.md", second = answers / "slow-r2-c1-prompt.md";
        for (int i = 0; i < 6000 && !fs::exists(first); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        std::ofstream(answers / "slow-r1-c1-answer-1.md") << "Use the formula.\n```cpp\n#include <cstdio>\nint main() { long n; std::scanf(\"%ld\", &n)\n"
                                                            "  std::printf(\"%ld\\n\", n * (n - 1) / 2); }\n```\n";
        for (int i = 0; i < 6000 && !fs::exists(second); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        second_prompt = slurp(second);
        std::ofstream(answers / "slow-r2-c1-answer-1.md") << "Add the semicolon.\n```cpp\n#include <cstdio>\nint main() { long n; std::scanf(\"%ld\", &n);\n"
                                                            "  std::printf(\"%ld\\n\", n * (n - 1) / 2); }\n```\n";
    });
    const std::string common = "optimize " + (dir / "slow.cpp").string() + " --tests " + (dir / "tests").string() + " -k 1 --rounds 2 --repeat 1 --counter cachegrind --json";
    const CliResult r = optiloop(common + " --provider paste --paste-dir " + answers.string() + " --record " + (dir / "run.jsonl").string());
    model.join();
    ASSERT_EQ(r.code, 0) << r.err << r.out;
    EXPECT_NE(second_prompt.find("The compiler said:"), std::string::npos) << second_prompt;
    EXPECT_NE(second_prompt.find("### Attempt c1 (round 1): CE"), std::string::npos) << second_prompt;
    const auto live = nlohmann::json::parse(r.out);
    EXPECT_EQ(live["best"], "c2");
    EXPECT_EQ(live["verified"], true);
    EXPECT_EQ(live["answers"], 2);
    const CliResult again = optiloop(common + " --provider replay --replay " + (dir / "run.jsonl").string());
    ASSERT_EQ(again.code, 0) << again.err;
    const auto replayed = nlohmann::json::parse(again.out);
    EXPECT_EQ(replayed["best"], live["best"]);
    EXPECT_EQ(replayed["speedup"], live["speedup"]);
    EXPECT_EQ(replayed["candidates"].size(), live["candidates"].size());
    // No answer file in time: one line naming the file, exit 3, no stack trace.
    const CliResult waited = optiloop(common + " --provider paste --llm-timeout 1 --paste-dir " + (dir / "silent").string());
    EXPECT_EQ(waited.code, 3) << waited.err;
    EXPECT_NE(waited.err.find("slow-r1-c1-answer-1.md within 1 s"), std::string::npos) << waited.err;
}

// A run that verifies nothing exits 1, so a script can tell it from one that found a speedup.
TEST(Optimize, NothingVerifiedExitsOne) {
    const fs::path dir = temp_dir() / "nothing";
    fs::create_directories(dir / "tests");
    std::ofstream(dir / "fast.cc") << "#include <cstdio>\nint main() { std::puts(\"1\"); }\n";
    std::ofstream(dir / "tests" / "a.in") << "\n";
    std::ofstream(dir / "tests" / "a.out") << "1\n";
    const CliResult r = optiloop("optimize " + (dir / "fast.cc").string() + " --tests " + (dir / "tests").string() + " --repeat 1 --out " + (dir / "out").string());
    EXPECT_EQ(r.code, 1) << r.err << r.out;
    EXPECT_NE(r.out.find("no verified speedup found"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "out" / "best.patch"));  // no empty patch to apply
    EXPECT_TRUE(fs::exists(dir / "out" / "result.json"));
    EXPECT_TRUE(fs::exists(dir / "out" / "best.cc"));  // the source's own extension
    EXPECT_FALSE(fs::exists(dir / "out" / "best.cpp"));
}

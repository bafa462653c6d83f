// End-to-end tests of the optiloop binary's surface: help, version, unknown input.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/cli/cli.hpp>
#include <optiloop/optimizer/results_db.hpp>

#include "support/process_dir.hpp"

namespace {

struct CliRun {
    int code;
    std::string out, err;
};

CliRun cli(std::vector<std::string> args) {
    args.insert(args.begin(), "optiloop");
    std::ostringstream out, err;
    const int code = optiloop::cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

}  // namespace

TEST(Cli, HelpListsEverySubcommand) {
    const CliRun r = cli({"--help"});
    EXPECT_EQ(r.code, 0);
    for (const char* sub : {"optimize", "eval", "measure", "analyze", "report", "ci", "kernels", "sandbox", "doctor"})
        EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
}

TEST(Cli, Version) {
    const CliRun r = cli({"--version"});
    EXPECT_EQ(r.code, 0);
    EXPECT_EQ(r.out.rfind("optiloop ", 0), 0u);
}

TEST(Cli, UnknownSubcommandOrFlagExits2) {
    CliRun r = cli({"frobnicate"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
    r = cli({"sandbox", "--no-such-flag"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--no-such-flag"), std::string::npos) << r.err;
}

TEST(Cli, SandboxCheckListsLayers) {
    const CliRun r = cli({"sandbox", "--check"});
    EXPECT_EQ(r.code, 0);
    for (const char* layer : {"pid-namespace", "seccomp", "cgroup-memory", "rlimits"})
        EXPECT_NE(r.out.find(layer), std::string::npos) << layer;
}

TEST(Cli, SandboxRunsACommand) {
    const CliRun r = cli({"sandbox", "--", "/bin/echo", "hello"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "hello\n");
}

TEST(Cli, BinaryExitCodes) {
    // Through the real binary, as a user runs it.
    EXPECT_EQ(WEXITSTATUS(std::system(OPTILOOP_BINARY " --help > /dev/null")), 0);
    EXPECT_EQ(WEXITSTATUS(std::system(OPTILOOP_BINARY " --bogus 2> /dev/null")), 2);
}

TEST(Cli, KernelsFlagsBelongToTheirSubcommand) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"kernels", "check", "--runs", "3"}, {"kernels", "check", "--prefill", "1x2x64"},
          {"kernels", "check", "--quick"}, {"kernels", "bench", "--filter", "d=64"}}) {
        const CliRun r = cli(args);
        EXPECT_EQ(r.code, 2) << args[2];
        EXPECT_NE(r.err.find(args[2]), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST(Cli, NumericLimitsSayTheirRangeInOneLine) {
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"optimize", "x", "--time-budget", "-5"}, "--time-budget: expected a number above 0 and at most 604800, not -5"},
        {{"optimize", "x", "--time-budget", "1e300"}, "at most 604800, not 1e300"},
        {{"measure", "x.cpp", "--time-limit", "0"}, "--time-limit: expected a number above 0 and at most 3600, not 0"},
        {{"sandbox", "--memory", "1e9"}, "--memory: expected a number above 0 and at most 1048576, not 1e9"},
        {{"sandbox", "--time", "nan"}, "--time: expected a number above 0 and at most 86400, not nan"},
        {{"optimize", "x", "--jobs", "-1"}, "--jobs"},
        {{"eval", "x", "--limit", "0"}, "--limit"},
    };
    for (const auto& [args, expected] : cases) {
        const CliRun r = cli(args);
        EXPECT_EQ(r.code, 2) << args[0] << " " << args[2];
        EXPECT_NE(r.err.find(expected), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
    EXPECT_EQ(cli({"sandbox", "--time", "2.5", "--memory", "64", "--", "/bin/true"}).code, 0);
}

TEST(Cli, ConfigShowsTheSettingsWithOrWithoutShow) {
    const CliRun bare = cli({"config"});
    EXPECT_EQ(bare.code, 0) << bare.err;
    EXPECT_NE(bare.out.find("provider"), std::string::npos) << bare.out;
    EXPECT_EQ(bare.out, cli({"config", "show"}).out);
    const CliRun wrong = cli({"config", "edit"});
    EXPECT_EQ(wrong.code, 2);
    EXPECT_NE(wrong.err.find("edit"), std::string::npos) << wrong.err;
}

// One settings table: every setting `config show` lists is an option of optimize, named in its
// help with its environment variable, and its flag refuses what the config file refuses (each
// with the key or flag named): values below, inside and above the ranges, fractions and words.
TEST(Settings, EachFlagChecksWhatTheConfigFileChecks) {
    const CliRun shown = cli({"config", "show", "--json"});
    ASSERT_EQ(shown.code, 0) << shown.err;
    const auto settings = nlohmann::json::parse(shown.out);
    const CliRun help = cli({"optimize", "--help"});
    const std::filesystem::path dir = test_support::process_dir("optiloop-settings-test-");
    int checked = 0, refused = 0;
    for (const auto& [key, value] : settings.items()) {
        if (key == "api_key") continue;
        ASSERT_TRUE(value.contains("flag")) << key;
        // "-k,--samples" and "--jobs,-j": the long name.
        std::string flag;
        std::istringstream names(value["flag"].get<std::string>());
        for (std::string name; std::getline(names, name, ',');)
            if (name.starts_with("--")) flag = name;
        ASSERT_FALSE(flag.empty()) << key;
        EXPECT_NE(help.out.find(flag), std::string::npos) << key << ": " << flag << " is not an option of optimize";
        if (!value["env"].empty()) {
            EXPECT_NE(help.out.find(value["env"][0].get<std::string>()), std::string::npos) << key;
        }
        // The same values through the config file and through the flag.
        const auto dot = key.find('.');
        for (const std::string probe : {"-5", "0", "1", "2.5", "17", "300", "1000", "100000", "3000000000", "auto", "x"}) {
            const std::filesystem::path file = dir / (key + ".toml");
            std::ofstream(file) << (dot == std::string::npos ? key : "[" + key.substr(0, dot) + "]\n" + key.substr(dot + 1)) << " = \"" << probe << "\"\n";
            const CliRun from_file = cli({"config", "show", "--config", file.string()});
            const bool file_refuses = from_file.code == 2;
            if (file_refuses) {
                EXPECT_NE(from_file.err.find(key + ": expected "), std::string::npos) << from_file.err;
            }
            const CliRun from_flag = cli({"optimize", flag + "=" + probe});
            // Refused while parsing ("optiloop: ..."), not by the command afterwards ("optiloop optimize: ...").
            const bool flag_refuses = from_flag.code == 2 && from_flag.err.starts_with("optiloop: ") && from_flag.err.find(flag) != std::string::npos;
            EXPECT_EQ(file_refuses, flag_refuses) << key << ": the config file " << (file_refuses ? "refuses " : "takes ") << probe << ", " << flag
                                                  << (flag_refuses ? " refuses" : " takes") << " it (" << from_flag.err << ")";
            ++checked;
            refused += file_refuses ? 1 : 0;
        }
    }
    EXPECT_GT(checked, 25 * 11);
    EXPECT_GT(refused, 100);      // out of range, fractions for integers, words for numbers
    EXPECT_LT(refused, checked);  // the free texts (model, commands) take anything
}

namespace {

optiloop::optimizer::CandidateRow candidate(const std::string& task, const std::string& id, double cost, bool contradicted) {
    optiloop::optimizer::CandidateRow c;
    c.task_id = task;
    c.candidate_id = id;
    c.round = 1;
    c.verdict = "OK";
    c.cost = cost;
    c.speedup = 1000 / cost;
    c.wall_speedup = contradicted ? 1.0 : 1000 / cost;
    c.contradicted = contradicted;
    if (contradicted) c.contradiction = "10.00x fewer instructions, but only 1.00x in wall time (0.200 s before, 0.200 s after; noise band 10%)";
    return c;
}

optiloop::optimizer::TaskRow task(const std::string& id, const std::string& best, std::optional<double> best_speedup) {
    optiloop::optimizer::TaskRow t;
    t.task_id = id;
    t.status = "done";
    t.counter = "cachegrind";
    t.cost_unit = "instructions";
    t.baseline_cost = 1000;
    t.best_candidate = best;
    t.best_speedup = best_speedup;
    return t;
}

}  // namespace

// report leaves a gain that wall time contradicts out of every metric and says so: in "only"
// the contradicted 10x is the only gain, in "both" an honest 1.25x stands beside it.
TEST(Report, AContradictedGainIsMarkedAndNotCounted) {
    const std::string path = (test_support::process_dir("optiloop-cli-test-") / "contradicted.db").string();
    {
        auto db = optiloop::optimizer::ResultsDb::open(path);
        ASSERT_TRUE(db) << db.error().message;
        ASSERT_TRUE((*db)->save(task("only", "", std::nullopt), {candidate("only", "c1", 100, true)}));
        ASSERT_TRUE((*db)->save(task("both", "c2", 1.25), {candidate("both", "c1", 100, true), candidate("both", "c2", 800, false)}));
    }
    const CliRun json = cli({"report", path, "--json"});
    ASSERT_EQ(json.code, 0) << json.err;
    const auto j = nlohmann::json::parse(json.out);
    EXPECT_NEAR(j["pie"]["mean_speedup"].get<double>(), (1.25 + 1.0) / 2, 1e-12);
    EXPECT_EQ(j["pie"]["percent_opt"], 50.0);
    EXPECT_EQ(j["pie"]["percent_correct"], 100.0);
    EXPECT_EQ(j["kernelbench"]["fast_1"], 0.5);
    ASSERT_EQ(j["contradicted"].size(), 2u) << json.out;
    EXPECT_EQ(j["contradicted"][0]["task"], "both");
    EXPECT_EQ(j["contradicted"][0]["candidate"], "c1");
    EXPECT_EQ(j["contradicted"][0]["speedup"], 10.0);
    EXPECT_NE(j["contradicted"][0]["contradiction"].get<std::string>().find("only 1.00x in wall time"), std::string::npos);
    for (const auto& row : j["per_task"]) EXPECT_EQ(row["contradicted"], 1) << row.dump();

    const CliRun text = cli({"report", path});
    ASSERT_EQ(text.code, 0) << text.err;
    EXPECT_NE(text.out.find("contradicted 2 candidates whose instruction gain wall time contradicts"), std::string::npos) << text.out;
    EXPECT_NE(text.out.find("    not verified: c1: 10.00x fewer instructions"), std::string::npos) << text.out;
    const CliRun markdown = cli({"report", path, "--markdown"});
    ASSERT_EQ(markdown.code, 0) << markdown.err;
    EXPECT_NE(markdown.out.find("Not counted as speedups (wall time contradicts the instruction gain):\n\n- both c1: "), std::string::npos)
        << markdown.out;
}

// `--flags -Ibuild -DX FILE` as a user types it: the compiler flags are --flags' value, the file
// after them stays a file, and an optiloop option after them is still optiloop's.
TEST(Cli, UnquotedCompilerFlagsAfterFlagsAreItsValue) {
    const auto dir = test_support::process_dir("optiloop-cli-test-");
    const auto file = dir / "needs-x.cpp";
    {
        std::ofstream f(file);
        f << "#include \"dep.h\"\n#ifndef X\n#error X is not defined\n#endif\nint f() { return DEP; }\n";
        std::filesystem::create_directories(dir / "inc");
        std::ofstream h(dir / "inc" / "dep.h");
        h << "#define DEP 1\n";
    }
    const std::string inc = "-I" + (dir / "inc").string();
    CliRun r = cli({"analyze", "--flags", "-std=c++17", inc, "-DX", file.string(), "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    r = cli({"analyze", "--flags", "-I", (dir / "inc").string(), "-D", "X", "-O2", file.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    r = cli({"analyze", "--flags=" + inc, "-DX", file.string()});
    EXPECT_EQ(r.code, 0) << r.err;
    // Without -DX the file does not parse: the flags above really reached the parser.
    r = cli({"analyze", "--flags", inc, file.string()});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("X is not defined"), std::string::npos) << r.err;
}

// `optiloop explain`: every rule of the catalogue has its page, embedded in the binary; a clang-tidy
// check points at its documentation; a retired rule names the check that replaced it; a typo gets
// the nearest name and exit 2.
TEST(Cli, ExplainShowsEachRulesPage) {
    for (const auto& info : optiloop::analyzer::rule_catalogue()) {
        const CliRun r = cli({"explain", info.id});
        EXPECT_EQ(r.code, 0) << info.id << ": " << r.err;
        EXPECT_EQ(r.out.rfind(std::string("# ") + info.id + "\n", 0), 0u) << info.id;
        for (const char* section : {"## Before", "## When it stays silent", "## clang-tidy"})
            EXPECT_NE(r.out.find(section), std::string::npos) << info.id << " lacks " << section;
    }
    CliRun r = cli({"explain", "performance-noexcept-move-constructor"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("https://clang.llvm.org/extra/clang-tidy/checks/performance/noexcept-move-constructor.html"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("The default rules proposer runs it"), std::string::npos) << r.out;
    r = cli({"explain", "emplace-back-temporary"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "emplace-back-temporary: retired on 2026-12-07 in favour of clang-tidy's modernize-use-emplace, which the default rules "
                     "proposer runs (optiloop explain modernize-use-emplace)\n");
    r = cli({"explain", "modernize-use-emplace"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("The default rules proposer runs it"), std::string::npos) << r.out;
    r = cli({"explain", "endl-in-lop"});
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("did you mean endl-in-loop?"), std::string::npos) << r.err;
}

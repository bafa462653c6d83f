// End-to-end tests of the optiloop binary's surface: help, version, unknown input.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

#include <optiloop/cli/cli.hpp>

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

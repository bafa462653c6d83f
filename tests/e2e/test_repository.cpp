// End-to-end: repository mode and CI mode on a fixture repository the test creates (a CMake
// project with a GoogleTest test and a Google Benchmark benchmark, two commits, the second of
// which makes join_lines slow), through the real optiloop binary.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string k_build = "cmake -S . -B build -G Ninja >/dev/null && cmake --build build";
const std::string k_test = "build/textkit_test";
const std::string k_bench = "build/textkit_bench --benchmark_min_time=0.02";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct CommandRun {
    int code = -1;
    std::string out, err;
};

std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

class Repository : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = fs::temp_directory_path() / ("optiloop-e2e-repo-" + std::to_string(::getpid()));
        fs::remove_all(s_dir);
        fs::create_directories(s_dir);
        const std::string script = std::string(OPTILOOP_SOURCE_DIR) + "/tests/e2e/fixture/make-repo.sh";
        ASSERT_EQ(std::system((script + " " + (s_dir / "repo").string() + " > /dev/null").c_str()), 0);
    }
    static void TearDownTestSuite() { fs::remove_all(s_dir); }

    static CommandRun shell(const std::string& command, const fs::path& cwd) {
        const fs::path out = s_dir / "stdout", err = s_dir / "stderr";
        const std::string full = "cd " + quote(cwd.string()) + " && (export XDG_CACHE_HOME=" + (s_dir / "cache").string() + "; " + command + ") > " + out.string() +
                                 " 2> " + err.string() + " < /dev/null";
        const int status = std::system(full.c_str());
        return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
    }
    static CommandRun optiloop(const std::string& args) { return shell(std::string(OPTILOOP_BINARY) + " " + args, s_dir / "repo"); }
    static std::string commands(bool gbench) {
        return "--build " + quote(k_build) + " --test " + quote(k_test) + " --bench " + quote(k_bench) + (gbench ? " --bench-format gbench --bench-repetitions 5" : "");
    }

    static fs::path s_dir;
};

fs::path Repository::s_dir;

TEST_F(Repository, CiReportsOnlyTheChangedFunction) {
    const CommandRun r = optiloop("ci --base HEAD~1 --json");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = json::parse(r.out);
    ASSERT_EQ(j["changed_functions"].size(), 1u) << r.out;
    EXPECT_EQ(j["changed_functions"][0], "src/textkit.cpp:join_lines");
    ASSERT_GE(j["findings"].size(), 1u);
    for (const auto& f : j["findings"]) {
        EXPECT_EQ(f["function"], "join_lines");
        EXPECT_EQ(f["rule"], "string-concat-assign");
        EXPECT_EQ(f["verified"], false);
    }
    // Nothing changed between HEAD and itself.
    const CommandRun none = optiloop("ci --base HEAD --fail-on note");
    EXPECT_EQ(none.code, 0) << none.err;
    EXPECT_NE(none.out.find("0 changed functions"), std::string::npos) << none.out;
    // Unverified findings are notes: --fail-on note fails, --fail-on warning does not.
    EXPECT_EQ(optiloop("ci --base HEAD~1 --fail-on note").code, 1);
    EXPECT_EQ(optiloop("ci --base HEAD~1 --fail-on warning").code, 0);
}

TEST_F(Repository, CiVerifyWritesSarifWithAFixAndAMarkdownComment) {
    const fs::path sarif = s_dir / "ci.sarif", markdown = s_dir / "ci.md";
    const CommandRun r = optiloop("ci --base HEAD~1 --verify " + commands(false) + " --sarif " + sarif.string() + " --markdown " + markdown.string() + " --fail-on warning");
    ASSERT_EQ(r.code, 1) << r.err;  // a verified speedup is a warning
    const auto s = json::parse(slurp(sarif));
    EXPECT_EQ(s["version"], "2.1.0");
    bool fixed = false;
    for (const auto& result : s["runs"][0]["results"])
        if (result.contains("fixes")) {
            fixed = true;
            EXPECT_EQ(result["ruleId"], "verified-speedup");
            const auto& change = result["fixes"][0]["artifactChanges"][0];
            EXPECT_EQ(change["artifactLocation"]["uri"], "src/textkit.cpp");
            EXPECT_NE(change["replacements"][0]["insertedContent"]["text"].get<std::string>().find("out += line;"), std::string::npos);
            EXPECT_GT(result["properties"]["speedup"].get<double>(), 5.0);  // quadratic -> linear, counted in instructions
        }
    EXPECT_TRUE(fixed) << slurp(sarif);
    const std::string md = slurp(markdown);
    EXPECT_NE(md.find("```diff"), std::string::npos);
    EXPECT_NE(md.find("+        out += line;"), std::string::npos);
    // The user's tree is as it was, and no worktree is left behind.
    EXPECT_EQ(shell("git status --porcelain", s_dir / "repo").out, "");
    EXPECT_EQ(shell("git worktree list | wc -l", s_dir / "repo").out, "1\n");
}

TEST_F(Repository, CiVerifyMeasuresTheUnchangedRepositoryOnceForAllFunctions) {
    // A pull request that also touches count_words: two changed functions, one baseline.
    const fs::path repo = s_dir / "two-functions";
    ASSERT_EQ(shell("git clone -q " + (s_dir / "repo").string() + " " + repo.string(), s_dir).code, 0);
    const CommandRun edited = shell("sed -i 's/++words;/words += 1;/' src/textkit.cpp && "
                                    "git -c user.email=t@optiloop.test -c user.name=t commit -q -am 'count_words: += 1'", repo);
    ASSERT_EQ(edited.code, 0) << edited.err;
    const CommandRun r = shell(std::string(OPTILOOP_BINARY) + " ci --base HEAD~2 --verify " + commands(false) + " --json", repo);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(json::parse(r.out)["changed_functions"].size(), 2u) << r.out;
    auto count = [&](const std::string& needle) {
        std::size_t n = 0;
        for (std::size_t at = r.err.find(needle); at != std::string::npos; at = r.err.find(needle, at + 1)) ++n;
        return n;
    };
    EXPECT_EQ(count("ci: verifying "), 2u) << r.err;
    EXPECT_EQ(count("measuring the baseline"), 1u) << r.err;
    EXPECT_EQ(count("reusing the baseline's measurement"), 1u) << r.err;
}

TEST_F(Repository, CiTimeBudgetListsTheFunctionsItDidNotReach) {
    const fs::path repo = s_dir / "two-functions-budget";
    ASSERT_EQ(shell("git clone -q " + (s_dir / "repo").string() + " " + repo.string(), s_dir).code, 0);
    ASSERT_EQ(shell("sed -i 's/++words;/words += 1;/' src/textkit.cpp && git -c user.email=t@optiloop.test -c user.name=t commit -q -am 'count_words: += 1'", repo).code, 0);
    // A budget the first function's verification spends: the second is listed, not verified, and
    // the gate does not fail for it.
    const fs::path sarif = repo / "out.sarif";
    const CommandRun r = shell(std::string(OPTILOOP_BINARY) + " ci --base HEAD~2 --verify " + commands(false) + " --time-budget 0.5 --json --sarif " + sarif.string(), repo);
    ASSERT_EQ(r.code, 0) << r.err;
    const auto report = json::parse(r.out);
    ASSERT_EQ(report["changed_functions"].size(), 2u);
    ASSERT_EQ(report["not_verified"].size(), 1u) << r.out;
    EXPECT_NE(report["not_verified"][0]["message"].get<std::string>().find("--time-budget of 0.5 s was spent"), std::string::npos);
    EXPECT_EQ(report["not_analysed"].size(), 0u);
    const auto s = json::parse(slurp(sarif));
    const auto& invocation = s["runs"][0]["invocations"][0];
    EXPECT_TRUE(invocation["executionSuccessful"].get<bool>());
    ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u);
    EXPECT_EQ(invocation["toolExecutionNotifications"][0]["level"], "note");
}

TEST_F(Repository, OptimizeRepoProducesAPatchWhoseBuildAndTestsPassAndWhoseBenchmarkIsFaster) {
    const fs::path out = s_dir / "out";
    const CommandRun r = optiloop("optimize --repo . --file src/textkit.cpp --function join_lines " + commands(true) + " --json --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = json::parse(r.out);
    ASSERT_FALSE(j["best"].is_null()) << r.out;
    EXPECT_GT(j["speedup"].get<double>(), 2.0);  // Google Benchmark medians; the true ratio is ~20x
    EXPECT_GT(j["noise_band"].get<double>(), 0.0);  // a timed ratio has a noise band
    // Each long step said what it ran and how long it took.
    EXPECT_NE(r.err.find("baseline: build command: done in "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("bench command (Google Benchmark): done in "), std::string::npos) << r.err;
    EXPECT_EQ(shell("git status --porcelain", s_dir / "repo").out, "");
    EXPECT_EQ(shell("git worktree list | wc -l", s_dir / "repo").out, "1\n");

    // The patch applies to HEAD, and the project built from it passes its own tests.
    const fs::path copy = s_dir / "applied";
    ASSERT_EQ(shell("git clone -q " + (s_dir / "repo").string() + " " + copy.string(), s_dir).code, 0);
    const CommandRun applied = shell("git apply " + (out / "best.patch").string() + " && " + k_build + " && " + k_test, copy);
    EXPECT_EQ(applied.code, 0) << applied.out << applied.err;
    EXPECT_NE(slurp(copy / "src" / "textkit.cpp").find("out += line;"), std::string::npos);
}

TEST_F(Repository, BadInputIsOneLineAndExitTwo) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"optimize --repo . " + commands(false), "--file"},
        {"optimize --repo . --file src/nope.cpp " + commands(false), "src/nope.cpp"},
        {"optimize --repo . --file src/textkit.cpp --test x", "--build"},
        {"optimize --repo . --file src/textkit.cpp --function no_such_function " + commands(false), "no_such_function"},
        {"optimize --repo . --file src/textkit.cpp --function join_line " + commands(false), "did you mean join_lines?"},
        {"optimize --file src/textkit.cpp", "--repo"},
        {"ci --base no-such-ref", "--base no-such-ref"},
        {"ci --base HEAD~1 --verify", "--build"},
        {"ci --base HEAD~1 --repo /nonexistent", "--repo"},
    };
    for (const auto& [args, expected] : cases) {
        const CommandRun r = optiloop(args);
        EXPECT_EQ(r.code, 2) << args << "\n" << r.err;
        EXPECT_NE(r.err.find(expected), std::string::npos) << args << "\n" << r.err;
        EXPECT_LE(std::count(r.err.begin(), r.err.end(), '\n'), 3) << args << "\n" << r.err;
    }
    EXPECT_EQ(shell("git worktree list | wc -l", s_dir / "repo").out, "1\n");
}

TEST_F(Repository, AFileThatLinksOutOfTheRepositoryIsNeverRead) {
    // A pull request can commit a symlink: its target must never be read (and sent to an LLM).
    const fs::path secret = s_dir / "outside-secret.cpp";
    std::ofstream(secret) << "// sk-do-not-send\nint f() { return 1; }\n";
    const fs::path repo = s_dir / "linked";
    ASSERT_EQ(shell("git clone -q " + quote((s_dir / "repo").string()) + " " + quote(repo.string()), s_dir).code, 0);
    fs::create_symlink(secret, repo / "src" / "leak.cpp");
    ASSERT_EQ(shell("git add src/leak.cpp && git -c user.name=t -c user.email=t@t commit -qm leak", repo).code, 0);
    const CommandRun r = shell(std::string(OPTILOOP_BINARY) + " optimize --repo . --file src/leak.cpp " + commands(false), repo);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("--file src/leak.cpp"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("outside"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find("sk-do-not-send"), std::string::npos);
}

}  // namespace

// A changed file that does not parse is not a green gate: ci exits 1 by default, says which file
// and why in every report, and only --fail-on none lets it pass.
TEST_F(Repository, CiFailsWhenAChangedFileCannotBeAnalysed) {
    const fs::path repo = s_dir / "broken";
    fs::create_directories(repo);
    std::ofstream(repo / "a.cpp") << "int twice(int x) { return 2 * x; }\n";
    ASSERT_EQ(shell("git init -q . && git add a.cpp && git -c user.name=t -c user.email=t@t commit -qm one", repo).code, 0);
    std::ofstream(repo / "a.cpp") << "int twice(int x) { return 2 * x; }\nint thrice(int x { return 3 * x; }\n";
    ASSERT_EQ(shell("git add a.cpp && git -c user.name=t -c user.email=t@t commit -qm two", repo).code, 0);
    const fs::path sarif = s_dir / "broken.sarif", markdown = s_dir / "broken.md";
    const std::string ci = std::string(OPTILOOP_BINARY) + " ci --base HEAD~1 --sarif " + sarif.string() + " --markdown " + markdown.string();
    const CommandRun r = shell(ci, repo);
    EXPECT_EQ(r.code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("a.cpp: not analysed: "), std::string::npos) << r.err;
    const auto s = json::parse(slurp(sarif));
    const auto& invocation = s["runs"][0]["invocations"][0];
    EXPECT_FALSE(invocation["executionSuccessful"].get<bool>());
    ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u) << invocation.dump();
    EXPECT_EQ(invocation["toolExecutionNotifications"][0]["level"], "error");
    EXPECT_EQ(invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "a.cpp");
    EXPECT_NE(slurp(markdown).find("**Not analysed**"), std::string::npos) << slurp(markdown);
    const CommandRun j = shell(std::string(OPTILOOP_BINARY) + " ci --base HEAD~1 --json", repo);
    EXPECT_EQ(j.code, 1);
    EXPECT_EQ(json::parse(j.out)["not_analysed"][0]["file"], "a.cpp") << j.out;
    EXPECT_EQ(shell(ci + " --fail-on none", repo).code, 0);
}

// Ctrl-C during a repository run removes its worktree from the user's .git; a worktree left by a
// run killed outright (its owner process gone) is swept by the next run.
TEST_F(Repository, AnInterruptedRunLeavesNoWorktreeBehind) {
    const fs::path repo = s_dir / "interrupted";
    fs::create_directories(repo);
    // Something for the rules to propose, so that the baseline is built (and interrupted).
    std::ofstream(repo / "a.cpp") << "#include <iostream>\nint main() { for (int i = 0; i < 3; ++i) std::cout << i << std::endl; }\n";
    ASSERT_EQ(shell("git init -q . && git add a.cpp && git -c user.name=t -c user.email=t@t commit -qm one", repo).code, 0);
    // A stale worktree as a killed run leaves it: registered, its owner process long gone.
    const fs::path stale = s_dir / "optiloop-workspace-stale" / "tree";
    ASSERT_EQ(shell("git worktree add -q --detach " + stale.string() + " HEAD && sh -c 'echo $$' > " + (stale.parent_path() / "owner.pid").string(), repo).code, 0);
    ASSERT_NE(shell("git worktree list", repo).out.find("optiloop-workspace-stale"), std::string::npos);
    const std::string run = std::string(OPTILOOP_BINARY) + " optimize --repo . --file a.cpp --build 'sleep 60' --test true";
    const CommandRun r = shell(run + " & pid=$!; for i in $(seq 300); do git worktree list | grep -v workspace-stale | grep -q optiloop-workspace- && break; sleep 0.1; done; "
                                     "git worktree list > listed-during; kill -INT $pid; wait $pid; echo \"exit=$?\"; git worktree list",
                               repo);
    EXPECT_NE(slurp(repo / "listed-during").find("optiloop-workspace-"), std::string::npos) << slurp(repo / "listed-during");
    EXPECT_EQ(slurp(repo / "listed-during").find("optiloop-workspace-stale"), std::string::npos) << "the stale worktree was not swept";
    EXPECT_NE(r.out.find("exit=130"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(r.out.find("optiloop-workspace"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(stale));
}

// A failing baseline build shows the compiler's errors, not only a first line, and is a CE with
// its exit code, not also an RE.
TEST_F(Repository, AFailingBaselineBuildShowsTheCompilersErrors) {
    const fs::path repo = s_dir / "failing";
    fs::create_directories(repo);
    std::ofstream(repo / "a.cpp") << "#include <iostream>\nint main() { for (int i = 0; i < 3; ++i) std::cout << i << std::endl; }\n";
    ASSERT_EQ(shell("git init -q . && git add a.cpp && git -c user.name=t -c user.email=t@t commit -qm one", repo).code, 0);
    const std::string build = "echo 'In file included from a.cpp:1:'; echo 'a.cpp:3:5: error: use of undeclared identifier oops' >&2; echo '1 error generated.' >&2; exit 2";
    const CommandRun r = shell(std::string(OPTILOOP_BINARY) + " optimize --repo . --file a.cpp --build " + quote(build) + " --test true", repo);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("the baseline itself fails (CE): the build command failed (exit code 2):"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a.cpp:3:5: error: use of undeclared identifier oops"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("RE:"), std::string::npos) << r.err;
}

// A build or test command that runs past its timeout says which limit and how to raise it.
TEST_F(Repository, ACommandPastItsTimeoutNamesTheLimit) {
    const fs::path repo = s_dir / "slow-build";
    fs::create_directories(repo);
    std::ofstream(repo / "a.cpp") << "#include <iostream>\nint main() { for (int i = 0; i < 3; ++i) std::cout << i << std::endl; }\n";
    ASSERT_EQ(shell("git init -q . && git add a.cpp && git -c user.name=t -c user.email=t@t commit -qm one", repo).code, 0);
    CommandRun r = shell(std::string(OPTILOOP_BINARY) + " optimize --repo . --file a.cpp --build 'sleep 30' --build-timeout 1 --test true", repo);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("the build command ran past its 1 s (--build-timeout"), std::string::npos) << r.err;
    std::ofstream(repo / "optiloop.toml") << "[repository]\ntest_timeout = 1\n";
    r = shell(std::string(OPTILOOP_BINARY) + " optimize --repo . --file a.cpp --build true --test 'sleep 30'", repo);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("ran past its 1 s (--test-timeout"), std::string::npos) << r.err;
}

// A header that only the build knows where to find (a generated one): parsing takes its -I from
// compile_commands.json (build/ by default, or -p DIR), with relative paths resolved against the
// entry's directory; without it the file cannot be analysed, and ci says so.
TEST_F(Repository, ParsingFollowsCompileCommandsJson) {
    const fs::path repo = s_dir / "generated";
    fs::create_directories(repo / "lib");
    std::ofstream(repo / "lib" / "a.cpp") << "#include \"version.h\"\nint twice(int x) { return VERSION * x; }\n";
    ASSERT_EQ(shell("git init -q . && git add lib && git -c user.name=t -c user.email=t@t commit -qm one", repo).code, 0);
    std::ofstream(repo / "lib" / "a.cpp") << "#include \"version.h\"\n#include <string>\nint twice(int x) {\n  std::string s;\n  for (int i = 0; i < x; ++i) s = s + 'x';\n"
                                             "  return VERSION * static_cast<int>(s.size());\n}\n";
    ASSERT_EQ(shell("git add lib && git -c user.name=t -c user.email=t@t commit -qm two", repo).code, 0);
    const std::string ci = std::string(OPTILOOP_BINARY) + " ci --base HEAD~1 --json";
    EXPECT_EQ(shell(ci, repo).code, 1);  // version.h is nowhere a guess would look
    fs::create_directories(repo / "out" / "gen");
    std::ofstream(repo / "out" / "gen" / "version.h") << "#define VERSION 2\n";
    std::ofstream(repo / "out" / "compile_commands.json")
        << R"([{"directory": ")" << (repo / "out").string() << R"(", "file": "../lib/a.cpp", "command": "c++ -Igen -DNDEBUG -std=c++20 -c ../lib/a.cpp"}])";
    const CommandRun r = shell(ci + " -p out", repo);
    ASSERT_EQ(r.code, 0) << r.err << r.out;
    const auto j = json::parse(r.out);
    EXPECT_EQ(j["changed_functions"][0], "lib/a.cpp:twice") << r.out;
    EXPECT_TRUE(j["not_analysed"].empty());
    // Found in build/ without -p.
    fs::rename(repo / "out", repo / "build");
    std::ofstream(repo / "build" / "compile_commands.json")
        << R"([{"directory": ")" << (repo / "build").string() << R"(", "file": "../lib/a.cpp", "arguments": ["c++", "-I", "gen", "-c", "../lib/a.cpp"]}])";
    EXPECT_EQ(shell(ci, repo).code, 0);
    // analyze takes the same database: the header is found, the function and its finding listed.
    const CommandRun analyzed = shell(std::string(OPTILOOP_BINARY) + " analyze lib/a.cpp --json", repo);
    ASSERT_EQ(analyzed.code, 0) << analyzed.err;
    EXPECT_EQ(json::parse(analyzed.out)["functions"][0]["name"], "twice") << analyzed.out;
    EXPECT_EQ(shell(std::string(OPTILOOP_BINARY) + " analyze lib/a.cpp -p lib", repo).code, 2);
    // A -p folder without the database is bad input.
    const CommandRun missing = shell(ci + " -p lib", repo);
    EXPECT_EQ(missing.code, 2);
    EXPECT_NE(missing.err.find("-p lib: no compile_commands.json there"), std::string::npos) << missing.err;
}

// [repository] in optiloop.toml holds the commands, so a configured project needs no long flags;
// a flag still wins, and a bad value is one line naming the file and the key.
TEST_F(Repository, RepositoryCommandsComeFromOptiloopToml) {
    const fs::path repo = s_dir / "configured";
    fs::create_directories(repo);
    std::ofstream(repo / "a.cpp") << "#include <iostream>\nint main() { for (int i = 0; i < 3; ++i) std::cout << i << std::endl; }\n";
    std::ofstream(repo / "optiloop.toml") << "[repository]\nbuild = \"echo 'a.cpp:1:1: error: from the config' >&2; exit 3\"\ntest = \"true\"\n";
    ASSERT_EQ(shell("git init -q . && git add . && git -c user.name=t -c user.email=t@t commit -qm one", repo).code, 0);
    const CommandRun r = shell(std::string(OPTILOOP_BINARY) + " optimize --repo . --file a.cpp", repo);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("the build command failed (exit code 3)"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("error: from the config"), std::string::npos) << r.err;
    const CommandRun flag = shell(std::string(OPTILOOP_BINARY) + " optimize --repo . --file a.cpp --build 'exit 4'", repo);
    EXPECT_NE(flag.err.find("(exit code 4)"), std::string::npos) << flag.err;
    const CommandRun shown = shell(std::string(OPTILOOP_BINARY) + " config show", repo);
    EXPECT_NE(shown.out.find("repository.test"), std::string::npos) << shown.out;
    std::ofstream(repo / "optiloop.toml") << "[repository]\nbench_format = \"fast\"\n";
    const CommandRun bad = shell(std::string(OPTILOOP_BINARY) + " optimize --repo . --file a.cpp --build true --test true", repo);
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.err.find("optiloop.toml: repository.bench_format: expected instructions or gbench"), std::string::npos) << bad.err;
}

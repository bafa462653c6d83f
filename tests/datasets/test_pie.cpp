// The PIE jsonl loader: the fixtures under fixtures/pie load into the right tasks, and every kind
// of malformed record gives its one-line `FILE:LINE: field: what was expected`.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <optiloop/datasets/pie.hpp>
#include <optiloop/datasets/task_folder.hpp>

#include "support/deadline.hpp"

namespace fs = std::filesystem;
using namespace optiloop;

namespace {

const fs::path k_fixtures = fs::path(OPTILOOP_TEST_DATA) / "datasets" / "fixtures" / "pie";
const fs::path k_train = k_fixtures / "train.jsonl";
const fs::path k_bad = k_fixtures / "bad.jsonl";
const fs::path k_tests = k_fixtures / "tests";

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> names(const core::Task& task) {
    std::vector<std::string> out;
    for (const auto& t : task.tests) out.push_back(t.name);
    return out;
}

// A jsonl file of its own in a temporary folder, for cases the fixtures do not cover.
class JsonlFile {
public:
    explicit JsonlFile(const std::string& text)
        : m_dir(fs::temp_directory_path() / ("optiloop-pie-test-" + std::to_string(::getpid()) + "-" + std::to_string(s_count++))) {
        fs::create_directories(m_dir);
        std::ofstream(path(), std::ios::binary) << text;
    }
    ~JsonlFile() { fs::remove_all(m_dir); }
    fs::path path() const { return m_dir / "x.jsonl"; }
    const fs::path& dir() const { return m_dir; }

private:
    fs::path m_dir;
    static inline int s_count = 0;
};

}  // namespace

TEST(Pie, LoadsTheFixtureRecordsAsTasks) {
    auto tasks = datasets::load_pie(k_train, k_tests);
    ASSERT_TRUE(tasks) << tasks.error().message;
    ASSERT_EQ(tasks->size(), 3u);
    const core::Task& first = (*tasks)[0];
    EXPECT_EQ(first.id, "p90001-s100");
    EXPECT_EQ(first.language, core::Language::cpp);
    EXPECT_EQ(first.kind, core::TaskKind::stdio);
    EXPECT_EQ(first.build.compiler, "g++");
    EXPECT_EQ(first.build.flags, (std::vector<std::string>{"-std=c++17", "-O3"}));
    EXPECT_EQ(first.checker.type, core::CheckerType::tokens);
    EXPECT_TRUE(first.stress.empty());
    ASSERT_EQ(first.baseline.size(), 1u);
    EXPECT_EQ(first.baseline[0].path, "main.cpp");
    EXPECT_NE(first.baseline[0].content.find("recomputing every prefix"), std::string::npos);
    ASSERT_EQ(first.reference.size(), 1u);
    EXPECT_EQ(first.reference[0].path, "main.cpp");
    EXPECT_NE(first.reference[0].content.find("scanf"), std::string::npos);
    EXPECT_NE(first.description.find("p90001"), std::string::npos);
    EXPECT_EQ(first.tags, (std::vector<std::string>{"pie"}));
}

TEST(Pie, UsesEveryTestInNumericOrderWithoutATestsField) {
    auto tasks = datasets::load_pie(k_train, k_tests);
    ASSERT_TRUE(tasks) << tasks.error().message;
    const core::Task& first = (*tasks)[0];
    EXPECT_EQ(names(first), (std::vector<std::string>{"0", "1", "2", "10"}));
    const fs::path problem = fs::absolute(k_tests / "p90001");
    EXPECT_EQ(first.tests[3].input, problem / "input.10.txt");
    EXPECT_EQ(first.tests[3].expected, problem / "output.10.txt");
    EXPECT_EQ(slurp(first.tests[0].input), "3\n1 2 3\n");
    EXPECT_EQ(slurp(first.tests[0].expected), "6\n");
}

TEST(Pie, UsesOnlyTheListedTestsInNumericOrder) {
    auto tasks = datasets::load_pie(k_train, k_tests);
    ASSERT_TRUE(tasks) << tasks.error().message;
    const core::Task& second = (*tasks)[1];
    EXPECT_EQ(second.id, "p90001-s102");
    EXPECT_EQ(names(second), (std::vector<std::string>{"0", "10"}));
}

TEST(Pie, SanitisesTheIdAndLeavesReferenceEmptyWithoutTgtCode) {
    auto tasks = datasets::load_pie(k_train, k_tests);
    ASSERT_TRUE(tasks) << tasks.error().message;
    const core::Task& third = (*tasks)[2];
    EXPECT_EQ(third.id, "p90002-s200_a");
    EXPECT_TRUE(third.reference.empty());
    ASSERT_EQ(third.baseline.size(), 1u);
    EXPECT_NE(third.baseline[0].content.find("Counts distinct values"), std::string::npos);
    EXPECT_EQ(names(third), (std::vector<std::string>{"0", "1"}));
}

TEST(Pie, DefaultTestsRootIsTheTestsFolderBesideTheFile) {
    EXPECT_EQ(datasets::default_pie_tests_root(k_train), k_fixtures / "tests");
    auto tasks = datasets::load_pie(k_train, {});
    ASSERT_TRUE(tasks) << tasks.error().message;
    EXPECT_EQ(tasks->size(), 3u);
    EXPECT_TRUE(datasets::validate_pie(k_train, {}).empty());
}

TEST(Pie, FallsBackToMergedTestCasesBesideTheFile) {
    JsonlFile f(R"({"problem_id": "p1", "src_code": "int main() {}"})" "\n");
    fs::create_directories(f.dir() / "merged_test_cases" / "p1");
    std::ofstream(f.dir() / "merged_test_cases" / "p1" / "input.0.txt") << "1\n";
    std::ofstream(f.dir() / "merged_test_cases" / "p1" / "output.0.txt") << "1\n";
    EXPECT_EQ(datasets::default_pie_tests_root(f.path()), f.dir() / "merged_test_cases");
    auto tasks = datasets::load_pie(f.path(), {});
    ASSERT_TRUE(tasks) << tasks.error().message;
    ASSERT_EQ(tasks->size(), 1u);
    EXPECT_EQ((*tasks)[0].id, "p1");  // no src_id: the problem alone
}

TEST(Pie, EachMalformedRecordIsOneLineNamingFileLineAndField) {
    const std::string file = k_bad.string();
    const auto problems = datasets::validate_pie(k_bad, k_tests);
    for (const auto& p : problems) EXPECT_EQ(p.find('\n'), std::string::npos) << p;

    const std::vector<std::string> expected_prefixes = {
        file + ":2: src_code: missing (required)",
        file + ":3: invalid JSON: parse error at line 1",
        file + ":4: tests[1]: no input.7.txt for problem p90001",
        file + ":5: problem_id: expected a string, got number",
        file + ":6: src_code: not valid UTF-8",
        // line 7 is blank: skipped
        file + ":8: expected a JSON object (one PIE record per line), got array",
        file + ":9: tests[0]: expected a non-negative integer (a test index), got string",
        file + ":9: tests[1]: expected a non-negative integer (a test index), got -1",
        file + ":10: problem_id: no test folder " + (k_tests / "p99999").string(),
        file + ":11: src_id: task id p90001-b1 already given by line 1",
        file + ":12: tgt_code: expected a string, got array",
        file + ":13: problem_id: \"../p90001\" cannot name a test folder",
    };
    ASSERT_EQ(problems.size(), expected_prefixes.size()) << [&] {
        std::string all;
        for (const auto& p : problems) all += p + "\n";
        return all;
    }();
    for (std::size_t i = 0; i < problems.size(); ++i)
        EXPECT_EQ(problems[i].rfind(expected_prefixes[i], 0), 0u) << "got:      " << problems[i] << "\nexpected: " << expected_prefixes[i];
}

TEST(Pie, LoadReportsTheFirstProblem) {
    auto tasks = datasets::load_pie(k_bad, k_tests);
    ASSERT_FALSE(tasks);
    EXPECT_EQ(tasks.error().message, k_bad.string() + ":2: src_code: missing (required)");
    EXPECT_EQ(tasks.error().kind, core::ErrorKind::input);
}

TEST(Pie, ReadPieKeepsProblemsWithTheirRecord) {
    const auto file = datasets::read_pie(k_bad, k_tests);
    EXPECT_TRUE(file.problems.empty());
    ASSERT_EQ(file.records.size(), 12u);  // 13 lines, one blank
    EXPECT_EQ(file.records[0].line, 1u);
    EXPECT_TRUE(file.records[0].problems.empty());
    EXPECT_EQ(file.records[0].task.id, "p90001-b1");
    EXPECT_EQ(file.records[7].line, 9u);
    EXPECT_EQ(file.records[7].problems.size(), 2u);
}

TEST(Pie, ProblemsOfTheTestFolder) {
    JsonlFile f(R"({"problem_id": "p1", "src_id": "a", "src_code": "int main() {}"})" "\n"
                R"({"problem_id": "p2", "src_id": "a", "src_code": "int main() {}"})" "\n"
                R"({"problem_id": "p1", "src_id": "b", "src_code": "int main() {}", "tests": []})" "\n"
                R"({"problem_id": "p1", "src_id": "c", "src_code": "int main() {}", "tests": [3, 3]})" "\n"
                R"({"problem_id": "p1", "src_id": "d", "src_code": "int main() {}", "tests": [4]})" "\n");
    const fs::path p1 = f.dir() / "tests" / "p1";
    fs::create_directories(p1);
    fs::create_directories(f.dir() / "tests" / "p2");
    std::ofstream(p1 / "input.3.txt") << "1\n";
    std::ofstream(p1 / "output.3.txt") << "1\n";
    std::ofstream(p1 / "input.4.txt") << "1\n";      // no output.4.txt
    std::ofstream(p1 / "output.5.txt") << "1\n";     // no input.5.txt
    std::ofstream(p1 / "input.07.txt") << "1\n";     // not PIE's naming: ignored
    std::ofstream(p1 / "notes.txt") << "ignored\n";
    const std::string file = f.path().string();
    const auto problems = datasets::validate_pie(f.path(), f.dir() / "tests");
    const std::vector<std::string> expected = {
        file + ":1: problem_id: " + (p1 / "input.4.txt").string() + ": test input without its expected output output.4.txt",
        file + ":1: problem_id: " + (p1 / "output.5.txt").string() + ": expected output without its input input.5.txt",
        file + ":2: problem_id: no test cases in " + (f.dir() / "tests" / "p2").string() + " (expected input.N.txt with output.N.txt)",
        file + ":3: tests: empty (expected at least one test index, or leave the field out to use every test)",
        file + ":4: tests[1]: test 3 listed twice (also tests[0])",
        file + ":5: tests[0]: no output.4.txt for problem p1",
    };
    EXPECT_EQ(problems, expected);
}

TEST(Pie, ProblemsComeInTheOrderOfTheRecordAndStayOnOneLine) {
    JsonlFile f(R"({"problem_id": "p90001", "src_id": "a", "src_code": "int main() {}", "tests": [9, 8]})" "\n"
                R"({"problem_id": "p9\n0001", "src_id": "b", "src_code": "int main() {}"})" "\n"
                R"({"problem_id": "", "src_code": "", "tgt_code": "", "tests": 3})" "\n");
    const std::string file = f.path().string();
    const std::vector<std::string> expected = {
        file + ":1: tests[0]: no input.9.txt for problem p90001",
        file + ":1: tests[1]: no input.8.txt for problem p90001",
        file + ":2: problem_id: \"p9\\n0001\" cannot name a test folder (expected a plain name, e.g. p00001)",
        file + ":3: problem_id: empty (expected the problem's name, e.g. p00001)",
        file + ":3: src_code: empty (expected the slow program)",
        file + ":3: tgt_code: empty (expected the faster program, or leave the field out)",
    };
    EXPECT_EQ(datasets::validate_pie(f.path(), k_tests), expected);
}

TEST(Pie, ProblemsOfTheFileAsAWhole) {
    {
        const auto problems = datasets::validate_pie(k_fixtures / "absent.jsonl", k_tests);
        ASSERT_EQ(problems.size(), 1u);
        EXPECT_EQ(problems[0], (k_fixtures / "absent.jsonl").string() + ": no such file");
    }
    {
        JsonlFile f("\n  \n\r\n");
        const auto problems = datasets::validate_pie(f.path(), k_tests);
        ASSERT_EQ(problems.size(), 1u);
        EXPECT_EQ(problems[0], f.path().string() + ": no records (expected one JSON object per line)");
    }
    {
        JsonlFile f(R"({"problem_id": "p90001", "src_code": "int main() {}"})" "\n");
        auto tasks = datasets::load_pie(f.path(), f.dir() / "nowhere");
        ASSERT_FALSE(tasks);
        EXPECT_EQ(tasks.error().message, (f.dir() / "nowhere").string() +
                                             ": no test folder (expected PROBLEM_ID/input.N.txt with output.N.txt, PIE's test cases, for " +
                                             f.path().string() + ")");
    }
}

// A hostile test folder: every test file is a regular file inside the tests root, checked
// without opening a FIFO; each refused file is a problem of every record that would use it.
TEST(Pie, RefusesTestFilesThatAreNoRegularFilesInsideTheTestsRoot) {
    JsonlFile f(R"({"problem_id": "p1", "src_id": "a", "src_code": "int main() {}"})" "\n"
                R"({"problem_id": "p1", "src_id": "b", "src_code": "int main() {}", "tests": [2, 0]})" "\n"
                R"({"problem_id": "p2", "src_id": "a", "src_code": "int main() {}"})" "\n");
    const fs::path root = f.dir() / "tests", p1 = root / "p1";
    fs::create_directories(p1);
    const fs::path outside = f.dir() / "tests-outside";  // a string prefix of it is the root
    fs::create_directories(outside);
    std::ofstream(outside / "secret") << "secret\n";
    std::ofstream(p1 / "input.0.txt") << "1\n";
    std::ofstream(p1 / "output.0.txt") << "1\n";
    ASSERT_EQ(::mkfifo((p1 / "input.1.txt").c_str(), 0600), 0);
    std::ofstream(p1 / "output.1.txt") << "1\n";
    fs::create_symlink(outside / "secret", p1 / "input.2.txt");
    fs::create_directories(p1 / "output.2.txt");
    // A problem folder that is a symlink to another problem's stays inside the root.
    fs::create_directory_symlink("p1", root / "p2");

    const std::string file = f.path().string();
    const std::string fifo = (p1 / "input.1.txt").string() + ": not a regular file (a FIFO); test inputs must be regular files inside the test folder";
    const std::string link = (p1 / "input.2.txt").string() + ": a symlink to " + fs::canonical(outside / "secret").string() +
                             ", outside " + fs::canonical(root).string() + "; test inputs must be regular files inside the test folder";
    const std::string folder = (p1 / "output.2.txt").string() +
                               ": not a regular file (a directory); expected outputs must be regular files inside the test folder";
    const std::vector<std::string> expected = {
        file + ":1: problem_id: " + fifo,
        file + ":1: problem_id: " + link,
        file + ":1: problem_id: " + folder,
        file + ":2: tests[0]: " + link,
        file + ":2: tests[0]: " + folder,
        file + ":3: problem_id: " + (root / "p2" / "input.1.txt").string() + ": not a regular file (a FIFO); test inputs must be regular files inside the test folder",
        file + ":3: problem_id: " + (root / "p2" / "input.2.txt").string() + ": a symlink to " + fs::canonical(outside / "secret").string() +
            ", outside " + fs::canonical(root).string() + "; test inputs must be regular files inside the test folder",
        file + ":3: problem_id: " + (root / "p2" / "output.2.txt").string() +
            ": not a regular file (a directory); expected outputs must be regular files inside the test folder",
    };
    EXPECT_EQ(test_support::within_seconds(20, [&] { return datasets::validate_pie(f.path(), root); }), expected);
    auto tasks = test_support::within_seconds(20, [&] { return datasets::load_pie(f.path(), root); });
    ASSERT_FALSE(tasks);
    EXPECT_EQ(tasks.error().message, expected[0]);
    EXPECT_EQ(tasks.error().kind, core::ErrorKind::input);

    // Without the bad files, the same records load, p2 through its link.
    fs::remove(p1 / "input.1.txt");
    fs::remove(p1 / "input.2.txt");
    fs::remove(p1 / "output.1.txt");
    fs::remove(p1 / "output.2.txt");
    JsonlFile g(R"({"problem_id": "p1", "src_code": "int main() {}"})" "\n" R"({"problem_id": "p2", "src_code": "int main() {}"})" "\n");
    auto good = datasets::load_pie(g.path(), root);
    ASSERT_TRUE(good) << good.error().message;
    ASSERT_EQ(good->size(), 2u);
    EXPECT_EQ(names((*good)[1]), (std::vector<std::string>{"0"}));
}

TEST(Pie, RefusesAJsonlFileThatIsNoRegularFileOrTooLarge) {
    JsonlFile f("");
    fs::remove(f.path());
    ASSERT_EQ(::mkfifo(f.path().c_str(), 0600), 0);
    auto fifo = test_support::within_seconds(20, [&] { return datasets::validate_pie(f.path(), k_tests); });
    ASSERT_EQ(fifo.size(), 1u);
    EXPECT_EQ(fifo[0], f.path().string() + ": not a file (expected a PIE .jsonl file)");
    fs::remove(f.path());
    std::ofstream(f.path()).close();
    fs::resize_file(f.path(), datasets::k_max_pie_file_bytes + 1);  // sparse
    auto large = datasets::validate_pie(f.path(), k_tests);
    ASSERT_EQ(large.size(), 1u);
    EXPECT_EQ(large[0], f.path().string() + ": too large (" + std::to_string(datasets::k_max_pie_file_bytes + 1) +
                            " bytes; the limit is 2 GiB)");
}

TEST(Pie, AcceptsCrlfABomAndUnicodeCode) {
    JsonlFile f("\xef\xbb\xbf" R"({"problem_id": "p90001", "src_id": "x", "src_code": "// caf\u00e9 \u2603\nint main() {}", "tests": [1]})" "\r\n");
    auto tasks = datasets::load_pie(f.path(), k_tests);
    ASSERT_TRUE(tasks) << tasks.error().message;
    ASSERT_EQ(tasks->size(), 1u);
    EXPECT_EQ((*tasks)[0].baseline[0].content, "// caf\xc3\xa9 \xe2\x98\x83\nint main() {}");
    EXPECT_EQ(names((*tasks)[0]), (std::vector<std::string>{"1"}));
}

TEST(Pie, RecognisesAJsonlPath) {
    EXPECT_TRUE(datasets::is_pie_file("data/train.jsonl"));
    EXPECT_FALSE(datasets::is_pie_file("data/train.json"));
    EXPECT_FALSE(datasets::is_pie_file("data"));
}

// The shared model of optiloop: what a task is, what a proposer returns (Edit), what is run
// (Candidate) and what the runner finds (Measurement). Every module speaks in these types.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace optiloop::core {

// Outcome of running a program on one test (or on all of them: the worst one).
enum class Verdict { ok, wrong_answer, compile_error, runtime_error, time_limit, memory_limit, output_limit, security };

// Short names as the field uses them: OK, WA, CE, RE, TLE, MLE, OLE, SECURITY.
std::string_view to_string(Verdict verdict);
std::optional<Verdict> verdict_from_string(std::string_view text);

enum class Language { cpp, cuda };
enum class TaskKind { stdio, function, cuda_kernel, repository };
enum class CheckerType { exact, tokens, floating, program };

std::string_view to_string(Language language);
std::string_view to_string(TaskKind kind);
std::string_view to_string(CheckerType type);

struct Checker {
    CheckerType type = CheckerType::tokens;
    double abs_tolerance = 1e-6;
    double rel_tolerance = 1e-6;
    std::string program;  // for CheckerType::program: path of the checker source, relative to the task
    bool operator==(const Checker&) const = default;
};

struct SourceFile {
    std::string path;  // relative name, e.g. "main.cpp"
    std::string content;
    bool operator==(const SourceFile&) const = default;
};

struct TestCase {
    std::string name;
    std::filesystem::path input;     // file holding the test's stdin
    std::filesystem::path expected;  // file holding the expected stdout
    bool operator==(const TestCase&) const = default;
};

struct BuildSpec {
    std::string compiler = "g++";
    std::vector<std::string> flags = {"-std=c++17", "-O3"};
    bool operator==(const BuildSpec&) const = default;
};

struct Limits {
    double time_seconds = 10.0;
    std::int64_t memory_bytes = std::int64_t{1} << 30;
    std::int64_t output_bytes = std::int64_t{64} << 20;
    bool operator==(const Limits&) const = default;
};

// A repository target (TaskKind::repository): the user's project with its own commands. The
// candidate's files are written into `workspace` (a scratch git worktree or copy), never into
// `root`; the commands run there, inside the sandbox.
struct RepositorySpec {
    std::filesystem::path root;       // the user's repository
    std::filesystem::path workspace;  // the scratch copy the commands run in
    std::string head;                 // the commit the workspace was made from (empty: not git)
    std::string build;                // shell commands, run from the workspace root
    std::string test;                 // exit code 0 = correct
    std::string bench;                // empty: the test command is measured
    std::string bench_format;         // "gbench" (Google Benchmark JSON) or "instructions"
    std::string bench_filter;         // --benchmark_filter for gbench
    std::string bench_metric = "cpu_time";  // or real_time
    int bench_repetitions = 5;
    double build_seconds = 1800, test_seconds = 600, bench_seconds = 900;
    bool operator==(const RepositorySpec&) const = default;
};

struct Task {
    std::string id;
    Language language = Language::cpp;
    TaskKind kind = TaskKind::stdio;
    std::string description;
    BuildSpec build;
    Checker checker;
    Limits limits;
    std::vector<std::string> tags;
    std::vector<SourceFile> baseline;
    std::vector<SourceFile> reference;  // empty when the task has none
    std::vector<SourceFile> harness;    // function and kernel tasks: fixed files around the function
    std::string function_name;          // function tasks: the function a candidate may change
    std::vector<TestCase> tests;        // correctness
    std::vector<TestCase> stress;       // cost measurement
    // When set, the program reports its own cost: a JSON line {"cost": 1234.5, "unit": "ns"}
    // written to this file in its working directory (CUDA kernels, repository benchmarks).
    std::string cost_file;
    std::filesystem::path root;         // where the task was loaded from (may be empty)
    std::optional<RepositorySpec> repository;  // TaskKind::repository only
    bool operator==(const Task&) const = default;
};

// One change to one file, in clang-tidy's --export-fixes form.
struct Replacement {
    std::string path;
    std::size_t offset = 0;
    std::size_t length = 0;
    std::string text;
    bool operator==(const Replacement&) const = default;
};

// What a proposer returns. Either whole files or replacements; applying it yields a Candidate.
struct Edit {
    std::string proposer;     // "rules", "openai", "anthropic", "replay"
    std::string explanation;  // the proposer's own words (or the rule's rationale)
    std::vector<SourceFile> files;
    std::vector<Replacement> replacements;
    // Set when the proposer's answer could not become an edit (no code, a SEARCH block that does
    // not match): the candidate is not built, and this goes back to the proposer as feedback.
    std::string problem;
    // The rules (analyzer rule ids, clang-tidy check names) whose fixes the edit applies, in the
    // order they fired; empty for a model's edit. What reports name, never parsed from the text.
    std::vector<std::string> rules;
    bool operator==(const Edit&) const = default;
};

struct Candidate {
    std::string id;
    std::string parent;  // id of the candidate it was derived from ("baseline" for the first round)
    std::vector<SourceFile> sources;
    Edit edit;
    bool operator==(const Candidate&) const = default;
};

// How an instruction count (or other cost) was obtained. Counts from different counters are
// never compared with each other.
enum class CounterKind { perf, cachegrind, callgrind, harness, none };
std::string_view to_string(CounterKind kind);
std::optional<CounterKind> counter_from_string(std::string_view text);

struct TestMeasurement {
    std::string name;
    bool stress = false;
    Verdict verdict = Verdict::ok;
    std::string detail;                 // why it failed: signal, first difference, ...
    std::optional<double> cost;         // instructions (or harness-reported cost) when measured
    double wall_median_seconds = 0.0;
    double wall_min_seconds = 0.0;
    double wall_cv = 0.0;               // coefficient of variation of the wall-time repeats
    std::int64_t peak_rss_bytes = 0;
    int wall_repeats = 0;               // how many timed repeats the median and cv come from
    bool operator==(const TestMeasurement&) const = default;
};

// Where a run's instructions went, by source line (from callgrind): the cost of each line of the
// program's own files, library calls made from a line counted on that line.
struct LineCost {
    std::string file;  // as the program's sources name it, e.g. "main.cpp"
    unsigned line = 0;
    double cost = 0;
    bool operator==(const LineCost&) const = default;
};

struct LineProfile {
    std::vector<LineCost> lines;
    double total = 0;  // every instruction of the run, libraries included
    bool operator==(const LineProfile&) const = default;
};

struct Measurement {
    Verdict verdict = Verdict::ok;
    std::string compile_output;  // trimmed compiler errors when verdict is CE
    CounterKind counter = CounterKind::none;
    std::string cost_unit = "instructions";
    std::optional<double> total_cost;  // sum over stress tests (or all tests when no stress tests)
    double wall_seconds = 0.0;         // sum of per-test medians over the cost tests
    std::int64_t peak_rss_bytes = 0;
    std::vector<TestMeasurement> tests;
    bool operator==(const Measurement&) const = default;
};

}  // namespace optiloop::core

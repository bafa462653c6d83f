#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <mutex>
#include <numeric>
#include <sstream>
#include <thread>

#include <optiloop/core/text.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/runner/build.hpp>
#include <optiloop/runner/checker.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/measure.hpp>
#include <optiloop/runner/repository.hpp>
#include <optiloop/sandbox/sandbox.hpp>

#include "valgrind.hpp"

namespace optiloop::runner {

namespace fs = std::filesystem;
using core::Measurement;
using core::TestMeasurement;
using core::Verdict;

namespace {

constexpr const char* k_program = "/box/prog";

sandbox::Spec program_spec(const core::Task& task, const fs::path& binary, const core::TestCase& test) {
    sandbox::Spec spec;
    spec.argv = {k_program};
    spec.binds.push_back({binary, k_program, false});
    spec.stdin_file = test.input;
    spec.limits.cpu_seconds = task.limits.time_seconds;
    spec.limits.wall_seconds = task.limits.time_seconds * 2 + 1;
    spec.limits.memory_bytes = task.limits.memory_bytes;
    spec.limits.output_bytes = task.limits.output_bytes;
    if (task.language == core::Language::cuda) {
        spec.gpu = true;
        spec.limits.address_space_fallback = false;  // the CUDA driver reserves huge address ranges
        spec.limits.processes = 256;                 // and starts threads of its own
    }
    return spec;
}

// The last non-empty line a failed program wrote to stderr (its own account of what went wrong,
// e.g. a CUDA error or an assertion), printable characters only, at most 200 of them.
std::string last_words(const std::string& err) {
    std::size_t end = err.size();
    while (end > 0 && (err[end - 1] == '\n' || err[end - 1] == '\r' || err[end - 1] == ' ')) --end;
    const std::size_t begin = err.rfind('\n', end == 0 ? 0 : end - 1);
    std::string line;
    for (std::size_t i = begin == std::string::npos ? 0 : begin + 1; i < end; ++i) {
        const auto c = static_cast<unsigned char>(err[i]);
        line += c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?';
    }
    return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

struct WallStats {
    double median = 0, min = 0, cv = 0;
};

WallStats wall_stats(std::vector<double> samples) {
    WallStats s;
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    const std::size_t n = samples.size();
    s.median = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
    s.min = samples.front();
    const double mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(n);
    double var = 0;
    for (double x : samples) var += (x - mean) * (x - mean);
    s.cv = n > 1 && mean > 0 ? std::sqrt(var / static_cast<double>(n - 1)) / mean : 0;
    return s;
}

// A counted run's instructions, or why the run gets no count: a program that fails, answers
// differently, or leaves no well-formed record of its one process while counted is the
// candidate's failure (its verdict in `failure`), never an error of optiloop's.
core::Result<std::uint64_t> count_with_valgrind(const core::Task& task, const fs::path& binary, const core::TestCase& test,
                                                core::CounterKind kind, const fs::path& checker_binary, std::optional<CountFailure>& failure) {
    const std::string tool = kind == core::CounterKind::callgrind ? "callgrind" : "cachegrind";
    std::vector<std::string> args;
    if (kind == core::CounterKind::cachegrind) args.push_back("--cache-sim=no");
    auto spec = valgrind_spec(task, binary, test, tool, args);
    if (!spec) return core::fail(spec.error());
    auto run = sandbox::run(*spec);
    if (!run) return core::fail(run.error());
    if (run->verdict != Verdict::ok) {
        failure = counted_run_failure(*run, tool);
        return core::fail(core::Error::input(failure->detail));
    }
    // The output must still be right while counted: a program that behaves differently under
    // the counter gets no cost.
    auto checked = check(task.checker, checker_binary, test.input, run->stdout_data, test.expected);
    if (!checked) return core::fail(checked.error());
    if (!checked->accepted) {
        failure = CountFailure{Verdict::wrong_answer, "wrong answer while counted by " + tool + ": " + checked->detail};
        return core::fail(core::Error::input(failure->detail));
    }
    std::optional<std::string> record;
    for (const auto& [name, text] : run->private_files)
        if (name == k_count_record) record = text;
    auto count = record ? parse_valgrind_count(*record, "/box/prog")
                        : core::Result<std::uint64_t>(core::fail(core::Error::input("count record could not be read back: " + run->output_problem)));
    if (!count) {
        failure = CountFailure{Verdict::security, "not countable under " + tool + ": " + count.error().message};
        return core::fail(count.error());
    }
    return *count;
}

// The cost the program reports itself: the one JSON line the harness writes to task.cost_file.
// The harness writes exactly one line and then ends the process (kernel tasks' candidates are
// checked to hold no I/O, harness_check.hpp), so a second line is somebody else's: refused.
core::Result<std::pair<double, std::string>> harness_cost(const core::Task& task, const fs::path& binary, const core::TestCase& test,
                                                          const fs::path& checker_binary, std::optional<CountFailure>& failure) {
    auto refuse = [&](Verdict verdict, std::string detail) {
        failure = CountFailure{verdict, detail};
        return core::fail(core::Error::input(std::move(detail)));
    };
    sandbox::Spec spec = program_spec(task, binary, test);
    spec.scratch_outputs = {task.cost_file};
    spec.limits.address_space_fallback = false;  // CUDA reserves huge virtual ranges
    auto run = sandbox::run(spec);
    if (!run) return core::fail(run.error());
    if (run->verdict != Verdict::ok)
        return refuse(run->verdict, "while reporting its cost: " + std::string(core::to_string(run->verdict)) + " " + run->detail);
    auto checked = check(task.checker, checker_binary, test.input, run->stdout_data, test.expected);
    if (!checked) return core::fail(checked.error());
    if (!checked->accepted) return refuse(Verdict::wrong_answer, "wrong answer while reporting its cost: " + checked->detail);
    std::optional<std::string> text;
    for (const auto& [name, content] : run->scratch_files)
        if (name == task.cost_file) text = content;
    const std::string expected_line = " {\"cost\": N, \"unit\": \"...\"} to " + task.cost_file;
    if (!text) return refuse(Verdict::runtime_error, "the program did not write a cost line" + expected_line + (run->output_problem.empty() ? "" : " (" + run->output_problem + ")"));
    while (!text->empty() && (text->back() == '\n' || text->back() == ' ')) text->pop_back();
    if (text->find('\n') != std::string::npos)
        return refuse(Verdict::security, task.cost_file + " holds more than the one line the harness writes: something else wrote to it");
    auto json = core::parse_json(*text, task.cost_file);
    if (!json || !json->is_object() || !json->contains("cost") || !(*json)["cost"].is_number() || !std::isfinite((*json)["cost"].get<double>()) ||
        (*json)["cost"].get<double>() <= 0)
        return refuse(Verdict::runtime_error, "the program did not write a cost line with a positive cost" + expected_line);
    const std::string unit = json->contains("unit") && (*json)["unit"].is_string() ? (*json)["unit"].get<std::string>() : "units";
    return std::make_pair((*json)["cost"].get<double>(), unit);
}

core::Result<std::uint64_t> count_with_perf(const core::Task& task, const fs::path& binary, const core::TestCase& test,
                                            std::optional<CountFailure>& failure) {
    sandbox::Spec spec = program_spec(task, binary, test);
    int fd = -1;
    spec.on_started = [&fd](int pid) { fd = open_perf_counter(pid); };
    auto run = sandbox::run(spec);
    if (!run) return core::fail(run.error());
    std::optional<std::uint64_t> count;
    if (fd >= 0) {
        count = read_perf_counter(fd);
        ::close(fd);
    }
    if (run->verdict != Verdict::ok) {
        failure = CountFailure{run->verdict, "while counted: " + std::string(core::to_string(run->verdict)) + " " + run->detail};
        return core::fail(core::Error::input(failure->detail));
    }
    if (!count || *count == 0) return core::fail(core::Error::infrastructure("perf counter could not be read"));
    return *count;
}

}  // namespace

core::Result<Measurement> measure(const core::Task& task, const std::vector<core::SourceFile>& sources,
                                  const MeasureOptions& options) {
    if (task.kind == core::TaskKind::repository) return measure_repository(task, sources, options);
    // A kernel candidate runs inside the process that reports its cost: one holding what could
    // write or distort that cost is refused before it is ever built (harness_check.hpp).
    if (!task.cost_file.empty() && task.kind == core::TaskKind::cuda_kernel) {
        if (auto checked = check_kernel_sources(sources, task.harness); !checked) {
            Measurement refused;
            refused.verdict = Verdict::security;
            refused.compile_output = checked.error().message;
            return refused;
        }
    }
    Measurement m;
    const int jobs = options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

    BuildRequest request;
    request.sources = sources;
    request.sources.insert(request.sources.end(), task.harness.begin(), task.harness.end());
    request.spec = task.build;
    auto built = build(request);
    if (!built) return core::fail(built.error());
    if (!built->ok) {
        m.verdict = built->verdict;
        m.compile_output = built->diagnostics;
        return m;
    }

    fs::path checker_binary;
    if (task.checker.type == core::CheckerType::program) {
        const fs::path source = task.root / task.checker.program;
        constexpr std::uintmax_t k_max_checker_bytes = std::uintmax_t{4} << 20;
        auto opened = task.root.empty() ? core::open_regular_file(source, k_max_checker_bytes)
                                        : core::open_file_within(source, task.root, k_max_checker_bytes);
        if (!opened) return core::fail(core::Error::input(opened.error().message + "; checker.program must be a regular file inside the task folder"));
        auto text = opened->read();
        if (!text) return core::fail(text.error());
        BuildRequest checker_request;
        checker_request.sources = {{source.filename().string(), *text}};
        checker_request.spec.flags = {"-std=c++17", "-O2"};
        auto checker_built = build(checker_request);
        if (!checker_built) return core::fail(checker_built.error());
        if (!checker_built->ok)
            return core::fail(core::Error::input(source.string() + ": checker.program does not compile: " + checker_built->diagnostics));
        checker_binary = checker_built->binary;
    }

    // Correctness: every test, natively, in parallel.
    std::vector<std::pair<const core::TestCase*, bool>> all;
    for (const auto& t : task.tests) all.emplace_back(&t, false);
    for (const auto& t : task.stress) all.emplace_back(&t, true);
    m.tests.resize(all.size());
    auto correctness = core::parallel_for(all.size(), jobs, [&](std::size_t i) -> core::Result<void> {
        const auto& [test, stress] = all[i];
        TestMeasurement& tm = m.tests[i];
        tm.name = test->name;
        tm.stress = stress;
        auto run = sandbox::run(program_spec(task, built->binary, *test));
        if (!run) return core::fail(run.error());
        tm.verdict = run->verdict;
        tm.detail = run->detail;
        if (run->verdict == Verdict::runtime_error) {
            const std::string words = last_words(run->stderr_data);
            if (!words.empty()) tm.detail += ": " + words;
        }
        tm.wall_median_seconds = tm.wall_min_seconds = run->wall_seconds;
        tm.peak_rss_bytes = run->peak_rss_bytes;
        if (run->verdict == Verdict::ok) {
            auto checked = check(task.checker, checker_binary, test->input, run->stdout_data, test->expected);
            if (!checked) return core::fail(checked.error());
            if (!checked->accepted) {
                tm.verdict = Verdict::wrong_answer;
                tm.detail = checked->detail;
            }
        }
        return {};
    });
    if (!correctness) return core::fail(correctness.error());
    for (const auto& tm : m.tests) {
        if (tm.verdict != Verdict::ok) {
            m.verdict = tm.verdict;
            return m;  // a wrong program has no cost
        }
    }

    // Cost: the stress tests (or every test when the task has none).
    std::vector<std::size_t> cost_tests;
    for (std::size_t i = 0; i < all.size(); ++i)
        if (all[i].second || task.stress.empty()) cost_tests.push_back(i);

    auto counter = task.cost_file.empty() ? choose_counter(options.counter) : core::Result<core::CounterKind>(core::CounterKind::harness);
    if (!counter) return core::fail(counter.error());
    m.counter = *counter;
    if (m.counter == core::CounterKind::harness && task.cost_file.empty())
        return core::fail(core::Error::input("--counter=harness: this task's harness does not report its own cost (no cost_file in task.json)"));
    // A cost test that failed while its cost was taken makes the whole measurement fail.
    auto first_failure = [&](const std::vector<std::optional<CountFailure>>& failures) {
        for (std::size_t i : cost_tests) {
            if (!failures[i]) continue;
            m.tests[i].verdict = failures[i]->verdict;
            m.tests[i].detail = failures[i]->detail;
            m.verdict = m.tests[i].verdict;
            return true;
        }
        return false;
    };
    if (m.counter == core::CounterKind::harness) {
        std::vector<std::optional<CountFailure>> failures(all.size());
        std::vector<std::string> units(all.size());
        // One at a time: a self-timed harness must not share the machine with its siblings.
        auto reported = core::parallel_for(cost_tests.size(), 1, [&](std::size_t k) -> core::Result<void> {
            const std::size_t i = cost_tests[k];
            auto cost = harness_cost(task, built->binary, *all[i].first, checker_binary, failures[i]);
            if (cost) {
                m.tests[i].cost = cost->first;
                units[i] = cost->second;
                return {};
            }
            return failures[i] ? core::Result<void>{} : core::fail(cost.error());
        });
        if (!reported) return core::fail(reported.error());
        if (first_failure(failures)) return m;
        for (std::size_t i : cost_tests) {
            if (units[i] != units[cost_tests.front()])
                return core::fail(core::Error::input("task " + task.id + ": the harness reported costs in different units (" + units[i] + " and " +
                                                     units[cost_tests.front()] + ")"));
        }
        m.cost_unit = units[cost_tests.front()];
    }
    if (m.counter != core::CounterKind::none && m.counter != core::CounterKind::harness) {
        std::vector<std::optional<CountFailure>> failures(all.size());
        auto counted = core::parallel_for(cost_tests.size(), jobs, [&](std::size_t k) -> core::Result<void> {
            const std::size_t i = cost_tests[k];
            auto count = m.counter == core::CounterKind::perf
                             ? count_with_perf(task, built->binary, *all[i].first, failures[i])
                             : count_with_valgrind(task, built->binary, *all[i].first, m.counter, checker_binary, failures[i]);
            if (count) {
                m.tests[i].cost = static_cast<double>(*count);
                return {};
            }
            return failures[i] ? core::Result<void>{} : core::fail(count.error());
        });
        if (!counted) return core::fail(counted.error());
        if (first_failure(failures)) return m;
    }

    // Wall time: one at a time, so runs do not disturb each other.
    double total_cost = 0;
    for (std::size_t i : cost_tests) {
        TestMeasurement& tm = m.tests[i];
        std::vector<double> samples;
        for (int r = 0; r < options.warmups + options.repeats; ++r) {
            auto run = sandbox::run(program_spec(task, built->binary, *all[i].first));
            if (!run) return core::fail(run.error());
            if (run->verdict != Verdict::ok) {
                tm.verdict = run->verdict;
                tm.detail = "on repetition " + std::to_string(r + 1) + ": " + run->detail;
                m.verdict = run->verdict;
                return m;
            }
            tm.peak_rss_bytes = std::max(tm.peak_rss_bytes, run->peak_rss_bytes);
            if (r >= options.warmups) samples.push_back(run->wall_seconds);
        }
        const WallStats stats = wall_stats(samples);
        tm.wall_median_seconds = stats.median;
        tm.wall_min_seconds = stats.min;
        tm.wall_cv = stats.cv;
        tm.wall_repeats = static_cast<int>(samples.size());
        m.wall_seconds += stats.median;
        if (tm.cost) total_cost += *tm.cost;
    }
    for (const auto& tm : m.tests) m.peak_rss_bytes = std::max(m.peak_rss_bytes, tm.peak_rss_bytes);
    if (m.counter != core::CounterKind::none) m.total_cost = total_cost;
    return m;
}

std::optional<double> speedup(const Measurement& baseline, const Measurement& candidate) {
    if (baseline.verdict != Verdict::ok || candidate.verdict != Verdict::ok) return std::nullopt;
    if (baseline.counter != candidate.counter || baseline.cost_unit != candidate.cost_unit) return std::nullopt;
    if (!baseline.total_cost || !candidate.total_cost) return std::nullopt;
    if (*candidate.total_cost <= 0) return std::nullopt;
    return *baseline.total_cost / *candidate.total_cost;
}

std::optional<double> wall_speedup(const Measurement& baseline, const Measurement& candidate) {
    if (baseline.verdict != Verdict::ok || candidate.verdict != Verdict::ok) return std::nullopt;
    if (baseline.wall_seconds <= 0 || candidate.wall_seconds <= 0) return std::nullopt;
    return baseline.wall_seconds / candidate.wall_seconds;
}

bool ratios_disagree(const Measurement& baseline, const Measurement& candidate) {
    const auto by_count = speedup(baseline, candidate), by_time = wall_speedup(baseline, candidate);
    if (!by_count || !by_time) return false;
    double noise = 0.05;
    for (const auto* m : {&baseline, &candidate})
        for (const auto& t : m->tests) noise = std::max(noise, t.wall_cv);
    // Disagree when the time ratio lies outside the count ratio's band widened by the noise of
    // both measurements (or points the other way).
    const double band = 2 * noise;
    return std::fabs(std::log(*by_count) - std::log(*by_time)) > std::log1p(band) ||
           ((*by_count > 1) != (*by_time > 1) && std::fabs(*by_time - 1) > band);
}

}  // namespace optiloop::runner

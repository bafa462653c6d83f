#include <signal.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <sstream>

#include <nlohmann/json.hpp>

#include <optiloop/core/files.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/repository.hpp>
#include <optiloop/sandbox/sandbox.hpp>

namespace optiloop::runner {

namespace fs = std::filesystem;
using core::Measurement;
using core::Verdict;


namespace {

// The last `lines` lines of a command's output: where build errors and failing tests are.
std::string tail(const std::string& text, std::size_t lines) {
    std::size_t at = text.size();
    for (std::size_t n = 0; at > 0 && n <= lines;) {
        --at;
        if (text[at] == '\n') ++n;
    }
    std::string out = text.substr(at == 0 ? 0 : at + 1);
    return at == 0 ? out : "...\n" + out;
}

sandbox::Spec command_spec(const core::RepositorySpec& r, const std::string& command, double seconds) {
    sandbox::Spec spec;
    spec.argv = {"/bin/sh", "-c", "cd " + core::shell_quote(r.workspace.string()) + " && " + command};
    spec.binds.push_back({r.workspace, r.workspace, true});
    spec.env = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8", "TMPDIR=/tmp", "CCACHE_DIR=/tmp/ccache", "CTEST_OUTPUT_ON_FAILURE=1"};
    // A project's build runs compilers in parallel and writes large objects.
    spec.limits.cpu_seconds = seconds * 8;
    spec.limits.wall_seconds = seconds;
    spec.limits.memory_bytes = std::int64_t{8} << 30;
    spec.limits.output_bytes = std::int64_t{32} << 20;
    spec.limits.stderr_bytes = std::int64_t{8} << 20;
    spec.limits.file_size_bytes = std::int64_t{2} << 30;
    spec.limits.tmp_bytes = std::int64_t{2} << 30;
    spec.limits.processes = 1024;
    spec.limits.open_files = 4096;
    spec.limits.address_space_fallback = false;
    return spec;
}

std::string output_of(const sandbox::Result& run) {
    std::string text = run.stdout_data;
    if (!text.empty() && !run.stderr_data.empty() && text.back() != '\n') text += '\n';
    return text + run.stderr_data;
}

// One lock per workspace: its files and build directory hold one candidate at a time.
std::mutex& workspace_mutex(const fs::path& workspace) {
    static std::mutex guard;
    static std::map<fs::path, std::unique_ptr<std::mutex>> locks;
    std::lock_guard lock(guard);
    auto& m = locks[workspace];
    if (!m) m = std::make_unique<std::mutex>();
    return *m;
}

// A cost run (bench, timing, counting) that did not exit 0 decides the measurement: its verdict
// (RE for a plain non-zero exit) and the tail of its output.
bool cost_run_failed(Measurement& m, const sandbox::Result& run, const std::string& name, const std::string& what) {
    if (run.verdict == Verdict::ok && run.exit_code == 0) return false;
    m.verdict = run.verdict != Verdict::ok ? run.verdict : Verdict::runtime_error;
    m.tests.push_back({name, true, m.verdict, what + tail(output_of(run), 15), std::nullopt, 0, 0, 0, 0});
    return true;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

core::Result<Workspace> make_workspace(const fs::path& root) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return core::fail(core::Error::input("--repo " + root.string() + ": not a directory"));
    std::string dir_template = (fs::temp_directory_path() / "optiloop-workspace-XXXXXX").string();
    if (!::mkdtemp(dir_template.data())) return core::fail(core::Error::infrastructure("cannot create a workspace under " + fs::temp_directory_path().string()));
    Workspace ws;
    ws.path = fs::path(dir_template) / "tree";
    // Who owns it: a later run sweeps a workspace whose owner died without cleaning up.
    (void)core::write_file_atomically(fs::path(dir_template) / "owner.pid", std::to_string(::getpid()) + "\n");
    const auto top = git(root, {"rev-parse", "--show-toplevel"});
    if (top.exit_code == 0) {
        const auto head = git(root, {"rev-parse", "HEAD"});
        if (head.exit_code != 0)
            return core::fail(core::Error::input("--repo " + root.string() + ": a git repository without a commit (commit first; optiloop works on HEAD)"));
        ws.head = core::trimmed(head.output);
        const auto added = git(root, {"worktree", "add", "--detach", ws.path.string(), ws.head});
        if (added.exit_code != 0) {
            fs::remove_all(dir_template, ec);
            return core::fail(core::Error::infrastructure("git worktree add failed in " + root.string() + ": " + core::trimmed(tail(added.output, 3))));
        }
        if (auto handed = sandbox::hand_over(ws.path); !handed) return core::fail(handed.error());
        return ws;
    }
    // Not a git repository: a copy, without version-control and build directories.
    fs::create_directories(ws.path, ec);
    for (const auto& entry : fs::directory_iterator(root, ec)) {
        const std::string name = entry.path().filename().string();
        if (name == ".git" || name.starts_with("build")) continue;
        fs::copy(entry.path(), ws.path / name, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
        if (ec) {
            fs::remove_all(dir_template, ec);
            return core::fail(core::Error::infrastructure("cannot copy " + entry.path().string() + " into a workspace: " + ec.message()));
        }
    }
    if (auto handed = sandbox::hand_over(ws.path); !handed) return core::fail(handed.error());
    return ws;
}

void remove_workspace(const fs::path& root, const Workspace& ws) {
    if (!ws.head.empty()) git(root, {"worktree", "remove", "--force", ws.path.string()});
    std::error_code ec;
    fs::remove_all(ws.path.parent_path(), ec);
    if (!ws.head.empty()) git(root, {"worktree", "prune"});
}

int sweep_stale_workspaces(const fs::path& root) {
    const auto listed = git(root, {"worktree", "list", "--porcelain"});
    if (listed.exit_code != 0) return 0;
    int removed = 0;
    std::istringstream lines(listed.output);
    std::string line;
    while (std::getline(lines, line)) {
        if (!line.starts_with("worktree ")) continue;
        const fs::path tree = line.substr(9);
        const fs::path dir = tree.parent_path();
        if (tree.filename() != "tree" || !dir.filename().string().starts_with("optiloop-workspace-")) continue;
        // Alive owner: leave it (another optiloop is working there).
        if (auto pid_text = core::read_file(dir / "owner.pid")) {
            const long pid = std::strtol(pid_text->c_str(), nullptr, 10);
            if (pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;
        } else if (fs::exists(tree)) {
            continue;  // no owner recorded and still there: not ours to judge
        }
        remove_workspace(root, Workspace{tree, "stale"});
        ++removed;
    }
    git(root, {"worktree", "prune"});
    return removed;
}

core::Result<std::vector<BenchmarkResult>> parse_google_benchmark(const std::string& json_text, const std::string& metric) {
    // Google Benchmark prints its context and then the JSON object; take the object.
    const std::size_t start = json_text.find('{');
    auto j = nlohmann::json::parse(start == std::string::npos ? std::string() : json_text.substr(start), nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("benchmarks") || !j["benchmarks"].is_array())
        return core::fail(core::Error::input("the bench command's output is not Google Benchmark JSON (is it a benchmark binary? --bench-format instructions counts any command)"));
    std::map<std::string, std::vector<double>> runs;
    std::vector<std::string> order;
    for (const auto& b : j["benchmarks"]) {
        if (!b.is_object()) continue;
        if (b.value("run_type", "iteration") != "iteration") continue;  // aggregates are ours to compute
        if (b.contains("error_occurred") && b["error_occurred"].is_boolean() && b["error_occurred"].get<bool>())
            return core::fail(core::Error::input("benchmark " + b.value("name", std::string("?")) + " reported an error: " + b.value("error_message", std::string())));
        if (!b.contains(metric) || !b[metric].is_number()) continue;
        const std::string unit = b.value("time_unit", "ns");
        const double scale = unit == "s" ? 1e9 : unit == "ms" ? 1e6 : unit == "us" ? 1e3 : 1.0;
        const std::string name = b.value("run_name", b.value("name", std::string("?")));
        if (!runs.contains(name)) order.push_back(name);
        runs[name].push_back(b[metric].get<double>() * scale);
    }
    if (order.empty()) return core::fail(core::Error::input("the bench command ran no benchmark (check --bench-filter)"));
    std::vector<BenchmarkResult> out;
    for (const auto& name : order) {
        const auto& v = runs[name];
        // The spread as a robust coefficient of variation (1.4826 MAD / median): on a shared
        // machine one descheduled repetition must not widen the noise band by itself.
        const double mid = median(v);
        std::vector<double> deviations;
        for (double x : v) deviations.push_back(std::fabs(x - mid));
        const double cv = mid > 0 && v.size() > 1 ? 1.4826 * median(deviations) / mid : 0;
        out.push_back({name, mid, *std::min_element(v.begin(), v.end()), cv, static_cast<int>(v.size())});
    }
    return out;
}

core::Result<Measurement> measure_repository(const core::Task& task, const std::vector<core::SourceFile>& sources, const MeasureOptions& options) {
    if (!task.repository) return core::fail(core::Error::internal("measure_repository: the task has no repository"));
    const core::RepositorySpec& r = *task.repository;
    std::lock_guard lock(workspace_mutex(r.workspace));
    for (const auto& f : sources)
        if (!core::write_file_atomically(r.workspace / f.path, f.content))
            return core::fail(core::Error::infrastructure("cannot write " + (r.workspace / f.path).string()));

    Measurement m;
    m.counter = core::CounterKind::none;
    // Each step says what it ran and how long it took: a build and a benchmark can take minutes.
    auto run_step = [&](const char* what, const sandbox::Spec& spec) {
        if (options.progress) options.progress(std::string(what) + "...");
        auto done = sandbox::run(spec);
        if (done && options.progress) {
            std::ostringstream line;
            line.setf(std::ios::fixed);
            line.precision(1);
            line << what << ": " << (done->verdict == Verdict::ok && done->exit_code == 0 ? "done" : "failed") << " in " << done->wall_seconds << " s";
            options.progress(line.str());
        }
        return done;
    };
    auto run = [&](const std::string& command, double seconds, const char* what) { return run_step(what, command_spec(r, command, seconds)); };

    auto built = run(r.build, r.build_seconds, "build command");
    if (!built) return core::fail(built.error());
    if (built->verdict != Verdict::ok || built->exit_code != 0) {
        m.verdict = Verdict::compile_error;
        // A build that exits non-zero is a compile error, not also a runtime error: the exit
        // code is said plainly; a build that timed out or was killed says so.
        const bool plain_exit = built->verdict == Verdict::ok || (built->verdict == Verdict::runtime_error && built->detail.starts_with("exit code"));
        m.compile_output = built->verdict == Verdict::time_limit
                               ? "the build command ran past its " + std::to_string(static_cast<long>(r.build_seconds)) +
                                     " s (--build-timeout, or build_timeout in optiloop.toml's [repository], gives it more):\n" + tail(output_of(*built), 40)
                               : "the build command failed (" +
                                     (plain_exit ? "exit code " + std::to_string(built->exit_code) : std::string(core::to_string(built->verdict)) + ": " + built->detail) +
                                     "):\n" + tail(output_of(*built), 40);
        return m;
    }

    auto tested = run(r.test, r.test_seconds, "test command");
    if (!tested) return core::fail(tested.error());
    core::TestMeasurement t{"test command", false, Verdict::ok, "", std::nullopt, tested->wall_seconds, tested->wall_seconds, 0, tested->peak_rss_bytes};
    if (tested->verdict != Verdict::ok || tested->exit_code != 0) {
        t.verdict = tested->verdict != Verdict::ok ? tested->verdict : Verdict::wrong_answer;
        const std::string why = tested->verdict == Verdict::time_limit
                                    ? "ran past its " + std::to_string(static_cast<long>(r.test_seconds)) + " s (--test-timeout, or test_timeout in [repository], gives it more)"
                                : tested->verdict != Verdict::ok ? tested->detail
                                                                 : "exit code " + std::to_string(tested->exit_code);
        t.detail = why + "; output ends with:\n" + tail(output_of(*tested), 25);
        m.verdict = t.verdict;
        m.tests.push_back(t);
        return m;
    }
    m.tests.push_back(t);

    const std::string cost_command = r.bench.empty() ? r.test : r.bench;
    if (r.bench_format == "gbench") {
        // Repetitions are added (doubled, up to 4x what was asked) while any benchmark's robust
        // spread is above k_gbench_target_cv: a shared runner's noise is measured down, not
        // reported as a speedup.
        const int asked = std::max(1, r.bench_repetitions);
        std::optional<sandbox::Result> benched;
        std::vector<BenchmarkResult> results;
        for (int repetitions = asked;; repetitions *= 2) {
            std::string command = cost_command + " --benchmark_format=json --benchmark_repetitions=" + std::to_string(repetitions) +
                                  " --benchmark_report_aggregates_only=false";
            if (!r.bench_filter.empty()) command += " --benchmark_filter=" + core::shell_quote(r.bench_filter);
            auto ran = run(command, r.bench_seconds, "bench command (Google Benchmark)");
            if (!ran) return core::fail(ran.error());
            if (cost_run_failed(m, *ran, "bench command", "the bench command failed: ")) return m;
            auto parsed = parse_google_benchmark(ran->stdout_data, r.bench_metric);
            if (!parsed) return core::fail(parsed.error());
            benched = std::move(*ran);
            results = std::move(*parsed);
            const bool steady = std::all_of(results.begin(), results.end(), [](const BenchmarkResult& b) { return b.cv <= k_gbench_target_cv; });
            if (steady || repetitions * 2 > 4 * asked) break;
            if (options.progress) options.progress("spread above " + std::to_string(static_cast<int>(k_gbench_target_cv * 100)) + "%: " +
                                                   std::to_string(repetitions * 2) + " repetitions");
        }
        auto* results_ptr = &results;
        m.cost_unit = "ns (" + r.bench_metric + ")";
        for (const auto& b : *results_ptr) {
            m.tests.push_back({b.name, true, Verdict::ok, "", b.median_ns, b.median_ns / 1e9, b.min_ns / 1e9, b.cv, benched->peak_rss_bytes});
            m.wall_seconds += b.median_ns / 1e9;
        }
        m.peak_rss_bytes = benched->peak_rss_bytes;
        // Time is noisy: no total_cost, so the optimizer ranks by wall time with the noise band.
        return m;
    }

    // Wall time of the cost command natively (the test command's own when they are the same),
    // then its instructions under cachegrind, every child process included.
    double wall = tested->wall_seconds;
    if (!r.bench.empty()) {
        auto timed = run(r.bench, r.bench_seconds, "bench command (timed)");
        if (!timed) return core::fail(timed.error());
        if (cost_run_failed(m, *timed, "bench command", "the bench command failed: ")) return m;
        wall = timed->wall_seconds;
    }
    sandbox::Spec spec = command_spec(r, cost_command, r.bench_seconds * 30);
    spec.argv = {"/usr/bin/valgrind", "-q", "--vgdb=no", "--trace-children=yes", "--tool=cachegrind", "--cache-sim=no",
                 "--cachegrind-out-file=/work/cost.out.%p", "/bin/sh", "-c", spec.argv[2]};
    spec.scratch_outputs = {"cost.out.*"};
    // A build and test command starts many processes, each with its own record; a record that
    // could not be read back would make the sum smaller, so it fails the run.
    spec.max_output_files = 4096;
    (void)options;
    auto counted = run_step("cost command under cachegrind", spec);
    if (!counted) return core::fail(counted.error());
    if (cost_run_failed(m, *counted, "cost command", "under cachegrind: ")) return m;
    auto total = counted->output_problem.empty() ? sum_valgrind_totals(counted->scratch_files)
                                                 : core::Result<std::uint64_t>(core::fail(core::Error::input("a count record could not be read back: " + counted->output_problem)));
    if (!total) {
        m.verdict = Verdict::security;
        m.tests.push_back({"cost command", true, Verdict::security, "not countable under cachegrind: " + total.error().message, std::nullopt, 0, 0, 0, counted->peak_rss_bytes});
        return m;
    }
    m.counter = core::CounterKind::cachegrind;
    m.cost_unit = "instructions";
    m.total_cost = static_cast<double>(*total);
    m.wall_seconds = wall;
    m.tests.push_back({r.bench.empty() ? "test command (cost)" : "bench command", true, Verdict::ok, "", m.total_cost, wall, wall, 0, counted->peak_rss_bytes});
    return m;
}

}  // namespace optiloop::runner

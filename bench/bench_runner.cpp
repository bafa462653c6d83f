// The cost of evaluating one candidate (a task with 20 small tests, build included) with the
// compile cache cold and warm, the instruction counter's slowdown against a native run, and
// the spread of repeated measurements.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include <optiloop/runner/measure.hpp>

namespace fs = std::filesystem;
using namespace optiloop;

namespace {

const fs::path k_dir = fs::temp_directory_path() / ("optiloop-bench-runner-" + std::to_string(::getpid()));

const char* k_program = R"(#include <cstdio>
int main(){ long n; if (scanf("%ld", &n) != 1) return 1; unsigned long x = 1;
  for (long i = 0; i < n; ++i) { x = x * 6364136223846793005UL + 1442695040888963407UL; asm volatile("" : "+r"(x)); }
  printf("%lu\n", x % 7 < 7 ? 1UL : 0UL); })";

core::Task make_task(int tests, long work) {
    core::Task task;
    task.id = "bench";
    fs::create_directories(k_dir / "tests");
    for (int i = 0; i < tests; ++i) {
        const std::string name = "t" + std::to_string(i) + "-" + std::to_string(work);
        std::ofstream(k_dir / "tests" / (name + ".in")) << work << "\n";
        std::ofstream(k_dir / "tests" / (name + ".out")) << "1\n";
        task.tests.push_back({name, k_dir / "tests" / (name + ".in"), k_dir / "tests" / (name + ".out")});
    }
    return task;
}

runner::MeasureOptions options(core::CounterKind counter, int repeats = 1) {
    runner::MeasureOptions o;
    o.counter = counter;
    o.repeats = repeats;
    o.warmups = 0;
    return o;
}

void evaluate(benchmark::State& state, bool cold, core::CounterKind counter) {
    const core::Task task = make_task(20, 1000);
    int salt = 0;
    for (auto _ : state) {
        // A cold cache: a source the cache has never seen (a new comment changes the hash).
        const std::string source = std::string(k_program) + (cold ? "\n// " + std::to_string(::getpid()) + "-" + std::to_string(salt++) : "");
        ::setenv("XDG_CACHE_HOME", (k_dir / "cache").c_str(), 1);
        auto m = runner::measure(task, {{"main.cpp", source}}, options(counter));
        if (!m || m->verdict != core::Verdict::ok) {
            state.SkipWithError("measure failed");
            break;
        }
    }
}

void BM_Candidate20Tests_ColdCache_NoCounter(benchmark::State& s) { evaluate(s, true, core::CounterKind::none); }
void BM_Candidate20Tests_WarmCache_NoCounter(benchmark::State& s) { evaluate(s, false, core::CounterKind::none); }
void BM_Candidate20Tests_WarmCache_Cachegrind(benchmark::State& s) { evaluate(s, false, core::CounterKind::cachegrind); }

// One 50-million-iteration run natively and under the counter: the ratio is the slowdown.
void run_once(benchmark::State& state, core::CounterKind counter) {
    const core::Task task = make_task(1, 50'000'000);
    ::setenv("XDG_CACHE_HOME", (k_dir / "cache").c_str(), 1);
    for (auto _ : state) {
        auto m = runner::measure(task, {{"main.cpp", k_program}}, options(counter));
        if (!m || m->verdict != core::Verdict::ok) {
            state.SkipWithError("measure failed");
            break;
        }
    }
}
void BM_Run50M_Native(benchmark::State& s) { run_once(s, core::CounterKind::none); }
void BM_Run50M_Cachegrind(benchmark::State& s) { run_once(s, core::CounterKind::cachegrind); }

// The coefficient of variation of 10 repeated measurements: instructions and wall time.
void BM_Spread10Runs(benchmark::State& state) {
    const core::Task task = make_task(1, 20'000'000);
    ::setenv("XDG_CACHE_HOME", (k_dir / "cache").c_str(), 1);
    std::vector<double> counts, walls;
    for (auto _ : state) {
        counts.clear();
        walls.clear();
        for (int i = 0; i < 10; ++i) {
            auto m = runner::measure(task, {{"main.cpp", k_program}}, options(core::CounterKind::cachegrind, 1));
            if (!m || !m->total_cost) {
                state.SkipWithError("measure failed");
                return;
            }
            counts.push_back(*m->total_cost);
            walls.push_back(m->wall_seconds);
        }
    }
    auto cv = [](const std::vector<double>& xs) {
        const double mean = std::accumulate(xs.begin(), xs.end(), 0.0) / xs.size();
        double var = 0;
        for (double x : xs) var += (x - mean) * (x - mean);
        return std::sqrt(var / (xs.size() - 1)) / mean;
    };
    state.counters["instructions_cv_percent"] = 100 * cv(counts);
    state.counters["wall_cv_percent"] = 100 * cv(walls);
}

}  // namespace

BENCHMARK(BM_Candidate20Tests_ColdCache_NoCounter)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_Candidate20Tests_WarmCache_NoCounter)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_Candidate20Tests_WarmCache_Cachegrind)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Run50M_Native)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_Run50M_Cachegrind)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);
BENCHMARK(BM_Spread10Runs)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    std::error_code ec;
    fs::remove_all(k_dir, ec);
    return 0;
}

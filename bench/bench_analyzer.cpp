// Analysis time per 1,000 lines of C++ and the rules proposer on a 500-line file (goal: under a
// second). The sources are generated: functions with loops, containers and I/O of the kinds the
// rules look at, so every rule has work to do.
#include <benchmark/benchmark.h>

#include <string>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/rules_proposer.hpp>
#include <optiloop/analyzer/tidy.hpp>

namespace {

// About 10 lines a function plus the includes and main.
std::string program(int lines) {
    std::string s = "#include <cmath>\n#include <cstring>\n#include <iostream>\n#include <map>\n#include <string>\n#include <vector>\n";
    const int functions = lines / 10;
    for (int f = 0; f < functions; ++f) {
        const std::string n = std::to_string(f);
        s += "long work" + n + "(std::vector<long> v, const char* text) {\n";
        s += "    long sum = 0;\n    std::map<int, long> seen;\n";
        s += "    for (std::size_t i = 0; i < std::strlen(text); ++i) sum += text[i];\n";
        s += "    for (long x : v) { seen[static_cast<int>(x % 7)] += x; sum += static_cast<long>(std::pow(x, 2)); }\n";
        s += "    std::string out;\n    for (int i = 0; i < 3; ++i) out = out + std::to_string(i);\n";
        s += "    for (int i = 0; i < 3; ++i) std::cout << seen.count(i) << std::endl;\n";
        s += "    return sum + static_cast<long>(out.size());\n}\n";
    }
    s += "int main() {\n    long n = 0;\n    std::cin >> n;\n    std::vector<long> v(n, 1);\n    long total = 0;\n";
    for (int f = 0; f < functions; ++f) s += "    total += work" + std::to_string(f) + "(v, \"abc\");\n";
    s += "    std::cout << total << '\\n';\n}\n";
    return s;
}

int count_lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

void BM_Analyze(benchmark::State& state) {
    const std::string source = program(static_cast<int>(state.range(0)));
    std::size_t findings = 0;
    for (auto _ : state) {
        auto analysis = optiloop::analyzer::analyze({{"main.cpp", source}}, {});
        if (!analysis) {
            state.SkipWithError(analysis.error().message.c_str());
            return;
        }
        findings = analysis->findings.size();
    }
    state.counters["lines"] = count_lines(source);
    state.counters["findings"] = static_cast<double>(findings);
}

void BM_RulesProposer500Lines(benchmark::State& state) {
    optiloop::core::Task task;
    task.id = "bench";
    const std::string source = program(500);
    optiloop::core::ProposalContext context;
    context.current = {{"main.cpp", source}};
    context.samples = 16;
    optiloop::analyzer::RulesProposer rules;
    std::size_t edits = 0;
    for (auto _ : state) {
        auto proposed = rules.propose(task, context);
        if (!proposed) {
            state.SkipWithError(proposed.error().message.c_str());
            return;
        }
        edits = proposed->size();
    }
    state.counters["lines"] = count_lines(source);
    state.counters["edits"] = static_cast<double>(edits);
}

// What the default proposer adds to the rules: clang-tidy's extra checks (a second parse), and
// all of clang-tidy's performance checks for comparison.
void BM_Tidy500Lines(benchmark::State& state, const char* checks) {
    const std::string source = program(500);
    std::size_t findings = 0;
    for (auto _ : state) {
        auto found = optiloop::analyzer::tidy({{"main.cpp", source}}, {}, checks);
        if (!found) {
            state.SkipWithError(found.error().message.c_str());
            return;
        }
        findings = found->size();
    }
    state.counters["findings"] = static_cast<double>(findings);
}

}  // namespace

BENCHMARK_CAPTURE(BM_Tidy500Lines, extra_checks, optiloop::analyzer::k_tidy_extra_checks)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(BM_Tidy500Lines, all_performance_checks, optiloop::analyzer::k_tidy_checks)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Analyze)->Arg(100)->Arg(1000)->Arg(4000)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_RulesProposer500Lines)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();

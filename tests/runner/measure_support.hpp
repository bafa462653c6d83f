// What the runner's test files share: small stdio tasks made on disk, one C++ source, quick
// measure options, and a loop whose instruction count scales with its input.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/measure.hpp>

#include "support/process_dir.hpp"

namespace test_support {

// Every test process gets its own compile cache (XDG_CACHE_HOME), so "cached" means cached by
// this test; made when this header is first included, before any build.
inline const std::filesystem::path& runner_scratch() { return process_dir("optiloop-runner-test-"); }
inline const std::filesystem::path k_runner_scratch = runner_scratch();

// A stdio task whose tests are given as (input, expected) pairs.
inline optiloop::core::Task make_task(const std::string& name, const std::vector<std::pair<std::string, std::string>>& tests,
                                      const std::vector<std::pair<std::string, std::string>>& stress = {}) {
    optiloop::core::Task task;
    task.id = name;
    task.limits.time_seconds = 5;
    task.limits.memory_bytes = 256 << 20;
    const std::filesystem::path dir = runner_scratch() / name;
    std::filesystem::create_directories(dir);
    auto add = [&](auto& list, const auto& cases, const std::string& prefix) {
        int i = 0;
        for (const auto& [in, out] : cases) {
            const std::string n = prefix + std::to_string(++i);
            std::ofstream(dir / (n + ".in")) << in;
            std::ofstream(dir / (n + ".out")) << out;
            list.push_back({n, dir / (n + ".in"), dir / (n + ".out")});
        }
    };
    add(task.tests, tests, "t");
    add(task.stress, stress, "s");
    return task;
}

inline std::vector<optiloop::core::SourceFile> source(const std::string& text) { return {{"main.cpp", text}}; }

inline constexpr const char* k_loop = R"(#include <cstdio>
int main(){ long n; if (scanf("%ld", &n) != 1) return 1; unsigned long x = 1;
  for (long i = 0; i < n; ++i) { x = x * 6364136223846793005UL + 1442695040888963407UL; asm volatile("" : "+r"(x)); }
  printf("%lu\n", x % 7 < 7 ? 1UL : 0UL); })";

inline optiloop::runner::MeasureOptions quick(optiloop::core::CounterKind counter = optiloop::core::CounterKind::cachegrind) {
    optiloop::runner::MeasureOptions o;
    o.counter = counter;
    o.repeats = 1;
    o.warmups = 0;
    o.jobs = 2;
    return o;
}

inline bool have_valgrind() { return optiloop::runner::probe_counters().valgrind; }

}  // namespace test_support

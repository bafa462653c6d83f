// Evaluating one candidate of a task: build it, check it on every test in the sandbox (in
// parallel), then measure its cost on the stress tests: instructions with the chosen counter,
// wall time as the median of repeats after a warm-up, and peak RSS. Correctness runs natively
// first; the expensive counter runs only for candidates that passed.
#pragma once

#include <functional>

#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/runner/harness_check.hpp>

namespace optiloop::runner {

struct MeasureOptions {
    std::optional<core::CounterKind> counter;  // nullopt: the best available
    int jobs = 0;                              // 0: the number of cores
    int repeats = 5;                           // wall-time repetitions per cost test
    int warmups = 1;
    // Progress of the long steps (a repository's build, test and bench commands), one line each
    // with its elapsed time; null: silent.
    std::function<void(const std::string&)> progress;
};

// Measures the task's program given by `sources` (the baseline, the reference or a candidate).
// An error is returned only for infrastructure failures; a wrong or crashing program is a
// Measurement with its verdict. A CUDA kernel candidate whose harness reports the cost must pass
// check_kernel_sources first: otherwise it is a SECURITY verdict with the reason in
// compile_output, and nothing is built.
core::Result<core::Measurement> measure(const core::Task& task, const std::vector<core::SourceFile>& sources,
                                        const MeasureOptions& options);

// Speedup of `candidate` over `baseline` on the same counter: baseline cost / candidate cost;
// nullopt when either is not correct, has no cost, or the counters differ.
std::optional<double> speedup(const core::Measurement& baseline, const core::Measurement& candidate);

// Wall-time speedup (sum of medians) beside the instruction speedup.
std::optional<double> wall_speedup(const core::Measurement& baseline, const core::Measurement& candidate);

// Whether the instruction ratio and the wall-time ratio disagree by more than the wall-time
// noise (an instruction count misses cache misses and system calls).
bool ratios_disagree(const core::Measurement& baseline, const core::Measurement& candidate);

}  // namespace optiloop::runner

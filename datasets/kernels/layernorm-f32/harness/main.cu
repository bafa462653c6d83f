// Runs layer_norm on the test's inputs, prints the output (checked against the float64 CPU
// result), then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the median in
// microseconds to cost.json, the task's cost.
// Every timed run starts from the poisoned output the checked run started from, and the last
// must reproduce the printed output, every element within the tolerance of the task's checker;
// the cost is written last, right before the process ends (README.md, "Harness-reported
// costs").
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "api.cuh"
#include "inputs.hpp"

namespace {

// The tolerance of task.json's checker, which these must equal ("abs" and "rel"; a test of
// tests/kernels/test_kernel_tasks_emulated.cpp compares them): the last timed run must reproduce
// the checked output within it, so that a kernel whose float sums differ from run to run in their
// last bits (atomicAdd, split-K) still gets a cost.
constexpr double k_checker_abs = 1e-4;
constexpr double k_checker_rel = 1e-4;

// Whether a timed value reproduces the checked one, compared as task.json's checker compares an
// output with the expected one (runner/src/checker.cpp): NaN only against NaN, so the poison a
// skipped write leaves fails against a written value; an infinity only against itself; any other
// value within abs, or within rel of the checked value.
bool reproduces(double timed, double checked) {
    if (std::isnan(timed) || std::isnan(checked)) return std::isnan(timed) && std::isnan(checked);
    if (std::isinf(timed) || std::isinf(checked)) return timed == checked;
    const double difference = std::abs(timed - checked);
    return difference <= k_checker_abs || difference <= k_checker_rel * std::abs(checked);
}

// The first element of the checked run's output whose bits are still all ones, the 0xFF poison the
// harness filled it with, or out.size() when the kernel wrote every element: only a sample of the
// output may be printed and checked, and a kernel that wrote only that sample would otherwise pass
// (its unwritten elements are the same poison in the timed run). Compared as bits, never as values:
// no written output has this pattern, as every correct output is a finite float, while 0xFFFFFFFF
// is a NaN, and a NaN the GPU computes is the canonical 0x7FFFFFFF anyway.
std::size_t first_unwritten(const std::vector<float>& out) {
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint32_t bits = 0;
        std::memcpy(&bits, &out[i], sizeof bits);
        if (bits == 0xFFFFFFFFu) return i;
    }
    return out.size();
}

}  // namespace

#define CHECK(call)                                                                          \
    do {                                                                                     \
        cudaError_t e = (call);                                                              \
        if (e != cudaSuccess) {                                                              \
            std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e)); \
            return 1;                                                                        \
        }                                                                                    \
    } while (0)

int main() {
    LayerNormShape s;
    if (!read_shape(s)) {
        std::fprintf(stderr, "stdin: expected ROWS COLS SEED (1 <= COLS <= %d)\n", k_max_cols);
        return 2;
    }
    std::vector<float> x, gamma, beta;
    make_inputs(s, x, gamma, beta);
    float *dx = nullptr, *dgamma = nullptr, *dbeta = nullptr, *dy = nullptr;
    CHECK(cudaMalloc(&dx, x.size() * sizeof(float)));
    CHECK(cudaMalloc(&dgamma, gamma.size() * sizeof(float)));
    CHECK(cudaMalloc(&dbeta, beta.size() * sizeof(float)));
    CHECK(cudaMalloc(&dy, x.size() * sizeof(float)));
    CHECK(cudaMemcpy(dx, x.data(), x.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dgamma, gamma.data(), gamma.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dbeta, beta.data(), beta.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dy, 0xFF, x.size() * sizeof(float)));  // NaN: an output never written shows

    layer_norm(dx, dgamma, dbeta, dy, s.rows, s.cols, k_eps, nullptr);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<float> y(x.size());
    CHECK(cudaMemcpy(y.data(), dy, y.size() * sizeof(float), cudaMemcpyDeviceToHost));
    if (const std::size_t i = first_unwritten(y); i != y.size()) {
        std::fprintf(stderr, "the kernel left output element %zu unwritten (still the 0xFF poison the harness filled it with)\n", i);
        return 1;
    }
    print_output(std::vector<double>(y.begin(), y.end()));

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) layer_norm(dx, dgamma, dbeta, dy, s.rows, s.cols, k_eps, nullptr);
    std::vector<float> times;
    // Each timed run starts from the poison the checked run started from, so a run that skips its
    // work leaves it behind; the poisoning happens before the begin event and is not timed.
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaMemset(dy, 0xFF, y.size() * sizeof(float)));
        CHECK(cudaEventRecord(begin));
        layer_norm(dx, dgamma, dbeta, dy, s.rows, s.cols, k_eps, nullptr);
        CHECK(cudaEventRecord(end));
        CHECK(cudaEventSynchronize(end));
        float ms = 0;
        CHECK(cudaEventElapsedTime(&ms, begin, end));
        times.push_back(ms);
    }
    CHECK(cudaGetLastError());
    // The last timed run must have written what was printed: every element, not just the printed
    // sample, within the checker's tolerance.
    std::vector<float> timed(y.size());
    CHECK(cudaMemcpy(timed.data(), dy, y.size() * sizeof(float), cudaMemcpyDeviceToHost));
    for (std::size_t i = 0; i < y.size(); ++i) {
        const double timed_value = timed[i], checked_value = y[i];
        if (reproduces(timed_value, checked_value)) continue;
        std::fprintf(stderr,
                     "the timed runs did not reproduce the checked output (element %zu: %.8e, checked %.8e)\n",
                     i, timed_value, checked_value);
        return 1;
    }
    // The cost is written last, and the process ends right after it (std::_Exit runs no destructor
    // or exit handler): nothing of the candidate's runs once the cost is on disk.
    std::sort(times.begin(), times.end());
    std::fflush(stdout);
    FILE* f = std::fopen("cost.json", "w");
    if (!f) return 1;
    std::fprintf(f, "{\"cost\": %.3f, \"unit\": \"us\"}\n", times[times.size() / 2] * 1000.0);
    std::_Exit(std::fclose(f) == 0 ? 0 : 1);
}

// Runs transpose on the test's inputs, prints the output (a sample and checksums of every value,
// checked exactly against the CPU's transpose), then times it with CUDA events (3 warm-ups, median
// of 20 runs) and writes the median in microseconds to cost.json, the task's cost.
// Every timed run starts from the poisoned output the checked run started from, and the last
// must reproduce the printed output exactly, as the task's checker (abs 0, rel 0) demands; the
// cost is written last, right before the process ends (README.md, "Harness-reported costs").
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "api.cuh"
#include "inputs.hpp"

namespace {

// The tolerance of task.json's checker, which these must equal ("abs" and "rel"; a test of
// tests/kernels/test_kernel_tasks_emulated.cpp compares them). A transpose only moves values and
// the checker allows no difference (abs 0, rel 0), so the last timed run must reproduce the
// checked output bit for bit.
constexpr double k_checker_abs = 0;
constexpr double k_checker_rel = 0;
static_assert(k_checker_abs == 0 && k_checker_rel == 0, "a tolerance needs an element-wise comparison");

// The first element of the checked run's output whose bits are still all ones, the 0xFF poison the
// harness filled it with, or out.size() when the kernel wrote every element: only a sample of the
// output may be printed and checked, and a kernel that wrote only that sample would otherwise pass
// (its unwritten elements are the same poison in the timed run). Compared as bits, never as values:
// no written output has this pattern, as a transpose only moves input values, and inputs.hpp makes
// every input a normal float in [1/16, 16), while 0xFFFFFFFF is a NaN, and a NaN the GPU computes
// is the canonical 0x7FFFFFFF anyway.
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
    TransposeShape s;
    if (!read_shape(s)) {
        std::fprintf(stderr, "stdin: expected ROWS COLS SEED (ROWS, COLS >= 1, ROWS * COLS <= %zu)\n", k_max_elements);
        return 2;
    }
    std::vector<float> in;
    make_inputs(s, in);
    // out is followed by a canary of k_canary floats: on a GPU a write past the end of out (a
    // missing edge guard) lands there unnoticed by anything else.
    constexpr std::size_t k_canary = 1024;
    float *din = nullptr, *dout = nullptr;
    CHECK(cudaMalloc(&din, in.size() * sizeof(float)));
    CHECK(cudaMalloc(&dout, (in.size() + k_canary) * sizeof(float)));
    CHECK(cudaMemcpy(din, in.data(), in.size() * sizeof(float), cudaMemcpyHostToDevice));
    // NaN: an output never written shows. The canary's bytes differ from NaN's, so that even a
    // stray write of an unwritten (poisoned) value changes it.
    CHECK(cudaMemset(dout, 0xFF, in.size() * sizeof(float)));
    CHECK(cudaMemset(dout + in.size(), 0x5A, k_canary * sizeof(float)));

    transpose(din, dout, s.rows, s.cols, nullptr);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    // The first element past out whose canary bytes changed, or 0 when none did.
    auto canary_broken = [&](const std::vector<float>& copy) -> std::size_t {
        for (std::size_t i = in.size(); i < copy.size(); ++i) {
            unsigned bits = 0;
            std::memcpy(&bits, &copy[i], sizeof bits);
            if (bits != 0x5A5A5A5Au) return i;
        }
        return 0;
    };
    std::vector<float> out(in.size() + k_canary);
    CHECK(cudaMemcpy(out.data(), dout, out.size() * sizeof(float), cudaMemcpyDeviceToHost));
    if (const std::size_t i = canary_broken(out)) {
        std::fprintf(stderr, "transpose wrote past the end of out (element %zu of %zu)\n", i, in.size());
        return 1;
    }
    out.resize(in.size());
    if (const std::size_t i = first_unwritten(out); i != out.size()) {
        std::fprintf(stderr, "the kernel left output element %zu unwritten (still the 0xFF poison the harness filled it with)\n", i);
        return 1;
    }
    print_output(s, out);

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) transpose(din, dout, s.rows, s.cols, nullptr);
    std::vector<float> times;
    // Each timed run starts from the poison the checked run started from, so a run that skips its
    // work leaves it behind; the poisoning happens before the begin event and is not timed.
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaMemset(dout, 0xFF, in.size() * sizeof(float)));
        CHECK(cudaEventRecord(begin));
        transpose(din, dout, s.rows, s.cols, nullptr);
        CHECK(cudaEventRecord(end));
        CHECK(cudaEventSynchronize(end));
        float ms = 0;
        CHECK(cudaEventElapsedTime(&ms, begin, end));
        times.push_back(ms);
    }
    CHECK(cudaGetLastError());
    // The last timed run must have written what was printed, every element bit for bit, and left
    // the canary alone.
    std::vector<float> timed(in.size() + k_canary);
    CHECK(cudaMemcpy(timed.data(), dout, timed.size() * sizeof(float), cudaMemcpyDeviceToHost));
    if (std::memcmp(timed.data(), out.data(), in.size() * sizeof(float)) != 0 || canary_broken(timed) != 0) {
        std::fprintf(stderr, "the timed runs did not reproduce the checked output\n");
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

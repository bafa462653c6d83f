// Runs attention_decode (fp16, no lse, default scale, the workspace the candidate asks for) on the
// test's inputs, prints the output (checked against the float64 CPU result of gen/expected.cpp),
// then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the median in
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
#include <string>
#include <vector>

#include "attention_cuda.hpp"
#include "inputs.hpp"

namespace {

// The tolerance of task.json's checker, which these must equal ("abs" and "rel"; a test of
// tests/kernels/test_kernel_tasks_emulated.cpp compares them): the last timed run must reproduce
// the checked output within it, so that a kernel whose float sums differ from run to run in their
// last bits (atomicAdd, split-K) still gets a cost.
constexpr double k_checker_abs = 2e-4;
constexpr double k_checker_rel = 2e-3;

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
// no written output has this pattern, as every correct output is a finite fp16 value (a weighted
// average of v, which lies in [-1, 1)), while 0xFFFF is an fp16 NaN, and a NaN the GPU computes is
// the canonical 0x7FFF anyway.
std::size_t first_unwritten(const std::vector<std::uint16_t>& out) {
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint16_t bits = 0;
        std::memcpy(&bits, &out[i], sizeof bits);
        if (bits == 0xFFFFu) return i;
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

// The entry point reports a bad shape or a failed launch as a non-empty message.
#define CHECK_KERNEL(call)                                \
    do {                                                  \
        const std::string message = (call);               \
        if (!message.empty()) {                           \
            std::fprintf(stderr, "%s\n", message.c_str()); \
            return 1;                                     \
        }                                                 \
    } while (0)

namespace kernels = optiloop::kernels;

// Declared in attention_cuda.hpp; optiloop defines it in kernels/src/cuda_api.cu, which is not
// part of this task, so the harness does.
int optiloop::kernels::cuda_sm_count() {
    int device = 0;
    int sms = 0;
    if (cudaGetDevice(&device) != cudaSuccess || cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess)
        return 0;
    return sms;
}

int main() {
    DecodeShape s;
    if (!read_shape(s)) {
        std::fprintf(stderr, "stdin: expected B H KV_HEADS N D SEED (D 64 or 128)\n");
        return 2;
    }
    std::vector<std::uint16_t> q, k, v;
    make_inputs(s, q, k, v);
    kernels::AttentionShape shape;
    shape.batch = static_cast<std::size_t>(s.batch);
    shape.heads = static_cast<std::size_t>(s.heads);
    shape.kv_heads = static_cast<std::size_t>(s.kv_heads);
    shape.q_len = 1;
    shape.kv_len = static_cast<std::size_t>(s.kv_len);
    shape.head_dim = static_cast<std::size_t>(s.head_dim);

    const std::size_t half_bytes = sizeof(std::uint16_t);
    const std::size_t workspace_bytes = kernels::attention_decode_workspace_bytes(shape, kernels::cuda_sm_count());
    void *dq = nullptr, *dk = nullptr, *dv = nullptr, *dout = nullptr, *workspace = nullptr;
    CHECK(cudaMalloc(&dq, q.size() * half_bytes));
    CHECK(cudaMalloc(&dk, k.size() * half_bytes));
    CHECK(cudaMalloc(&dv, v.size() * half_bytes));
    CHECK(cudaMalloc(&dout, q.size() * half_bytes));
    CHECK(cudaMalloc(&workspace, std::max<std::size_t>(workspace_bytes, 16)));
    CHECK(cudaMemcpy(dq, q.data(), q.size() * half_bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dk, k.data(), k.size() * half_bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dv, v.data(), v.size() * half_bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dout, 0xFF, q.size() * half_bytes));  // fp16 NaN: an output never written shows
    // The workspace too, as before every timed run: nothing may be read from it before it is written.
    CHECK(cudaMemset(workspace, 0xFF, std::max<std::size_t>(workspace_bytes, 16)));

    auto run = [&] {
        return kernels::attention_decode(shape, kernels::DType::f16, dq, dk, dv, dout, nullptr, 0.f, workspace, workspace_bytes, nullptr);
    };
    CHECK_KERNEL(run());
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<std::uint16_t> out(q.size());
    CHECK(cudaMemcpy(out.data(), dout, out.size() * half_bytes, cudaMemcpyDeviceToHost));
    if (const std::size_t i = first_unwritten(out); i != out.size()) {
        std::fprintf(stderr, "the kernel left output element %zu unwritten (still the 0xFF poison the harness filled it with)\n", i);
        return 1;
    }
    print_output(out.size(), [&](std::size_t i) { return half_value(out[i]); });

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) CHECK_KERNEL(run());
    std::vector<float> times;
    // Each timed run starts from the poison the checked run started from, so a run that skips its
    // work leaves it behind; the poisoning happens before the begin event and is not timed.
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaMemset(dout, 0xFF, out.size() * half_bytes));
        CHECK(cudaMemset(workspace, 0xFF, std::max<std::size_t>(workspace_bytes, 16)));
        CHECK(cudaEventRecord(begin));
        CHECK_KERNEL(run());
        CHECK(cudaEventRecord(end));
        CHECK(cudaEventSynchronize(end));
        float ms = 0;
        CHECK(cudaEventElapsedTime(&ms, begin, end));
        times.push_back(ms);
    }
    CHECK(cudaGetLastError());
    // The last timed run must have written what was printed: every element, not just the printed
    // sample, within the checker's tolerance.
    std::vector<std::uint16_t> timed(out.size());
    CHECK(cudaMemcpy(timed.data(), dout, out.size() * half_bytes, cudaMemcpyDeviceToHost));
    for (std::size_t i = 0; i < out.size(); ++i) {
        const double timed_value = half_value(timed[i]), checked_value = half_value(out[i]);
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

// Runs attention_decode (fp16, no lse, default scale, the workspace the candidate asks for) on the
// test's inputs, prints the output (checked against the float64 CPU result of gen/expected.cpp),
// then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the median in
// microseconds to cost.json, the task's cost.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "attention_cuda.hpp"
#include "inputs.hpp"

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

    auto run = [&] {
        return kernels::attention_decode(shape, kernels::DType::f16, dq, dk, dv, dout, nullptr, 0.f, workspace, workspace_bytes, nullptr);
    };
    CHECK_KERNEL(run());
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<std::uint16_t> out(q.size());
    CHECK(cudaMemcpy(out.data(), dout, out.size() * half_bytes, cudaMemcpyDeviceToHost));
    print_output(out.size(), [&](std::size_t i) { return half_value(out[i]); });

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) CHECK_KERNEL(run());
    std::vector<float> times;
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaEventRecord(begin));
        CHECK_KERNEL(run());
        CHECK(cudaEventRecord(end));
        CHECK(cudaEventSynchronize(end));
        float ms = 0;
        CHECK(cudaEventElapsedTime(&ms, begin, end));
        times.push_back(ms);
    }
    CHECK(cudaGetLastError());
    std::sort(times.begin(), times.end());
    if (FILE* f = std::fopen("cost.json", "w")) {
        std::fprintf(f, "{\"cost\": %.3f, \"unit\": \"us\"}\n", times[times.size() / 2] * 1000.0);
        std::fclose(f);
    }
    return 0;
}

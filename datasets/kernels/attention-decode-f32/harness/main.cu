// Runs decode_attention on the test's inputs, prints the output (checked against the float64
// CPU result), then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the
// median in microseconds to cost.json, the task's cost.
#include <algorithm>
#include <cstdio>
#include <vector>

#include "api.cuh"
#include "inputs.hpp"

#define CHECK(call)                                                                          \
    do {                                                                                     \
        cudaError_t e = (call);                                                              \
        if (e != cudaSuccess) {                                                              \
            std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e)); \
            return 1;                                                                        \
        }                                                                                    \
    } while (0)

int main() {
    DecodeShape s;
    if (!read_shape(s)) {
        std::fprintf(stderr, "stdin: expected B H KV_HEADS N D SEED\n");
        return 2;
    }
    std::vector<float> q, k, v;
    make_inputs(s, q, k, v);
    float *dq = nullptr, *dk = nullptr, *dv = nullptr, *dout = nullptr;
    CHECK(cudaMalloc(&dq, q.size() * sizeof(float)));
    CHECK(cudaMalloc(&dk, k.size() * sizeof(float)));
    CHECK(cudaMalloc(&dv, v.size() * sizeof(float)));
    CHECK(cudaMalloc(&dout, q.size() * sizeof(float)));
    CHECK(cudaMemcpy(dq, q.data(), q.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dk, k.data(), k.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(dv, v.data(), v.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dout, 0xFF, q.size() * sizeof(float)));  // NaN: an output never written shows

    decode_attention(dq, dk, dv, dout, s.batch, s.heads, s.kv_heads, s.kv_len, s.head_dim, nullptr);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<float> out(q.size());
    CHECK(cudaMemcpy(out.data(), dout, out.size() * sizeof(float), cudaMemcpyDeviceToHost));
    print_output(std::vector<double>(out.begin(), out.end()));

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) decode_attention(dq, dk, dv, dout, s.batch, s.heads, s.kv_heads, s.kv_len, s.head_dim, nullptr);
    std::vector<float> times;
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaEventRecord(begin));
        decode_attention(dq, dk, dv, dout, s.batch, s.heads, s.kv_heads, s.kv_len, s.head_dim, nullptr);
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

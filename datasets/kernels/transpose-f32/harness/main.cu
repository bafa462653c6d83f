// Runs transpose on the test's inputs, prints the output (a sample and checksums of every value,
// checked exactly against the CPU's transpose), then times it with CUDA events (3 warm-ups, median
// of 20 runs) and writes the median in microseconds to cost.json, the task's cost.
#include <algorithm>
#include <cstdio>
#include <cstring>
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
    std::vector<float> out(in.size() + k_canary);
    CHECK(cudaMemcpy(out.data(), dout, out.size() * sizeof(float), cudaMemcpyDeviceToHost));
    for (std::size_t i = in.size(); i < out.size(); ++i) {
        unsigned bits = 0;
        std::memcpy(&bits, &out[i], sizeof bits);
        if (bits != 0x5A5A5A5Au) {
            std::fprintf(stderr, "transpose wrote past the end of out (element %zu of %zu)\n", i, in.size());
            return 1;
        }
    }
    out.resize(in.size());
    print_output(s, out);

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) transpose(din, dout, s.rows, s.cols, nullptr);
    std::vector<float> times;
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaEventRecord(begin));
        transpose(din, dout, s.rows, s.cols, nullptr);
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

// Runs softmax_rows on the test's inputs, prints the output (checked against the float64 CPU
// result), then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the median
// in microseconds to cost.json, the task's cost.
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
    SoftmaxShape s;
    if (!read_shape(s)) {
        std::fprintf(stderr, "stdin: expected ROWS COLS SEED (1 <= COLS <= 65536)\n");
        return 2;
    }
    std::vector<float> x;
    make_inputs(s, x);
    const std::size_t bytes = x.size() * sizeof(float);
    float *dx = nullptr, *dy = nullptr;
    CHECK(cudaMalloc(&dx, bytes));
    CHECK(cudaMalloc(&dy, bytes));
    CHECK(cudaMemcpy(dx, x.data(), bytes, cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dy, 0xFF, bytes));  // NaN: an output never written shows

    softmax_rows(dx, dy, s.rows, s.cols, nullptr);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<float> y(x.size());
    CHECK(cudaMemcpy(y.data(), dy, bytes, cudaMemcpyDeviceToHost));
    print_output(std::vector<double>(y.begin(), y.end()));

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) softmax_rows(dx, dy, s.rows, s.cols, nullptr);
    std::vector<float> times;
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaEventRecord(begin));
        softmax_rows(dx, dy, s.rows, s.cols, nullptr);
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

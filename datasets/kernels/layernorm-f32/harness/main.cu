// Runs layer_norm on the test's inputs, prints the output (checked against the float64 CPU
// result), then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the median in
// microseconds to cost.json, the task's cost.
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
    print_output(std::vector<double>(y.begin(), y.end()));

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) layer_norm(dx, dgamma, dbeta, dy, s.rows, s.cols, k_eps, nullptr);
    std::vector<float> times;
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaEventRecord(begin));
        layer_norm(dx, dgamma, dbeta, dy, s.rows, s.cols, k_eps, nullptr);
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

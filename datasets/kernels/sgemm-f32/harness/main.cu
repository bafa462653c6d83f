// Runs sgemm on the test's inputs, prints the output (checked against the float64 CPU result),
// then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the median in
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
    GemmShape s;
    if (!read_shape(s)) {
        std::fprintf(stderr, "stdin: expected M N K SEED, each size in 1..8192\n");
        return 2;
    }
    std::vector<float> a, b;
    make_inputs(s, a, b);
    float *da = nullptr, *db = nullptr, *dc = nullptr;
    CHECK(cudaMalloc(&da, a.size() * sizeof(float)));
    CHECK(cudaMalloc(&db, b.size() * sizeof(float)));
    CHECK(cudaMalloc(&dc, s.c_elements() * sizeof(float)));
    CHECK(cudaMemcpy(da, a.data(), a.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(db, b.data(), b.size() * sizeof(float), cudaMemcpyHostToDevice));
    CHECK(cudaMemset(dc, 0xFF, s.c_elements() * sizeof(float)));  // NaN: an output never written shows

    sgemm(da, db, dc, s.m, s.n, s.k, nullptr);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<float> c(s.c_elements());
    CHECK(cudaMemcpy(c.data(), dc, c.size() * sizeof(float), cudaMemcpyDeviceToHost));
    print_output(c.size(), [&](std::size_t i) { return c[i]; });

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) sgemm(da, db, dc, s.m, s.n, s.k, nullptr);
    std::vector<float> times;
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaEventRecord(begin));
        sgemm(da, db, dc, s.m, s.n, s.k, nullptr);
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

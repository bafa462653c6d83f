// Runs histogram on the test's inputs, prints the counts (checked exactly against the CPU's),
// then times it with CUDA events (3 warm-ups, median of 20 runs) and writes the median in
// microseconds to cost.json, the task's cost. Every timed run includes the clearing of counts,
// which is part of the function's job.
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
    HistogramShape s;
    if (!read_shape(s)) {
        std::fprintf(stderr, "stdin: expected N BINS uniform|skewed|equal|top SEED (1 <= N <= %zu, 1 <= BINS <= %d)\n",
                     k_max_n, k_max_bins);
        return 2;
    }
    std::vector<unsigned> values;
    make_inputs(s, values);
    const std::size_t bins = static_cast<std::size_t>(s.bins);
    unsigned *dvalues = nullptr, *dcounts = nullptr;
    CHECK(cudaMalloc(&dvalues, values.size() * sizeof(unsigned)));
    CHECK(cudaMalloc(&dcounts, bins * sizeof(unsigned)));
    CHECK(cudaMemcpy(dvalues, values.data(), values.size() * sizeof(unsigned), cudaMemcpyHostToDevice));
    // 0xFFFFFFFF in every count: a kernel that adds to counts without clearing them first is off
    // by one in every bin (the sum wraps), and a bin it never writes reads 4294967295.
    CHECK(cudaMemset(dcounts, 0xFF, bins * sizeof(unsigned)));

    histogram(dvalues, s.n, dcounts, s.bins, nullptr);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<unsigned> counts(bins);
    CHECK(cudaMemcpy(counts.data(), dcounts, bins * sizeof(unsigned), cudaMemcpyDeviceToHost));
    print_output(counts);

    cudaEvent_t begin, end;
    CHECK(cudaEventCreate(&begin));
    CHECK(cudaEventCreate(&end));
    for (int i = 0; i < 3; ++i) histogram(dvalues, s.n, dcounts, s.bins, nullptr);
    std::vector<float> times;
    for (int i = 0; i < 20; ++i) {
        CHECK(cudaEventRecord(begin));
        histogram(dvalues, s.n, dcounts, s.bins, nullptr);
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

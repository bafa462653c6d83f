// The inputs of one test, generated from its stdin line "M N K SEED" by a 64-bit LCG, identically
// by the CUDA harness and by gen/expected.cpp (which computes the expected output in double on the
// CPU). Values lie in [-1, 1) and are never all zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

// Internal linkage: the candidate is linked into the same program, and a function of the harness
// with external linkage could be replaced by a candidate's definition of the same name.
namespace {

struct GemmShape {
    int m = 0, n = 0, k = 0;
    unsigned long long seed = 0;
    std::size_t c_elements() const { return static_cast<std::size_t>(m) * static_cast<std::size_t>(n); }
};

inline bool read_shape(GemmShape& s) {
    return std::scanf("%d %d %d %llu", &s.m, &s.n, &s.k, &s.seed) == 4 && s.m > 0 && s.n > 0 && s.k > 0 && s.m <= 8192 && s.n <= 8192 &&
           s.k <= 8192;
}

inline void fill(std::vector<float>& values, unsigned long long& state) {
    for (auto& x : values) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        x = static_cast<float>(static_cast<double>(state >> 40) / 16777216.0 * 2.0 - 1.0);
    }
}

// a [M, K] then b [K, N], both row-major, from one LCG stream.
inline void make_inputs(const GemmShape& s, std::vector<float>& a, std::vector<float>& b) {
    unsigned long long state = s.seed * 2654435761ULL + 1;
    a.resize(static_cast<std::size_t>(s.m) * s.k);
    b.resize(static_cast<std::size_t>(s.k) * s.n);
    fill(a, state);
    fill(b, state);
}

// What is printed: every value of an output of at most 4096, else at most 4096 values at an odd
// stride that ends at the last one. A power-of-two stride (every 1024th value of a 2048-wide C)
// would only ever look at one or two columns, so a kernel that got every other column tile wrong
// would pass; an odd stride is coprime with a power-of-two N and walks through every column (and,
// for the stress shapes, nearly every row), and the last value sits in the last tile of both dimensions.
struct PrintPlan {
    std::size_t count = 0, first = 0, stride = 1;
};

inline PrintPlan print_plan(std::size_t n) {
    constexpr std::size_t k_most = 4096;
    if (n <= k_most) return {n, 0, 1};
    std::size_t stride = (n + k_most - 1) / k_most;
    if (stride % 2 == 0) ++stride;
    const std::size_t count = (n - 1) / stride + 1;
    return {count, n - 1 - (count - 1) * stride, stride};
}

// value(index) gives the output at a flat row-major index of C; indices come in increasing order,
// so gen/expected.cpp computes only the values that are printed.
template <typename Value>
void print_output(std::size_t n, Value&& value) {
    const PrintPlan plan = print_plan(n);
    std::printf("%zu values\n", n);
    for (std::size_t i = 0; i < plan.count; ++i) std::printf("%.8e\n", static_cast<double>(value(plan.first + i * plan.stride)));
}

}  // namespace

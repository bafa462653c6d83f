// The inputs of one test, generated from its stdin line "ROWS COLS SEED" by a 64-bit LCG,
// identically by the CUDA harness and by gen/expected.cpp (which computes the expected output in
// double on the CPU). gamma lies in [0.5, 1.5) and beta in [-1, 1); each row of x is a row offset
// in [-4, 4) plus values in [-1, 1), so a row's mean is far from 0 next to its spread (variance
// about 1/3) and a kernel that subtracts the mean carelessly loses digits.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

// Internal linkage: the candidate is linked into the same program, and a function of the harness
// with external linkage could be replaced by a candidate's definition of the same name.
namespace {

constexpr float k_eps = 1e-5f;       // what the harness passes as eps
constexpr int k_max_cols = 16384;    // the widest row a candidate must handle (api.cuh)

struct LayerNormShape {
    int rows = 0, cols = 0;
    unsigned long long seed = 0;
};

inline bool read_shape(LayerNormShape& s) {
    return std::scanf("%d %d %llu", &s.rows, &s.cols, &s.seed) == 3 && s.rows > 0 && s.cols > 0 && s.cols <= k_max_cols;
}

// The next value in [0, 1): the top 24 bits of the LCG state, exact in a float.
inline double next_unit(unsigned long long& state) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 40) / 16777216.0;
}

// x [rows, cols] row-major, gamma and beta [cols]. Drawn in this order: gamma, beta, then for each
// row its offset followed by its cols values.
inline void make_inputs(const LayerNormShape& s, std::vector<float>& x, std::vector<float>& gamma, std::vector<float>& beta) {
    unsigned long long state = s.seed * 2654435761ULL + 1;
    const std::size_t cols = static_cast<std::size_t>(s.cols);
    gamma.resize(cols);
    beta.resize(cols);
    x.resize(static_cast<std::size_t>(s.rows) * cols);
    for (auto& g : gamma) g = static_cast<float>(0.5 + next_unit(state));
    for (auto& b : beta) b = static_cast<float>(next_unit(state) * 2.0 - 1.0);
    for (int r = 0; r < s.rows; ++r) {
        const double offset = next_unit(state) * 8.0 - 4.0;
        float* row = &x[static_cast<std::size_t>(r) * cols];
        for (std::size_t c = 0; c < cols; ++c) row[c] = static_cast<float>(offset + (next_unit(state) * 2.0 - 1.0));
    }
}

// What is printed: every output value of outputs up to 8192 values (all the tests), a fixed
// sample of about 4096 values, spread over all rows, of larger ones (the stress inputs).
inline void print_output(const std::vector<double>& out) {
    const std::size_t step = out.size() <= 8192 ? 1 : out.size() / 4093;
    std::printf("%zu values\n", out.size());
    for (std::size_t i = 0; i < out.size(); i += step) std::printf("%.8e\n", out[i]);
}

}  // namespace

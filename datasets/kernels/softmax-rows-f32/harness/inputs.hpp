// The inputs of one test, generated from its stdin line "ROWS COLS SEED" by a 64-bit LCG,
// identically by the CUDA harness and by gen/expected.cpp (which computes the expected output in
// double on the CPU). Row r holds values in [-8, 8) (the exponentials span e^-16..1, so every
// column counts in the sum) around an offset of +96, 0, -96, +96, ... for r = 0, 1, 2, 3, ...:
// - on the +96 rows exp(x) without the max subtraction overflows to inf, and on the -96 rows it
//   underflows to 0, as does a max started at 0 instead of -inf;
// - the 0 rows also get one spike, x = 100, at a pseudo-random column among those printed: every
//   other exp(x - max) is below e^-92 (outputs ~0), and a max reduction that misses the spike's
//   part of the row subtracts a value 92 or more too small, so the spike's exp overflows and its
//   output is NaN.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

// Internal linkage: the candidate is linked into the same program, and a function of the harness
// with external linkage could be replaced by a candidate's definition of the same name.
namespace {

struct SoftmaxShape {
    int rows = 0, cols = 0;
    unsigned long long seed = 0;
};

inline bool read_shape(SoftmaxShape& s) {
    return std::scanf("%d %d %llu", &s.rows, &s.cols, &s.seed) == 3 && s.rows > 0 && s.cols > 0 && s.cols <= 65536;
}

// What is printed of `count` outputs: every value of small problems, every step-th of large ones.
inline std::size_t print_step(std::size_t count) { return count <= 4096 ? 1 : count / 4093; }

inline double row_offset(int r) { return 96.0 * (1 - r % 3); }
inline bool has_spike(int r) { return r % 3 == 1; }

inline unsigned long long next(unsigned long long& state) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 40;  // the top 24 bits, the best of an LCG
}

// x [ROWS, COLS], row-major.
inline void make_inputs(const SoftmaxShape& s, std::vector<float>& x) {
    unsigned long long state = s.seed * 2654435761ULL + 1;
    const std::size_t total = static_cast<std::size_t>(s.rows) * s.cols;
    const std::size_t step = print_step(total);
    x.resize(total);
    for (int r = 0; r < s.rows; ++r) {
        const std::size_t base = static_cast<std::size_t>(r) * s.cols;
        const double offset = row_offset(r);
        for (int c = 0; c < s.cols; ++c) x[base + c] = static_cast<float>(offset + static_cast<double>(next(state)) / 16777216.0 * 16.0 - 8.0);
        if (has_spike(r)) {
            // The printed columns of row r are first, first + step, ...; a row with none (more
            // rows than the sample holds) takes its spike in its last column.
            const std::size_t first = (step - base % step) % step;
            std::size_t column = static_cast<std::size_t>(s.cols) - 1;
            if (first < static_cast<std::size_t>(s.cols)) column = first + next(state) % ((s.cols - 1 - first) / step + 1) * step;
            x[base + column] = static_cast<float>(offset + 100.0);
        }
    }
}

inline void print_output(const std::vector<double>& out) {
    const std::size_t step = print_step(out.size());
    std::printf("%zu values\n", out.size());
    for (std::size_t i = 0; i < out.size(); i += step) std::printf("%.8e\n", out[i]);
}

}  // namespace

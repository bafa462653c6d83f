// The inputs of one test, generated from its stdin line "ROWS COLS SEED", identically by the CUDA
// harness and by gen/expected.cpp (which transposes on the CPU), and what both print.
//
// A transpose only moves values, so the inputs are built to make every misplaced value visible:
// element k = r * cols + c of in holds a different float for every k < 2^26 (a seeded bijection of
// the 26 bits of k onto a mantissa and an exponent), so an output read from the wrong row, the
// wrong column or a neighbouring tile, or never written (NaN), differs from the expected value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

// Internal linkage: the candidate is linked into the same program, and a function of the harness
// with external linkage could be replaced by a candidate's definition of the same name.
namespace {

constexpr int k_index_bits = 26;
constexpr std::size_t k_max_elements = std::size_t{1} << k_index_bits;  // rows * cols (api.cuh)

struct TransposeShape {
    int rows = 0, cols = 0;  // of in; out is [cols, rows]
    unsigned long long seed = 0;
    std::size_t elements() const { return static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols); }
};

inline bool read_shape(TransposeShape& s) {
    return std::scanf("%d %d %llu", &s.rows, &s.cols, &s.seed) == 3 && s.rows > 0 && s.cols > 0 && s.elements() <= k_max_elements;
}

// A permutation of [0, 2^26): each step (an odd multiplier, an added constant, a xor with the
// value shifted right, all modulo 2^26) can be undone, so distinct indices give distinct results;
// the seed picks the multiplier and the constant.
inline std::uint32_t scramble(std::uint32_t k, std::uint32_t multiplier, std::uint32_t offset) {
    constexpr std::uint32_t mask = (1u << k_index_bits) - 1;
    std::uint32_t x = (k * multiplier + offset) & mask;
    x ^= x >> 13;
    x = (x * 0x297A2D39u) & mask;
    x ^= x >> 11;
    return x;
}

// 26 bits to a float: the low 23 are the mantissa, the top 3 pick an exponent from -4 to 3, so the
// values are distinct, normal and in [1/16, 16) (printed with 9 significant digits, exactly).
inline float index_value(std::uint32_t bits) {
    const std::uint32_t exponent = 127 - 4 + (bits >> 23);
    const std::uint32_t pattern = exponent << 23 | (bits & 0x7FFFFFu);
    float value;
    static_assert(sizeof value == sizeof pattern);
    std::memcpy(&value, &pattern, sizeof value);
    return value;
}

// in [rows, cols], row-major.
inline void make_inputs(const TransposeShape& s, std::vector<float>& in) {
    unsigned long long state = s.seed * 2654435761ULL + 1;
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::uint32_t multiplier = static_cast<std::uint32_t>(state >> 32) | 1u;
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const std::uint32_t offset = static_cast<std::uint32_t>(state >> 32);
    in.resize(s.elements());
    for (std::size_t k = 0; k < in.size(); ++k) in[k] = index_value(scramble(static_cast<std::uint32_t>(k), multiplier, offset));
}

// What is printed of out [cols, rows]:
// - its shape;
// - every value of an output of at most 4096, else at most 4096 values at an odd stride that ends
//   at the last one (an odd stride walks through every column of a power-of-two-wide output);
// - a checksum of every value, in at most 256 groups of consecutive output rows: the sum of each
//   value's bit pattern times (2i + 1), i its flat index, modulo 2^64. A sample alone would let a
//   kernel that misplaces a few values (one ragged tile edge) pass; the checksum changes with any
//   single wrong value (a nonzero difference below 2^32 times an odd number is never 0 modulo
//   2^64) and with any two values swapped (the difference is 2 (a - b) (i - j), nonzero and below
//   2^59), and the group says which rows hold the error. It is printed as hex after an x, a token
//   that is not a number, so the checker compares it as text.
inline void print_output(const TransposeShape& s, const std::vector<float>& out) {
    const std::size_t n = out.size();
    std::printf("%d x %d\n", s.cols, s.rows);

    constexpr std::size_t k_most = 4096;
    std::size_t count = n, first = 0, stride = 1;
    if (n > k_most) {
        stride = (n + k_most - 1) / k_most;
        if (stride % 2 == 0) ++stride;
        count = (n - 1) / stride + 1;
        first = n - 1 - (count - 1) * stride;
    }
    for (std::size_t i = 0; i < count; ++i) std::printf("%.8e\n", static_cast<double>(out[first + i * stride]));

    constexpr int k_groups = 256;
    const int group_rows = (s.cols + k_groups - 1) / k_groups;  // output rows per checksum
    const std::size_t width = static_cast<std::size_t>(s.rows);
    for (int begin = 0; begin < s.cols; begin += group_rows) {
        const int end = begin + group_rows < s.cols ? begin + group_rows : s.cols;
        std::uint64_t sum = 0;
        for (std::size_t i = begin * width; i < end * width; ++i) {
            std::uint32_t bits;
            std::memcpy(&bits, &out[i], sizeof bits);
            sum += static_cast<std::uint64_t>(bits) * (2 * i + 1);
        }
        std::printf("rows %d-%d x%016llx\n", begin, end - 1, static_cast<unsigned long long>(sum));
    }
}

}  // namespace

// The inputs of one test, generated from its stdin line "B H KV_HEADS Q_LEN KV_LEN D CAUSAL SEED"
// by a 64-bit LCG, identically by the CUDA harness and by gen/expected.cpp. Each value is uniform
// in [-1, 1) on a 2^-23 grid and rounded here, on the host, to fp16 (nearest, ties to even): the
// harness uploads these bits as __half and the CPU computes in double from the same bits, so the
// expected output is the exact attention of what the kernel reads.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <vector>

// Internal linkage: the candidate is linked into the same program, and a function of the harness
// with external linkage could be replaced by a candidate's definition of the same name.
namespace {

struct PrefillShape {
    int batch = 0, heads = 0, kv_heads = 0, q_len = 0, kv_len = 0, head_dim = 0, causal = 0;
    unsigned long long seed = 0;

    std::size_t q_elements() const { return static_cast<std::size_t>(batch) * heads * q_len * head_dim; }
    std::size_t kv_elements() const { return static_cast<std::size_t>(batch) * kv_heads * kv_len * head_dim; }
};

inline bool read_shape(PrefillShape& s) {
    return std::scanf("%d %d %d %d %d %d %d %llu", &s.batch, &s.heads, &s.kv_heads, &s.q_len, &s.kv_len, &s.head_dim, &s.causal,
                      &s.seed) == 8 &&
           s.batch > 0 && s.heads > 0 && s.kv_heads > 0 && s.heads % s.kv_heads == 0 && s.q_len > 0 && s.kv_len > 0 &&
           (s.head_dim == 64 || s.head_dim == 128) && (s.causal == 0 || s.causal == 1);
}

// fp16 bits of t * 2^-23 for |t| <= 2^23, rounded to nearest, ties to even. Magnitudes below
// 2^-14 (|t| < 2^9) are fp16 subnormals, multiples of 2^-24, so they are exact.
inline std::uint16_t half_bits(std::int32_t t) {
    const std::uint16_t sign = t < 0 ? 0x8000 : 0;
    auto a = static_cast<std::uint32_t>(t < 0 ? -t : t);
    if (a < (1u << 9)) return static_cast<std::uint16_t>(sign | (a << 1));
    const int length = 32 - __builtin_clz(a);  // a lies in [2^(length-1), 2^length)
    int exponent = length - 1 - 23;            // of the value, in [-14, 0]
    std::uint32_t significand = 0;             // 11 bits, leading one included
    if (length <= 11) {
        significand = a << (11 - length);
    } else {
        const int drop = length - 11;
        significand = a >> drop;
        const std::uint32_t rest = a & ((1u << drop) - 1), half = 1u << (drop - 1);
        if (rest > half || (rest == half && (significand & 1u) != 0)) ++significand;
        if (significand == (1u << 11)) {
            significand >>= 1;
            ++exponent;
        }
    }
    return static_cast<std::uint16_t>(sign | ((exponent + 15) << 10) | (significand - (1u << 10)));
}

inline double half_value(std::uint16_t bits) {
    const int exponent = (bits >> 10) & 0x1f;
    const int mantissa = bits & 0x3ff;
    double magnitude = 0;
    if (exponent == 0) magnitude = std::ldexp(mantissa, -24);
    else if (exponent == 31) magnitude = mantissa == 0 ? INFINITY : NAN;
    else magnitude = std::ldexp(mantissa + 1024, exponent - 25);
    return (bits & 0x8000) != 0 ? -magnitude : magnitude;
}

inline void fill(std::vector<std::uint16_t>& values, unsigned long long& state) {
    for (auto& x : values) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        x = half_bits(static_cast<std::int32_t>(state >> 40) - (1 << 23));
    }
}

// q [B, H, Q_LEN, D], k and v [B, KV_HEADS, KV_LEN, D], all row-major fp16 bits.
inline void make_inputs(const PrefillShape& s, std::vector<std::uint16_t>& q, std::vector<std::uint16_t>& k,
                        std::vector<std::uint16_t>& v) {
    unsigned long long state = s.seed * 2654435761ULL + 1;
    q.resize(s.q_elements());
    k.resize(s.kv_elements());
    v.resize(k.size());
    fill(q, state);
    fill(k, state);
    fill(v, state);
}

// What is printed: every value of an output of at most 4096, else at most 4096 values at an odd
// stride that ends at the last one, so they reach every column of a power-of-two head_dim, rows
// all over the output and the ragged tail of the last tile.
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

// value(index) gives the output at a flat index; indices come in increasing order.
template <typename Value>
void print_output(std::size_t n, Value&& value) {
    const PrintPlan plan = print_plan(n);
    std::printf("%zu values\n", n);
    for (std::size_t i = 0; i < plan.count; ++i) std::printf("%.8e\n", static_cast<double>(value(plan.first + i * plan.stride)));
}

}  // namespace

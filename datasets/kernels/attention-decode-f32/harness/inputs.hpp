// The inputs of one test, generated from its stdin line "B H KV_HEADS N D SEED" by a 64-bit LCG,
// identically by the CUDA harness and by gen/expected.cpp (which computes the expected output in
// double on the CPU). Values lie in [-1, 1) and are never all zero.
#pragma once

#include <cstdint>
#include <cstdio>
#include <vector>

// Internal linkage: the candidate is linked into the same program, and a function of the harness
// with external linkage could be replaced by a candidate's definition of the same name.
namespace {

struct DecodeShape {
    int batch = 0, heads = 0, kv_heads = 0, kv_len = 0, head_dim = 0;
    unsigned long long seed = 0;
};

inline bool read_shape(DecodeShape& s) {
    return std::scanf("%d %d %d %d %d %llu", &s.batch, &s.heads, &s.kv_heads, &s.kv_len, &s.head_dim, &s.seed) == 6 && s.batch > 0 &&
           s.heads > 0 && s.kv_heads > 0 && s.heads % s.kv_heads == 0 && s.kv_len > 0 && s.head_dim > 0 && s.head_dim <= 256;
}

inline void fill(std::vector<float>& values, unsigned long long& state) {
    for (auto& x : values) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        x = static_cast<float>(static_cast<double>(state >> 40) / 16777216.0 * 2.0 - 1.0);
    }
}

// q [B, H, D], k and v [B, KV_HEADS, N, D], all row-major.
inline void make_inputs(const DecodeShape& s, std::vector<float>& q, std::vector<float>& k, std::vector<float>& v) {
    unsigned long long state = s.seed * 2654435761ULL + 1;
    q.resize(static_cast<std::size_t>(s.batch) * s.heads * s.head_dim);
    k.resize(static_cast<std::size_t>(s.batch) * s.kv_heads * s.kv_len * s.head_dim);
    v.resize(k.size());
    fill(q, state);
    fill(k, state);
    fill(v, state);
}

// What is printed: every output value of small problems, a fixed sample of large ones.
inline void print_output(const std::vector<double>& out) {
    const std::size_t step = out.size() <= 4096 ? 1 : out.size() / 4093;
    std::printf("%zu values\n", out.size());
    for (std::size_t i = 0; i < out.size(); i += step) std::printf("%.8e\n", out[i]);
}

}  // namespace

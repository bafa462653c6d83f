// CPU attention in float32, FlashAttention-style: the fast CPU kernel that the float64
// reference (attention_reference.hpp) checks, and the CPU baseline the CUDA kernels are read
// against. Same shape and layout as the reference: [batch, heads, seq, head_dim], row-major.
#pragma once

#include <string>
#include <vector>

#include <optiloop/kernels/attention_reference.hpp>

namespace optiloop::kernels {

// softmax(Q K^T * scale [+ causal mask]) V in float32, with the log-sum-exp of each row (natural
// log, same units as attention_reference) written to lse when it is not null.
//
// scale <= 0 means 1 / sqrt(head_dim). threads <= 0 means std::thread::hardware_concurrency().
// Work is split into (batch, head, query tile) items, each computed by one thread with the same
// code, so the result is bit-identical whatever the thread count.
//
// Under causal masking (end-aligned: query i sees keys j <= i + kv_len - q_len) with
// kv_len < q_len, the first q_len - kv_len rows see no key: their output is 0 and their lse is
// -inf. The same holds for every row when kv_len == 0.
//
// Throws std::invalid_argument when kv_heads is 0 or does not divide heads, or head_dim is 0.
//
// The same tile code is built for several instruction sets; attention_cpu runs the widest this
// CPU has, chosen once at the first call.
void attention_cpu(const AttentionShape& shape, const float* q, const float* k, const float* v,
                   float* out, float* lse = nullptr, float scale = 0, int threads = 0);

// The paths this build has and this CPU runs, widest first: "x86-64-v4" (AVX-512) and
// "x86-64-v3" (AVX2, FMA) in an x86-64 build with GCC, then "portable", always.
std::vector<std::string> attention_cpu_paths();

// attention_cpu on one named path, for tests and benchmarks that set the paths side by side.
// Results differ between paths in the last bits (FMA contracts products and sums). Throws
// std::invalid_argument for a name not in attention_cpu_paths().
void attention_cpu_on(const std::string& path, const AttentionShape& shape, const float* q,
                      const float* k, const float* v, float* out, float* lse = nullptr,
                      float scale = 0, int threads = 0);

}  // namespace optiloop::kernels

// CUDA attention kernels behind a plain C++ interface: FlashAttention-2-style prefill, split-KV
// decode and a cuBLAS "naive" baseline. Host code includes this without CUDA headers: device
// pointers and the cudaStream_t are void*; every call returns "" on success or one line saying
// what went wrong. Shapes and layout are those of attention_reference.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "attention_reference.hpp"

namespace optiloop::kernels {

enum class DType { f16, bf16 };

[[nodiscard]] const char* dtype_name(DType dtype);

// True when a CUDA device of compute capability 8.0 or newer can be used; otherwise false with
// the reason in *why (when why is not null).
[[nodiscard]] bool cuda_device_available(std::string* why = nullptr);

// Streaming multiprocessors of the current device (0 when none), for sizing decode workspaces.
[[nodiscard]] int cuda_sm_count();

// The prefill kernel's tile shape: query_rows per CTA, split over warps (16 or 32 rows each),
// against K/V tiles of key_rows keys. query_rows 0 is the default shape; warps 0 means 16 rows
// per warp; key_rows 0 means 64.
struct PrefillTuning {
    int query_rows = 0;
    int warps = 0;
    int key_rows = 0;
};

// The tile shapes attention_prefill runs for head_dim, the default first (none for a head_dim it
// does not support), as query rows x key rows / warps: head_dim 64: 128x64/8w, 128x64/4w;
// head_dim 128: 64x64/4w, 128x64/8w, 128x64/4w, 128x32/4w.
[[nodiscard]] std::vector<PrefillTuning> prefill_tile_shapes(std::size_t head_dim);

// "128x64/4w": query rows x key rows / warps.
[[nodiscard]] std::string tile_shape_name(const PrefillTuning& tile);

// FlashAttention-2-style forward for any q_len and kv_len, head_dim 64 or 128, causal or not.
// q: [batch, heads, q_len, head_dim]; k, v: [batch, kv_heads, kv_len, head_dim]; out like q, all of
// dtype and 16-byte aligned. lse: [batch, heads, q_len] float (natural log), may be null.
// scale <= 0 means 1 / sqrt(head_dim). Asynchronous on stream (null: the default stream).
[[nodiscard]] std::string attention_prefill(const AttentionShape& shape, DType dtype, const void* q, const void* k,
                                            const void* v, void* out, float* lse, float scale, void* stream,
                                            PrefillTuning tuning = {});

// Bytes of workspace attention_decode needs for this shape on a device with sm_count SMs.
[[nodiscard]] std::size_t attention_decode_workspace_bytes(const AttentionShape& shape, int sm_count);

// The decode kernel's variant. prefetch: issue each step's K/V loads before the previous step's
// are used (twice the bytes in flight per warp, more registers per thread).
struct DecodeTuning {
    bool prefetch = false;
};

// One query token (q_len == 1) against a KV cache of kv_len keys, split evenly along the keys of
// all (batch, kv head) pairs over the whole GPU, then merged. Causal masking is a no-op here: the
// single query sits at the end and sees every key. workspace must hold
// attention_decode_workspace_bytes(shape, cuda_sm_count()) bytes.
[[nodiscard]] std::string attention_decode(const AttentionShape& shape, DType dtype, const void* q, const void* k,
                                           const void* v, void* out, float* lse, float scale, void* workspace,
                                           std::size_t workspace_bytes, void* stream, DecodeTuning tuning = {});

// Bytes of workspace attention_naive needs: the fp32 score matrix and its dtype probabilities.
[[nodiscard]] std::size_t attention_naive_workspace_bytes(const AttentionShape& shape);

// Baseline: S = scale * Q K^T by cuBLAS in fp32, a masked softmax kernel, then O = P V by cuBLAS.
// Any head_dim that is a multiple of 8; same layouts as attention_prefill.
[[nodiscard]] std::string attention_naive(const AttentionShape& shape, DType dtype, const void* q, const void* k,
                                          const void* v, void* out, float* lse, float scale, void* workspace,
                                          std::size_t workspace_bytes, void* stream);

// Fills count elements of dtype at data with a deterministic pseudo-random uniform [-1, 1) hash of
// (seed, index): test and benchmark inputs too large to generate on the host.
[[nodiscard]] std::string fill_uniform(DType dtype, void* data, std::size_t count, std::uint64_t seed, void* stream);

}  // namespace optiloop::kernels

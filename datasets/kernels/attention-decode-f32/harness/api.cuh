// The kernel a candidate may change: decode attention, one query token per (batch, head).
// q [B, H, D], k and v [B, KV_HEADS, N, D], out [B, H, D]: fp32 device pointers, row-major.
// Query head h reads KV head h / (H / KV_HEADS); scale is 1 / sqrt(D). Must be deterministic
// enough for a 1e-3 relative tolerance and may allocate its own workspace.
#pragma once

#include <cuda_runtime.h>

void decode_attention(const float* q, const float* k, const float* v, float* out, int batch, int heads, int kv_heads, int kv_len, int head_dim,
                      cudaStream_t stream);

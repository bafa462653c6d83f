// The kernel a candidate may change: decode attention, one query token per (batch, head).
// q [B, H, D], k and v [B, KV_HEADS, N, D], out [B, H, D]: fp32 device pointers, row-major.
// Query head h reads KV head h / (H / KV_HEADS); scale is 1 / sqrt(D). Must stay within a
// 1e-3 relative tolerance and may allocate its own workspace.
// The last timed run must reproduce the checked output within the checker's tolerance, element
// by element (float sums may differ from call to call in their last bits). A workspace is
// allocated on every call (cudaMallocAsync and cudaFreeAsync on `stream`): before it is built, a
// candidate is checked to keep nothing between calls (no static or global variable that is not
// constant), to do no I/O and to make no streams or events of its own.
#pragma once

#include <cuda_runtime.h>

void decode_attention(const float* q, const float* k, const float* v, float* out, int batch, int heads, int kv_heads, int kv_len, int head_dim,
                      cudaStream_t stream);

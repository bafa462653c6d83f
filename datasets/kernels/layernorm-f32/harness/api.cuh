// The kernel a candidate may change: layer normalisation over the last dimension, fp32.
// x and y [rows, cols], gamma and beta [cols]: fp32 device pointers, row-major, y never aliases x.
// For every row r: mean = sum_c x[r][c] / cols, var = sum_c (x[r][c] - mean)^2 / cols (biased,
// as torch.nn.LayerNorm), y[r][c] = (x[r][c] - mean) / sqrt(var + eps) * gamma[c] + beta[c].
// The harness passes eps = 1e-5. A candidate may assume 1 <= cols <= 16384 and rows >= 1 (any
// count, not only multiples of a block's rows), and that every pointer comes from cudaMalloc; it
// must write every y value, run on `stream`, and may allocate its own workspace.
// The last timed run must reproduce the checked output within the checker's tolerance, element
// by element (float sums may differ from call to call in their last bits). A workspace is
// allocated on every call (cudaMallocAsync and cudaFreeAsync on `stream`): before it is built, a
// candidate is checked to keep nothing between calls (no static or global variable that is not
// constant), to do no I/O and to make no streams or events of its own.
#pragma once

#include <cuda_runtime.h>

void layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps, cudaStream_t stream);

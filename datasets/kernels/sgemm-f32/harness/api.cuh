// The kernel a candidate may change: single-precision matrix multiplication, C = A * B.
// a [M, K], b [K, N], c [M, N]: fp32 device pointers, row-major and densely packed (the leading
// dimension of each is its number of columns): C[i][j] = sum over p of A[i][p] * B[p][j].
// What a candidate may assume: 1 <= m, n, k <= 8192, in any combination (1x1x1, a single row or
// column, sizes that are no multiple of anything); the pointers are aligned to 4 bytes only (no
// float4 loads without a check); c aliases neither a nor b, and every element of c must be
// written (it starts as NaN). Accumulate in fp32 or better: the tolerance rejects TF32 and fp16.
// The kernel runs on the given stream and may allocate its own workspace.
// The last timed run must reproduce the checked output within the checker's tolerance, element
// by element (float sums may differ from call to call in their last bits). A workspace is
// allocated on every call (cudaMallocAsync and cudaFreeAsync on `stream`): before it is built, a
// candidate is checked to keep nothing between calls (no static or global variable that is not
// constant), to do no I/O and to make no streams or events of its own.
#pragma once

#include <cuda_runtime.h>

void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream);

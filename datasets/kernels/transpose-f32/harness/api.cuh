// The kernel a candidate may change: out-of-place transpose of an fp32 matrix.
// in [rows, cols] and out [cols, rows]: fp32 device pointers, row-major and densely packed (row r
// of in starts at r * cols, row c of out at c * rows, so rows are only 4-byte aligned when the
// width is odd), not overlapping: out[c][r] = in[r][c] for every r < rows, c < cols.
// A candidate may assume rows >= 1, cols >= 1 and rows * cols <= 2^26 (67,108,864), in any
// combination: a single element, a single row or column (a 67M-long one, whose 32-wide tiles
// alone number over 2 million, more than a grid's y or z dimension allows), sizes that are no
// multiple of anything. It must write every element of out (it starts as NaN) with exactly the
// value read (the checker allows no difference), run on `stream`, and may allocate its own
// workspace.
// The last timed run must reproduce the checked output within the checker's tolerance, which is
// none here (abs 0, rel 0): every element exactly. A workspace is allocated on every call
// (cudaMallocAsync and cudaFreeAsync on `stream`): before it is built, a candidate is checked to
// keep nothing between calls (no static or global variable that is not constant), to do no I/O
// and to make no streams or events of its own.
#pragma once

#include <cuda_runtime.h>

void transpose(const float* in, float* out, int rows, int cols, cudaStream_t stream);

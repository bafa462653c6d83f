// The kernel a candidate may change: a numerically stable softmax over each row of a matrix.
// x and y are [rows, cols] fp32 device pointers, row-major (row r starts at r * cols, so rows are
// only 4-byte aligned when cols is odd), and do not overlap. For every row r, m_r = max_c x[r][c]:
//     y[r][c] = exp(x[r][c] - m_r) / sum_c' exp(x[r][c'] - m_r)
// A candidate may assume 1 <= cols <= 65536, rows >= 1 (any count, not a multiple of anything)
// and finite inputs, but nothing about their range: rows sit near +96, 0 or -96, where exp(x)
// without the max subtraction overflows or underflows, and some rows hold one value 92 or more
// above all the others, so a max that misses any column can overflow. It must write every y, be
// accurate to 1e-4 relative (outputs below 1e-30 may be 0), run on `stream`, and may allocate its
// own workspace.
// The last timed run must reproduce the checked output within the checker's tolerance, element
// by element (float sums may differ from call to call in their last bits). A workspace is
// allocated on every call (cudaMallocAsync and cudaFreeAsync on `stream`): before it is built, a
// candidate is checked to keep nothing between calls (no static or global variable that is not
// constant), to do no I/O and to make no streams or events of its own.
#pragma once

#include <cuda_runtime.h>

void softmax_rows(const float* x, float* y, int rows, int cols, cudaStream_t stream);

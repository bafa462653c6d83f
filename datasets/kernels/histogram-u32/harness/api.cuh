// The kernel a candidate may change: a histogram of unsigned 32-bit values.
// values [n] and counts [bins]: device pointers from cudaMalloc (so `values` is 256-byte aligned
// and may be read as uint4), counts never aliases values. Value v falls in bin v % bins (the
// unsigned remainder: every value counts, none is out of range). On return counts[b] is the
// number of values in bin b, as an unsigned 32-bit count.
// The harness fills counts with 0xFF bytes before the checked run and before every timed one, on
// the same buffers, so the function must clear counts itself (on `stream`).
// A candidate may assume 1 <= n <= 2^28 (so no count overflows) and 1 <= bins <= 4096; n need
// not be a multiple of 4 or of any block size. It must run on `stream` and may allocate its own
// workspace.
// The last timed run must reproduce the checked output within the checker's tolerance, which is
// none here (abs 0, rel 0): every element exactly. A workspace is allocated on every call
// (cudaMallocAsync and cudaFreeAsync on `stream`): before it is built, a candidate is checked to
// keep nothing between calls (no static or global variable that is not constant), to do no I/O
// and to make no streams or events of its own.
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

void histogram(const unsigned* values, std::size_t n, unsigned* counts, int bins, cudaStream_t stream);

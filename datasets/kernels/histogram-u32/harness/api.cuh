// The kernel a candidate may change: a histogram of unsigned 32-bit values.
// values [n] and counts [bins]: device pointers from cudaMalloc (so `values` is 256-byte aligned
// and may be read as uint4), counts never aliases values. Value v falls in bin v % bins (the
// unsigned remainder: every value counts, none is out of range). On return counts[b] is the
// number of values in bin b, as an unsigned 32-bit count.
// The harness fills counts with 0xFF bytes before the checked run and calls histogram again and
// again on the same buffers to time it, so the function must clear counts itself (on `stream`).
// A candidate may assume 1 <= n <= 2^28 (so no count overflows) and 1 <= bins <= 4096; n need
// not be a multiple of 4 or of any block size. It must run on `stream` and may allocate its own
// workspace.
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

void histogram(const unsigned* values, std::size_t n, unsigned* counts, int bins, cudaStream_t stream);

// Transpose, the naive way: one thread per element of in. Consecutive threads read consecutive
// elements of a row, a coalesced load, but write them down a column of out, `rows` floats apart:
// every store of a warp touches 32 different memory segments, so 4 useful bytes of each 32-byte
// sector are written and the store side runs at a fraction of the memory bandwidth.
#include "api.cuh"

namespace {

constexpr int k_threads = 256;

__global__ void transpose_naive(const float* in, float* out, int rows, int cols) {
    // A one-dimensional grid: rows * cols <= 2^26 elements is at most 2^18 blocks, well inside
    // gridDim.x, where a two-dimensional grid would overflow gridDim.y on a tall matrix.
    const unsigned k = blockIdx.x * blockDim.x + threadIdx.x;
    if (k >= static_cast<unsigned>(rows) * static_cast<unsigned>(cols)) return;  // no barrier follows
    const unsigned r = k / cols, c = k % cols;
    out[static_cast<size_t>(c) * rows + r] = in[k];
}

}  // namespace

void transpose(const float* in, float* out, int rows, int cols, cudaStream_t stream) {
    const unsigned elements = static_cast<unsigned>(rows) * static_cast<unsigned>(cols);
    const unsigned blocks = (elements + k_threads - 1) / k_threads;
    transpose_naive<<<blocks, k_threads, 0, stream>>>(in, out, rows, cols);
}

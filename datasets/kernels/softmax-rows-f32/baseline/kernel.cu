// Row softmax, the slow way: one thread per row makes three passes over the row in global memory
// (its max, the sum of the exponentials, then the outputs). The 32 threads of a warp read 32
// different rows, cols * 4 bytes apart, so no load is coalesced; and a few thousand rows give a
// few thousand threads, too few to fill the GPU or hide the latency of the serial loops.
#include <cmath>

#include "api.cuh"

namespace {

constexpr int k_threads = 128;

__global__ void softmax_naive(const float* x, float* y, int rows, int cols) {
    const int row = blockIdx.x * blockDim.x + threadIdx.x;
    if (row >= rows) return;  // no barrier in this kernel, so a thread may leave early
    const float* xr = x + static_cast<size_t>(row) * cols;
    float* yr = y + static_cast<size_t>(row) * cols;
    float m = -INFINITY;
    for (int c = 0; c < cols; ++c) m = fmaxf(m, xr[c]);
    float sum = 0.0f;
    for (int c = 0; c < cols; ++c) sum += expf(xr[c] - m);
    for (int c = 0; c < cols; ++c) yr[c] = expf(xr[c] - m) / sum;
}

}  // namespace

void softmax_rows(const float* x, float* y, int rows, int cols, cudaStream_t stream) {
    softmax_naive<<<(rows + k_threads - 1) / k_threads, k_threads, 0, stream>>>(x, y, rows, cols);
}

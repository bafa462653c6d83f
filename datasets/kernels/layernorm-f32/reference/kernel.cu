// Layer normalisation with each row read from global memory once: rows up to 1024 wide get one
// warp each (eight rows per block), wider rows one block of 512 threads each. Lane (thread) t
// loads elements t, t + 32, t + 64, ... (t, t + 512, ...), so every load and store of a warp
// is one contiguous, coalesced segment, and keeps them in registers; the mean is a shuffle (plus
// shared memory) reduction of those registers, the variance a second reduction of the squared
// deviations from that mean over the same registers (two passes, but no second read of x), and
// the normalised row is written from the registers. The per-thread capacity is a template
// argument so the register arrays have a compile-time size; the host picks the smallest that
// holds the row.
#include <cmath>

#include "api.cuh"

namespace {

constexpr int k_warp_rows = 8;       // rows (warps) per block of the warp-per-row kernel
constexpr int k_block_threads = 512;  // threads per row of the block-per-row kernel
constexpr int k_block_warps = k_block_threads / 32;

// Every lane ends with the same sum: the butterfly adds the same two values at each level, in
// either order, and float addition is commutative.
__device__ __forceinline__ float warp_sum(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_xor_sync(0xffffffffu, v, offset);
    return v;
}

// Rows of at most 32 * kPerLane columns, one warp each.
template <int kPerLane>
__global__ void __launch_bounds__(k_warp_rows * 32)
    layer_norm_warp(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps) {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int row = blockIdx.x * k_warp_rows + warp;
    // The whole warp leaves together, and this kernel has no __syncthreads: the last block's
    // spare warps may return before the shuffles.
    if (row >= rows) return;
    const float* xr = x + static_cast<size_t>(row) * cols;
    float* yr = y + static_cast<size_t>(row) * cols;

    float v[kPerLane];
    float sum = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
        const int c = lane + 32 * i;
        v[i] = c < cols ? xr[c] : 0.0f;
        sum += v[i];
    }
    const float mean = warp_sum(sum) / static_cast<float>(cols);
    float squares = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
        const int c = lane + 32 * i;
        v[i] = c < cols ? v[i] - mean : 0.0f;  // padding must not add mean^2 to the variance
        squares += v[i] * v[i];
    }
    const float inv_std = 1.0f / sqrtf(warp_sum(squares) / static_cast<float>(cols) + eps);
#pragma unroll
    for (int i = 0; i < kPerLane; ++i) {
        const int c = lane + 32 * i;
        if (c < cols) yr[c] = v[i] * inv_std * gamma[c] + beta[c];
    }
}

// The sum over the block of one value per thread, the same in every thread: warp sums, then
// each thread adds the warps' sums in the same order. `scratch` holds k_block_warps floats; a
// call must not reuse the scratch of the call before it (a slow warp may still be reading it).
__device__ __forceinline__ float block_sum(float v, float* scratch) {
    v = warp_sum(v);
    if (threadIdx.x % 32 == 0) scratch[threadIdx.x / 32] = v;
    __syncthreads();
    float total = 0.0f;
    for (int w = 0; w < k_block_warps; ++w) total += scratch[w];
    return total;
}

// Rows of at most k_block_threads * kPerThread columns, one block each (the grid is exactly
// `rows` blocks, so no thread leaves before the barriers).
template <int kPerThread>
__global__ void __launch_bounds__(k_block_threads)
    layer_norm_block(const float* x, const float* gamma, const float* beta, float* y, int cols, float eps) {
    __shared__ float sum_scratch[k_block_warps];
    __shared__ float squares_scratch[k_block_warps];
    const int t = threadIdx.x;
    const float* xr = x + static_cast<size_t>(blockIdx.x) * cols;
    float* yr = y + static_cast<size_t>(blockIdx.x) * cols;

    float v[kPerThread];
    float sum = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerThread; ++i) {
        const int c = t + k_block_threads * i;
        v[i] = c < cols ? xr[c] : 0.0f;
        sum += v[i];
    }
    const float mean = block_sum(sum, sum_scratch) / static_cast<float>(cols);
    float squares = 0.0f;
#pragma unroll
    for (int i = 0; i < kPerThread; ++i) {
        const int c = t + k_block_threads * i;
        v[i] = c < cols ? v[i] - mean : 0.0f;
        squares += v[i] * v[i];
    }
    const float inv_std = 1.0f / sqrtf(block_sum(squares, squares_scratch) / static_cast<float>(cols) + eps);
#pragma unroll
    for (int i = 0; i < kPerThread; ++i) {
        const int c = t + k_block_threads * i;
        if (c < cols) yr[c] = v[i] * inv_std * gamma[c] + beta[c];
    }
}

template <int kPerLane>
void launch_warp(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps, cudaStream_t stream) {
    const int blocks = (rows + k_warp_rows - 1) / k_warp_rows;
    layer_norm_warp<kPerLane><<<blocks, k_warp_rows * 32, 0, stream>>>(x, gamma, beta, y, rows, cols, eps);
}

template <int kPerThread>
void launch_block(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps, cudaStream_t stream) {
    layer_norm_block<kPerThread><<<rows, k_block_threads, 0, stream>>>(x, gamma, beta, y, cols, eps);
}

}  // namespace

void layer_norm(const float* x, const float* gamma, const float* beta, float* y, int rows, int cols, float eps, cudaStream_t stream) {
    if (cols <= 32) launch_warp<1>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 64) launch_warp<2>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 128) launch_warp<4>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 256) launch_warp<8>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 512) launch_warp<16>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 1024) launch_warp<32>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 2 * 1024) launch_block<4>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 4 * 1024) launch_block<8>(x, gamma, beta, y, rows, cols, eps, stream);
    else if (cols <= 8 * 1024) launch_block<16>(x, gamma, beta, y, rows, cols, eps, stream);
    else launch_block<32>(x, gamma, beta, y, rows, cols, eps, stream);  // up to 16384 (api.cuh)
}

// Row softmax that reads each row from global memory once where it fits in registers, with loads
// coalesced across the lanes of a warp, and splits each row over as many threads as it can use:
// - cols <= 1024: one warp per row (4 rows per block), the row in registers, lane l holding
//   columns l, l + 32, ...; max and sum are warp-shuffle reductions, so there is no barrier.
// - cols <= 8192: one block per row, 8 columns per thread in registers, blockDim = cols / 8
//   rounded up to whole warps (<= 1024) so few threads idle; a block reduction is a warp
//   shuffle, one value per warp through shared memory, and a second warp shuffle.
// - longer rows (to 65536): one 1024-thread block per row streams it twice: an online max and
//   sum per thread (the sum rescaled when the max grows), merged across the block, then a second
//   read (mostly from L2: a block's row is 32-256 KiB) that writes the outputs.
#include <cmath>

#include "api.cuh"

namespace {

constexpr unsigned k_full_mask = 0xffffffffu;

__device__ __forceinline__ float warp_max(float v) {
    for (int mask = 16; mask > 0; mask >>= 1) v = fmaxf(v, __shfl_xor_sync(k_full_mask, v, mask));
    return v;
}

__device__ __forceinline__ float warp_sum(float v) {
    for (int mask = 16; mask > 0; mask >>= 1) v += __shfl_xor_sync(k_full_mask, v, mask);
    return v;
}

// Block-wide reductions; every thread of the block must call them, and gets the result. scratch
// holds one value per warp; the closing barrier lets the next reduction reuse it.
__device__ __forceinline__ float block_max(float v, float* scratch) {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32, warps = blockDim.x / 32;
    v = warp_max(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = warp_max(lane < warps ? scratch[lane] : -INFINITY);
    __syncthreads();
    return v;
}

__device__ __forceinline__ float block_sum(float v, float* scratch) {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32, warps = blockDim.x / 32;
    v = warp_sum(v);
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = warp_sum(lane < warps ? scratch[lane] : 0.0f);
    __syncthreads();
    return v;
}

constexpr int k_warp_rows = 4;  // rows (warps) per block of the warp-per-row kernel

// One warp per row; N = columns per lane (a power of two, 32 * N >= cols). The arrays are
// indexed only by unrolled loop counters, so they stay in registers.
template <int N>
__global__ void __launch_bounds__(k_warp_rows * 32) softmax_warp(const float* x, float* y, int rows, int cols) {
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const int row = blockIdx.x * k_warp_rows + warp;
    // The whole warp leaves together, so no shuffle misses a lane; this kernel has no barrier.
    if (row >= rows) return;
    const float* xr = x + static_cast<size_t>(row) * cols;
    float* yr = y + static_cast<size_t>(row) * cols;
    float v[N];
    float m = -INFINITY;
#pragma unroll
    for (int i = 0; i < N; ++i) {
        const int c = lane + 32 * i;
        v[i] = c < cols ? xr[c] : -INFINITY;
        m = fmaxf(m, v[i]);
    }
    m = warp_max(m);
    float sum = 0.0f;
#pragma unroll
    for (int i = 0; i < N; ++i) {
        const int c = lane + 32 * i;
        v[i] = c < cols ? expf(v[i] - m) : 0.0f;
        sum += v[i];
    }
    const float inv = 1.0f / warp_sum(sum);
#pragma unroll
    for (int i = 0; i < N; ++i) {
        const int c = lane + 32 * i;
        if (c < cols) yr[c] = v[i] * inv;
    }
}

// One block per row; N = columns per thread, blockDim * N >= cols, blockDim <= 1024.
template <int N>
__global__ void __launch_bounds__(1024) softmax_block(const float* x, float* y, int cols) {
    __shared__ float scratch[32];
    const float* xr = x + static_cast<size_t>(blockIdx.x) * cols;
    float* yr = y + static_cast<size_t>(blockIdx.x) * cols;
    const int t = threadIdx.x, threads = blockDim.x;
    float v[N];
    float m = -INFINITY;
#pragma unroll
    for (int i = 0; i < N; ++i) {
        const int c = t + threads * i;
        v[i] = c < cols ? xr[c] : -INFINITY;
        m = fmaxf(m, v[i]);
    }
    m = block_max(m, scratch);
    float sum = 0.0f;
#pragma unroll
    for (int i = 0; i < N; ++i) {
        const int c = t + threads * i;
        v[i] = c < cols ? expf(v[i] - m) : 0.0f;
        sum += v[i];
    }
    const float inv = 1.0f / block_sum(sum, scratch);
#pragma unroll
    for (int i = 0; i < N; ++i) {
        const int c = t + threads * i;
        if (c < cols) yr[c] = v[i] * inv;
    }
}

constexpr int k_stream_threads = 1024;

// One block per row of any length, read twice.
__global__ void __launch_bounds__(k_stream_threads) softmax_stream(const float* x, float* y, int cols) {
    __shared__ float scratch[32];
    const float* xr = x + static_cast<size_t>(blockIdx.x) * cols;
    float* yr = y + static_cast<size_t>(blockIdx.x) * cols;
    // Online max and sum of this thread's columns: one expf per element, rescaling the sum when
    // the max grows (at the first element m is -inf, expf(-inf) = 0, and l becomes 1).
    float m = -INFINITY, l = 0.0f;
    for (int c = threadIdx.x; c < cols; c += blockDim.x) {
        const float v = xr[c];
        if (v > m) {
            l = l * expf(m - v) + 1.0f;
            m = v;
        } else {
            l += expf(v - m);
        }
    }
    const float row_max = block_max(m, scratch);
    // A thread without columns has l = 0 and m = -inf: it adds 0 * expf(-inf) = 0, not NaN.
    const float inv = 1.0f / block_sum(l * expf(m - row_max), scratch);
    for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = expf(xr[c] - row_max) * inv;
}

template <int N>
void launch_warp(const float* x, float* y, int rows, int cols, cudaStream_t stream) {
    softmax_warp<N><<<(rows + k_warp_rows - 1) / k_warp_rows, k_warp_rows * 32, 0, stream>>>(x, y, rows, cols);
}

template <int N>
void launch_block(const float* x, float* y, int rows, int cols, cudaStream_t stream) {
    const int threads = ((cols + N - 1) / N + 31) / 32 * 32;  // whole warps, <= 1024
    softmax_block<N><<<rows, threads, 0, stream>>>(x, y, cols);
}

}  // namespace

void softmax_rows(const float* x, float* y, int rows, int cols, cudaStream_t stream) {
    if (cols <= 32)
        launch_warp<1>(x, y, rows, cols, stream);
    else if (cols <= 64)
        launch_warp<2>(x, y, rows, cols, stream);
    else if (cols <= 128)
        launch_warp<4>(x, y, rows, cols, stream);
    else if (cols <= 256)
        launch_warp<8>(x, y, rows, cols, stream);
    else if (cols <= 512)
        launch_warp<16>(x, y, rows, cols, stream);
    else if (cols <= 1024)
        launch_warp<32>(x, y, rows, cols, stream);
    else if (cols <= 8 * 1024)
        launch_block<8>(x, y, rows, cols, stream);
    else
        softmax_stream<<<rows, k_stream_threads, 0, stream>>>(x, y, cols);
}

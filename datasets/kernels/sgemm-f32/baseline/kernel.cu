// SGEMM, the way a first CUDA kernel is often written: one thread per element of C, each walking
// the whole row of A and column of B from global memory, nothing reused through shared memory or
// registers. The thread index is mapped with threadIdx.x to the ROW of C, so the 32 threads of a
// warp walk down a column: their loads of A[row][p] are k floats apart and their stores to C are n
// floats apart (one memory transaction per thread instead of one per warp), and only the B load
// (the same address for the whole warp) is a broadcast. Correct for every size.
#include "api.cuh"

namespace {

constexpr int k_rows_per_block = 32;  // threadIdx.x: consecutive rows of C
constexpr int k_cols_per_block = 8;   // threadIdx.y: columns of C

__global__ void sgemm_naive(const float* a, const float* b, float* c, int m, int n, int k) {
    const int row = blockIdx.x * blockDim.x + threadIdx.x;
    const int col = blockIdx.y * blockDim.y + threadIdx.y;
    if (row >= m || col >= n) return;  // no barrier in this kernel, so leaving early is safe
    const float* a_row = a + static_cast<size_t>(row) * k;
    float sum = 0.0f;
    for (int p = 0; p < k; ++p) sum += a_row[p] * b[static_cast<size_t>(p) * n + col];
    c[static_cast<size_t>(row) * n + col] = sum;
}

}  // namespace

void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream) {
    const dim3 block(k_rows_per_block, k_cols_per_block);
    const dim3 grid((m + k_rows_per_block - 1) / k_rows_per_block, (n + k_cols_per_block - 1) / k_cols_per_block);
    sgemm_naive<<<grid, block, 0, stream>>>(a, b, c, m, n, k);
}

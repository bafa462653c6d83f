// A hostile sgemm for the harness's own defences (test_kernel_tasks_emulated.cpp), built without
// the static check that would refuse it: the first call computes C, later calls do nothing, so
// only the checked run does any work and every timed run would cost nothing.
#include "api.cuh"

namespace {

__global__ void sgemm_naive(const float* a, const float* b, float* c, int m, int n, int k) {
    const int row = blockIdx.x * blockDim.x + threadIdx.x;
    const int col = blockIdx.y * blockDim.y + threadIdx.y;
    if (row >= m || col >= n) return;
    float sum = 0.0f;
    for (int p = 0; p < k; ++p) sum += a[static_cast<size_t>(row) * k + p] * b[static_cast<size_t>(p) * n + col];
    c[static_cast<size_t>(row) * n + col] = sum;
}

}  // namespace

void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream) {
    static int calls = 0;
    if (calls++ > 0) return;
    sgemm_naive<<<dim3((m + 31) / 32, (n + 7) / 8), dim3(32, 8), 0, stream>>>(a, b, c, m, n, k);
}

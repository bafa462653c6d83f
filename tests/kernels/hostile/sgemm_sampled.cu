// A hostile sgemm for the harness's own defences (test_kernel_tasks_emulated.cpp), built without
// the static check that would refuse it: it computes only the elements of C the harness prints
// (all of C up to 4096 values, else those at print_plan's odd stride, the rule of inputs.hpp
// reproduced here) and leaves the rest of C as the poison the harness filled it with. Every
// printed value is right and every timed run reproduces the checked one (poison is NaN, and NaN
// matches NaN), so only the harness's scan for unwritten elements refuses it.
#include <cstddef>

#include "api.cuh"

namespace {

__global__ void sgemm_sampled(const float* a, const float* b, float* c, int m, int n, int k, size_t first,
                              size_t stride) {
    const int row = blockIdx.x * blockDim.x + threadIdx.x;
    const int col = blockIdx.y * blockDim.y + threadIdx.y;
    if (row >= m || col >= n) return;
    const size_t index = static_cast<size_t>(row) * n + col;
    if (index < first || (index - first) % stride != 0) return;
    float sum = 0.0f;
    for (int p = 0; p < k; ++p) sum += a[static_cast<size_t>(row) * k + p] * b[static_cast<size_t>(p) * n + col];
    c[index] = sum;
}

}  // namespace

void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream) {
    // print_plan of inputs.hpp: every value up to 4096, else an odd stride ending at the last one.
    const size_t elements = static_cast<size_t>(m) * n, most = 4096;
    size_t first = 0, stride = 1;
    if (elements > most) {
        stride = (elements + most - 1) / most;
        if (stride % 2 == 0) ++stride;
        first = elements - 1 - (elements - 1) / stride * stride;
    }
    sgemm_sampled<<<dim3((m + 31) / 32, (n + 7) / 8), dim3(32, 8), 0, stream>>>(a, b, c, m, n, k, first, stride);
}

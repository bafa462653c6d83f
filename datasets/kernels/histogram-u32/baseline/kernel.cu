// A histogram, the slow way: one thread per value, each an atomicAdd on the count in global
// memory. Every atomic goes to L2, and atomics on the same address are serialised there, so with
// few bins, or one bin taking most values, the whole grid queues on a handful of addresses.
#include "api.cuh"

namespace {

constexpr int k_threads = 256;

__global__ void histogram_naive(const unsigned* values, std::size_t n, unsigned* counts, unsigned bins) {
    const std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    if (i >= n) return;  // no barrier follows, so idle threads may leave
    atomicAdd(&counts[values[i] % bins], 1u);
}

}  // namespace

void histogram(const unsigned* values, std::size_t n, unsigned* counts, int bins, cudaStream_t stream) {
    // The counts are accumulated into, so they start at zero on every call.
    cudaMemsetAsync(counts, 0, static_cast<std::size_t>(bins) * sizeof(unsigned), stream);
    const std::size_t blocks = (n + k_threads - 1) / k_threads;  // at most 2^20 for n <= 2^28
    histogram_naive<<<static_cast<unsigned>(blocks), k_threads, 0, stream>>>(values, n, counts, static_cast<unsigned>(bins));
}

// A histogram with per-block private counts in shared memory. Each block clears its own copy of
// the bins (dynamic shared memory, bins * 4 bytes: 16 KiB at 4096 bins, under the 48 KiB a
// launch gets without opting in), walks the input with a grid-stride loop of 16-byte loads (four
// values each, then the last n % 4 values one per thread), counts into its copy with
// shared-memory atomics, which stay on the SM instead of queueing in L2, and finally adds each
// non-zero bin of its copy to the global counts with one atomicAdd. The grid is only as large as
// the GPU holds at once: every extra block costs another clear and merge of `bins` counts.
// Against contention (one bin taking most values) each thread also counts runs of equal bins in
// registers and issues one shared atomic per run rather than one per value.
#include "api.cuh"

namespace {

constexpr int k_threads = 512;

// Counts `bin` into the thread's current run, first flushing the run to the shared histogram
// when the bin changes.
__device__ __forceinline__ void count(unsigned* hist, unsigned& run_bin, unsigned& run, unsigned bin) {
    if (bin != run_bin) {
        if (run != 0) atomicAdd(&hist[run_bin], run);
        run_bin = bin;
        run = 0;
    }
    ++run;
}

__global__ void __launch_bounds__(k_threads)
    histogram_shared(const unsigned* values, std::size_t n, unsigned* counts, unsigned bins) {
    extern __shared__ unsigned hist[];
    for (unsigned b = threadIdx.x; b < bins; b += blockDim.x) hist[b] = 0;
    __syncthreads();  // no thread counts into a bin another thread has yet to clear

    // Bin 0 with an empty run: the first value starts a run whatever its bin.
    unsigned run_bin = 0, run = 0;
    const std::size_t first = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
    // values comes from cudaMalloc (api.cuh), so it is 16-byte aligned and so is every quad.
    const std::size_t quads = n / 4;
    const uint4* quad = reinterpret_cast<const uint4*>(values);
    for (std::size_t q = first; q < quads; q += stride) {
        // Streaming load: every value is read once, so it need not stay in the caches.
        const uint4 v = __ldcs(quad + q);
        count(hist, run_bin, run, v.x % bins);
        count(hist, run_bin, run, v.y % bins);
        count(hist, run_bin, run, v.z % bins);
        count(hist, run_bin, run, v.w % bins);
    }
    // The 0 to 3 values after the last whole quad, one for each of the grid's first threads.
    if (first < n - quads * 4) count(hist, run_bin, run, values[quads * 4 + first] % bins);
    if (run != 0) atomicAdd(&hist[run_bin], run);
    __syncthreads();  // the block's counts are complete before any thread merges them

    for (unsigned b = threadIdx.x; b < bins; b += blockDim.x) {
        const unsigned c = hist[b];
        if (c != 0) atomicAdd(&counts[b], c);
    }
}

int sm_count() {
    int device = 0, sms = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    return sms > 0 ? sms : 1;
}

}  // namespace

void histogram(const unsigned* values, std::size_t n, unsigned* counts, int bins, cudaStream_t stream) {
    const std::size_t shared = static_cast<std::size_t>(bins) * sizeof(unsigned);
    // The blocks only add their counts, so the counts start at zero on every call.
    cudaMemsetAsync(counts, 0, shared, stream);
    static const int sms = sm_count();
    int per_sm = 0;
    cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, histogram_shared, k_threads, shared);
    const std::size_t resident = static_cast<std::size_t>(per_sm > 0 ? per_sm : 1) * static_cast<std::size_t>(sms);
    // No more blocks than there are quads to give their threads (at least one block for n < 4).
    const std::size_t needed = (n / 4 + k_threads - 1) / k_threads;
    const std::size_t blocks = needed < 1 ? 1 : needed < resident ? needed : resident;
    histogram_shared<<<static_cast<unsigned>(blocks), k_threads, shared, stream>>>(values, n, counts, static_cast<unsigned>(bins));
}

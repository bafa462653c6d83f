// SGEMM with shared-memory tiling and register blocking. Each block of 256 threads computes a
// 128x128 tile of C, stepping through K eight columns of A and eight rows of B at a time: the
// block copies the two slices into shared memory with coalesced loads, and each thread then
// computes an 8x8 sub-tile of C from them, so every value it reads from shared memory feeds eight
// fused multiply-adds instead of one. The copy of the next K slice is loaded into registers before
// the current one is multiplied and stored into a second shared buffer after it, so the global
// loads' latency hides behind the arithmetic and one barrier per slice suffices.
//
// Sizes: anything from 1x1x1 up. Elements of a slice that fall outside A or B (the ragged last
// tile of M, N or K) are stored as zeros, so they add nothing to the sums; outputs outside C are
// not stored. No thread returns early: all of them reach every barrier.
// Accumulation is in fp32, in increasing order of k for every output, as the baseline does.
#include "api.cuh"

namespace {

constexpr int k_tile_m = 128;  // rows of C per block
constexpr int k_tile_n = 128;  // columns of C per block
constexpr int k_tile_k = 8;    // columns of A (rows of B) per shared-memory slice
constexpr int k_threads = 256;
constexpr int k_lanes_n = 16;  // the threads form a 16x16 grid over the tile:
constexpr int k_lanes_m = 16;  // threadIdx.x = lane_m * 16 + lane_n
constexpr int k_per_thread_m = k_tile_m / k_lanes_m;  // 8
constexpr int k_per_thread_n = k_tile_n / k_lanes_n;  // 8
constexpr int k_a_loads = k_tile_m * k_tile_k / k_threads;  // 4 elements of A per thread and slice
constexpr int k_b_loads = k_tile_k * k_tile_n / k_threads;  // 4 elements of B per thread and slice
// The A slice is stored transposed, [k][m], so the 8 values of A a thread needs for one k are in a
// row of shared memory like the B values are. Its rows are padded by 4 floats: the transposing
// store has 4 rows x 8 k per warp, and without padding all 8 k of a row would land in one bank
// (rows 128 floats apart), an 8-way conflict; with 132 the 32 stores hit 32 different banks.
constexpr int k_a_stride = k_tile_m + 4;

static_assert(k_lanes_m * k_lanes_n == k_threads, "one thread per 8x8 sub-tile");
static_assert(k_tile_m * k_tile_k % k_threads == 0 && k_tile_k * k_tile_n % k_threads == 0, "whole loads per thread");

// Thread (lane_m, lane_n) owns rows lane_m + 16 * i and columns lane_n + 16 * j of the tile
// (i, j = 0..7), not a contiguous 8x8 block: for one k the 16 lanes of a half-warp then read 16
// consecutive B values (distinct banks, no conflict) and the two lane_m values of a warp read two
// A values (broadcasts), and each store to C writes 16 consecutive floats per row.
__global__ void __launch_bounds__(k_threads, 2)
    sgemm_tiled(const float* a, const float* b, float* c, int m, int n, int k) {
    __shared__ float a_slice[2][k_tile_k][k_a_stride];
    __shared__ float b_slice[2][k_tile_k][k_tile_n];

    const int t = threadIdx.x;
    const int lane_m = t / k_lanes_n, lane_n = t % k_lanes_n;
    const int row0 = blockIdx.y * k_tile_m, col0 = blockIdx.x * k_tile_n;

    // Which elements this thread copies. A: 8 consecutive threads read the 8 k of one row, so a
    // warp reads 4 rows of 32 contiguous bytes each; load l takes the row 32 * l further down.
    // B: consecutive threads read consecutive columns of one row, 128 contiguous floats per row of
    // the slice; load l takes the row 2 * l further on. (Only these four numbers are kept, not one
    // index per load: the 8x8 accumulators leave little room in 128 registers.)
    const int a_k = t % k_tile_k, a_row = t / k_tile_k;
    const int b_col = t % k_tile_n, b_k = t / k_tile_n;
    constexpr int a_row_step = k_threads / k_tile_k, b_k_step = k_threads / k_tile_n;

    float a_next[k_a_loads], b_next[k_b_loads];
    // Loads the slice starting at column k0 of A / row k0 of B into registers, zero outside.
    auto load_slice = [&](int k0) {
#pragma unroll
        for (int l = 0; l < k_a_loads; ++l) {
            const int r = row0 + a_row + l * a_row_step, p = k0 + a_k;
            a_next[l] = (r < m && p < k) ? a[static_cast<size_t>(r) * k + p] : 0.0f;
        }
#pragma unroll
        for (int l = 0; l < k_b_loads; ++l) {
            const int p = k0 + b_k + l * b_k_step, col = col0 + b_col;
            b_next[l] = (p < k && col < n) ? b[static_cast<size_t>(p) * n + col] : 0.0f;
        }
    };
    auto store_slice = [&](int buffer) {
#pragma unroll
        for (int l = 0; l < k_a_loads; ++l) a_slice[buffer][a_k][a_row + l * a_row_step] = a_next[l];
#pragma unroll
        for (int l = 0; l < k_b_loads; ++l) b_slice[buffer][b_k + l * b_k_step][b_col] = b_next[l];
    };

    float acc[k_per_thread_m][k_per_thread_n];
#pragma unroll
    for (int i = 0; i < k_per_thread_m; ++i)
#pragma unroll
        for (int j = 0; j < k_per_thread_n; ++j) acc[i][j] = 0.0f;

    const int slices = (k + k_tile_k - 1) / k_tile_k;  // the same for every thread: barriers match
    load_slice(0);
    store_slice(0);
    __syncthreads();
    for (int s = 0; s < slices; ++s) {
        const int current = s % 2;
        // Start the next slice's global loads now; they are only needed after the arithmetic.
        if (s + 1 < slices) load_slice((s + 1) * k_tile_k);
#pragma unroll
        for (int p = 0; p < k_tile_k; ++p) {
            float a_frag[k_per_thread_m], b_frag[k_per_thread_n];
#pragma unroll
            for (int i = 0; i < k_per_thread_m; ++i) a_frag[i] = a_slice[current][p][lane_m + i * k_lanes_m];
#pragma unroll
            for (int j = 0; j < k_per_thread_n; ++j) b_frag[j] = b_slice[current][p][lane_n + j * k_lanes_n];
#pragma unroll
            for (int i = 0; i < k_per_thread_m; ++i)
#pragma unroll
                for (int j = 0; j < k_per_thread_n; ++j) acc[i][j] += a_frag[i] * b_frag[j];
        }
        // The other buffer was last read in iteration s - 1, which every thread finished before
        // the barrier that ended it, so it can be overwritten without waiting here.
        if (s + 1 < slices) store_slice(1 - current);
        __syncthreads();
    }

#pragma unroll
    for (int i = 0; i < k_per_thread_m; ++i) {
        const int r = row0 + lane_m + i * k_lanes_m;
        if (r >= m) continue;
#pragma unroll
        for (int j = 0; j < k_per_thread_n; ++j) {
            const int col = col0 + lane_n + j * k_lanes_n;
            if (col < n) c[static_cast<size_t>(r) * n + col] = acc[i][j];
        }
    }
}

}  // namespace

void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream) {
    // Columns on x: up to 64 tiles on y for m <= 8192, well inside gridDim.y's 65535.
    const dim3 grid((n + k_tile_n - 1) / k_tile_n, (m + k_tile_m - 1) / k_tile_m);
    sgemm_tiled<<<grid, k_threads, 0, stream>>>(a, b, c, m, n, k);
}

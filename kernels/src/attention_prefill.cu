// FlashAttention-2-style forward pass (Dao 2023): each CTA owns a tile of query rows, streams the
// K/V tiles of its head through double-buffered shared memory and keeps the softmax state and the
// output accumulators in registers, so the score matrix never leaves the SM.
//
// Tiles: every warp owns 16 or 32 query rows (one or two m16n8k16 row blocks); the output
// accumulators (head_dim / 2 registers per row block) and the score tile (32 per row block) stay in
// registers, and so do the Q fragments (head_dim / 4 per row block) where they fit.
// By default head_dim 64 uses 8 warps of 16 rows (128 rows per CTA) and head_dim 128 uses 4 warps
// of 16 rows (64 rows, two CTAs per SM by registers). The other tile shapes (PrefillTuning):
// head_dim 128 with 128 rows as 8 warps of 16 (one CTA per SM; half the K/V traffic from L2 per
// FLOP) or as 4 warps of 32 (FlashAttention-2's shape: each K/V fragment read from shared memory
// serves two row blocks, which halves the shared-memory traffic per FLOP; Q is re-read from shared
// memory to make room; with 64-key or 32-key tiles, both consumed 32 keys at a time so that
// nothing spills: see PrefillConfig), and head_dim 64 with 4 warps of 32.
// `optiloop-kernels bench` times them all beside the default. Key tiles are 64 wide otherwise.
// Shared memory rows are head_dim halves long, split into 16-byte chunks; chunk c of row r is
// stored at chunk c ^ (r % 8), so the 8 row addresses of an ldmatrix and the 16-byte cp.async
// writes of a warp fall into 8 different bank groups.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <optiloop/kernels/attention_cuda.hpp>

#include "cuda_common.cuh"

namespace optiloop::kernels {

namespace {

using detail::DTypeOps;

struct PrefillParams {
    const void* q;
    const void* k;
    const void* v;
    void* out;
    float* lse;
    int heads;
    int kv_heads;
    int group;  // heads / kv_heads
    int q_len;
    int kv_len;
    float scale_log2;  // softmax scale * log2(e): scores live in the log2 domain for exp2f
};

template <int head_dim, int warps_, int row_blocks_, int key_tile_>
struct PrefillConfig {
    static constexpr int warps = warps_;
    static constexpr int row_blocks = row_blocks_;  // 16-row mma blocks per warp
    static constexpr int key_tile = key_tile_;      // keys per K/V tile: 32 or 64
    static constexpr int threads = warps * 32;
    static constexpr int query_tile = warps * 16 * row_blocks;
    // Q fragments take head_dim / 4 registers per row block; with two blocks at head_dim 128 they
    // would not fit beside the accumulators, so they are re-read from shared memory per k-step.
    static constexpr bool q_in_registers = row_blocks * head_dim <= 128;
    // Keys per step of the softmax: a K/V tile is consumed in steps of key_step keys, each with its
    // own score tile and online-softmax update. Two row blocks at head_dim 128 hold 128 accumulator
    // registers; a 64-key score tile (64 more) beside them makes ptxas spill, a 32-key one does
    // not, so that shape keeps the 64-key tile (one barrier and one copy group per 64 keys) and
    // pays a second rescale of the accumulators per tile instead.
    static constexpr int key_step = row_blocks * head_dim > 128 ? 32 : key_tile;
    // The k-steps of S = Q K^T are unrolled where Q lives in registers (its slots are indexed by
    // the k-step); where it is re-read, a rolled loop keeps ptxas from hoisting the Q reads of all
    // k-steps ahead of their MMAs, which is what spilled.
    static constexpr int qk_unroll = q_in_registers ? head_dim / 16 : 1;
    // Likewise the tile copies: unrolled, the addresses and bounds tests of the next K/V tile's
    // copies stay live across the compute of the current tile and spill there. (0: unroll fully.)
    static constexpr int copy_unroll = q_in_registers ? 0 : 1;
    // CTAs that must fit on one SM by registers (65536 per SM): 128-thread CTAs get two at the
    // full 255 registers anyway; 256 threads of head_dim 64 need at most 128 registers for two.
    static constexpr int ctas_per_sm = threads == 256 && head_dim == 64 ? 2 : 1;
    static constexpr int chunks = head_dim / 8;  // 16-byte chunks per row
    // Q tile plus two stages of K and V.
    static constexpr int smem_elements = query_tile * head_dim + 4 * key_tile * head_dim;
};

// Element offset of (row, 16-byte chunk) in a swizzled tile of head_dim-wide rows.
template <int head_dim>
__device__ __forceinline__ int swizzled(int row, int chunk) {
    return row * head_dim + ((chunk ^ (row & 7)) << 3);
}

// swizzled(row + rows, chunk + chunks) from offset = swizzled(row, chunk), for rows a multiple of
// 8 and chunks even while chunk is 0 or 1: the row step is an add and the chunk step an XOR of
// compile-time constants, so the ldmatrix addresses of the unrolled loops need one per-thread
// base register each rather than one register per (row, chunk).
template <int head_dim>
__device__ __forceinline__ int swizzled_step(int offset, int rows, int chunks) {
    return (offset ^ (chunks << 3)) + rows * head_dim;
}

// Rows [row0, row0 + rows) of a [len, head_dim] matrix into a swizzled tile; rows past len are
// zero-filled so padded keys contribute nothing and padded queries stay finite. `unroll` 1 issues
// the copies from a rolled loop, whose addresses and bounds tests are not held in registers;
// 0 unrolls it fully.
template <typename T, int head_dim, int rows, int threads, int unroll = 0>
__device__ __forceinline__ void load_tile(T* tile, const T* matrix, int row0, int len, int thread) {
    constexpr int chunks = head_dim / 8;
    static_assert((rows * chunks) % threads == 0, "tile copy must divide evenly over the CTA");
#pragma unroll(unroll == 0 ? rows * chunks / threads : unroll)
    for (int i = 0; i < rows * chunks / threads; ++i) {
        const int index = thread + i * threads;
        const int row = index / chunks;
        const int chunk = index % chunks;
        const bool in_bounds = row0 + row < len;
        const T* source = in_bounds ? matrix + static_cast<std::int64_t>(row0 + row) * head_dim + chunk * 8 : matrix;
        detail::cp_async_16(tile + swizzled<head_dim>(row, chunk), source, in_bounds);
    }
}

template <typename T, int head_dim, int warps, int row_blocks, int key_tile, bool causal>
__global__ void __launch_bounds__(PrefillConfig<head_dim, warps, row_blocks, key_tile>::threads,
                                  PrefillConfig<head_dim, warps, row_blocks, key_tile>::ctas_per_sm)
    prefill_kernel(const PrefillParams params) {
    using Config = PrefillConfig<head_dim, warps, row_blocks, key_tile>;
    using Ops = DTypeOps<T>;
    constexpr int query_tile = Config::query_tile;
    constexpr int warp_rows = 16 * row_blocks;
    constexpr int threads = Config::threads;
    constexpr int key_step = Config::key_step;
    constexpr int key_frags = key_step / 8;  // n-tiles of 8 keys in S
    constexpr int dim_frags = head_dim / 8;  // n-tiles of 8 dims in O

    extern __shared__ __align__(128) unsigned char smem_bytes[];
    T* const q_tile = reinterpret_cast<T*>(smem_bytes);
    T* const k_tiles = q_tile + query_tile * head_dim;  // [2][key_tile][head_dim]
    T* const v_tiles = k_tiles + 2 * key_tile * head_dim;

    const int thread = static_cast<int>(threadIdx.x);
    const int warp = thread / 32;
    const int lane = thread % 32;
    const int group_id = lane / 4;   // mma "groupID": row within the 8-row half
    const int lane_pair = lane % 4;  // mma "threadID_in_group": column pair

    // Under causal masking later query tiles have more keys; start them first.
    const int q_tile_index = static_cast<int>(gridDim.x - 1 - blockIdx.x);
    const int head = static_cast<int>(blockIdx.y);
    const int batch = static_cast<int>(blockIdx.z);
    const int kv_head = head / params.group;
    const int q0 = q_tile_index * query_tile;
    const int q_len = params.q_len;
    const int kv_len = params.kv_len;
    const int causal_shift = kv_len - q_len;  // query i sees keys j <= i + causal_shift

    const T* const q = static_cast<const T*>(params.q) + (static_cast<std::int64_t>(batch) * params.heads + head) * q_len * head_dim;
    const std::int64_t kv_offset = (static_cast<std::int64_t>(batch) * params.kv_heads + kv_head) * kv_len * head_dim;
    const T* const k = static_cast<const T*>(params.k) + kv_offset;
    const T* const v = static_cast<const T*>(params.v) + kv_offset;

    // Keys any row of this tile can see; tiles past it are skipped, not masked.
    int key_end = kv_len;
    if constexpr (causal) key_end = min(kv_len, min(q0 + query_tile, q_len) + causal_shift);
    const int key_tiles = key_end > 0 ? (key_end + key_tile - 1) / key_tile : 0;

    load_tile<T, head_dim, query_tile, threads, Config::copy_unroll>(q_tile, q, q0, q_len, thread);
    detail::cp_async_commit();
    if (key_tiles > 0) {
        load_tile<T, head_dim, key_tile, threads, Config::copy_unroll>(k_tiles, k, 0, kv_len, thread);
        load_tile<T, head_dim, key_tile, threads, Config::copy_unroll>(v_tiles, v, 0, kv_len, thread);
    }
    detail::cp_async_commit();
    detail::cp_async_wait<1>();
    __syncthreads();

    // Q A-fragments of row block m for the 16-wide slice kk of head_dim. Matrices of the x4
    // load: rows 0-7 and 8-15 of the block at the slice's first 8 columns, then the same at the
    // next 8, which is the a0..a3 register order of m16n8k16. Kept for the whole loop when they
    // fit (slot kk), else re-read into slot 0 at every k-step.
    constexpr int q_slots = Config::q_in_registers ? head_dim / 16 : 1;
    uint32_t q_frag[row_blocks][q_slots][4];
    const int q_fragment_base = swizzled<head_dim>(warp * warp_rows + (lane & 15), lane >> 4);
    auto load_q = [&](int m, int kk, uint32_t (&fragment)[4]) {
        detail::ldmatrix_x4(fragment, q_tile + swizzled_step<head_dim>(q_fragment_base, m * 16, 2 * kk));
    };
    if constexpr (Config::q_in_registers) {
#pragma unroll
        for (int m = 0; m < row_blocks; ++m)
#pragma unroll
            for (int kk = 0; kk < head_dim / 16; ++kk) load_q(m, kk, q_frag[m][kk]);
    }

    float o_acc[row_blocks][dim_frags][4];
#pragma unroll
    for (int m = 0; m < row_blocks; ++m)
#pragma unroll
        for (int j = 0; j < dim_frags; ++j)
            for (int e = 0; e < 4; ++e) o_acc[m][j][e] = 0.f;
    // Softmax state of rows group_id and group_id + 8 of each row block: running max (log2
    // domain) and this lane's share of the running sum (summed over the quad once at the end).
    float row_max[row_blocks][2];
    float row_sum[row_blocks][2];
#pragma unroll
    for (int m = 0; m < row_blocks; ++m)
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            row_max[m][r] = -INFINITY;
            row_sum[m][r] = 0.f;
        }
    // Query row of this lane's row r of row block m: first_row + 16 m + 8 r.
    const int first_row = q0 + warp * warp_rows + group_id;
    // This lane's ldmatrix row address in a K tile (keys 0-7 | 8-15 by lane bit 4, dims lo | hi
    // by bit 3) and in a V tile (keys by bit 3, dims by bit 4); see the two products below.
    const int k_fragment_base = swizzled<head_dim>((lane & 7) + ((lane >> 4) << 3), (lane >> 3) & 1);
    const int v_fragment_base = swizzled<head_dim>((lane & 7) + (((lane >> 3) & 1) << 3), lane >> 4);

    for (int tile = 0; tile < key_tiles; ++tile) {
        const int stage = tile & 1;
        if (tile + 1 < key_tiles) {
            const int next = (tile + 1) * key_tile;
            const int next_stage = (stage ^ 1) * key_tile * head_dim;
            load_tile<T, head_dim, key_tile, threads, Config::copy_unroll>(k_tiles + next_stage, k, next, kv_len, thread);
            load_tile<T, head_dim, key_tile, threads, Config::copy_unroll>(v_tiles + next_stage, v, next, kv_len, thread);
            detail::cp_async_commit();
            detail::cp_async_wait<1>();
        } else {
            detail::cp_async_wait<0>();
        }
        __syncthreads();
        // Rolled: unrolled, ptxas interleaves the steps and spills (see Config::key_step).
#pragma unroll 1
        for (int step = 0; step < key_tile / key_step; ++step) {
            const int key0 = tile * key_tile + step * key_step;
            // Keys no row of this tile can see contribute nothing.
            if (key0 >= key_end) break;
            const T* const k_tile = k_tiles + stage * key_tile * head_dim + step * key_step * head_dim;
            const T* const v_tile = v_tiles + stage * key_tile * head_dim + step * key_step * head_dim;

            // S = Q K^T. K is stored [key][dim], which is B (dim x key) column-major, so plain
            // ldmatrix gives B fragments: matrices (keys 0-7, dims lo), (keys 0-7, dims hi),
            // (keys 8-15, dims lo), (keys 8-15, dims hi) -> b0,b1 of two adjacent key n-tiles.
            // Each B fragment serves every row block of the warp.
            float s[row_blocks][key_frags][4];
#pragma unroll
            for (int m = 0; m < row_blocks; ++m)
#pragma unroll
                for (int j = 0; j < key_frags; ++j)
                    for (int e = 0; e < 4; ++e) s[m][j][e] = 0.f;
#pragma unroll Config::qk_unroll
            for (int kk = 0; kk < head_dim / 16; ++kk) {
                const int slot = Config::q_in_registers ? kk : 0;
                if constexpr (!Config::q_in_registers) {
#pragma unroll
                    for (int m = 0; m < row_blocks; ++m) load_q(m, kk, q_frag[m][0]);
                }
#pragma unroll
                for (int np = 0; np < key_frags / 2; ++np) {
                    uint32_t b[4];
                    detail::ldmatrix_x4(b, k_tile + swizzled_step<head_dim>(k_fragment_base, np * 16, 2 * kk));
#pragma unroll
                    for (int m = 0; m < row_blocks; ++m) {
                        Ops::mma(s[m][2 * np], q_frag[m][slot], b[0], b[1]);
                        Ops::mma(s[m][2 * np + 1], q_frag[m][slot], b[2], b[3]);
                    }
                }
            }

            // Mask keys past kv_len or, under causal masking, past the row's position. Only tiles
            // that straddle a boundary pay for the test.
            const bool straddles = key0 + key_step > kv_len || (causal && key0 + key_step - 1 > q0 + causal_shift);
            if (straddles) {
#pragma unroll
                for (int m = 0; m < row_blocks; ++m)
#pragma unroll
                    for (int j = 0; j < key_frags; ++j)
#pragma unroll
                        for (int e = 0; e < 4; ++e) {
                            const int key = key0 + j * 8 + lane_pair * 2 + (e & 1);
                            const int row = first_row + 16 * m + 8 * (e >> 1);
                            if (key >= kv_len || (causal && key > row + causal_shift)) s[m][j][e] = -INFINITY;
                        }
            }

            // Online softmax: new max per row (quad-wide), rescale what was accumulated, exponentiate.
            // The scale is positive, so the max of the raw scores gives the max in the log2 domain,
            // and scaling and subtracting it is one FMA per score.
#pragma unroll
            for (int m = 0; m < row_blocks; ++m)
#pragma unroll
                for (int r = 0; r < 2; ++r) {
                    float tile_max = -INFINITY;
#pragma unroll
                    for (int j = 0; j < key_frags; ++j)
                        tile_max = fmaxf(tile_max, fmaxf(s[m][j][2 * r], s[m][j][2 * r + 1]));
                    tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 1));
                    tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 2));
                    const float new_max = fmaxf(row_max[m][r], tile_max * params.scale_log2);
                    // A row that has seen only masked keys keeps max -inf; subtracting 0 instead keeps
                    // exp2f(-inf - -inf) = NaN out and gives p = 0.
                    const float reference = new_max == -INFINITY ? 0.f : new_max;
                    const float rescale = exp2f(row_max[m][r] - reference);
                    row_max[m][r] = new_max;
                    float tile_sum = 0.f;
#pragma unroll
                    for (int j = 0; j < key_frags; ++j) {
                        s[m][j][2 * r] = exp2f(fmaf(s[m][j][2 * r], params.scale_log2, -reference));
                        s[m][j][2 * r + 1] = exp2f(fmaf(s[m][j][2 * r + 1], params.scale_log2, -reference));
                        tile_sum += s[m][j][2 * r] + s[m][j][2 * r + 1];
                    }
                    row_sum[m][r] = row_sum[m][r] * rescale + tile_sum;
#pragma unroll
                    for (int j = 0; j < dim_frags; ++j) {
                        o_acc[m][j][2 * r] *= rescale;
                        o_acc[m][j][2 * r + 1] *= rescale;
                    }
                }

            // O += P V. The S accumulators of key n-tiles 2kk and 2kk+1 are exactly the A fragment
            // of P for keys 16kk..16kk+15. V is stored [key][dim] = B (key x dim) row-major, so the
            // transposing ldmatrix gives B fragments: matrices (keys 0-7, dims lo), (keys 8-15,
            // dims lo), (keys 0-7, dims hi), (keys 8-15, dims hi) -> b0,b1 of two dim n-tiles.
#pragma unroll
            for (int kk = 0; kk < key_step / 16; ++kk) {
                uint32_t p_frag[row_blocks][4];
#pragma unroll
                for (int m = 0; m < row_blocks; ++m) {
                    p_frag[m][0] = Ops::pack(s[m][2 * kk][0], s[m][2 * kk][1]);
                    p_frag[m][1] = Ops::pack(s[m][2 * kk][2], s[m][2 * kk][3]);
                    p_frag[m][2] = Ops::pack(s[m][2 * kk + 1][0], s[m][2 * kk + 1][1]);
                    p_frag[m][3] = Ops::pack(s[m][2 * kk + 1][2], s[m][2 * kk + 1][3]);
                }
#pragma unroll
                for (int dp = 0; dp < dim_frags / 2; ++dp) {
                    uint32_t b[4];
                    detail::ldmatrix_x4_trans(b, v_tile + swizzled_step<head_dim>(v_fragment_base, kk * 16, 2 * dp));
#pragma unroll
                    for (int m = 0; m < row_blocks; ++m) {
                        Ops::mma(o_acc[m][2 * dp], p_frag[m], b[0], b[1]);
                        Ops::mma(o_acc[m][2 * dp + 1], p_frag[m], b[2], b[3]);
                    }
                }
            }
        }
        // The next iteration's copy overwrites this stage.
        __syncthreads();
    }

    // Normalise, stage the warp's rows in its own rows of the Q tile (which only this warp reads),
    // then write them out with 16-byte stores.
    __syncwarp();
#pragma unroll
    for (int m = 0; m < row_blocks; ++m)
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            float total = row_sum[m][r];
            total += __shfl_xor_sync(0xffffffffu, total, 1);
            total += __shfl_xor_sync(0xffffffffu, total, 2);
            const float inverse_sum = total > 0.f ? 1.f / total : 0.f;
            const int query_row = first_row + 16 * m + 8 * r;
            if (params.lse != nullptr && lane_pair == 0 && query_row < q_len) {
                // ln(sum_j e^(s_j)) = max * ln 2 + ln(sum_j 2^(x_j - max)) in the log2 domain.
                const float lse = total > 0.f ? row_max[m][r] * detail::k_ln2 + logf(total) : -INFINITY;
                params.lse[(static_cast<std::int64_t>(batch) * params.heads + head) * q_len + query_row] = lse;
            }
            const int row = query_row - q0;
#pragma unroll
            for (int j = 0; j < dim_frags; ++j) {
                const uint32_t packed = Ops::pack(o_acc[m][j][2 * r] * inverse_sum, o_acc[m][j][2 * r + 1] * inverse_sum);
                *reinterpret_cast<uint32_t*>(q_tile + swizzled<head_dim>(row, j) + lane_pair * 2) = packed;
            }
        }
    __syncwarp();
    T* const out = static_cast<T*>(params.out) + (static_cast<std::int64_t>(batch) * params.heads + head) * q_len * head_dim;
    constexpr int chunks = Config::chunks;
#pragma unroll
    for (int i = 0; i < warp_rows * chunks / 32; ++i) {
        const int index = lane + i * 32;
        const int row = warp * warp_rows + index / chunks;
        const int chunk = index % chunks;
        if (q0 + row < q_len)
            *reinterpret_cast<uint4*>(out + static_cast<std::int64_t>(q0 + row) * head_dim + chunk * 8) =
                *reinterpret_cast<const uint4*>(q_tile + swizzled<head_dim>(row, chunk));
    }
}

template <typename T, int head_dim, int warps, int row_blocks, int key_tile, bool causal>
std::string launch_prefill(const PrefillParams& params, int batch, cudaStream_t stream) {
    using Config = PrefillConfig<head_dim, warps, row_blocks, key_tile>;
    constexpr int smem_bytes = Config::smem_elements * static_cast<int>(sizeof(T));
    auto* kernel = &prefill_kernel<T, head_dim, warps, row_blocks, key_tile, causal>;
    // Above 48 KB dynamic shared memory must be opted into, once per kernel.
    static const cudaError_t attribute =
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem_bytes);
    if (attribute != cudaSuccess) return detail::cuda_error("cudaFuncSetAttribute(prefill shared memory)", attribute);
    const dim3 grid(static_cast<unsigned>((params.q_len + Config::query_tile - 1) / Config::query_tile),
                    static_cast<unsigned>(params.heads), static_cast<unsigned>(batch));
    kernel<<<grid, Config::threads, smem_bytes, stream>>>(params);
    const cudaError_t launched = cudaGetLastError();
    if (launched != cudaSuccess) return detail::cuda_error("prefill kernel launch", launched);
    return "";
}

template <typename T, int head_dim, int warps, int row_blocks, int key_tile>
std::string launch_prefill(const PrefillParams& params, bool causal, int batch, cudaStream_t stream) {
    return causal ? launch_prefill<T, head_dim, warps, row_blocks, key_tile, true>(params, batch, stream)
                  : launch_prefill<T, head_dim, warps, row_blocks, key_tile, false>(params, batch, stream);
}

// A tile shape and the instantiation that runs it.
template <typename T>
struct TileShape {
    PrefillTuning tile;
    std::string (*launch)(const PrefillParams& params, bool causal, int batch, cudaStream_t stream);
};

template <typename T, int head_dim, int warps, int row_blocks, int key_tile>
TileShape<T> tile_shape() {
    return {{warps * 16 * row_blocks, warps, key_tile}, &launch_prefill<T, head_dim, warps, row_blocks, key_tile>};
}

// Every tile shape of head_dim, the default first: the one list prefill_tile_shapes() and the
// launch read.
template <typename T>
std::vector<TileShape<T>> tile_shapes(std::size_t head_dim) {
    if (head_dim == 64) return {tile_shape<T, 64, 8, 1, 64>(), tile_shape<T, 64, 4, 2, 64>()};
    if (head_dim == 128)
        return {tile_shape<T, 128, 4, 1, 64>(), tile_shape<T, 128, 8, 1, 64>(), tile_shape<T, 128, 4, 2, 64>(),
                tile_shape<T, 128, 4, 2, 32>()};
    return {};
}

bool same_tile(const PrefillTuning& a, const PrefillTuning& b) {
    return a.query_rows == b.query_rows && a.warps == b.warps && a.key_rows == b.key_rows;
}

// `tile` is one of prefill_tile_shapes(head_dim).
template <typename T>
std::string launch_prefill(const PrefillParams& params, std::size_t head_dim, const PrefillTuning& tile, bool causal,
                           int batch, cudaStream_t stream) {
    for (const TileShape<T>& shape : tile_shapes<T>(head_dim))
        if (same_tile(shape.tile, tile)) return shape.launch(params, causal, batch, stream);
    return "attention_prefill: no kernel for tile shape " + tile_shape_name(tile);
}

bool aligned16(const void* pointer) { return reinterpret_cast<std::uintptr_t>(pointer) % 16 == 0; }

}  // namespace

std::string attention_prefill(const AttentionShape& shape, DType dtype, const void* q, const void* k, const void* v,
                              void* out, float* lse, float scale, void* stream, PrefillTuning tuning) {
    if (shape.head_dim != 64 && shape.head_dim != 128)
        return "attention_prefill: head_dim " + std::to_string(shape.head_dim) + " is not supported (64 or 128)";
    const std::vector<PrefillTuning> shapes = prefill_tile_shapes(shape.head_dim);
    PrefillTuning tile = shapes.front();
    if (tuning.query_rows != 0) {
        tile = {tuning.query_rows, tuning.warps != 0 ? tuning.warps : tuning.query_rows / 16,
                tuning.key_rows != 0 ? tuning.key_rows : 64};
        if (std::none_of(shapes.begin(), shapes.end(), [&](const PrefillTuning& t) { return same_tile(t, tile); })) {
            std::string available;
            for (const PrefillTuning& t : shapes) available += (available.empty() ? "" : ", ") + tile_shape_name(t);
            return "attention_prefill: tile shape " + tile_shape_name(tile) + " is not available for head_dim " +
                   std::to_string(shape.head_dim) + " (" + available + ")";
        }
    }
    if (shape.batch == 0 || shape.heads == 0 || shape.q_len == 0 || shape.kv_len == 0)
        return "attention_prefill: batch, heads, q_len and kv_len must be at least 1";
    if (shape.kv_heads == 0 || shape.heads % shape.kv_heads != 0)
        return "attention_prefill: kv_heads (" + std::to_string(shape.kv_heads) + ") must divide heads (" +
               std::to_string(shape.heads) + ")";
    if (shape.batch > 65535 || shape.heads > 65535 || shape.q_len > (1u << 30) || shape.kv_len > (1u << 30))
        return "attention_prefill: shape too large (batch and heads <= 65535, lengths <= 2^30)";
    if (!aligned16(q) || !aligned16(k) || !aligned16(v) || !aligned16(out))
        return "attention_prefill: q, k, v and out must be 16-byte aligned device pointers";
    if (scale <= 0) scale = 1.f / std::sqrt(static_cast<float>(shape.head_dim));
    const PrefillParams params{q,
                               k,
                               v,
                               out,
                               lse,
                               static_cast<int>(shape.heads),
                               static_cast<int>(shape.kv_heads),
                               static_cast<int>(shape.heads / shape.kv_heads),
                               static_cast<int>(shape.q_len),
                               static_cast<int>(shape.kv_len),
                               scale * detail::k_log2e};
    const auto cuda_stream = static_cast<cudaStream_t>(stream);
    const int batch = static_cast<int>(shape.batch);
    return dtype == DType::f16
               ? launch_prefill<__half>(params, shape.head_dim, tile, shape.causal, batch, cuda_stream)
               : launch_prefill<__nv_bfloat16>(params, shape.head_dim, tile, shape.causal, batch, cuda_stream);
}

std::vector<PrefillTuning> prefill_tile_shapes(std::size_t head_dim) {
    std::vector<PrefillTuning> tiles;
    for (const TileShape<__half>& shape : tile_shapes<__half>(head_dim)) tiles.push_back(shape.tile);
    return tiles;
}

std::string tile_shape_name(const PrefillTuning& tile) {
    return std::to_string(tile.query_rows) + "x" + std::to_string(tile.key_rows) + "/" + std::to_string(tile.warps) +
           "w";
}

}  // namespace optiloop::kernels

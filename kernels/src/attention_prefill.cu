// FlashAttention-2-style forward pass (Dao 2023): each CTA owns a tile of query rows, streams the
// K/V tiles of its head through double-buffered shared memory and keeps the softmax state and the
// output accumulators in registers, so the score matrix never leaves the SM.
//
// Tiles: every warp owns 16 query rows (one m16n8k16 row block), so Q fragments (head_dim / 4
// registers), the output accumulators (head_dim / 2) and the score tile (32) stay in registers.
// By default head_dim 64 uses 8 warps (128 rows per CTA) and head_dim 128 uses 4 warps (64 rows,
// two CTAs per SM by registers); PrefillTuning::query_rows = 128 runs head_dim 128 with 8 warps,
// one CTA per SM, which halves the K/V traffic from L2 per FLOP at the cost of a CTA-wide barrier
// over 8 warps: `optiloop-kernels bench` times both. Key tiles are 64 wide.
// Shared memory rows are head_dim halves long, split into 16-byte chunks; chunk c of row r is
// stored at chunk c ^ (r % 8), so the 8 row addresses of an ldmatrix and the 16-byte cp.async
// writes of a warp fall into 8 different bank groups.
#include <cmath>
#include <cstdint>
#include <string>

#include <optiloop/kernels/attention_cuda.hpp>

#include "cuda_common.cuh"

namespace optiloop::kernels {

namespace {

using detail::DTypeOps;

constexpr int k_key_tile = 64;

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

template <int head_dim, int warps_>
struct PrefillConfig {
    static constexpr int warps = warps_;
    static constexpr int threads = warps * 32;
    static constexpr int query_tile = warps * 16;
    static constexpr int chunks = head_dim / 8;  // 16-byte chunks per row
    // Q tile plus two stages of K and V.
    static constexpr int smem_elements = query_tile * head_dim + 4 * k_key_tile * head_dim;
};

// Element offset of (row, 16-byte chunk) in a swizzled tile of head_dim-wide rows.
template <int head_dim>
__device__ __forceinline__ int swizzled(int row, int chunk) {
    return row * head_dim + ((chunk ^ (row & 7)) << 3);
}

// Rows [row0, row0 + rows) of a [len, head_dim] matrix into a swizzled tile; rows past len are
// zero-filled so padded keys contribute nothing and padded queries stay finite.
template <typename T, int head_dim, int rows, int threads>
__device__ __forceinline__ void load_tile(T* tile, const T* matrix, int row0, int len, int thread) {
    constexpr int chunks = head_dim / 8;
    static_assert((rows * chunks) % threads == 0, "tile copy must divide evenly over the CTA");
#pragma unroll
    for (int i = 0; i < rows * chunks / threads; ++i) {
        const int index = thread + i * threads;
        const int row = index / chunks;
        const int chunk = index % chunks;
        const bool in_bounds = row0 + row < len;
        const T* source = in_bounds ? matrix + static_cast<std::int64_t>(row0 + row) * head_dim + chunk * 8 : matrix;
        detail::cp_async_16(tile + swizzled<head_dim>(row, chunk), source, in_bounds);
    }
}

template <typename T, int head_dim, int warps, bool causal>
__global__ void __launch_bounds__(PrefillConfig<head_dim, warps>::threads)
    prefill_kernel(const PrefillParams params) {
    using Config = PrefillConfig<head_dim, warps>;
    using Ops = DTypeOps<T>;
    constexpr int query_tile = Config::query_tile;
    constexpr int threads = Config::threads;
    constexpr int key_frags = k_key_tile / 8;  // n-tiles of 8 keys in S
    constexpr int dim_frags = head_dim / 8;    // n-tiles of 8 dims in O

    extern __shared__ __align__(128) unsigned char smem_bytes[];
    T* const q_tile = reinterpret_cast<T*>(smem_bytes);
    T* const k_tiles = q_tile + query_tile * head_dim;  // [2][k_key_tile][head_dim]
    T* const v_tiles = k_tiles + 2 * k_key_tile * head_dim;

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
    const int key_tiles = key_end > 0 ? (key_end + k_key_tile - 1) / k_key_tile : 0;

    load_tile<T, head_dim, query_tile, threads>(q_tile, q, q0, q_len, thread);
    detail::cp_async_commit();
    if (key_tiles > 0) {
        load_tile<T, head_dim, k_key_tile, threads>(k_tiles, k, 0, kv_len, thread);
        load_tile<T, head_dim, k_key_tile, threads>(v_tiles, v, 0, kv_len, thread);
    }
    detail::cp_async_commit();
    detail::cp_async_wait<1>();
    __syncthreads();

    // Q A-fragments for every 16-wide slice of head_dim. Matrices of the x4 load: rows 0-7 and
    // 8-15 of the warp's block at the slice's first 8 columns, then the same at the next 8,
    // which is the a0..a3 register order of m16n8k16.
    uint32_t q_frag[head_dim / 16][4];
#pragma unroll
    for (int kk = 0; kk < head_dim / 16; ++kk) {
        const int row = warp * 16 + (lane & 15);
        detail::ldmatrix_x4(q_frag[kk], q_tile + swizzled<head_dim>(row, 2 * kk + (lane >> 4)));
    }

    float o_acc[dim_frags][4];
#pragma unroll
    for (int j = 0; j < dim_frags; ++j)
        for (int e = 0; e < 4; ++e) o_acc[j][e] = 0.f;
    // Softmax state of rows group_id and group_id + 8: running max (log2 domain) and this
    // lane's share of the running sum (summed over the quad once at the end).
    float row_max[2] = {-INFINITY, -INFINITY};
    float row_sum[2] = {0.f, 0.f};

    const int row_in_tile0 = warp * 16 + group_id;
    const int query_row[2] = {q0 + row_in_tile0, q0 + row_in_tile0 + 8};

    for (int tile = 0; tile < key_tiles; ++tile) {
        const int stage = tile & 1;
        if (tile + 1 < key_tiles) {
            const int next = (tile + 1) * k_key_tile;
            load_tile<T, head_dim, k_key_tile, threads>(k_tiles + (stage ^ 1) * k_key_tile * head_dim, k, next, kv_len,
                                                        thread);
            load_tile<T, head_dim, k_key_tile, threads>(v_tiles + (stage ^ 1) * k_key_tile * head_dim, v, next, kv_len,
                                                        thread);
            detail::cp_async_commit();
            detail::cp_async_wait<1>();
        } else {
            detail::cp_async_wait<0>();
        }
        __syncthreads();
        const T* const k_tile = k_tiles + stage * k_key_tile * head_dim;
        const T* const v_tile = v_tiles + stage * k_key_tile * head_dim;

        // S = Q K^T. K is stored [key][dim], which is B (dim x key) column-major, so plain
        // ldmatrix gives B fragments: matrices (keys 0-7, dims lo), (keys 0-7, dims hi),
        // (keys 8-15, dims lo), (keys 8-15, dims hi) -> b0,b1 of two adjacent key n-tiles.
        float s[key_frags][4];
#pragma unroll
        for (int j = 0; j < key_frags; ++j)
            for (int e = 0; e < 4; ++e) s[j][e] = 0.f;
#pragma unroll
        for (int kk = 0; kk < head_dim / 16; ++kk) {
#pragma unroll
            for (int np = 0; np < key_frags / 2; ++np) {
                uint32_t b[4];
                const int key = np * 16 + (lane & 7) + ((lane >> 4) << 3);
                detail::ldmatrix_x4(b, k_tile + swizzled<head_dim>(key, 2 * kk + ((lane >> 3) & 1)));
                Ops::mma(s[2 * np], q_frag[kk], b[0], b[1]);
                Ops::mma(s[2 * np + 1], q_frag[kk], b[2], b[3]);
            }
        }

        // Scale into the log2 domain and mask keys past kv_len or, under causal masking, past
        // the row's position. Only tiles that straddle a boundary pay for the test.
        const int key0 = tile * k_key_tile;
        const bool straddles = key0 + k_key_tile > kv_len || (causal && key0 + k_key_tile - 1 > q0 + causal_shift);
#pragma unroll
        for (int j = 0; j < key_frags; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                float x = s[j][e] * params.scale_log2;
                if (straddles) {
                    const int key = key0 + j * 8 + lane_pair * 2 + (e & 1);
                    const int row = query_row[e >> 1];
                    if (key >= kv_len || (causal && key > row + causal_shift)) x = -INFINITY;
                }
                s[j][e] = x;
            }

        // Online softmax: new max per row (quad-wide), rescale what was accumulated, exponentiate.
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            float tile_max = -INFINITY;
#pragma unroll
            for (int j = 0; j < key_frags; ++j) tile_max = fmaxf(tile_max, fmaxf(s[j][2 * r], s[j][2 * r + 1]));
            tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 1));
            tile_max = fmaxf(tile_max, __shfl_xor_sync(0xffffffffu, tile_max, 2));
            const float new_max = fmaxf(row_max[r], tile_max);
            // A row that has seen only masked keys keeps max -inf; subtracting 0 instead keeps
            // exp2f(-inf - -inf) = NaN out and gives p = 0.
            const float reference = new_max == -INFINITY ? 0.f : new_max;
            const float rescale = exp2f(row_max[r] - reference);
            row_max[r] = new_max;
            float tile_sum = 0.f;
#pragma unroll
            for (int j = 0; j < key_frags; ++j) {
                s[j][2 * r] = exp2f(s[j][2 * r] - reference);
                s[j][2 * r + 1] = exp2f(s[j][2 * r + 1] - reference);
                tile_sum += s[j][2 * r] + s[j][2 * r + 1];
            }
            row_sum[r] = row_sum[r] * rescale + tile_sum;
#pragma unroll
            for (int j = 0; j < dim_frags; ++j) {
                o_acc[j][2 * r] *= rescale;
                o_acc[j][2 * r + 1] *= rescale;
            }
        }

        // O += P V. The S accumulators of key n-tiles 2kk and 2kk+1 are exactly the A fragment
        // of P for keys 16kk..16kk+15. V is stored [key][dim] = B (key x dim) row-major, so the
        // transposing ldmatrix gives B fragments: matrices (keys 0-7, dims lo), (keys 8-15,
        // dims lo), (keys 0-7, dims hi), (keys 8-15, dims hi) -> b0,b1 of two dim n-tiles.
#pragma unroll
        for (int kk = 0; kk < k_key_tile / 16; ++kk) {
            const uint32_t p_frag[4] = {Ops::pack(s[2 * kk][0], s[2 * kk][1]), Ops::pack(s[2 * kk][2], s[2 * kk][3]),
                                        Ops::pack(s[2 * kk + 1][0], s[2 * kk + 1][1]),
                                        Ops::pack(s[2 * kk + 1][2], s[2 * kk + 1][3])};
#pragma unroll
            for (int dp = 0; dp < dim_frags / 2; ++dp) {
                uint32_t b[4];
                const int key = kk * 16 + (lane & 7) + (((lane >> 3) & 1) << 3);
                detail::ldmatrix_x4_trans(b, v_tile + swizzled<head_dim>(key, 2 * dp + (lane >> 4)));
                Ops::mma(o_acc[2 * dp], p_frag, b[0], b[1]);
                Ops::mma(o_acc[2 * dp + 1], p_frag, b[2], b[3]);
            }
        }
        // The next iteration's copy overwrites this stage.
        __syncthreads();
    }

    // Normalise, stage the warp's 16 rows in its own rows of the Q tile (read only into
    // registers above, by this warp), then write them out with 16-byte stores.
    float inverse_sum[2];
#pragma unroll
    for (int r = 0; r < 2; ++r) {
        float total = row_sum[r];
        total += __shfl_xor_sync(0xffffffffu, total, 1);
        total += __shfl_xor_sync(0xffffffffu, total, 2);
        inverse_sum[r] = total > 0.f ? 1.f / total : 0.f;
        if (params.lse != nullptr && lane_pair == 0 && query_row[r] < q_len) {
            // ln(sum_j e^(s_j)) = max * ln 2 + ln(sum_j 2^(x_j - max)) in the log2 domain.
            const float lse = total > 0.f ? row_max[r] * detail::k_ln2 + logf(total) : -INFINITY;
            params.lse[(static_cast<std::int64_t>(batch) * params.heads + head) * q_len + query_row[r]] = lse;
        }
    }
    __syncwarp();
#pragma unroll
    for (int j = 0; j < dim_frags; ++j)
#pragma unroll
        for (int r = 0; r < 2; ++r) {
            const int row = row_in_tile0 + 8 * r;
            const uint32_t packed = Ops::pack(o_acc[j][2 * r] * inverse_sum[r], o_acc[j][2 * r + 1] * inverse_sum[r]);
            *reinterpret_cast<uint32_t*>(q_tile + swizzled<head_dim>(row, j) + lane_pair * 2) = packed;
        }
    __syncwarp();
    T* const out = static_cast<T*>(params.out) + (static_cast<std::int64_t>(batch) * params.heads + head) * q_len * head_dim;
    constexpr int chunks = Config::chunks;
#pragma unroll
    for (int i = 0; i < 16 * chunks / 32; ++i) {
        const int index = lane + i * 32;
        const int row = warp * 16 + index / chunks;
        const int chunk = index % chunks;
        if (q0 + row < q_len)
            *reinterpret_cast<uint4*>(out + static_cast<std::int64_t>(q0 + row) * head_dim + chunk * 8) =
                *reinterpret_cast<const uint4*>(q_tile + swizzled<head_dim>(row, chunk));
    }
}

template <typename T, int head_dim, int warps, bool causal>
std::string launch_prefill(const PrefillParams& params, int batch, cudaStream_t stream) {
    using Config = PrefillConfig<head_dim, warps>;
    constexpr int smem_bytes = Config::smem_elements * static_cast<int>(sizeof(T));
    auto* kernel = &prefill_kernel<T, head_dim, warps, causal>;
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

template <typename T, int head_dim, int warps>
std::string launch_prefill(const PrefillParams& params, bool causal, int batch, cudaStream_t stream) {
    return causal ? launch_prefill<T, head_dim, warps, true>(params, batch, stream)
                  : launch_prefill<T, head_dim, warps, false>(params, batch, stream);
}

// query_rows is 64 or 128 here: 16 rows per warp.
template <typename T>
std::string launch_prefill(const PrefillParams& params, int head_dim, int query_rows, bool causal, int batch,
                           cudaStream_t stream) {
    if (head_dim == 64) return launch_prefill<T, 64, 8>(params, causal, batch, stream);
    return query_rows == 128 ? launch_prefill<T, 128, 8>(params, causal, batch, stream)
                             : launch_prefill<T, 128, 4>(params, causal, batch, stream);
}

bool aligned16(const void* pointer) { return reinterpret_cast<std::uintptr_t>(pointer) % 16 == 0; }

}  // namespace

std::string attention_prefill(const AttentionShape& shape, DType dtype, const void* q, const void* k, const void* v,
                              void* out, float* lse, float scale, void* stream, PrefillTuning tuning) {
    if (shape.head_dim != 64 && shape.head_dim != 128)
        return "attention_prefill: head_dim " + std::to_string(shape.head_dim) + " is not supported (64 or 128)";
    const int default_rows = shape.head_dim == 64 ? 128 : 64;
    const int query_rows = tuning.query_rows == 0 ? default_rows : tuning.query_rows;
    if (query_rows != default_rows && !(shape.head_dim == 128 && query_rows == 128))
        return "attention_prefill: query_rows " + std::to_string(tuning.query_rows) + " is not available for head_dim " +
               std::to_string(shape.head_dim) + " (head_dim 64: 128; head_dim 128: 64 or 128)";
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
    const int head_dim = static_cast<int>(shape.head_dim);
    const int batch = static_cast<int>(shape.batch);
    return dtype == DType::f16
               ? launch_prefill<__half>(params, head_dim, query_rows, shape.causal, batch, cuda_stream)
               : launch_prefill<__nv_bfloat16>(params, head_dim, query_rows, shape.causal, batch, cuda_stream);
}

}  // namespace optiloop::kernels

// Split-KV decode: one query token per head against a long KV cache. Decode is bound by reading
// K and V once, so the work is split like stream-K (LeanAttention, FlashDecoding): the KV blocks
// of all units (batch, kv head, head chunk) are laid end to end and cut into grid-many equal
// contiguous ranges, one per CTA, whatever the batch or context length. A CTA walks its range
// unit by unit, handling every query head of the GQA group against each K/V row it loads, and
// writes one partial (max, sum, unnormalised output) per unit it touched; a second kernel merges
// the partials of each head with the online-softmax rule.
//
// Partial slots: the ranges of CTAs and of units are two partitions of the same line, so the
// (cta, unit) pairs that intersect form a staircase on which cta + unit strictly increases; slot
// cta + unit is therefore unique, there are at most grid + units - 1 of them, and the slots of one
// unit are contiguous, from owner(first block) + unit to owner(last block) + unit.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "attention_cuda.hpp"

#include "cuda_common.cuh"

namespace optiloop::kernels {

namespace {

using detail::DTypeOps;

constexpr int k_block_keys = 64;      // split granularity along the keys
constexpr int k_decode_threads = 128;
constexpr int k_max_ctas_per_sm = 8;  // bounds the workspace; the grid uses the real occupancy
constexpr int k_max_chunk_heads = 8;  // query heads per unit; bigger groups re-read K/V per chunk

struct DecodeLayout {
    std::int64_t units = 0;         // batch * kv_heads * head chunks
    std::int64_t unit_blocks = 0;   // KV blocks per unit
    std::int64_t total_blocks = 0;  // units * unit_blocks
    int chunk_heads = 0;            // query heads per unit (the last chunk may have fewer)
    int chunks = 0;                 // chunks per GQA group

    static DecodeLayout of(const AttentionShape& shape) {
        DecodeLayout layout;
        const auto group = static_cast<int>(shape.heads / shape.kv_heads);
        layout.chunk_heads = std::min(group, k_max_chunk_heads);
        layout.chunks = (group + layout.chunk_heads - 1) / layout.chunk_heads;
        layout.units = static_cast<std::int64_t>(shape.batch * shape.kv_heads) * layout.chunks;
        layout.unit_blocks = static_cast<std::int64_t>((shape.kv_len + k_block_keys - 1) / k_block_keys);
        layout.total_blocks = layout.units * layout.unit_blocks;
        return layout;
    }
    [[nodiscard]] std::int64_t slots(std::int64_t grid) const { return grid + units - 1; }
};

struct DecodeParams {
    const void* q;
    const void* k;
    const void* v;
    void* out;
    float* lse;
    float* partial_acc;  // [slot][chunk_heads][head_dim]
    float* partial_ml;   // [slot][chunk_heads][2]: max (log2 domain), sum
    int heads;
    int kv_heads;
    int group;
    int chunk_heads;
    int chunks;
    int kv_len;
    std::int64_t unit_blocks;
    std::int64_t total_blocks;
    std::int64_t grid;
    float scale_log2;
};

__device__ __forceinline__ std::int64_t range_start(std::int64_t cta, const DecodeParams& p) {
    return cta * p.total_blocks / p.grid;
}

// The CTA whose range holds block x: the largest c with range_start(c) <= x.
__device__ __forceinline__ std::int64_t block_owner(std::int64_t x, const DecodeParams& p) {
    return ((x + 1) * p.grid - 1) / p.total_blocks;
}

// chunk_heads is the compile-time bound on query heads per unit (1, 2, 4 or 8). With prefetch,
// each step's K/V loads are issued before the previous step's are used (a register double
// buffer): twice the bytes in flight per warp, for 8 * unroll more registers per thread.
template <typename T, int head_dim, int chunk_heads, bool prefetch>
__global__ void __launch_bounds__(k_decode_threads) decode_split_kernel(const DecodeParams p) {
    using Ops = DTypeOps<T>;
    constexpr int row_lanes = head_dim / 8;  // lanes sharing one K/V row, 8 elements (16 B) each
    constexpr int row_slots = k_decode_threads / row_lanes;  // keys in flight side by side
    // Keys each lane loads before using any: enough bytes in flight to cover DRAM latency,
    // fewer for big groups whose q and accumulators already take the registers.
    constexpr int unroll = chunk_heads >= 8 ? 2 : 4;
    constexpr int step = row_slots * unroll;

    __shared__ float merge_max[row_slots][chunk_heads];
    __shared__ float merge_sum[row_slots][chunk_heads];
    __shared__ float merge_acc[row_slots][chunk_heads][head_dim];

    const int thread = static_cast<int>(threadIdx.x);
    const int slot = thread / row_lanes;
    const int lane_chunk = thread % row_lanes;
    const std::int64_t cta = blockIdx.x;
    const std::int64_t range_end = range_start(cta + 1, p);

    for (std::int64_t x = range_start(cta, p); x < range_end;) {
        const std::int64_t unit = x / p.unit_blocks;
        const std::int64_t unit_first = unit * p.unit_blocks;
        const std::int64_t segment_end = min(range_end, unit_first + p.unit_blocks);
        const int key_begin = static_cast<int>((x - unit_first) * k_block_keys);
        const int key_end = static_cast<int>(min(static_cast<std::int64_t>(p.kv_len), (segment_end - unit_first) * k_block_keys));

        const int chunk = static_cast<int>(unit % p.chunks);
        const std::int64_t batch_kv_head = unit / p.chunks;  // batch * kv_heads + kv_head
        const int kv_head = static_cast<int>(batch_kv_head % p.kv_heads);
        const std::int64_t batch = batch_kv_head / p.kv_heads;
        const int first_head = kv_head * p.group + chunk * p.chunk_heads;
        const int heads_here = min(p.chunk_heads, p.group - chunk * p.chunk_heads);

        // This lane's 8 dims of each query head, prescaled into the log2 domain.
        float q[chunk_heads][8];
#pragma unroll
        for (int g = 0; g < chunk_heads; ++g) {
            uint4 bits = make_uint4(0, 0, 0, 0);
            if (g < heads_here)
                bits = *reinterpret_cast<const uint4*>(static_cast<const T*>(p.q) +
                                                       (batch * p.heads + first_head + g) * head_dim + lane_chunk * 8);
            const uint32_t words[4] = {bits.x, bits.y, bits.z, bits.w};
#pragma unroll
            for (int w = 0; w < 4; ++w) {
                const float2 pair = Ops::unpack(words[w]);
                q[g][2 * w] = pair.x * p.scale_log2;
                q[g][2 * w + 1] = pair.y * p.scale_log2;
            }
        }

        float running_max[chunk_heads];
        float running_sum[chunk_heads];
        float acc[chunk_heads][8];
#pragma unroll
        for (int g = 0; g < chunk_heads; ++g) {
            running_max[g] = -INFINITY;
            running_sum[g] = 0.f;
#pragma unroll
            for (int i = 0; i < 8; ++i) acc[g][i] = 0.f;
        }

        const std::int64_t kv_offset = batch_kv_head * p.kv_len * head_dim + lane_chunk * 8;
        const T* const k = static_cast<const T*>(p.k) + kv_offset;
        const T* const v = static_cast<const T*>(p.v) + kv_offset;

        // This lane's K and V rows of the step at `base` (zeros past key_end).
        auto load_step = [&](int base, uint4 (&k_bits)[unroll], uint4 (&v_bits)[unroll]) {
#pragma unroll
            for (int u = 0; u < unroll; ++u) {
                const int key = base + u * row_slots + slot;
                k_bits[u] = make_uint4(0, 0, 0, 0);
                v_bits[u] = make_uint4(0, 0, 0, 0);
                if (key < key_end) {
                    // Streaming loads: each byte is read once, keep it from evicting the rest.
                    k_bits[u] = __ldcs(reinterpret_cast<const uint4*>(k + static_cast<std::int64_t>(key) * head_dim));
                    v_bits[u] = __ldcs(reinterpret_cast<const uint4*>(v + static_cast<std::int64_t>(key) * head_dim));
                }
            }
        };
        uint4 k_bits[unroll];
        uint4 v_bits[unroll];
        uint4 k_next[unroll];
        uint4 v_next[unroll];
        if constexpr (prefetch) load_step(key_begin, k_next, v_next);

        // Every lane runs the same trip count so the row reductions can shuffle the full warp.
        for (int base = key_begin; base < key_end; base += step) {
            if constexpr (prefetch) {
#pragma unroll
                for (int u = 0; u < unroll; ++u) {
                    k_bits[u] = k_next[u];
                    v_bits[u] = v_next[u];
                }
                // The next step's loads fly while this one is used (the bound is CTA-uniform).
                if (base + step < key_end) load_step(base + step, k_next, v_next);
            } else {
                load_step(base, k_bits, v_bits);
            }
            float score[unroll][chunk_heads];
#pragma unroll
            for (int u = 0; u < unroll; ++u) {
                const uint32_t words[4] = {k_bits[u].x, k_bits[u].y, k_bits[u].z, k_bits[u].w};
                float key_values[8];
#pragma unroll
                for (int w = 0; w < 4; ++w) {
                    const float2 pair = Ops::unpack(words[w]);
                    key_values[2 * w] = pair.x;
                    key_values[2 * w + 1] = pair.y;
                }
                const bool valid = base + u * row_slots + slot < key_end;
#pragma unroll
                for (int g = 0; g < chunk_heads; ++g) {
                    float dot = 0.f;
#pragma unroll
                    for (int i = 0; i < 8; ++i) dot = fmaf(q[g][i], key_values[i], dot);
#pragma unroll
                    for (int offset = row_lanes / 2; offset > 0; offset /= 2)
                        dot += __shfl_xor_sync(0xffffffffu, dot, offset);
                    score[u][g] = valid ? dot : -INFINITY;
                }
            }
#pragma unroll
            for (int g = 0; g < chunk_heads; ++g) {
                float step_max = score[0][g];
#pragma unroll
                for (int u = 1; u < unroll; ++u) step_max = fmaxf(step_max, score[u][g]);
                const float new_max = fmaxf(running_max[g], step_max);
                // Until a row slot has seen a valid key its max is -inf; use 0 as the reference
                // so exp2f gets -inf (-> 0) rather than NaN.
                const float reference = new_max == -INFINITY ? 0.f : new_max;
                const float rescale = exp2f(running_max[g] - reference);
                running_max[g] = new_max;
                running_sum[g] *= rescale;
#pragma unroll
                for (int i = 0; i < 8; ++i) acc[g][i] *= rescale;
#pragma unroll
                for (int u = 0; u < unroll; ++u) {
                    const float weight = exp2f(score[u][g] - reference);
                    running_sum[g] += weight;
                    const uint32_t words[4] = {v_bits[u].x, v_bits[u].y, v_bits[u].z, v_bits[u].w};
#pragma unroll
                    for (int w = 0; w < 4; ++w) {
                        const float2 pair = Ops::unpack(words[w]);
                        acc[g][2 * w] = fmaf(weight, pair.x, acc[g][2 * w]);
                        acc[g][2 * w + 1] = fmaf(weight, pair.y, acc[g][2 * w + 1]);
                    }
                }
            }
        }

        // Merge the row slots of this CTA, then store one partial for the unit.
#pragma unroll
        for (int g = 0; g < chunk_heads; ++g) {
            if (lane_chunk == 0) {
                merge_max[slot][g] = running_max[g];
                merge_sum[slot][g] = running_sum[g];
            }
#pragma unroll
            for (int i = 0; i < 8; ++i) merge_acc[slot][g][lane_chunk * 8 + i] = acc[g][i];
        }
        __syncthreads();
        const std::int64_t partial = cta + unit;
        for (int index = thread; index < chunk_heads * head_dim; index += k_decode_threads) {
            const int g = index / head_dim;
            const int dim = index % head_dim;
            float merged_max = -INFINITY;
            for (int s = 0; s < row_slots; ++s) merged_max = fmaxf(merged_max, merge_max[s][g]);
            // Every segment has a valid key, but padded heads (g >= heads_here) see only zeros
            // and finite scores, so merged_max is finite here; guard anyway.
            const float reference = merged_max == -INFINITY ? 0.f : merged_max;
            float merged_sum = 0.f;
            float merged_acc = 0.f;
            for (int s = 0; s < row_slots; ++s) {
                const float weight = exp2f(merge_max[s][g] - reference);
                merged_sum = fmaf(merge_sum[s][g], weight, merged_sum);
                merged_acc = fmaf(merge_acc[s][g][dim], weight, merged_acc);
            }
            const std::int64_t row = partial * p.chunk_heads + g;
            if (g < p.chunk_heads) {
                p.partial_acc[row * head_dim + dim] = merged_acc;
                if (dim == 0) {
                    p.partial_ml[row * 2] = merged_max;
                    p.partial_ml[row * 2 + 1] = merged_sum;
                }
            }
        }
        __syncthreads();
        x = segment_end;
    }
}

// One CTA of head_dim threads per (batch, query head): merge that head's partials.
template <typename T, int head_dim>
__global__ void __launch_bounds__(head_dim) decode_combine_kernel(const DecodeParams p) {
    const std::int64_t batch_head = blockIdx.x;
    const std::int64_t batch = batch_head / p.heads;
    const int head = static_cast<int>(batch_head % p.heads);
    const int kv_head = head / p.group;
    const int in_group = head % p.group;
    const int chunk = in_group / p.chunk_heads;
    const int g = in_group % p.chunk_heads;
    const std::int64_t unit = (batch * p.kv_heads + kv_head) * p.chunks + chunk;
    const std::int64_t first = block_owner(unit * p.unit_blocks, p) + unit;
    const std::int64_t last = block_owner(unit * p.unit_blocks + p.unit_blocks - 1, p) + unit;
    const int dim = static_cast<int>(threadIdx.x);

    float merged_max = -INFINITY;
    for (std::int64_t s = first; s <= last; ++s) merged_max = fmaxf(merged_max, p.partial_ml[(s * p.chunk_heads + g) * 2]);
    const float reference = merged_max == -INFINITY ? 0.f : merged_max;
    float merged_sum = 0.f;
    float merged_acc = 0.f;
    for (std::int64_t s = first; s <= last; ++s) {
        const std::int64_t row = s * p.chunk_heads + g;
        const float weight = exp2f(p.partial_ml[row * 2] - reference);
        merged_sum = fmaf(p.partial_ml[row * 2 + 1], weight, merged_sum);
        merged_acc = fmaf(p.partial_acc[row * head_dim + dim], weight, merged_acc);
    }
    const float inverse = merged_sum > 0.f ? 1.f / merged_sum : 0.f;
    static_cast<T*>(p.out)[batch_head * head_dim + dim] = DTypeOps<T>::from_float(merged_acc * inverse);
    if (p.lse != nullptr && dim == 0)
        p.lse[batch_head] = merged_sum > 0.f ? merged_max * detail::k_ln2 + logf(merged_sum) : -INFINITY;
}

template <typename T, int head_dim, int chunk_heads, bool prefetch>
int ctas_per_sm() {
    // Occupancy of one kernel never changes; ask once.
    static const int value = [] {
        int blocks = 0;
        if (cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, decode_split_kernel<T, head_dim, chunk_heads, prefetch>,
                                                          k_decode_threads, 0) != cudaSuccess)
            blocks = 1;
        return std::clamp(blocks, 1, k_max_ctas_per_sm);
    }();
    return value;
}

template <typename T, int head_dim, int chunk_heads, bool prefetch>
std::string launch_decode(DecodeParams p, std::int64_t batch_heads, int sm_count, cudaStream_t stream) {
    p.grid = std::min<std::int64_t>(p.total_blocks, static_cast<std::int64_t>(sm_count) *
                                                        ctas_per_sm<T, head_dim, chunk_heads, prefetch>());
    decode_split_kernel<T, head_dim, chunk_heads, prefetch>
        <<<static_cast<unsigned>(p.grid), k_decode_threads, 0, stream>>>(p);
    cudaError_t error = cudaGetLastError();
    if (error != cudaSuccess) return detail::cuda_error("decode split kernel launch", error);
    decode_combine_kernel<T, head_dim><<<static_cast<unsigned>(batch_heads), head_dim, 0, stream>>>(p);
    error = cudaGetLastError();
    if (error != cudaSuccess) return detail::cuda_error("decode combine kernel launch", error);
    return "";
}

template <typename T, int head_dim, bool prefetch>
std::string launch_decode(const DecodeParams& p, std::int64_t batch_heads, int sm_count, cudaStream_t stream) {
    switch (p.chunk_heads) {
        case 1: return launch_decode<T, head_dim, 1, prefetch>(p, batch_heads, sm_count, stream);
        case 2: return launch_decode<T, head_dim, 2, prefetch>(p, batch_heads, sm_count, stream);
        case 3:
        case 4: return launch_decode<T, head_dim, 4, prefetch>(p, batch_heads, sm_count, stream);
        default: return launch_decode<T, head_dim, 8, prefetch>(p, batch_heads, sm_count, stream);
    }
}

template <typename T>
std::string launch_decode(const DecodeParams& p, int head_dim, bool prefetch, std::int64_t batch_heads, int sm_count,
                          cudaStream_t stream) {
    if (head_dim == 64)
        return prefetch ? launch_decode<T, 64, true>(p, batch_heads, sm_count, stream)
                        : launch_decode<T, 64, false>(p, batch_heads, sm_count, stream);
    return prefetch ? launch_decode<T, 128, true>(p, batch_heads, sm_count, stream)
                    : launch_decode<T, 128, false>(p, batch_heads, sm_count, stream);
}

}  // namespace

std::size_t attention_decode_workspace_bytes(const AttentionShape& shape, int sm_count) {
    if (shape.kv_heads == 0 || shape.heads % shape.kv_heads != 0 || shape.kv_len == 0 || sm_count <= 0) return 0;
    const DecodeLayout layout = DecodeLayout::of(shape);
    const std::int64_t grid =
        std::min<std::int64_t>(layout.total_blocks, static_cast<std::int64_t>(sm_count) * k_max_ctas_per_sm);
    return static_cast<std::size_t>(layout.slots(grid)) * static_cast<std::size_t>(layout.chunk_heads) *
           (shape.head_dim + 2) * sizeof(float);
}

std::string attention_decode(const AttentionShape& shape, DType dtype, const void* q, const void* k, const void* v,
                             void* out, float* lse, float scale, void* workspace, std::size_t workspace_bytes,
                             void* stream, DecodeTuning tuning) {
    if (shape.q_len != 1) return "attention_decode: q_len must be 1 (got " + std::to_string(shape.q_len) + ")";
    if (shape.head_dim != 64 && shape.head_dim != 128)
        return "attention_decode: head_dim " + std::to_string(shape.head_dim) + " is not supported (64 or 128)";
    if (shape.batch == 0 || shape.heads == 0 || shape.kv_len == 0)
        return "attention_decode: batch, heads and kv_len must be at least 1";
    if (shape.kv_heads == 0 || shape.heads % shape.kv_heads != 0)
        return "attention_decode: kv_heads (" + std::to_string(shape.kv_heads) + ") must divide heads (" +
               std::to_string(shape.heads) + ")";
    if (shape.kv_len > (1u << 30) || shape.batch * shape.heads > (1u << 30))
        return "attention_decode: shape too large (kv_len and batch * heads <= 2^30)";
    const void* const pointers[] = {q, k, v, out, workspace};
    for (const void* pointer : pointers)
        if (reinterpret_cast<std::uintptr_t>(pointer) % 16 != 0)
            return "attention_decode: q, k, v, out and workspace must be 16-byte aligned device pointers";
    const int sm_count = cuda_sm_count();
    if (sm_count <= 0) return "attention_decode: no CUDA device";
    const std::size_t needed = attention_decode_workspace_bytes(shape, sm_count);
    if (workspace_bytes < needed)
        return "attention_decode: workspace of " + std::to_string(workspace_bytes) + " bytes is too small (needs " +
               std::to_string(needed) + ")";
    if (scale <= 0) scale = 1.f / std::sqrt(static_cast<float>(shape.head_dim));

    const DecodeLayout layout = DecodeLayout::of(shape);
    const std::int64_t max_slots = layout.slots(
        std::min<std::int64_t>(layout.total_blocks, static_cast<std::int64_t>(sm_count) * k_max_ctas_per_sm));
    DecodeParams p{};
    p.q = q;
    p.k = k;
    p.v = v;
    p.out = out;
    p.lse = lse;
    p.partial_acc = static_cast<float*>(workspace);
    p.partial_ml = p.partial_acc + max_slots * layout.chunk_heads * static_cast<std::int64_t>(shape.head_dim);
    p.heads = static_cast<int>(shape.heads);
    p.kv_heads = static_cast<int>(shape.kv_heads);
    p.group = static_cast<int>(shape.heads / shape.kv_heads);
    p.chunk_heads = layout.chunk_heads;
    p.chunks = layout.chunks;
    p.kv_len = static_cast<int>(shape.kv_len);
    p.unit_blocks = layout.unit_blocks;
    p.total_blocks = layout.total_blocks;
    p.scale_log2 = scale * detail::k_log2e;
    const auto batch_heads = static_cast<std::int64_t>(shape.batch * shape.heads);
    const auto cuda_stream = static_cast<cudaStream_t>(stream);
    const int head_dim = static_cast<int>(shape.head_dim);
    return dtype == DType::f16
               ? launch_decode<__half>(p, head_dim, tuning.prefetch, batch_heads, sm_count, cuda_stream)
               : launch_decode<__nv_bfloat16>(p, head_dim, tuning.prefetch, batch_heads, sm_count, cuda_stream);
}

}  // namespace optiloop::kernels

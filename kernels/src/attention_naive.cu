// The textbook baseline the fused kernels are measured against: materialise the fp32 score
// matrix with cuBLAS, softmax it row by row into dtype probabilities, multiply by V with cuBLAS.
// The query heads of one GQA group are consecutive rows of Q, so each (batch, kv head) is one
// GEMM of group * q_len rows and the whole batch is one strided-batched call.
#include <cublas_v2.h>

#include <cmath>
#include <cstdint>
#include <string>

#include <optiloop/kernels/attention_cuda.hpp>

#include "cuda_common.cuh"

namespace optiloop::kernels {

namespace {

constexpr int k_softmax_threads = 256;

__device__ float block_reduce(float value, bool take_max, float* scratch) {
    for (int offset = 16; offset > 0; offset /= 2) {
        const float other = __shfl_xor_sync(0xffffffffu, value, offset);
        value = take_max ? fmaxf(value, other) : value + other;
    }
    const int warp = static_cast<int>(threadIdx.x) / 32;
    if (threadIdx.x % 32 == 0) scratch[warp] = value;
    __syncthreads();
    value = scratch[0];
    for (int w = 1; w < k_softmax_threads / 32; ++w) value = take_max ? fmaxf(value, scratch[w]) : value + scratch[w];
    __syncthreads();  // scratch is reused by the next reduction
    return value;
}

// One CTA per score row: masked softmax of fp32 scores into dtype probabilities and the row's lse.
template <typename T>
__global__ void __launch_bounds__(k_softmax_threads)
    softmax_kernel(const float* scores, T* probabilities, float* lse, int q_len, int kv_len, bool causal) {
    __shared__ float scratch[k_softmax_threads / 32];
    const std::int64_t row = blockIdx.x;  // (batch * heads + head) * q_len + query
    const int query = static_cast<int>(row % q_len);
    const int visible = causal ? max(0, min(kv_len, query + 1 + kv_len - q_len)) : kv_len;
    const float* const s = scores + row * kv_len;
    T* const p = probabilities + row * kv_len;

    float row_max = -INFINITY;
    for (int j = static_cast<int>(threadIdx.x); j < visible; j += k_softmax_threads) row_max = fmaxf(row_max, s[j]);
    row_max = block_reduce(row_max, true, scratch);
    const float reference = row_max == -INFINITY ? 0.f : row_max;
    float sum = 0.f;
    for (int j = static_cast<int>(threadIdx.x); j < visible; j += k_softmax_threads)
        sum += exp2f((s[j] - reference) * detail::k_log2e);
    sum = block_reduce(sum, false, scratch);
    const float inverse = sum > 0.f ? 1.f / sum : 0.f;
    for (int j = static_cast<int>(threadIdx.x); j < kv_len; j += k_softmax_threads)
        p[j] = detail::DTypeOps<T>::from_float(j < visible ? exp2f((s[j] - reference) * detail::k_log2e) * inverse : 0.f);
    if (lse != nullptr && threadIdx.x == 0) lse[row] = sum > 0.f ? reference + logf(sum) : -INFINITY;
}

std::string cublas_error(const char* what, cublasStatus_t status) {
    return std::string("attention_naive: ") + what + ": " + cublasGetStatusName(status) + " (" +
           cublasGetStatusString(status) + ")";
}

// One handle per host thread, made on first use: creating a handle costs milliseconds.
cublasHandle_t cublas_handle(std::string* error) {
    thread_local cublasHandle_t handle = nullptr;
    if (handle == nullptr) {
        const cublasStatus_t status = cublasCreate(&handle);
        if (status != CUBLAS_STATUS_SUCCESS) {
            *error = cublas_error("cublasCreate", status);
            handle = nullptr;
        }
    }
    return handle;
}

}  // namespace

std::size_t attention_naive_workspace_bytes(const AttentionShape& shape) {
    const std::size_t rows = shape.batch * shape.heads * shape.q_len;
    const std::size_t scores = rows * shape.kv_len * sizeof(float);
    const std::size_t probabilities = rows * shape.kv_len * 2;
    return (scores + 255) / 256 * 256 + probabilities;
}

std::string attention_naive(const AttentionShape& shape, DType dtype, const void* q, const void* k, const void* v,
                            void* out, float* lse, float scale, void* workspace, std::size_t workspace_bytes,
                            void* stream) {
    if (shape.head_dim == 0 || shape.head_dim % 8 != 0)
        return "attention_naive: head_dim must be a positive multiple of 8 (got " + std::to_string(shape.head_dim) + ")";
    if (shape.batch == 0 || shape.heads == 0 || shape.q_len == 0 || shape.kv_len == 0)
        return "attention_naive: batch, heads, q_len and kv_len must be at least 1";
    if (shape.kv_heads == 0 || shape.heads % shape.kv_heads != 0)
        return "attention_naive: kv_heads must divide heads";
    const std::size_t group = shape.heads / shape.kv_heads;
    if (group * shape.q_len > (1u << 30) || shape.kv_len > (1u << 30) || shape.batch * shape.kv_heads > (1u << 30))
        return "attention_naive: shape too large for 32-bit cuBLAS dimensions";
    const std::size_t needed = attention_naive_workspace_bytes(shape);
    if (workspace_bytes < needed)
        return "attention_naive: workspace of " + std::to_string(workspace_bytes) + " bytes is too small (needs " +
               std::to_string(needed) + ")";
    if (scale <= 0) scale = 1.f / std::sqrt(static_cast<float>(shape.head_dim));

    std::string error;
    cublasHandle_t handle = cublas_handle(&error);
    if (handle == nullptr) return error;
    const auto cuda_stream = static_cast<cudaStream_t>(stream);
    cublasStatus_t status = cublasSetStream(handle, cuda_stream);
    if (status != CUBLAS_STATUS_SUCCESS) return cublas_error("cublasSetStream", status);

    auto* scores = static_cast<float*>(workspace);
    const std::size_t rows = shape.batch * shape.heads * shape.q_len;
    void* probabilities = static_cast<char*>(workspace) + (rows * shape.kv_len * sizeof(float) + 255) / 256 * 256;
    const cudaDataType type = dtype == DType::f16 ? CUDA_R_16F : CUDA_R_16BF;
    const auto d = static_cast<int>(shape.head_dim);
    const auto group_rows = static_cast<int>(group * shape.q_len);
    const auto kv_len = static_cast<int>(shape.kv_len);
    const auto batches = static_cast<int>(shape.batch * shape.kv_heads);
    const auto kv_stride = static_cast<long long>(shape.kv_len * shape.head_dim);
    const auto q_stride = static_cast<long long>(group_rows) * d;
    const auto score_stride = static_cast<long long>(group_rows) * kv_len;

    // Row-major X is column-major X^T, so S^T (kv_len x rows) = K * Q^T: op(A) = K (A stored as
    // the column-major head_dim x kv_len matrix K^T, transposed), B = Q^T.
    const float one = 1.f;
    const float zero = 0.f;
    status = cublasGemmStridedBatchedEx(handle, CUBLAS_OP_T, CUBLAS_OP_N, kv_len, group_rows, d, &scale, k, type, d,
                                        kv_stride, q, type, d, q_stride, &zero, scores, CUDA_R_32F, kv_len,
                                        score_stride, batches, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
    if (status != CUBLAS_STATUS_SUCCESS) return cublas_error("cublasGemmStridedBatchedEx(Q K^T)", status);

    const auto q_len = static_cast<int>(shape.q_len);
    if (dtype == DType::f16)
        softmax_kernel<__half><<<static_cast<unsigned>(rows), k_softmax_threads, 0, cuda_stream>>>(
            scores, static_cast<__half*>(probabilities), lse, q_len, kv_len, shape.causal);
    else
        softmax_kernel<__nv_bfloat16><<<static_cast<unsigned>(rows), k_softmax_threads, 0, cuda_stream>>>(
            scores, static_cast<__nv_bfloat16*>(probabilities), lse, q_len, kv_len, shape.causal);
    const cudaError_t launched = cudaGetLastError();
    if (launched != cudaSuccess) return "attention_naive: " + detail::cuda_error("softmax kernel launch", launched);

    // O^T (head_dim x rows) = V^T * P^T: V stored [key][dim] is the column-major head_dim x kv_len
    // matrix V^T, P stored [row][key] is the column-major kv_len x rows matrix P^T.
    status = cublasGemmStridedBatchedEx(handle, CUBLAS_OP_N, CUBLAS_OP_N, d, group_rows, kv_len, &one, v, type, d,
                                        kv_stride, probabilities, type, kv_len, score_stride, &zero, out, type, d,
                                        q_stride, batches, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
    if (status != CUBLAS_STATUS_SUCCESS) return cublas_error("cublasGemmStridedBatchedEx(P V)", status);
    return "";
}

}  // namespace optiloop::kernels

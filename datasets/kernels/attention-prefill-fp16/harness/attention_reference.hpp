// CPU attention: the float64 reference that is the oracle for every kernel test, and the
// problem shape shared by the CPU and CUDA kernels. Layout: [batch, heads, seq, head_dim],
// row-major; grouped-query attention maps query head h to KV head h / (heads / kv_heads).
#pragma once

#include <cstddef>
#include <vector>

namespace optiloop::kernels {

struct AttentionShape {
    std::size_t batch = 1;
    std::size_t heads = 1;     // query heads
    std::size_t kv_heads = 1;  // divides heads
    std::size_t q_len = 1;
    std::size_t kv_len = 1;
    std::size_t head_dim = 64;
    bool causal = false;  // query i sees keys j <= i + (kv_len - q_len) (aligned at the end)

    [[nodiscard]] std::size_t q_elements() const { return batch * heads * q_len * head_dim; }
    [[nodiscard]] std::size_t kv_elements() const { return batch * kv_heads * kv_len * head_dim; }
};

// softmax(Q K^T * scale [+ causal mask]) V in float64, with the log-sum-exp of each row
// (natural log) when lse is not null. scale defaults to 1 / sqrt(head_dim) when <= 0.
void attention_reference(const AttentionShape& shape, const double* q, const double* k, const double* v, double* out,
                         double* lse = nullptr, double scale = 0);

// Relative L2 error ||a - b|| / ||b||.
double relative_l2_error(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace optiloop::kernels

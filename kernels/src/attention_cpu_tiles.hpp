// What the CPU kernel's tile code (attention_cpu_tiles.inc, built once per instruction-set path)
// shares with attention_cpu.cpp, which splits the work over threads and picks the path.
#pragma once

#include <cstddef>

#include <optiloop/kernels/attention_reference.hpp>

namespace optiloop::kernels::cpu {

// Query rows per work item: enough to reuse each K and V tile many times from cache, few enough
// that a causal run still splits into many items for the threads.
constexpr std::size_t k_query_tile = 64;
// Keys per inner step: the transposed K tile and the V tile (64 x head_dim floats each) stay in
// L1/L2 while the query tile's rows pass over them one by one.
constexpr std::size_t k_key_tile = 64;

struct Problem {
    const AttentionShape& m_shape;
    const float* m_q;
    const float* m_k;
    const float* m_v;
    float* m_out;
    float* m_lse;
    float m_scale_log2;  // softmax scale times log2(e): scores come out ready for exp2
    std::size_t m_query_tiles;
};

// One thread's working set, in buffers the caller allocates once per call so that work items
// allocate nothing.
struct Scratch {
    float* m_q;       // [k_query_tile][head_dim], prescaled by scale * log2(e)
    float* m_k_t;     // [head_dim][k_key_tile]
    float* m_scores;  // [k_key_tile], then the probabilities
    float* m_acc;     // [k_query_tile][head_dim]
    float* m_max;     // running max per row, log2 units
    float* m_sum;     // running sum of exp2(score - max) per row

    // Floats the buffers take for one head size.
    static constexpr std::size_t floats(std::size_t head_dim) {
        return 2 * k_query_tile * head_dim + head_dim * k_key_tile + k_key_tile + 2 * k_query_tile;
    }
};

// Computes work item `item`: one (batch, head, query tile), tiles numbered from the last.
using RunItem = void (*)(const Problem& problem, std::size_t item, const Scratch& scratch);

// Each path's instance for a head size (64 and 128 have their own, with head_dim fixed).
namespace portable {
RunItem run_item_for(std::size_t head_dim);
}
#if OPTILOOP_CPU_X86_PATHS
namespace x86_64_v3 {
RunItem run_item_for(std::size_t head_dim);
}
namespace x86_64_v4 {
RunItem run_item_for(std::size_t head_dim);
}
#endif

}  // namespace optiloop::kernels::cpu

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include <optiloop/kernels/attention_cpu.hpp>

namespace optiloop::kernels {

namespace {

// Query rows per work item: enough to reuse each K and V tile many times from cache, few enough
// that a causal run still splits into many items for the threads.
constexpr std::size_t k_query_tile = 64;
// Keys per inner step: the transposed K tile and the V tile (64 x head_dim floats each) stay in
// L1/L2 while the query tile's rows pass over them one by one.
constexpr std::size_t k_key_tile = 64;
// Softmax reductions run in this many independent lanes (see softmax_row).
constexpr std::size_t k_lanes = 8;

constexpr double k_ln2 = 0.69314718055994530942;
constexpr double k_log2e = 1.44269504088896340736;
constexpr float k_neg_inf = -std::numeric_limits<float>::infinity();

constexpr std::size_t round_up(std::size_t n, std::size_t multiple) {
    return (n + multiple - 1) / multiple * multiple;
}

// 2^x for x <= 0 (scores minus the running max), written so that the loop calling it vectorises
// at plain -O3: glibc's exp2f has vector variants only under -ffast-math, and under the default
// -ftrapping-math GCC will not if-convert a float comparison or a branch around float arithmetic,
// so the clamp and the underflow test are integer arithmetic on the bits, without selects.
// Results below 2^-126 (and -inf, a masked score) give exactly 0.
inline float exp2_nonpositive(float x) {
    constexpr std::int32_t k_limit = 0x42fc0000;  // bits of 126.0f
    const std::int32_t magnitude = std::bit_cast<std::int32_t>(x) & 0x7fffffff;
    const std::int32_t excess = magnitude - k_limit;
    const std::int32_t keep = excess >> 31;  // all ones when |x| < 126, else 0
    const std::int32_t clamped = k_limit + (excess & keep);
    x = std::bit_cast<float>(clamped | std::numeric_limits<std::int32_t>::min());  // -min(|x|, 126)

    // Adding and removing 1.5 * 2^23 rounds to the nearest integer (SSE2 has no vector floor);
    // the low bits of the sum are that integer.
    constexpr float k_round = 12582912.0f;
    const float shifted = x + k_round;
    const float whole = shifted - k_round;
    const float fraction = x - whole;  // in [-0.5, 0.5]
    // Taylor series of e^(fraction * ln2) to degree 7: the truncation error, below
    // (0.5 ln2)^8 / 8! < 1e-8, is under half a float ulp.
    constexpr float c1 = static_cast<float>(k_ln2);
    constexpr float c2 = static_cast<float>(k_ln2 * k_ln2 / 2);
    constexpr float c3 = static_cast<float>(k_ln2 * k_ln2 * k_ln2 / 6);
    constexpr float c4 = static_cast<float>(k_ln2 * k_ln2 * k_ln2 * k_ln2 / 24);
    constexpr float c5 = static_cast<float>(k_ln2 * k_ln2 * k_ln2 * k_ln2 * k_ln2 / 120);
    constexpr float c6 = static_cast<float>(k_ln2 * k_ln2 * k_ln2 * k_ln2 * k_ln2 * k_ln2 / 720);
    constexpr float c7 =
        static_cast<float>(k_ln2 * k_ln2 * k_ln2 * k_ln2 * k_ln2 * k_ln2 * k_ln2 / 5040);
    float poly = c7;
    poly = poly * fraction + c6;
    poly = poly * fraction + c5;
    poly = poly * fraction + c4;
    poly = poly * fraction + c3;
    poly = poly * fraction + c2;
    poly = poly * fraction + c1;
    poly = poly * fraction + 1.0f;
    // whole is in [-126, 0], so the biased exponent is that of a normal float.
    const std::int32_t whole_bits =
        std::bit_cast<std::int32_t>(shifted) - std::bit_cast<std::int32_t>(k_round);
    const float power = std::bit_cast<float>((whole_bits + 127) << 23);
    return std::bit_cast<float>(std::bit_cast<std::int32_t>(poly * power) & keep);
}

// A float's bits as an int that orders like the float, so that a max over it vectorises
// (a float max does not, for the same -ftrapping-math reason as above).
inline std::int32_t ordered_bits(float x) {
    const std::int32_t bits = std::bit_cast<std::int32_t>(x);
    return bits ^ ((bits >> 31) & 0x7fffffff);
}

inline float from_ordered_bits(std::int32_t ordered) {
    return std::bit_cast<float>(ordered ^ ((ordered >> 31) & 0x7fffffff));
}

// Every loop below that carries the arithmetic is an innermost loop along contiguous memory
// with no reduction in it (scores along keys, the accumulator along head_dim), which GCC
// vectorises at any -march. A register-blocked micro-kernel (a few rows x 8 lanes, unrolled) is
// a little faster with SSE2, but wherever gathers exist (-march=x86-64-v3 and up) GCC vectorises
// the reduction loop around the unrolled block instead, as an in-order float reduction, and the
// kernel runs ten times slower. A vector loop must therefore stay long (64 scalar iterations):
// a short one is unrolled before vectorisation and exposes the loop around it the same way.

// Scores of one query row against a whole K tile (transposed, [head_dim][k_key_tile]).
inline void score_row(const float* __restrict q_row, std::size_t head_dim,
                      const float* __restrict k_t, float* __restrict scores) {
    for (std::size_t c = 0; c < k_key_tile; ++c) scores[c] = 0.0f;
    for (std::size_t x = 0; x < head_dim; ++x) {
        const float q_value = q_row[x];
        const float* __restrict k_row = k_t + x * k_key_tile;
        for (std::size_t c = 0; c < k_key_tile; ++c) scores[c] += q_value * k_row[c];
    }
}

// acc_row += sum over keys of p[key] * v[key]. k_head_dim is the head size when it is known at
// compile time (the common 64 and 128, whose vector loop GCC then unrolls completely), else 0.
template <std::size_t k_head_dim>
inline void accumulate_row(const float* __restrict probs, std::size_t keys,
                           const float* __restrict v, std::size_t head_dim,
                           float* __restrict acc_row) {
    const std::size_t width = k_head_dim != 0 ? k_head_dim : head_dim;
    for (std::size_t c = 0; c < keys; ++c) {
        const float p = probs[c];
        const float* __restrict v_row = v + c * width;
        for (std::size_t x = 0; x < width; ++x) acc_row[x] += p * v_row[x];
    }
}

// Brings one row's running max and sum up to date with a key tile, turns its scores (log2 units)
// into probabilities relative to the new max, and rescales the row's accumulator by the change
// of max. visible is how many of the tile's keys the row sees.
void softmax_row(float* __restrict scores, std::size_t keys_padded, bool needs_mask,
                 std::int64_t visible, float& running_max, float& running_sum,
                 float* __restrict acc_row, std::size_t head_dim) {
    if (needs_mask) {
        const auto bound =
            static_cast<std::int32_t>(std::clamp<std::int64_t>(visible, 0, k_key_tile));
        for (std::size_t c = 0; c < keys_padded; ++c)
            scores[c] = static_cast<std::int32_t>(c) < bound ? scores[c] : k_neg_inf;
    }
    // Fixed lanes keep the max and the sum vectorisable without -ffast-math, in a fixed order.
    std::int32_t lane_max[k_lanes];
    for (std::size_t w = 0; w < k_lanes; ++w) lane_max[w] = ordered_bits(k_neg_inf);
    for (std::size_t c = 0; c < keys_padded; c += k_lanes)
        for (std::size_t w = 0; w < k_lanes; ++w) {
            const std::int32_t score = ordered_bits(scores[c + w]);
            lane_max[w] = lane_max[w] < score ? score : lane_max[w];
        }
    std::int32_t max_bits = lane_max[0];
    for (std::size_t w = 1; w < k_lanes; ++w)
        max_bits = max_bits < lane_max[w] ? lane_max[w] : max_bits;

    const float new_max = std::max(running_max, from_ordered_bits(max_bits));
    // A row that has seen only masked keys keeps max -inf; subtracting 0 avoids -inf - -inf.
    const float shift = new_max == k_neg_inf ? 0.0f : new_max;
    if (new_max != running_max) {
        const float correction = std::exp2(running_max - shift);  // 0 when the old max is -inf
        running_sum *= correction;
        for (std::size_t x = 0; x < head_dim; ++x) acc_row[x] *= correction;
        running_max = new_max;
    }

    for (std::size_t c = 0; c < keys_padded; ++c) scores[c] = exp2_nonpositive(scores[c] - shift);
    float lane_sum[k_lanes] = {};
    for (std::size_t c = 0; c < keys_padded; c += k_lanes)
        for (std::size_t w = 0; w < k_lanes; ++w) lane_sum[w] += scores[c + w];
    for (std::size_t w = 0; w < k_lanes; ++w) running_sum += lane_sum[w];
}

// One thread's working set, allocated once per call so that work items allocate nothing.
struct Scratch {
    std::vector<float> m_q;       // [k_query_tile][head_dim], prescaled by scale * log2(e)
    std::vector<float> m_k_t;     // [head_dim][k_key_tile]
    std::vector<float> m_scores;  // [k_key_tile], then the probabilities
    std::vector<float> m_acc;     // [k_query_tile][head_dim]
    std::vector<float> m_max;     // running max per row, log2 units
    std::vector<float> m_sum;     // running sum of exp2(score - max) per row

    explicit Scratch(std::size_t head_dim)
        : m_q(k_query_tile * head_dim),
          m_k_t(head_dim * k_key_tile),
          m_scores(k_key_tile),
          m_acc(k_query_tile * head_dim),
          m_max(k_query_tile),
          m_sum(k_query_tile) {}
};

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

template <std::size_t k_head_dim>
void run_item(const Problem& problem, std::size_t item, Scratch& scratch) {
    const AttentionShape& s = problem.m_shape;
    const std::size_t d = k_head_dim != 0 ? k_head_dim : s.head_dim;
    const std::size_t heads_total = s.batch * s.heads;
    // Items run from the last query tile down: under causal masking those see the most keys,
    // and handing them out first keeps the threads' finishing times close.
    const std::size_t tile = problem.m_query_tiles - 1 - item / heads_total;
    const std::size_t bh = item % heads_total;
    const std::size_t b = bh / s.heads;
    const std::size_t h = bh % s.heads;
    const std::size_t kv_head = h / (s.heads / s.kv_heads);

    const std::size_t first_row = tile * k_query_tile;
    const std::size_t rows = std::min(k_query_tile, s.q_len - first_row);

    const float* q = problem.m_q + (bh * s.q_len + first_row) * d;
    const float* k = problem.m_k + (b * s.kv_heads + kv_head) * s.kv_len * d;
    const float* v = problem.m_v + (b * s.kv_heads + kv_head) * s.kv_len * d;
    float* out = problem.m_out + (bh * s.q_len + first_row) * d;

    float* __restrict q_tile = scratch.m_q.data();
    float* __restrict k_t = scratch.m_k_t.data();
    float* __restrict scores = scratch.m_scores.data();
    float* __restrict acc = scratch.m_acc.data();
    float* __restrict running_max = scratch.m_max.data();
    float* __restrict running_sum = scratch.m_sum.data();

    for (std::size_t i = 0; i < rows * d; ++i) q_tile[i] = q[i] * problem.m_scale_log2;
    std::fill(acc, acc + rows * d, 0.0f);
    std::fill(running_max, running_max + rows, k_neg_inf);
    std::fill(running_sum, running_sum + rows, 0.0f);

    // Row r sees keys up to last_key(r); the limit grows with the row, so the last row bounds the
    // keys the tile needs and the first row tells where masking starts.
    const auto kv_len = static_cast<std::int64_t>(s.kv_len);
    const std::int64_t offset = kv_len - static_cast<std::int64_t>(s.q_len);
    auto last_key = [&](std::size_t r) {
        const auto row = static_cast<std::int64_t>(first_row + r);
        return s.causal ? std::min(row + offset, kv_len - 1) : kv_len - 1;
    };
    const std::int64_t keys_needed = std::max<std::int64_t>(last_key(rows - 1) + 1, 0);
    const std::int64_t unmasked_keys = std::max<std::int64_t>(last_key(0) + 1, 0);

    for (std::int64_t key0 = 0; key0 < keys_needed; key0 += static_cast<std::int64_t>(k_key_tile)) {
        const auto keys =
            static_cast<std::size_t>(std::min<std::int64_t>(k_key_tile, keys_needed - key0));
        const std::size_t keys_padded = round_up(keys, k_lanes);
        const bool needs_mask = key0 + static_cast<std::int64_t>(keys_padded) > unmasked_keys;
        const float* k_tile = k + static_cast<std::size_t>(key0) * d;
        const float* v_tile = v + static_cast<std::size_t>(key0) * d;

        // Columns past the last key are zero (finite scores); the mask removes them.
        for (std::size_t c = 0; c < keys; ++c)
            for (std::size_t x = 0; x < d; ++x) k_t[x * k_key_tile + c] = k_tile[c * d + x];
        if (keys < k_key_tile)
            for (std::size_t x = 0; x < d; ++x)
                std::fill(k_t + x * k_key_tile + keys, k_t + (x + 1) * k_key_tile, 0.0f);

        for (std::size_t r = 0; r < rows; ++r) {
            float* __restrict acc_row = acc + r * d;
            score_row(q_tile + r * d, d, k_t, scores);
            softmax_row(scores, keys_padded, needs_mask, last_key(r) + 1 - key0, running_max[r],
                        running_sum[r], acc_row, d);
            accumulate_row<k_head_dim>(scores, keys, v_tile, d, acc_row);
        }
    }

    for (std::size_t r = 0; r < rows; ++r) {
        const float sum = running_sum[r];
        // sum is 0 only for a row that sees no key: it gets zeros and lse -inf.
        const float inverse = sum > 0 ? 1.0f / sum : 0.0f;
        const float* __restrict acc_row = acc + r * d;
        float* __restrict out_row = out + r * d;
        for (std::size_t x = 0; x < d; ++x) out_row[x] = acc_row[x] * inverse;
        if (problem.m_lse) {
            const float lse =
                sum > 0 ? static_cast<float>((running_max[r] + std::log2(sum)) * k_ln2) : k_neg_inf;
            problem.m_lse[bh * s.q_len + first_row + r] = lse;
        }
    }
}

}  // namespace

void attention_cpu(const AttentionShape& shape, const float* q, const float* k, const float* v,
                   float* out, float* lse, float scale, int threads) {
    if (shape.kv_heads == 0 || shape.heads % shape.kv_heads != 0)
        throw std::invalid_argument("attention_cpu: kv_heads must be non-zero and divide heads");
    if (shape.head_dim == 0)
        throw std::invalid_argument("attention_cpu: head_dim must be non-zero");
    if (shape.batch == 0 || shape.heads == 0 || shape.q_len == 0) return;

    if (scale <= 0)
        scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(shape.head_dim)));
    const std::size_t query_tiles = (shape.q_len + k_query_tile - 1) / k_query_tile;
    const Problem problem{shape,      q, k, v, out, lse, static_cast<float>(scale * k_log2e),
                          query_tiles};
    const std::size_t items = shape.batch * shape.heads * query_tiles;

    std::size_t workers =
        threads > 0 ? static_cast<std::size_t>(threads) : std::thread::hardware_concurrency();
    workers = std::clamp<std::size_t>(workers, 1, items);

    // Scratch is allocated here so that an allocation failure surfaces as an exception in the
    // caller's thread rather than std::terminate in a worker.
    std::vector<Scratch> scratch;
    scratch.reserve(workers);
    for (std::size_t t = 0; t < workers; ++t) scratch.emplace_back(shape.head_dim);

    std::atomic<std::size_t> next_item{0};
    // The common head sizes get their own instances, with head_dim a compile-time constant.
    void (*const run)(const Problem&, std::size_t, Scratch&) = shape.head_dim == 64 ? run_item<64>
                                                               : shape.head_dim == 128
                                                                   ? run_item<128>
                                                                   : run_item<0>;
    auto work = [&](Scratch& mine) {
        for (std::size_t item = next_item.fetch_add(1, std::memory_order_relaxed); item < items;
             item = next_item.fetch_add(1, std::memory_order_relaxed))
            run(problem, item, mine);
    };
    if (workers == 1) {
        work(scratch[0]);
        return;
    }
    std::vector<std::jthread> pool;
    pool.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work, std::ref(scratch[t]));
    work(scratch[0]);
}

}  // namespace optiloop::kernels

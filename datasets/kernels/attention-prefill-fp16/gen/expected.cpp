// The expected output of a test: prefill attention in double on the CPU, from the same fp16
// inputs the harness generates (harness/inputs.hpp), for the output rows that are printed only.
// Causal masking is aligned at the end (query i sees keys j <= i + KV_LEN - Q_LEN); a row that
// sees no key is 0, as attention_cuda.hpp specifies.
// Build: g++ -std=c++17 -O2 -I ../harness expected.cpp
// Use: ./a.out < tests/NAME.in > tests/NAME.out
#include <algorithm>
#include <cmath>
#include <vector>

#include "inputs.hpp"

int main() {
    PrefillShape s;
    if (!read_shape(s)) return 2;
    std::vector<std::uint16_t> q, k, v;
    make_inputs(s, q, k, v);
    std::vector<double> value_of(1 << 16);
    for (std::size_t bits = 0; bits < value_of.size(); ++bits) value_of[bits] = half_value(static_cast<std::uint16_t>(bits));

    const int d = s.head_dim;
    const double scale = 1.0 / std::sqrt(static_cast<double>(d));
    std::vector<double> row(static_cast<std::size_t>(d)), scores(static_cast<std::size_t>(s.kv_len));
    std::size_t row_index = static_cast<std::size_t>(-1);
    // Fills `row` with output row r = (b * H + h) * Q_LEN + i.
    auto compute_row = [&](std::size_t r) {
        const int i = static_cast<int>(r % static_cast<std::size_t>(s.q_len));
        const std::size_t bh = r / static_cast<std::size_t>(s.q_len);
        const int b = static_cast<int>(bh / static_cast<std::size_t>(s.heads)), h = static_cast<int>(bh % static_cast<std::size_t>(s.heads));
        const int kvh = h / (s.heads / s.kv_heads);
        const std::uint16_t* qp = &q[r * d];
        const std::size_t base = (static_cast<std::size_t>(b) * s.kv_heads + kvh) * s.kv_len * d;
        const int visible = s.causal ? std::min(s.kv_len, std::max(0, i + s.kv_len - s.q_len + 1)) : s.kv_len;
        std::fill(row.begin(), row.end(), 0.0);
        if (visible == 0) return;
        double max_score = -INFINITY;
        for (int j = 0; j < visible; ++j) {
            const std::uint16_t* kp = &k[base + static_cast<std::size_t>(j) * d];
            double dot = 0;
            for (int e = 0; e < d; ++e) dot += value_of[qp[e]] * value_of[kp[e]];
            scores[j] = dot * scale;
            max_score = std::max(max_score, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j < visible; ++j) sum += (scores[j] = std::exp(scores[j] - max_score));
        for (int j = 0; j < visible; ++j) {
            const std::uint16_t* vp = &v[base + static_cast<std::size_t>(j) * d];
            const double weight = scores[j] / sum;
            for (int e = 0; e < d; ++e) row[e] += weight * value_of[vp[e]];
        }
    };
    print_output(s.q_elements(), [&](std::size_t index) {
        const std::size_t r = index / static_cast<std::size_t>(d);
        if (r != row_index) {
            compute_row(r);
            row_index = r;
        }
        return row[index % static_cast<std::size_t>(d)];
    });
    return 0;
}

#include <cmath>
#include <limits>
#include <vector>

#include <optiloop/kernels/attention_reference.hpp>

namespace optiloop::kernels {

void attention_reference(const AttentionShape& s, const double* q, const double* k, const double* v, double* out, double* lse,
                         double scale) {
    if (scale <= 0) scale = 1.0 / std::sqrt(static_cast<double>(s.head_dim));
    const std::size_t group = s.heads / s.kv_heads;
    const std::size_t d = s.head_dim;
    std::vector<double> scores(s.kv_len);
    for (std::size_t b = 0; b < s.batch; ++b)
        for (std::size_t h = 0; h < s.heads; ++h) {
            const std::size_t kvh = h / group;
            const double* kb = k + ((b * s.kv_heads + kvh) * s.kv_len) * d;
            const double* vb = v + ((b * s.kv_heads + kvh) * s.kv_len) * d;
            for (std::size_t i = 0; i < s.q_len; ++i) {
                const double* qi = q + ((b * s.heads + h) * s.q_len + i) * d;
                double* oi = out + ((b * s.heads + h) * s.q_len + i) * d;
                // Keys visible to query i: all, or under causal masking those up to its position.
                // Signed: with fewer keys than queries the first q_len - kv_len rows see none.
                const auto last = static_cast<std::ptrdiff_t>(i + 1 + s.kv_len) - static_cast<std::ptrdiff_t>(s.q_len);
                const std::size_t visible = s.causal ? std::min(s.kv_len, static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, last))) : s.kv_len;
                double max_score = -std::numeric_limits<double>::infinity();
                for (std::size_t j = 0; j < visible; ++j) {
                    double dot = 0;
                    for (std::size_t x = 0; x < d; ++x) dot += qi[x] * kb[j * d + x];
                    scores[j] = dot * scale;
                    max_score = std::max(max_score, scores[j]);
                }
                double sum = 0;
                for (std::size_t j = 0; j < visible; ++j) sum += (scores[j] = std::exp(scores[j] - max_score));
                for (std::size_t x = 0; x < d; ++x) oi[x] = 0;
                for (std::size_t j = 0; j < visible; ++j)
                    for (std::size_t x = 0; x < d; ++x) oi[x] += scores[j] / sum * vb[j * d + x];
                if (lse) lse[(b * s.heads + h) * s.q_len + i] = visible ? max_score + std::log(sum) : -std::numeric_limits<double>::infinity();
            }
        }
}

double relative_l2_error(const std::vector<double>& a, const std::vector<double>& b) {
    double diff = 0, norm = 0;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        diff += (a[i] - b[i]) * (a[i] - b[i]);
        norm += b[i] * b[i];
    }
    if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
    return norm > 0 ? std::sqrt(diff / norm) : std::sqrt(diff);
}

}  // namespace optiloop::kernels

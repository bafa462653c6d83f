// The expected output of a test: decode attention in double on the CPU, from the same inputs
// the harness generates (harness/inputs.hpp). Build: g++ -O2 -I ../harness expected.cpp
// Use: ./a.out < tests/NAME.in > tests/NAME.out
#include <cmath>
#include <vector>

#include "inputs.hpp"

int main() {
    DecodeShape s;
    if (!read_shape(s)) return 2;
    std::vector<float> q, k, v;
    make_inputs(s, q, k, v);
    const int d = s.head_dim;
    const double scale = 1.0 / std::sqrt(static_cast<double>(d));
    std::vector<double> out(q.size()), scores(static_cast<std::size_t>(s.kv_len));
    for (int b = 0; b < s.batch; ++b)
        for (int h = 0; h < s.heads; ++h) {
            const int kvh = h / (s.heads / s.kv_heads);
            const float* qp = &q[(static_cast<std::size_t>(b) * s.heads + h) * d];
            const std::size_t base = (static_cast<std::size_t>(b) * s.kv_heads + kvh) * s.kv_len * d;
            double max_score = -INFINITY;
            for (int j = 0; j < s.kv_len; ++j) {
                double dot = 0;
                for (int e = 0; e < d; ++e) dot += static_cast<double>(qp[e]) * k[base + static_cast<std::size_t>(j) * d + e];
                scores[j] = dot * scale;
                max_score = std::max(max_score, scores[j]);
            }
            double sum = 0;
            for (auto& x : scores) sum += (x = std::exp(x - max_score));
            double* o = &out[(static_cast<std::size_t>(b) * s.heads + h) * d];
            for (int j = 0; j < s.kv_len; ++j)
                for (int e = 0; e < d; ++e) o[e] += scores[j] / sum * v[base + static_cast<std::size_t>(j) * d + e];
        }
    print_output(out);
    return 0;
}

// The expected output of a test: layer normalisation in double on the CPU, from the same inputs
// the harness generates (harness/inputs.hpp), with the same eps the harness passes (the float
// 1e-5f, widened). Build: g++ -O2 -I ../harness expected.cpp
// Use: ./a.out < tests/NAME.in > tests/NAME.out
#include <cmath>
#include <vector>

#include "inputs.hpp"

int main() {
    LayerNormShape s;
    if (!read_shape(s)) return 2;
    std::vector<float> x, gamma, beta;
    make_inputs(s, x, gamma, beta);
    const std::size_t cols = static_cast<std::size_t>(s.cols);
    const double eps = static_cast<double>(k_eps);
    std::vector<double> y(x.size());
    for (int r = 0; r < s.rows; ++r) {
        const float* xr = &x[static_cast<std::size_t>(r) * cols];
        double* yr = &y[static_cast<std::size_t>(r) * cols];
        // Two passes in double: the mean, then the variance about it (biased: divided by cols).
        double sum = 0;
        for (std::size_t c = 0; c < cols; ++c) sum += xr[c];
        const double mean = sum / static_cast<double>(cols);
        double squares = 0;
        for (std::size_t c = 0; c < cols; ++c) squares += (xr[c] - mean) * (xr[c] - mean);
        const double inv_std = 1.0 / std::sqrt(squares / static_cast<double>(cols) + eps);
        for (std::size_t c = 0; c < cols; ++c) yr[c] = (xr[c] - mean) * inv_std * gamma[c] + beta[c];
    }
    print_output(y);
    return 0;
}

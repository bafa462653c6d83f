// The expected output of a test: the row softmax in double on the CPU, from the same inputs the
// harness generates (harness/inputs.hpp). Build: g++ -O2 -I ../harness expected.cpp
// Use: ./a.out < tests/NAME.in > tests/NAME.out
#include <algorithm>
#include <cmath>
#include <vector>

#include "inputs.hpp"

int main() {
    SoftmaxShape s;
    if (!read_shape(s)) return 2;
    std::vector<float> x;
    make_inputs(s, x);
    std::vector<double> out(x.size());
    for (int r = 0; r < s.rows; ++r) {
        const float* xr = &x[static_cast<std::size_t>(r) * s.cols];
        double* o = &out[static_cast<std::size_t>(r) * s.cols];
        double m = -INFINITY;
        for (int c = 0; c < s.cols; ++c) m = std::max(m, static_cast<double>(xr[c]));
        double sum = 0;
        for (int c = 0; c < s.cols; ++c) sum += (o[c] = std::exp(static_cast<double>(xr[c]) - m));
        for (int c = 0; c < s.cols; ++c) o[c] /= sum;
    }
    print_output(out);
    return 0;
}

// The expected output of a test: C = A * B in double on the CPU, from the same inputs the harness
// generates (harness/inputs.hpp), for the output values that are printed only (all of them up to
// 4096, else about 4096 spread over C: the stress shapes take seconds instead of minutes).
// Build: g++ -std=c++17 -O2 -I ../harness expected.cpp
// Use: ./a.out < tests/NAME.in > tests/NAME.out
#include <vector>

#include "inputs.hpp"

int main() {
    GemmShape s;
    if (!read_shape(s)) return 2;
    std::vector<float> a, b;
    make_inputs(s, a, b);
    const std::size_t n = static_cast<std::size_t>(s.n);
    print_output(s.c_elements(), [&](std::size_t index) {
        const std::size_t row = index / n, col = index % n;
        const float* a_row = &a[row * s.k];
        double sum = 0;  // exact products of two floats, summed with 29 spare bits over fp32
        for (int p = 0; p < s.k; ++p) sum += static_cast<double>(a_row[p]) * b[static_cast<std::size_t>(p) * n + col];
        return sum;
    });
    return 0;
}

// The expected output of a test: the transpose on the CPU, from the same inputs the harness
// generates (harness/inputs.hpp), printed the same way (a sample and checksums of every value).
// Build: g++ -std=c++17 -O2 -I ../harness expected.cpp
// Use: ./a.out < tests/NAME.in > tests/NAME.out
#include <vector>

#include "inputs.hpp"

int main() {
    TransposeShape s;
    if (!read_shape(s)) return 2;
    std::vector<float> in;
    make_inputs(s, in);
    const std::size_t rows = static_cast<std::size_t>(s.rows), cols = static_cast<std::size_t>(s.cols);
    std::vector<float> out(in.size());
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) out[c * rows + r] = in[r * cols + c];
    print_output(s, out);
    return 0;
}

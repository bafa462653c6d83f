// The expected output of a test: the histogram counted on the CPU, from the same inputs the
// harness generates (harness/inputs.hpp). Build: g++ -O2 -I ../harness expected.cpp
// Use: ./a.out < tests/NAME.in > tests/NAME.out
#include <vector>

#include "inputs.hpp"

int main() {
    HistogramShape s;
    if (!read_shape(s)) return 2;
    std::vector<unsigned> values;
    make_inputs(s, values);
    const unsigned bins = static_cast<unsigned>(s.bins);
    std::vector<unsigned> counts(bins, 0);
    for (unsigned v : values) ++counts[v % bins];
    print_output(counts);
    return 0;
}

#include "api.hpp"

// Transpose B once so that every entry of C is a dot product of two contiguous rows;
// the compiler turns that loop into packed multiply-add instructions.
std::vector<int> matmul(const std::vector<short>& a, const std::vector<short>& b, int n) {
    const std::size_t N = static_cast<std::size_t>(n);
    std::vector<short> bt(N * N);
    for (std::size_t k = 0; k < N; ++k)
        for (std::size_t j = 0; j < N; ++j) bt[j * N + k] = b[k * N + j];
    std::vector<int> c(N * N);
    for (std::size_t i = 0; i < N; ++i) {
        const short* arow = a.data() + i * N;
        for (std::size_t j = 0; j < N; ++j) {
            const short* bcol = bt.data() + j * N;
            int sum = 0;
            for (std::size_t k = 0; k < N; ++k) sum += arow[k] * bcol[k];
            c[i * N + j] = sum;
        }
    }
    return c;
}

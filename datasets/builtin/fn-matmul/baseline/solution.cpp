#include "api.hpp"

std::vector<int> matmul(const std::vector<short>& a, const std::vector<short>& b, int n) {
    std::vector<int> c(static_cast<std::size_t>(n) * n);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            int sum = 0;
            for (int k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];
            c[i * n + j] = sum;
        }
    }
    return c;
}

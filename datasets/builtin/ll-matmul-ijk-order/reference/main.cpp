#include <cstdio>
#include <cstdint>
#include <vector>
using namespace std;

int main() {
    int n;
    unsigned long long seed;
    if (scanf("%d %llu", &n, &seed) != 2) return 0;
    vector<float> A((size_t)n * n), B((size_t)n * n), C((size_t)n * n, 0);
    unsigned long long x = seed;
    auto next = [&]() {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return (float)((int)((x >> 33) % 65) - 32) / 8.0f;
    };
    for (int m = 0; m < 2; m++) {
        float* M = m == 0 ? A.data() : B.data();
        for (size_t t = 0; t < (size_t)n * n; t++) {
            if (seed == 0) scanf("%f", &M[t]);
            else M[t] = next();
        }
    }
    // i-k-j order: the inner loop runs over contiguous rows of B and C and vectorizes.
    for (int i = 0; i < n; i++) {
        float* __restrict c = C.data() + (size_t)i * n;
        for (int k = 0; k < n; k++) {
            const float a = A[(size_t)i * n + k];
            const float* __restrict b = B.data() + (size_t)k * n;
            for (int j = 0; j < n; j++) c[j] += a * b[j];
        }
    }
    double trace = 0, check = 0;
    for (int i = 0; i < n; i++) {
        trace += C[(size_t)i * n + i];
        for (int j = 0; j < n; j++) check += (double)C[(size_t)i * n + j] * ((i * 31 + j * 17) % 101 + 1);
    }
    printf("%.6f\n%.6f\n", trace, check);
    return 0;
}

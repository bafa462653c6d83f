#include <cstdio>
#include <cstdint>
#include <vector>
using namespace std;

// Input: n seed. If seed == 0 the two matrices follow (n rows of n numbers each),
// otherwise entries k/8 with k in [-32, 32] are produced by a 64-bit LCG.
// Print the trace of C = A * B and the sum of C[i][j] * ((31 i + 17 j) mod 101 + 1),
// both with 6 decimals.
int main() {
    int n;
    unsigned long long seed;
    if (scanf("%d %llu", &n, &seed) != 2) return 0;
    vector<vector<float>> A(n, vector<float>(n)), B(n, vector<float>(n));
    unsigned long long x = seed;
    auto next = [&]() {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        return (float)((int)((x >> 33) % 65) - 32) / 8.0f;
    };
    for (int m = 0; m < 2; m++) {
        vector<vector<float>>& M = m == 0 ? A : B;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                if (seed == 0) scanf("%f", &M[i][j]);
                else M[i][j] = next();
            }
    }
    vector<vector<float>> C(n, vector<float>(n));
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int k = 0; k < n; k++) s += A[i][k] * B[k][j];
            C[i][j] = s;
        }
    double trace = 0, check = 0;
    for (int i = 0; i < n; i++) {
        trace += C[i][i];
        for (int j = 0; j < n; j++) check += (double)C[i][j] * ((i * 31 + j * 17) % 101 + 1);
    }
    printf("%.6f\n%.6f\n", trace, check);
    return 0;
}

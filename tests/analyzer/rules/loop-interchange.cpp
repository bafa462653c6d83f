// The loop-interchange rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// A stencil written column by column, with an integer total taken on the way.
const char* const k_interchange_stencil = R"(#include <cstdio>
#include <vector>
int main() {
    int h, w;
    if (std::scanf("%d %d", &h, &w) != 2) return 0;
    std::vector<std::vector<int>> g(h + 2, std::vector<int>(w + 2, 0)), out = g;
    for (int i = 1; i <= h; i++)
        for (int j = 1; j <= w; j++) std::scanf("%d", &g[i][j]);
    long long total = 0;
    for (int j = 1; j <= w; j++)
        for (int i = 1; i <= h; i++) {
            out[i][j] = (4 * g[i][j] + g[i - 1][j] + g[i + 1][j] + g[i][j - 1] + g[i][j + 1]) / 8;
            total += out[i][j] * (i + 2 * j);
        }
    std::printf("%lld\n", total);
    for (int i = 1; i <= h; i++)
        for (int j = 1; j <= w; j++) std::printf("%d%c", out[i][j], j == w ? '\n' : ' ');
}
)";

TEST(LoopInterchange, SwapsAColumnWalkingNestWithTheSameOutput) {
    expect_rewrite("loop-interchange", k_interchange_stencil, "for (int j = 1; j <= w; j++)\n        for (int i = 1; i <= h; i++) {",
                   {{"3 4\n1 2 3 4\n5 6 7 8\n9 10 11 12\n", "484\n1 2 3 3\n4 6 7 6\n6 8 9 8\n"}, {"1 1\n7\n", "9\n3\n"}},
                   replace_first(k_interchange_stencil,
                                 "    for (int j = 1; j <= w; j++)\n"
                                 "        for (int i = 1; i <= h; i++) {\n",
                                 "    for (int i = 1; i <= h; i++)\n"
                                 "        for (int j = 1; j <= w; j++) {\n"));
}

// Column sums through a scalar accumulator: each column's sum becomes its element, added to row
// by row in the same order (printed to the last bit).
const char* const k_interchange_sums = R"(#include <cstdio>
#include <vector>
int main() {
    int n, m;
    if (std::scanf("%d %d", &n, &m) != 2) return 0;
    std::vector<std::vector<double>> a(n, std::vector<double>(m));
    for (auto& row : a)
        for (double& x : row) std::scanf("%lf", &x);
    std::vector<double> weights(n), col(m);
    for (int i = 0; i < n; i++) weights[i] = 1.0 / (i + 1);
    for (int j = 0; j < m; j++) {
        double s = 0.5;
        for (int i = 0; i < n; i++) s += weights[i] * a[i][j];
        col[j] = s;
    }
    for (int j = 0; j < m; j++) std::printf("%.17g\n", col[j]);
}
)";

TEST(LoopInterchange, AnAccumulatorBecomesTheElementAddedToRowByRow) {
    expect_rewrite("loop-interchange", k_interchange_sums, "for (int j = 0; j < m; j++) {",
                   {{"3 2\n1.5 2\n-3 4.25\n0.1 0.2\n", "0.53333333333333333\n4.6916666666666664\n"}, {"0 3\n", "0.5\n0.5\n0.5\n"}},
                   replace_first(k_interchange_sums,
                                 "    for (int j = 0; j < m; j++) {\n"
                                 "        double s = 0.5;\n"
                                 "        for (int i = 0; i < n; i++) s += weights[i] * a[i][j];\n"
                                 "        col[j] = s;\n"
                                 "    }\n",
                                 "    for (int j = 0; j < m; j++) col[j] = 0.5;\n"
                                 "    for (int i = 0; i < n; i++)\n"
                                 "        for (int j = 0; j < m; j++) col[j] += weights[i] * a[i][j];\n"));
}

// Matrix multiplication in i-j-k order, the j loop the lone body of the i loop: it becomes
// i-k-j inside a block laid out on lines.
const char* const k_interchange_matmul = R"(#include <cstdio>
#include <vector>
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<std::vector<float>> a(n, std::vector<float>(n)), b = a, c = a;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i][j] = 1.0f / (i + 2 * j + 1);
            b[i][j] = 0.1f * (i - j);
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) std::printf("%.9g%c", c[i][j], j + 1 == n ? '\n' : ' ');
}
)";

TEST(LoopInterchange, MatrixProductInIJKOrderBecomesIKJ) {
    expect_rewrite("loop-interchange", k_interchange_matmul, "for (int j = 0; j < n; j++) {\n            float s",
                   {{"3\n",
                     "0.0733333379 -0.0799999982 -0.233333334\n0.0583333373 -0.0333333313 -0.125\n"
                     "0.0485714301 -0.0190476198 -0.0866666734\n"},
                    {"0\n", ""}},
                   replace_first(k_interchange_matmul,
                                 "    for (int i = 0; i < n; i++)\n"
                                 "        for (int j = 0; j < n; j++) {\n"
                                 "            float s = 0;\n"
                                 "            for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];\n"
                                 "            c[i][j] = s;\n"
                                 "        }\n",
                                 "    for (int i = 0; i < n; i++) {\n"
                                 "        for (int j = 0; j < n; j++) c[i][j] = 0;\n"
                                 "        for (int k = 0; k < n; k++)\n"
                                 "            for (int j = 0; j < n; j++) c[i][j] += a[i][k] * b[k][j];\n"
                                 "    }\n"));
}

// The same product over flattened rows: b[k * n + j] strides over rows in the inner loop, and
// c[i * n + j] names one element per j.
const char* const k_interchange_flat = R"(#include <cstdio>
#include <vector>
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<short> a(n * n), b(n * n);
    for (int t = 0; t < n * n; t++) a[t] = (short)(t % 7 - 3), b[t] = (short)(t % 5 - 2);
    std::vector<int> c(n * n);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            int sum = 0;
            for (int k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];
            c[i * n + j] = sum;
        }
    }
    long long check = 0;
    for (int t = 0; t < n * n; t++) check = check * 31 + c[t];
    std::printf("%lld\n", check);
}
)";

TEST(LoopInterchange, FlattenedRowsToo) {
    expect_rewrite("loop-interchange", k_interchange_flat, "for (int j = 0; j < n; ++j) {",
                   {{"4\n", "8126846777621965216\n"}, {"1\n", "6\n"}, {"0\n", "0\n"}},
                   replace_first(k_interchange_flat,
                                 "        for (int j = 0; j < n; ++j) {\n"
                                 "            int sum = 0;\n"
                                 "            for (int k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];\n"
                                 "            c[i * n + j] = sum;\n"
                                 "        }\n",
                                 "        for (int j = 0; j < n; ++j) c[i * n + j] = 0;\n"
                                 "        for (int k = 0; k < n; ++k)\n"
                                 "            for (int j = 0; j < n; ++j) c[i * n + j] += a[i * n + k] * b[k * n + j];\n"));
}

TEST(LoopInterchange, SilentOnAnOpenMPLoop) {
    // Threads share the outer loop's iterations: swapped, they would share the inner one's, and
    // col[j] would be added to from every thread at once. Without -fopenmp the pragma is inert
    // and the nest is an ordinary one.
    const char* const program = R"(int g[64][64], col[64];
void column_sums() {
#pragma omp parallel for
    for (int j = 0; j < 64; j++)
        for (int i = 0; i < 64; i++) col[j] += g[i][j];
}
)";
    analyzer::AnalyzeOptions options = only("loop-interchange");
    options.flags = {"-std=c++17", "-fopenmp"};
    auto with_openmp = analyzer::analyze(source(program), options);
    ASSERT_TRUE(with_openmp) << with_openmp.error().message;
    EXPECT_TRUE(with_openmp->findings.empty());
    EXPECT_EQ(findings_of(program, "loop-interchange").size(), 1u);
}

TEST(LoopInterchange, SilentWhenTheOrderCanChangeAResult) {
    // Each nest walks down a column, but swapping its loops would change what it computes (or
    // gain nothing): an in-place stencil reading its neighbours, a floating-point total, a
    // last-written value, a triangular nest, a write through another name, a call, a break, a
    // transpose (rows on one side, columns on the other), an accumulator read back from the
    // element, an accumulator of another type than the element, an element shared by
    // iterations the swap reorders ((i + j) % n), a global written while a pointer parameter is read, and a flattened
    // element naming both counters (i * n + j names distinct elements only while j < n).
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
#include <vector>
int grid[8][8];
int twice(int x) { return 2 * x; }
void fill(const int* src) {
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < 8; i++) grid[i][j] = src[i * 8 + j];
}
int main() {
    const int n = 8;
    std::vector<std::vector<int>> g(n, std::vector<int>(n, 1)), h = g;
    std::vector<std::vector<float>> f(n, std::vector<float>(n, 0.5f)), c = f;
    std::vector<std::vector<double>> d(n, std::vector<double>(n, 0.25));
    auto& alias = h;
    double sum = 0;
    int last = 0;
    for (int j = 1; j < n; j++)
        for (int i = 1; i < n; i++) g[i][j] = g[i - 1][j] + g[i][j - 1];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) sum += f[i][j];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) last = g[i][j];
    for (int j = 0; j < n; j++)
        for (int i = j; i < n; i++) h[i][j] = g[i][j];
    for (int j = 0; j < n; j++)
        for (int i = 1; i < n; i++) h[i][j] = alias[i - 1][j];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) h[i][j] = twice(g[i][j]);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            if (g[i][j] < 0) break;
            h[i][j] = g[i][j];
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) h[j][i] = g[i][j];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int k = 0; k < n; k++) s += c[i][k] * f[k][j];
            c[i][j] = s;
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += d[k][j];
            f[i][j] = s;
        }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) h[(i + j) % n][0] = g[i][j];
    std::vector<int> flat(n * n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) flat[i * n + j] = g[i][j];
    fill(&g[0][0]);
    std::printf("%f %d %d %f %f %d\n", sum, last, h[1][1], c[1][1], f[1][1], flat[1]);
}
)", "loop-interchange").empty());
}

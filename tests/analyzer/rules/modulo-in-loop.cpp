// The modulo-in-loop rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// A signal weighted by a pattern of period K: the weight's index becomes a counter of its own.
// K may be negative (i % K is then i % -K) or larger than n.
const char* const k_modulo_periodic = R"(#include <cstdio>
#include <vector>
int main() {
    int n, K;
    if (std::scanf("%d %d", &n, &K) != 2) return 0;
    std::vector<int> a(n), w(K > 0 ? K : -K);
    for (int& x : a) std::scanf("%d", &x);
    for (int& x : w) std::scanf("%d", &x);
    long long dot = 0;
    for (int i = 0; i < n; i++) dot += a[i] * w[i % K];
    std::printf("%lld\n", dot);
}
)";

TEST(ModuloInLoop, APeriodicIndexBecomesACounter) {
    expect_rewrite("modulo-in-loop", k_modulo_periodic, "for (int i = 0; i < n; i++) dot",
                   {{"5 2\n1 2 3 4 5\n10 20\n", "210\n"},
                    {"3 5\n1 2 3\n1 1 1 1 1\n", "6\n"},
                    {"4 -3\n1 2 3 4\n1 2 3\n", "18\n"},
                    {"4 1\n1 2 3 4\n7\n", "70\n"},
                    {"4 4\n1 2 3 4\n1 1 1 1\n", "10\n"},
                    {"0 0\n", "0\n"}},
                   replace_first(k_modulo_periodic, "    for (int i = 0; i < n; i++) dot += a[i] * w[i % K];\n",
                                 R"(    if (K > 0) {
        for (int i_base = 0, i_len = 0; i_base < n; i_base += i_len) {
            i_len = n - i_base < K ? n - i_base : K;
            for (int i_mod = 0; i_mod < i_len; ++i_mod) { const int i = i_base + i_mod; dot += a[i] * w[i_mod]; }
        }
    } else {
        for (int i = 0; i < n; i++) dot += a[i] * w[i % K];
    }
)"));
}

// The column and the row of a flat index (i % w, i / w) become two counters; i itself is still
// read, and a continue goes on to the next element as before.
const char* const k_modulo_grid = R"(#include <cstdio>
int main() {
    long w, total;
    if (std::scanf("%ld %ld", &w, &total) != 2) return 0;
    long long sum = 0;
    for (long i = 0; i < total; ++i) {
        long x = i % w, y = i / w;
        if (x == y) continue;
        sum += (x + 1) * (y + 2) + (i & 3);
    }
    std::printf("%lld\n", sum);
}
)";

TEST(ModuloInLoop, TheRowAndColumnOfAFlatIndexBecomeCounters) {
    expect_rewrite("modulo-in-loop", k_modulo_grid, "for (long i = 0; i < total; ++i) {",
                   {{"3 10\n", "52\n"}, {"4 4\n", "24\n"}, {"-3 10\n", "28\n"}, {"5 0\n", "0\n"}, {"1 7\n", "42\n"}, {"20 7\n", "63\n"}},
                   replace_first(k_modulo_grid, R"(    for (long i = 0; i < total; ++i) {
        long x = i % w, y = i / w;
        if (x == y) continue;
        sum += (x + 1) * (y + 2) + (i & 3);
    }
)",
                                 R"(    if (w > 0) {
        for (long i_base = 0, i_len = 0, i_div = 0; i_base < total; i_base += i_len, ++i_div) {
            i_len = total - i_base < w ? total - i_base : w;
            for (long i_mod = 0; i_mod < i_len; ++i_mod) {
                const long i = i_base + i_mod;
                long x = i_mod, y = i_div;
                if (x == y) continue;
                sum += (x + 1) * (y + 2) + (i & 3);
            }
        }
    } else {
        for (long i = 0; i < total; ++i) {
            long x = i % w, y = i / w;
            if (x == y) continue;
            sum += (x + 1) * (y + 2) + (i & 3);
        }
    }
)"));
}

// An unsigned counter over a vector's size, with a divisor that is a size too and the counter
// read nowhere else: no copy of it is declared.
const char* const k_modulo_sizes = R"(#include <cstdio>
#include <vector>
int main() {
    std::vector<unsigned> ring, out;
    unsigned n, m, x;
    if (std::scanf("%u %u", &n, &m) != 2) return 0;
    for (unsigned j = 0; j < m; ++j) ring.push_back(j * 7 + 1);
    out.assign(n, 0);
    unsigned long long check = 0;
    for (std::size_t i = 0; i < out.size(); i++) check = check * 31 + ring[i % ring.size()];
    std::printf("%llu\n", check);
}
)";

TEST(ModuloInLoop, ASizeDividesASizedLoop) {
    expect_rewrite("modulo-in-loop", k_modulo_sizes, "for (std::size_t i = 0;", {{"10 3\n", "33676570099513\n"}, {"2 5\n", "39\n"}, {"0 0\n", "0\n"}},
                   replace_first(k_modulo_sizes, "    for (std::size_t i = 0; i < out.size(); i++) check = check * 31 + ring[i % ring.size()];\n",
                                 R"(    if (ring.size() > 0) {
        for (std::size_t i_base = 0, i_len = 0; i_base < out.size(); i_base += i_len) {
            i_len = out.size() - i_base < ring.size() ? out.size() - i_base : ring.size();
            for (std::size_t i_mod = 0; i_mod < i_len; ++i_mod) check = check * 31 + ring[i_mod];
        }
    } else {
        for (std::size_t i = 0; i < out.size(); i++) check = check * 31 + ring[i % ring.size()];
    }
)"));
}

// The lone branch of an if gets a block (no else may dangle), and a signed divisor of an
// unsigned counter is compared with 0 as it is and converted as i % k converts it.
const char* const k_modulo_branch = R"(#include <cstdio>
int main() {
    int n, k;
    if (std::scanf("%d %d", &n, &k) != 2) return 0;
    unsigned long long h = 0;
    if (n > 0)
        for (unsigned i = 0; i < (unsigned)n; i++) h = h * 131 + (i % k) + 1;
    else
        h = 7;
    std::printf("%llu\n", h);
}
)";

TEST(ModuloInLoop, TheBranchOfAnIfGetsABlock) {
    expect_rewrite("modulo-in-loop", k_modulo_branch, "for (unsigned i = 0;",
                   {{"5 3\n", "299047719\n"}, {"5 -2\n", "299048115\n"}, {"0 4\n", "7\n"}, {"6 1\n", "38876254956\n"}},
                   replace_first(k_modulo_branch, R"(    if (n > 0)
        for (unsigned i = 0; i < (unsigned)n; i++) h = h * 131 + (i % k) + 1;
)",
                                 R"(    if (n > 0) {
        if (k > 0) {
            for (unsigned i_base = 0, i_len = 0; i_base < (unsigned)n; i_base += i_len) {
                i_len = (unsigned)n - i_base < static_cast<unsigned>(k) ? (unsigned)n - i_base : static_cast<unsigned>(k);
                for (unsigned i_mod = 0; i_mod < i_len; ++i_mod) h = h * 131 + i_mod + 1;
            }
        } else {
            for (unsigned i = 0; i < (unsigned)n; i++) h = h * 131 + (i % k) + 1;
        }
    }
)"));
}

TEST(ModuloInLoop, SilentWhereBlocksWouldChangeWhatTheLoopDoes) {
    // A constant divisor (the compiler multiplies already), a divisor or bound the loop changes
    // (by name, through a pointer kept before the loop, through a reference, in a lambda called
    // in it), a counter the loop changes or whose address it takes, a break, a global divisor,
    // a division done in a wider type, a bound compared in a wider type, a lambda or a static
    // local in the body, a start other than 0, a step other than 1, and a body from a macro.
    const char* const program = R"(#include <cstdio>
#include <vector>
int g_period = 3;
int main() {
    int n, k, k2, k3, k4;
    long kl;
    if (std::scanf("%d %d %d %d %d %ld", &n, &k, &k2, &k3, &k4, &kl) != 6) return 0;
    std::vector<int> v(n, 1);
    int* pk = &k2;
    int& rk = k3;
    auto bump = [&] { ++k4; };
    long long s = 0;
    for (int i = 0; i < n; i++) s += v[i % 8];
    for (int i = 0; i < n; i++) {
        s += i % k;
        if (s > 100) k = 1;
    }
    for (int i = 0; i < n; i++) {
        s += i % k2;
        *pk = 1;
    }
    for (int i = 0; i < n; i++) {
        s += i % k3;
        rk = 2;
    }
    for (int i = 0; i < n; i++) {
        s += i % k4;
        bump();
    }
    for (int i = 0; i < (int)v.size(); i++) {
        s += i % k;
        if (s % 7 == 0) v.push_back(1);
    }
    for (int i = 0; i < n; i++) {
        s += i % k;
        i += s & 1;
    }
    for (int i = 0; i < n; i++) {
        const int* p = &i;
        s += *p % k;
    }
    for (int i = 0; i < n; i++) {
        s += i % k;
        if (s > 1000) break;
    }
    for (int i = 0; i < n; i++) s += i % g_period;
    for (int i = 0; i < n; i++) s += i % kl;
    for (int i = 0; i < kl; i++) s += i % k;
    for (int i = 0; i < n; i++) s += [&] { return i % k; }();
    for (int i = 0; i < n; i++) {
        static int calls = 0;
        s += i % k + ++calls;
    }
    for (int i = 1; i < n; i++) s += i % k;
    for (int i = 0; i < n; i += 2) s += i % k;
#define ADD_PERIODIC s += v[i % k]
    for (int i = 0; i < n; i++) ADD_PERIODIC;
    std::printf("%lld %d %d %d %d\n", s, k, k2, k3, k4);
}
)";
    const auto found = findings_of(program, "modulo-in-loop");
    for (const auto& f : found) ADD_FAILURE() << "line " << f.line << ": " << f.message;
}

TEST(ModuloInLoop, SilentOnAnOpenMPLoop) {
    // The directive must stay on a for loop; its iterations are shared among threads as they are.
    const char* const program = R"(long long weighted(const int* a, const int* w, int n, int k) {
    long long s = 0;
#pragma omp parallel for reduction(+ : s)
    for (int i = 0; i < n; i++) s += a[i] * w[i % k];
    return s;
}
)";
    analyzer::AnalyzeOptions options = only("modulo-in-loop");
    options.flags = {"-std=c++17", "-fopenmp"};
    auto with_openmp = analyzer::analyze(source(program), options);
    ASSERT_TRUE(with_openmp) << with_openmp.error().message;
    EXPECT_TRUE(with_openmp->findings.empty());
    EXPECT_EQ(findings_of(program, "modulo-in-loop").size(), 1u);
}

TEST(ModuloInLoop, NamesAlreadyInUseAreNotTaken) {
    // i_mod exists in the file: the rewrite would shadow or clash with it.
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
int i_mod = 2;
int main() {
    int n, k;
    if (std::scanf("%d %d", &n, &k) != 2) return 0;
    long s = 0;
    for (int i = 0; i < n; i++) s += i % k + i_mod;
    std::printf("%ld\n", s);
}
)", "modulo-in-loop").empty());
}

// The at-in-bounds rule: its rewrite, applied, builds and prints what the original printed; it stays
// silent where its precondition fails.
#include <gtest/gtest.h>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

// A row-by-row DP in the style of ll-at-bounds-checked-dp: sizes from the declarations, indices
// from the loops, j - 1 and j + 1 behind an if or a &&. best.at(0) is left alone (w may be 0).
const char* const k_at_dp = R"(#include <algorithm>
#include <cstdio>
#include <vector>
using namespace std;
int main() {
    int h, w;
    if (scanf("%d %d", &h, &w) != 2) return 1;
    vector<vector<int>> grid(h, vector<int>(w));
    vector<long long> best(w, 0), next(w);
    for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++) scanf("%d", &grid.at(i).at(j));
    for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
            long long b = best.at(j);
            if (j > 0) b = min(b, best.at(j - 1));
            if (j + 1 < w && best.at(j + 1) < b) b = best.at(j + 1);
            next.at(j) = b + grid.at(i).at(j);
        }
        for (int j = 0; j < w; j++) best.at(j) = next.at(j);
    }
    long long total = 0;
    for (int i = 1; i < h; i++)
        for (int j = 0; j < w; j++) total += grid.at(i - 1).at(j) * grid[i].at(j);
    printf("%lld %lld\n", best.at(0), total);
}
)";

TEST(AtInBounds, DropsChecksTheLoopsProveWithTheSameOutput) {
    const std::string expected = replace_each(k_at_dp, {{"&grid.at(i).at(j)", "&grid[i][j]"},
                                                        {"long long b = best.at(j);", "long long b = best[j];"},
                                                        {"best.at(j - 1)", "best[j - 1]"},
                                                        {"best.at(j + 1) < b) b = best.at(j + 1);", "best[j + 1] < b) b = best[j + 1];"},
                                                        {"next.at(j) = b + grid.at(i).at(j);", "next[j] = b + grid[i][j];"},
                                                        {"best.at(j) = next.at(j);", "best[j] = next[j];"},
                                                        {"grid.at(i - 1).at(j) * grid[i].at(j)", "grid[i - 1][j] * grid[i][j]"}});
    expect_rewrites("at-in-bounds", k_at_dp, 14, expected,
                    {{"2 3\n1 2 3\n4 5 6\n", "5 32\n"}, {"3 1\n7\n8\n9\n", "24 128\n"}, {"1 4\n5 1 5 1\n", "5 0\n"}});
}

// A loop up to v.size() of a local vector it does not resize.
const char* const k_at_size = R"(#include <cstdio>
#include <vector>
int main() {
    std::vector<long> v;
    long x;
    while (scanf("%ld", &x) == 1) v.push_back(x);
    long total = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        total += v.at(i) * 3;
        if (i + 1 < v.size()) total -= v.at(i + 1);
        v.at(i) = total;
    }
    for (int i = 1; i < v.size(); i++) total ^= v.at(i - 1);
    printf("%ld %zu\n", total, v.size());
}
)";

TEST(AtInBounds, ALoopUpToTheVectorsOwnSize) {
    const std::string expected = replace_each(k_at_size, {{"total += v.at(i) * 3;", "total += v[i] * 3;"},
                                                          {"total -= v.at(i + 1);", "total -= v[i + 1];"},
                                                          {"v.at(i) = total;", "v[i] = total;"},
                                                          {"total ^= v.at(i - 1);", "total ^= v[i - 1];"}});
    expect_rewrites("at-in-bounds", k_at_size, 4, expected, {{"1 2 3\n", "8 3\n"}, {"\n", "0 0\n"}, {"5\n", "15 1\n"}});
}

// Strings too, a local and a const& parameter, whose loop calls only what cannot resize it.
const char* const k_at_string = R"(#include <cctype>
#include <iostream>
#include <string>
int score(const std::string& word) {
    int s = 0;
    for (std::size_t i = 0; i < word.size(); ++i) s += std::isupper(word.at(i)) ? 2 : word.at(i) == 'a';
    return s;
}
int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        int pairs = 0;
        for (std::size_t i = 0; i < line.length(); ++i)
            if (i + 1 < line.length() && line.at(i) == line.at(i + 1)) ++pairs;
        std::cout << score(line) << ' ' << pairs << '\n';
    }
}
)";

TEST(AtInBounds, StringsToTheirOwnLength) {
    const std::string expected = replace_each(k_at_string, {{"std::isupper(word.at(i)) ? 2 : word.at(i) == 'a'", "std::isupper(word[i]) ? 2 : word[i] == 'a'"},
                                                            {"line.at(i) == line.at(i + 1)", "line[i] == line[i + 1]"}});
    expect_rewrites("at-in-bounds", k_at_string, 4, expected, {{"Aardvark\nbookkeeper\n\n", "4 0\n0 3\n0 0\n"}});
}

TEST(AtInBounds, SilentWhenTheIndexOrTheSizeIsNotProved) {
    const char* const head = R"(#include <cstdio>
#include <vector>
#include <functional>
#include <string>
void fill(std::vector<int>& v) { v.push_back(1); }
std::string shared = "abc";
void touch() { shared.clear(); }
struct Noisy { Noisy() { shared += 'x'; } };
int run(std::vector<int>& param, int n, int k, const std::string& text, std::vector<int>& other) {
    std::vector<int> v(n), u(n);
    std::vector<std::vector<int>> g(n, std::vector<int>(k));
    std::size_t wide = n;
    int s = 0;
)";
    for (const char* body : {
             "    for (std::size_t i = 0; i < text.size(); i++) { s += text.at(i); touch(); }\n",
             "    for (std::size_t i = 0; i < text.size(); i++) { s += text.at(i); Noisy noisy; }\n",
             "    for (std::size_t i = 0; i < param.size(); i++) { s += param.at(i); other.push_back(1); }\n",
             "    v.push_back(1);\n    for (int i = 0; i < n; i++) s += v.at(i);\n",
             "    for (int i = 0; i < n; i++) s += v.at(i);\n    n++;\n",
             "    for (int i = 0; i <= n; i++) s += v.at(i);\n",
             "    for (int i = 0; i < n; i++) { s += v.at(i); i += s & 1; }\n",
             "    for (int i = 0; i < n; i++) s += v.at(i + 1);\n",
             "    for (int i = 0; i < n; i++) s += v.at(i - 1);\n",
             "    for (int i = 0; i < n; i++) { if (i + 1 < n) {} else s += v.at(i + 1); }\n",
             "    for (int i = 0; i < n; i++) { if (i + 1 < k) s += v.at(i + 1); }\n",
             "    fill(u);\n    for (int i = 0; i < n; i++) s += u.at(i);\n",
             "    for (int i = 0; i < n; i++) s += param.at(i);\n",
             "    for (std::size_t i = 0; i < wide; i++) s += v.at(i);\n",
             "    for (int i = 0; i < n; i++) s += v.at(i);\n    v = std::vector<int>(3);\n",
             "    g[0].push_back(1);\n    for (int i = 0; i < n; i++)\n        for (int j = 0; j < k; j++) s += g[i].at(j);\n",
             "    for (int i = 0; i < n; i++) [&] { s += v.at(i); }();\n",
             "    for (std::size_t i = 0; i < u.size(); i++) { s += u.at(i); if (s > 9) u.push_back(s); }\n",
             "    auto keep = std::ref(u);\n    for (std::size_t i = 0; i < u.size(); i++) { s += u.at(i); keep.get().clear(); }\n",
             "    fill(u);\n    for (std::size_t i = 0; i < u.size(); i++) s += u.at(i);\n",
             "    std::vector<int>* keep = &u;\n    for (std::size_t i = 0; i < u.size(); i++) { s += u.at(i); keep->clear(); }\n",
             "    for (std::size_t i = 0; i < u.size(); i++) s += v.at(i);\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return s + (int)wide;\n}\n", "at-in-bounds").empty());
    }
}

// What holds for every rule: the catalogue, the files each rule is made of, the files a task fixes,
// templates, and sources that do not parse.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include "rule_test_support.hpp"

using namespace optiloop;
using namespace optiloop::rule_test;

TEST(Rules, CatalogueListsTwentyNineRulesWithRationale) {
    const auto& rules = analyzer::rule_catalogue();
    EXPECT_EQ(rules.size(), 29u);
    for (const auto& rule : rules) {
        EXPECT_NE(std::string(rule.rationale), "") << rule.id;
        EXPECT_NE(std::string(rule.category), "") << rule.id;
    }
}

TEST(Rules, FixedFilesNeverReceiveAReplacement) {
    const std::vector<core::SourceFile> sources = {
        {"main.cpp", R"(#include <iostream>
#include <vector>
#include "harness.hpp"
long total(std::vector<long> values) {
    long sum = 0;
    for (long v : values) sum += v;
    return sum;
}
int main() {
    for (long i = 0; i < 2; ++i) std::cout << total({i, i}) << std::endl;
    report(3);
}
)"},
        {"harness.hpp", R"(#pragma once
#include <iostream>
#include <vector>
long total(std::vector<long> values);
inline void report(int n) {
    for (int i = 0; i < n; ++i) std::cout << i << std::endl;
}
)"},
    };
    auto touches_harness = [](const analyzer::Analysis& analysis) {
        for (const auto& f : analysis.findings) {
            if (f.file == "harness.hpp") return true;
            for (const auto& r : f.fix)
                if (r.path == "harness.hpp") return true;
        }
        return false;
    };
    // Free to edit everything, the rules do reach into the header ...
    auto open = analyzer::analyze(sources, {});
    ASSERT_TRUE(open) << open.error().message;
    EXPECT_TRUE(touches_harness(*open));
    // ... and with it fixed, nothing goes there, not even half of a signature change.
    analyzer::AnalyzeOptions options;
    options.fixed_files = {"harness.hpp"};
    auto fixed = analyzer::analyze(sources, options);
    ASSERT_TRUE(fixed) << fixed.error().message;
    EXPECT_FALSE(touches_harness(*fixed));
    bool endl_in_main = false;
    for (const auto& f : fixed->findings) {
        EXPECT_NE(f.rule, "by-value-param") << "total() is declared in the fixed harness";
        endl_in_main = endl_in_main || (f.rule == "endl-in-loop" && f.file == "main.cpp" && f.line == 10);
    }
    EXPECT_TRUE(endl_in_main);
}

TEST(Rules, TemplatesAreAnalysedWithoutKnowingTheirTypes) {
    // Templates are matched as written, where types are not known yet: every rule must leave
    // a dependent expression alone rather than ask its size (which crashed popcount-loop).
    auto analysis = analyzer::analyze(source(R"(#include <cstdio>
#include <map>
#include <vector>
template <class T>
int bits(T x) {
    int c = 0;
    while (x) {
        c += x & 1;
        x >>= 1;
    }
    for (int b = 0; b < 16; b++)
        if (x & (1 << b)) c++;
    for (int b = 0; b < 16; b++) c += (x >> b) & 1;
    return c;
}
template <class T, int N>
void product(T (&a)[N][N], T (&b)[N][N], T (&c)[N][N]) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            T s = 0;
            for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) c[i][j] += a[i][j];
}
template <class T>
T front_sum(std::vector<T> q, std::map<T, int> m) {
    T s{};
    while (!q.empty()) {
        if (m.count(q.front())) s += m[q.front()];
        s += q.front();
        q.erase(q.begin());
    }
    return s;
}
int main() {
    int a[3][3] = {}, b[3][3] = {}, c[3][3];
    product(a, b, c);
    std::printf("%d %d %d\n", bits(5u), bits(7ll), front_sum(std::vector<int>{1, 2}, {}));
}
)"),
                                      analyzer::AnalyzeOptions{});
    ASSERT_TRUE(analysis) << analysis.error().message;
}

TEST(Rules, CodeThatDoesNotParseIsAnErrorNamingTheFile) {
    auto analysis = analyzer::analyze({{"broken.cpp", "int main() {\n    return undefined_name;\n}\n"}}, {});
    ASSERT_FALSE(analysis);
    EXPECT_EQ(analysis.error().kind, core::ErrorKind::input);
    EXPECT_NE(analysis.error().message.find("broken.cpp"), std::string::npos) << analysis.error().message;
    EXPECT_NE(analysis.error().message.find("undefined_name"), std::string::npos) << analysis.error().message;
    EXPECT_EQ(analysis.error().message.find("/optiloop-src/"), std::string::npos) << analysis.error().message;
}

// A rule is its catalogue line and three files named by its id: its matcher, proof and rewrite
// (analyzer/src/rules/ID.cpp), its tests (tests/analyzer/rules/ID.cpp) and its page
// (analyzer/docs/rules/ID.md). A rule's file, tests or page whose id the catalogue lacks would
// never run or be shown; files shared by the rules are named with '_', never '-'.
TEST(Rules, EveryRuleHasItsSourceTestsAndPageNamedByItsId) {
    namespace fs = std::filesystem;
    const fs::path root = OPTILOOP_SOURCE_DIR;
    const fs::path sources = root / "analyzer/src/rules", tests = root / "tests/analyzer/rules", pages = root / "analyzer/docs/rules";
    std::set<std::string> ids;
    for (const auto& rule : analyzer::rule_catalogue()) {
        const std::string id = rule.id;
        ids.insert(id);
        EXPECT_TRUE(fs::is_regular_file(sources / (id + ".cpp"))) << id;
        EXPECT_TRUE(fs::is_regular_file(tests / (id + ".cpp"))) << id;
        EXPECT_TRUE(fs::is_regular_file(pages / (id + ".md"))) << id;
    }
    for (const fs::path& dir : {sources, tests, pages})
        for (const auto& entry : fs::directory_iterator(dir)) {
            const std::string stem = entry.path().stem().string();
            if (dir == pages || stem.find('-') != std::string::npos) {
                EXPECT_TRUE(ids.contains(stem)) << entry.path();
            }
        }
}

// clang-tidy's checks through optiloop's analyzer: they run in process on in-memory sources, their
// fixes come back as replacements, and fixes into files that must not change are dropped.
#include <gtest/gtest.h>

#include <algorithm>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/rules_proposer.hpp>
#include <optiloop/analyzer/tidy.hpp>

using namespace optiloop;

namespace {

std::string apply(std::string text, std::vector<core::Replacement> fix) {
    std::sort(fix.begin(), fix.end(), [](const auto& a, const auto& b) { return a.offset > b.offset; });
    for (const auto& r : fix) text.replace(r.offset, r.length, r.text);
    return text;
}

}  // namespace

TEST(Tidy, ThePerformanceChecksAreLinkedIn) {
    const auto names = analyzer::tidy_check_names();
    for (const char* check : {"performance-avoid-endl", "performance-unnecessary-value-param", "performance-for-range-copy",
                              "performance-noexcept-move-constructor", "performance-type-promotion-in-math-fn", "modernize-use-emplace",
                              "modernize-pass-by-value"})
        EXPECT_NE(std::find(names.begin(), names.end(), check), names.end()) << check;
    EXPECT_EQ(std::find(names.begin(), names.end(), "readability-braces-around-statements"), names.end());
}

TEST(Tidy, FindingsCarryFixesAsReplacements) {
    const std::string program =
        "#include <cmath>\n#include <iostream>\n#include <string>\n#include <vector>\n"
        "float root(float x) { return ::sqrt(x); }\n"
        "std::size_t total(std::vector<std::string> words) {\n"
        "    std::size_t n = 0;\n"
        "    for (const std::string w : words) n += w.size();\n"
        "    return n;\n"
        "}\n"
        "int main() {\n"
        "    std::vector<std::string> v(3, \"abc\");\n"
        "    for (int i = 0; i < 3; ++i) std::cout << i << std::endl;\n"
        "    std::cout << total(v) << root(2.0f) << '\\n';\n"
        "}\n";
    auto findings = analyzer::tidy({{"main.cpp", program}}, {});
    ASSERT_TRUE(findings) << findings.error().message;
    std::map<std::string, const analyzer::Finding*> by_rule;
    for (const auto& f : *findings) by_rule[f.rule] = &f;
    for (const auto& f : *findings) std::cout << f.rule << " " << f.line << ":" << f.column << " " << f.message << " fixes=" << f.fix.size() << "\n";
    ASSERT_TRUE(by_rule.count("performance-avoid-endl"));
    EXPECT_EQ(by_rule["performance-avoid-endl"]->line, 13u);
    const std::string fixed = apply(program, by_rule["performance-avoid-endl"]->fix);
    EXPECT_NE(fixed.find("std::cout << i << '\\n';"), std::string::npos) << fixed;
    ASSERT_TRUE(by_rule.count("performance-for-range-copy"));
    EXPECT_NE(apply(program, by_rule["performance-for-range-copy"]->fix).find("for (const std::string& w : words)"), std::string::npos);
    ASSERT_TRUE(by_rule.count("performance-unnecessary-value-param"));
    ASSERT_TRUE(by_rule.count("performance-type-promotion-in-math-fn"));
    EXPECT_NE(apply(program, by_rule["performance-type-promotion-in-math-fn"]->fix).find("std::sqrt(x)"), std::string::npos);
}

TEST(Tidy, FixesIntoAFixedFileAreDropped) {
    const std::string header = "#include <iostream>\ninline void show(int i) { std::cout << i << std::endl; }\n";
    auto findings = analyzer::tidy({{"main.cpp", "#include \"harness.h\"\nint main() { show(1); }\n"}, {"harness.h", header}},
                                   analyzer::AnalyzeOptions{{"-std=c++17"}, {}, {"harness.h"}, ""});
    ASSERT_TRUE(findings) << findings.error().message;
    ASSERT_FALSE(findings->empty());
    for (const auto& f : *findings) EXPECT_TRUE(f.fix.empty()) << f.rule;
}

TEST(Tidy, ASourceThatDoesNotParseIsAnInputError) {
    auto findings = analyzer::tidy({{"main.cpp", "int main() { return oops; }\n"}}, {});
    ASSERT_FALSE(findings);
    EXPECT_EQ(findings.error().kind, core::ErrorKind::input);
    EXPECT_NE(findings.error().message.find("main.cpp: does not parse"), std::string::npos) << findings.error().message;
}

TEST(Tidy, EveryExtraCheckExistsAndNoneHasAnOwnTwin) {
    const auto all = analyzer::tidy_check_names();
    const auto extra = analyzer::tidy_check_names(analyzer::k_tidy_extra_checks);
    EXPECT_EQ(extra.size(), 10u);
    for (const auto& check : extra) EXPECT_NE(std::find(all.begin(), all.end(), check), all.end()) << check;
    for (const char* twin : {"performance-avoid-endl", "performance-unnecessary-value-param", "performance-for-range-copy", "modernize-use-emplace"})
        EXPECT_EQ(std::find(extra.begin(), extra.end(), twin), extra.end()) << twin;
}

// The default rules proposer: optiloop's rule where it has one (endl-in-loop, not clang-tidy's
// twin), clang-tidy's check where it has none (type-promotion-in-math-fn).
TEST(Tidy, TheRulesProposerAddsTheChecksItHasNoRuleFor) {
    core::Task task;
    task.id = "t";
    task.build.flags = {"-std=c++17", "-O2"};
    const std::string program =
        "#include <cmath>\n#include <iostream>\n"
        "int main() {\n"
        "    float s = 0;\n"
        "    for (int i = 1; i < 1000; ++i) { s += ::sqrt(float(i)); std::cout << i << std::endl; }\n"
        "    std::cout << s << '\\n';\n"
        "}\n";
    task.baseline = {{"main.cpp", program}};
    analyzer::RulesProposer rules;
    auto edits = rules.propose(task, core::ProposalContext{task.baseline, "", "", 4, 0, 0});
    ASSERT_TRUE(edits) << edits.error().message;
    std::string explanations;
    for (const auto& e : *edits) explanations += e.explanation + "\n";
    EXPECT_NE(explanations.find("endl-in-loop"), std::string::npos) << explanations;
    EXPECT_NE(explanations.find("performance-type-promotion-in-math-fn"), std::string::npos) << explanations;
    EXPECT_EQ(explanations.find("performance-avoid-endl"), std::string::npos) << explanations;
    analyzer::RulesProposer tidy_only(analyzer::RulesProposer::Source::clang_tidy);
    EXPECT_EQ(tidy_only.name(), "clang-tidy");
    edits = tidy_only.propose(task, core::ProposalContext{task.baseline, "", "", 4, 0, 0});
    ASSERT_TRUE(edits);
    explanations.clear();
    for (const auto& e : *edits) explanations += e.explanation + "\n";
    EXPECT_NE(explanations.find("performance-avoid-endl"), std::string::npos) << explanations;
    EXPECT_EQ(explanations.find("endl-in-loop"), std::string::npos) << explanations;
}

// The clang-tidy proposer (the comparison source) parses once and runs only clang-tidy's checks:
// optiloop's own rules, which fire on the same program, are not run at all.
TEST(Tidy, WithoutTheOwnRulesOnlyClangTidysChecksFire) {
    const std::string program =
        "#include <iostream>\nint main() {\n    for (int i = 0; i < 3; ++i) std::cout << i << std::endl;\n}\n";
    analyzer::AnalyzeOptions options;
    auto both = analyzer::analyze({{"main.cpp", program}}, options);
    ASSERT_TRUE(both) << both.error().message;
    auto has = [](const analyzer::Analysis& a, const std::string& rule) {
        return std::any_of(a.findings.begin(), a.findings.end(), [&](const analyzer::Finding& f) { return f.rule == rule; });
    };
    EXPECT_TRUE(has(*both, "endl-in-loop"));
    options.own_rules = false;
    options.tidy_checks = "-*,performance-avoid-endl";
    auto tidy_only = analyzer::analyze({{"main.cpp", program}}, options);
    ASSERT_TRUE(tidy_only) << tidy_only.error().message;
    EXPECT_TRUE(has(*tidy_only, "performance-avoid-endl"));
    EXPECT_FALSE(has(*tidy_only, "endl-in-loop"));
    EXPECT_FALSE(tidy_only->functions.empty());  // the functions are still found
}

// clang-tidy's checks through optiloop's analyzer: they run in process on in-memory sources, their
// fixes come back as replacements, and fixes into files that must not change are dropped.
#include <gtest/gtest.h>

#include <algorithm>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/rules_proposer.hpp>
#include <optiloop/analyzer/tidy.hpp>
#include <optiloop/llm/edit.hpp>

#include "analyzer/rules/rule_test_support.hpp"

using namespace optiloop;

namespace {

std::string apply(std::string text, std::vector<core::Replacement> fix) {
    std::sort(fix.begin(), fix.end(), [](const auto& a, const auto& b) { return a.offset > b.offset; });
    for (const auto& r : fix) text.replace(r.offset, r.length, r.text);
    return text;
}

// What the default rules proposer offers for a one-file program.
std::vector<core::Edit> rules_proposals(const std::string& program) {
    core::Task task;
    task.id = "t";
    task.build.flags = {"-std=c++17", "-O2"};
    task.baseline = rule_test::source(program);
    analyzer::RulesProposer rules;
    auto edits = rules.propose(task, core::ProposalContext{task.baseline, "", "", 4, 0, 0});
    if (!edits) {
        ADD_FAILURE() << edits.error().message;
        return {};
    }
    return *edits;
}

bool proposes(const std::vector<core::Edit>& edits, const std::string& check) {
    return std::any_of(edits.begin(), edits.end(), [&](const core::Edit& e) {
        return std::find(e.rules.begin(), e.rules.end(), check) != e.rules.end() || e.explanation.find(check) != std::string::npos;
    });
}

// The default rules proposer offers `check`'s edit alone; applied, it gives exactly `expected`,
// and that program still prints what the original printed on `tests` (built and run by the runner).
void expect_proposed_rewrite(const std::string& name, const std::string& check, const std::string& original, const rule_test::Cases& tests,
                             const std::string& expected) {
    SCOPED_TRACE(name);
    const auto edits = rules_proposals(original);
    const auto edit = std::find_if(edits.begin(), edits.end(), [&](const core::Edit& e) { return e.rules == std::vector<std::string>{check}; });
    ASSERT_NE(edit, edits.end()) << "no edit of " << check << " among " << edits.size();
    auto applied = llm::apply_edit(rule_test::source(original), *edit);
    ASSERT_TRUE(applied) << applied.error().message;
    ASSERT_EQ(applied->size(), 1u);
    const std::string& rewritten = applied->at(0).content;
    EXPECT_EQ(rewritten, expected);
    rule_test::expect_accepted(name + "-original", original, tests);
    rule_test::expect_accepted(name + "-rewritten", rewritten, tests);
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
    EXPECT_EQ(extra.size(), 11u);
    for (const auto& check : extra) EXPECT_NE(std::find(all.begin(), all.end(), check), all.end()) << check;
    for (const char* twin : {"performance-avoid-endl", "performance-unnecessary-value-param", "performance-for-range-copy"})
        EXPECT_EQ(std::find(extra.begin(), extra.end(), twin), extra.end()) << twin;
}

// emplace-back-temporary was retired for its twin modernize-use-emplace (README, "Rules and
// clang-tidy, measured"): the retired rule's rewrite and silence tests, now through the default
// rules proposer, which runs the check.
const char* const k_push_back_temporary = R"(#include <iostream>
#include <vector>
struct Point {
    long x, y;
    Point(long px, long py) : x(px), y(py) {}
};
int main() {
    std::vector<Point> points;
    long x, y;
    while (std::cin >> x >> y) points.push_back(Point(x, y));
    long area = 0;
    for (const Point& p : points) area += p.x * p.y;
    std::cout << points.size() << ' ' << area << '\n';
}
)";

TEST(Tidy, TheRulesProposerEmplacesATemporaryWithTheSameOutput) {
    // Faster: push_back constructed a temporary Point and then moved it into the vector;
    // emplace_back constructs it once, directly in the vector's storage.
    expect_proposed_rewrite("use-emplace-point", "modernize-use-emplace", k_push_back_temporary, {{"1 2\n3 4\n", "2 14\n"}, {"\n", "0 0\n"}},
                            rule_test::replace_first(k_push_back_temporary, "points.push_back(Point(x, y))", "points.emplace_back(x, y)"));
}

TEST(Tidy, TheRulesProposerTurnsEmptyBracesIntoNoArguments) {
    const std::string program = R"(#include <deque>
#include <iostream>
#include <string>
void f(std::deque<std::string>& lines) { lines.push_back(std::string{}); }
int main() {
    std::deque<std::string> lines;
    std::string word;
    while (std::cin >> word) {
        f(lines);
        lines.back() = word;
    }
    std::size_t chars = 0;
    for (const std::string& line : lines) chars += line.size();
    std::cout << lines.size() << ' ' << chars << '\n';
}
)";
    expect_proposed_rewrite("use-emplace-braces", "modernize-use-emplace", program, {{"ab c\n", "2 3\n"}, {"\n", "0 0\n"}},
                            rule_test::replace_first(program, "lines.push_back(std::string{})", "lines.emplace_back()"));
}

// Where emplace_back would build another element than push_back: a sliced Derived, braces that
// an initializer_list constructor takes; and where it gains nothing (a scalar, a variable). The
// first call is the control: the check does run and fires on a plain temporary.
TEST(Tidy, TheRulesProposerLeavesPushBackWhereEmplaceWouldDiffer) {
    const char* const head = R"(#include <string>
#include <vector>
struct Base {
    int v;
    explicit Base(int x) : v(x) {}
};
struct Derived : Base {
    explicit Derived(int x) : Base(x) {}
};
void f(std::vector<Base>& bases, std::vector<std::vector<int>>& rows, std::vector<long>& longs) {
    Base b(1);
)";
    EXPECT_TRUE(proposes(rules_proposals(std::string(head) + "    bases.push_back(Base(2));\n}\n"), "modernize-use-emplace"));
    for (const char* call : {
             "bases.push_back(b);",                      // a variable
             "bases.push_back(Derived(2));",             // a derived type, sliced
             "longs.push_back(long(3));",                // a scalar: nothing to gain
             "rows.push_back(std::vector<int>{3, 1});",  // braces: {3, 1} is two elements, (3, 1) three
         }) {
        SCOPED_TRACE(call);
        EXPECT_FALSE(proposes(rules_proposals(std::string(head) + "    " + call + "\n}\n"), "modernize-use-emplace"));
    }
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

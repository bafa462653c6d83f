#include "rule_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <optiloop/llm/edit.hpp>
#include <optiloop/runner/measure.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;

namespace optiloop::rule_test {

using analyzer::Finding;

namespace {

fs::path scratch_root() { return test_support::process_dir("optiloop-rules-test-"); }

const fs::path k_root = scratch_root();

}  // namespace

core::Task make_task(const std::string& name, const Cases& tests) {
    core::Task task;
    task.id = name;
    task.limits.time_seconds = 5;
    task.limits.memory_bytes = 256 << 20;
    const fs::path dir = k_root / name;
    fs::create_directories(dir);
    int i = 0;
    for (const auto& [in, out] : tests) {
        const std::string n = "t" + std::to_string(++i);
        std::ofstream(dir / (n + ".in")) << in;
        std::ofstream(dir / (n + ".out")) << out;
        task.tests.push_back({n, dir / (n + ".in"), dir / (n + ".out")});
    }
    return task;
}

std::vector<core::SourceFile> source(const std::string& text) { return {{"main.cpp", text}}; }

unsigned line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    if (at == std::string::npos) return 0;
    return 1 + static_cast<unsigned>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::string replace_first(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

std::string replace_each(std::string text, const std::vector<std::pair<std::string, std::string>>& pairs) {
    for (const auto& [from, to] : pairs) text = replace_first(text, from, to);
    return text;
}

analyzer::AnalyzeOptions only(const std::string& rule) {
    analyzer::AnalyzeOptions options;
    options.rules = {rule};
    return options;
}

std::vector<Finding> findings_of(const std::string& program, const std::string& rule) {
    auto analysis = analyzer::analyze(source(program), only(rule));
    if (!analysis) {
        ADD_FAILURE() << "the program does not parse: " << analysis.error().message;
        return {};
    }
    return analysis->findings;
}

void expect_accepted(const std::string& name, const std::string& program, const Cases& tests) {
    runner::MeasureOptions options;
    options.counter = core::CounterKind::none;
    options.repeats = 1;
    options.warmups = 0;
    options.jobs = 2;
    auto measured = runner::measure(make_task(name, tests), source(program), options);
    ASSERT_TRUE(measured) << measured.error().message;
    EXPECT_EQ(measured->verdict, core::Verdict::ok)
        << name << ": " << core::to_string(measured->verdict) << "\n"
        << measured->compile_output << "\n--- program ---\n"
        << program;
}

void expect_fix(const std::string& rule, const std::string& program, const std::string& expected) {
    const auto found = findings_of(program, rule);
    ASSERT_EQ(found.size(), 1u);
    core::Edit edit;
    edit.replacements = found[0].fix;
    auto applied = llm::apply_edit(source(program), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_EQ(applied->at(0).content, expected);
}

void expect_rewrite(const std::string& rule, const std::string& original, const std::string& at, const Cases& tests,
                    const std::string& expected) {
    SCOPED_TRACE(rule);
    const auto found = findings_of(original, rule);
    ASSERT_EQ(found.size(), 1u) << "findings of " << rule;
    const Finding& f = found[0];
    EXPECT_EQ(f.rule, rule);
    EXPECT_EQ(f.file, "main.cpp");
    ASSERT_NE(line_of(original, at), 0u) << at;
    EXPECT_EQ(f.line, line_of(original, at)) << f.message;
    EXPECT_FALSE(f.message.empty());
    ASSERT_FALSE(f.fix.empty()) << rule << " gave no fix";
    core::Edit edit;
    edit.proposer = "rules";
    edit.replacements = f.fix;
    auto applied = llm::apply_edit(source(original), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    ASSERT_EQ(applied->size(), 1u);
    const std::string& rewritten = applied->at(0).content;
    EXPECT_EQ(rewritten, expected);
    expect_accepted(rule + "-original", original, tests);
    expect_accepted(rule + "-rewritten", rewritten, tests);
}

void expect_rewrites(const std::string& rule, const std::string& original, std::size_t count, const std::string& expected,
                     const Cases& tests) {
    SCOPED_TRACE(rule);
    const auto found = findings_of(original, rule);
    ASSERT_EQ(found.size(), count) << "findings of " << rule;
    core::Edit edit;
    edit.proposer = "rules";
    for (const Finding& f : found)
        for (const auto& r : f.fix)
            if (std::find(edit.replacements.begin(), edit.replacements.end(), r) == edit.replacements.end()) edit.replacements.push_back(r);
    auto applied = llm::apply_edit(source(original), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    const std::string& rewritten = applied->at(0).content;
    EXPECT_EQ(rewritten, expected);
    expect_accepted(rule + "-original", original, tests);
    expect_accepted(rule + "-rewritten", rewritten, tests);
}

}  // namespace optiloop::rule_test

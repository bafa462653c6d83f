// What the tests of the rules share (tests/analyzer/rules/ID.cpp, one file per rule): every rule
// fires where its precondition holds, and its fix, applied like any other edit, still compiles and
// prints what the original printed (checked through the real runner); every rule stays silent
// where its precondition fails.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <optiloop/analyzer/analyzer.hpp>

namespace optiloop::rule_test {

using Cases = std::vector<std::pair<std::string, std::string>>;  // (stdin, expected stdout)

core::Task make_task(const std::string& name, const Cases& tests);

std::vector<core::SourceFile> source(const std::string& text);

// 1-based line of the first occurrence of `needle`, 0 when absent.
unsigned line_of(const std::string& text, const std::string& needle);

std::string replace_first(std::string text, const std::string& from, const std::string& to);

// text with each (from, to) pair's first `from` replaced, in order.
std::string replace_each(std::string text, const std::vector<std::pair<std::string, std::string>>& pairs);

analyzer::AnalyzeOptions only(const std::string& rule);

// The findings of one rule on a one-file program that must parse.
std::vector<analyzer::Finding> findings_of(const std::string& program, const std::string& rule);

// The program must build and pass every test: the verdict compares its output with ours.
void expect_accepted(const std::string& name, const std::string& program, const Cases& tests);

// The rule fires once on `program`, and its fix applied as an edit gives exactly `expected`; the
// program is not built or run.
void expect_fix(const std::string& rule, const std::string& program, const std::string& expected);

// The rule fires once, at the line holding `at`; its fix applied as an edit gives exactly
// `expected`, and that program still prints what the original printed on `tests`.
void expect_rewrite(const std::string& rule, const std::string& original, const std::string& at, const Cases& tests,
                    const std::string& expected);

// The rule fires `count` times; all its fixes applied together, the way the rules proposer
// makes its edit (an insertion several fixes share is made once), give exactly `expected`,
// and that program still prints what the original printed on `tests`.
void expect_rewrites(const std::string& rule, const std::string& original, std::size_t count, const std::string& expected,
                     const Cases& tests);

}  // namespace optiloop::rule_test

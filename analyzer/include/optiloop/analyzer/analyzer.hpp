// Source analysis through Clang LibTooling: the functions of a translation unit with their
// ranges, loops with nesting depth, the calls between functions, and the findings of the
// rewrite rules (each with the replacements that fix it).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::analyzer {

struct Loop {
    unsigned line = 0;
    unsigned end_line = 0;
    unsigned depth = 1;  // 1 = outermost
    std::string kind;    // for, while, do, range-for
};

struct Function {
    std::string name;  // qualified
    std::string file;
    unsigned begin_line = 0, end_line = 0;
    std::vector<Loop> loops;
    std::vector<std::string> calls;  // functions of the same sources it calls
};

struct Finding {
    std::string rule;  // rule id
    std::string file;
    unsigned line = 0, column = 0;
    std::string message;
    std::vector<core::Replacement> fix;  // empty when the rule only reports
};

struct Analysis {
    std::vector<Function> functions;
    std::vector<Finding> findings;
};

struct RuleInfo {
    const char* id;
    const char* category;  // io, data-structures, algorithmic, low-level
    const char* rationale;
};

const std::vector<RuleInfo>& rule_catalogue();

// A rule's documentation page (analyzer/docs/rules/ID.md: what, why, before/after, when it stays
// silent, its clang-tidy twin), embedded at build time; nullopt for an id without one.
std::optional<std::string_view> rule_doc(std::string_view id);

struct AnalyzeOptions {
    std::vector<std::string> flags = {"-std=c++17", "-O3"};  // compile flags of the sources
    std::vector<std::string> rules;  // empty: all
    std::vector<std::string> fixed_files;  // files that must not be edited (a task's harness)
    // clang-tidy checks (a clang-tidy glob, analyzer/tidy.hpp) run on the same parse; their
    // findings join the rules' under the check's name. Empty: none.
    std::string tidy_checks;
    // false: optiloop's own rules do not run (clang-tidy's checks alone, for comparing them).
    bool own_rules = true;
};

// Whether a function's qualified name ("ns::Class::f") is what a user called it ("f", "Class::f").
bool names_function(const std::string& qualified, const std::string& wanted);

// A function or loop of the sources and its share of a run's instructions.
struct HotSpot {
    std::string function;
    std::string file;
    unsigned begin_line = 0, end_line = 0;
    double share = 0;            // of every instruction of the run, 0..1
    unsigned loop_line = 0;      // the function's most expensive loop, 0 when none
    double loop_share = 0;
};

// Combines a per-line profile with the functions and loops of the analysis, most expensive first.
std::vector<HotSpot> hot_spots(const Analysis& analysis, const core::LineProfile& profile);

// "function main (main.cpp:5-30): 71% of instructions; loop at line 12: 65%", one line each.
std::string describe(const std::vector<HotSpot>& spots, std::size_t at_most = 5);

// Parses the sources (all in memory; the harness and headers among them) and analyses every
// translation unit. An error when the sources do not parse.
core::Result<Analysis> analyze(const std::vector<core::SourceFile>& sources, const AnalyzeOptions& options);

}  // namespace optiloop::analyzer

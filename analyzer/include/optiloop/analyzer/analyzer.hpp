// Source analysis through Clang LibTooling: the functions of a translation unit with their
// ranges, loops with nesting depth, the calls between functions, and the findings of the
// rewrite rules (each with the replacements that fix it).
#pragma once

#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::analyzer {

struct Loop {
    unsigned line = 0;
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

struct AnalyzeOptions {
    std::vector<std::string> flags = {"-std=c++17", "-O3"};  // compile flags of the sources
    std::vector<std::string> rules;  // empty: all
    std::vector<std::string> fixed_files;  // files that must not be edited (a task's harness)
};

// Parses the sources (all in memory; the harness and headers among them) and analyses every
// translation unit. An error when the sources do not parse.
core::Result<Analysis> analyze(const std::vector<core::SourceFile>& sources, const AnalyzeOptions& options);

}  // namespace optiloop::analyzer

// The rewrite rules, private to the analyzer. Each rule is an AST matcher plus the checks that
// prove its precondition; when a check cannot be made the rule stays silent. One file per rule
// under rules/, each registered by its line in rules/catalogue.cpp, which defines run_rules.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/Basic/SourceManager.h>

#include <string>
#include <vector>

#include <optiloop/analyzer/analyzer.hpp>

namespace optiloop::analyzer {

// The in-memory sources as Clang sees them (mounted under k_root).
struct SourceMap {
    static inline const std::string k_root = "/optiloop-src/";
    std::vector<std::string> files;

    [[nodiscard]] bool contains(const clang::SourceManager& sm, clang::SourceLocation loc) const {
        return !relative(sm, loc).empty();
    }
    [[nodiscard]] std::string relative(const clang::SourceManager& sm, clang::SourceLocation loc) const {
        if (loc.isInvalid()) return "";
        const std::string name = sm.getFilename(sm.getSpellingLoc(loc)).str();
        if (name.rfind(k_root, 0) != 0) return "";
        return name.substr(k_root.size());
    }
};

void run_rules(clang::ASTContext& context, const SourceMap& sources, const AnalyzeOptions& options,
               std::vector<Finding>& out);

}  // namespace optiloop::analyzer

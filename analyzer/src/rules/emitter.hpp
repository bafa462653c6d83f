// Where a rule may edit and how it writes the edit: the replacements, insertions and removals
// its fix is made of, laid out as a person would, and the one door through which its findings
// leave (Rule::emit, which adds the rule's id from the catalogue).
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "rules.hpp"

namespace optiloop::analyzer::rules {

class Rule;

// Shared services of the rules: where edits may go and how to make them.
class Emitter {
public:
    Emitter(clang::ASTContext& context, const SourceMap& sources, const AnalyzeOptions& options, std::vector<Finding>& out)
        : m_context(context), m_sm(context.getSourceManager()), m_sources(sources), m_options(options), m_out(out) {}

    clang::ASTContext& context() { return m_context; }
    const SourceMap& sources() const { return m_sources; }
    const clang::SourceManager& sm() const { return m_sm; }

    bool enabled(const std::string& rule) const;

    // A location we may edit: in the sources, not in a macro, not in a fixed file.
    bool editable(clang::SourceLocation loc) const;
    bool editable(clang::SourceRange range) const { return editable(range.getBegin()) && editable(range.getEnd()); }

    std::string text(clang::SourceRange range) const;

    core::Replacement replace(clang::SourceRange token_range, std::string with) const;
    core::Replacement insert_before(clang::SourceLocation loc, std::string text) const;
    core::Replacement insert_after_token(clang::SourceLocation loc, std::string text) const;
    // A fix-it hint (clang-tidy's utils::fixit make them) as a replacement; none when it touches
    // a macro or a file that is not editable.
    std::optional<core::Replacement> from_fixit(const clang::FixItHint& hint) const;

    // Removes the expression statement s with its ';', and its line when nothing else is on it.
    std::optional<core::Replacement> remove_statement(const clang::Stmt& s) const;

    // Inserts text just after the statement s: after the ';' that ends it, when one follows its
    // last token (an expression statement, a loop whose body is one), else after that token.
    core::Replacement insert_after_statement(const clang::Stmt& s, std::string text) const;

    // The whitespace before the statement at loc, to indent an inserted line like it.
    std::string indent_of(clang::SourceLocation loc) const;

    // For a statement that is the lone body of a header (for (...), while (...), if (...), else)
    // and has a line of its own: the two edits that give it a block laid out as a person would,
    // " {" ending the header's line and "}" on a line under the header, after the statement. None
    // when it shares its line, or a comment ends the header's line (it would swallow the brace).
    std::optional<std::pair<core::Replacement, core::Replacement>> braces_around(const clang::Stmt& s);

    // `#include <header>` at the top of loc's file, unless the file includes it (or
    // <bits/stdc++.h>) already.
    std::optional<core::Replacement> include(clang::SourceLocation loc, const std::string& header) const;

    llvm::StringRef file_text(clang::SourceLocation loc) const;

    // Whether another name may reach the local var (see aliased_locals), worked out once per function.
    bool aliased(const clang::VarDecl* var);

    // The offset just past statement s: after its ';' when the last statement in it is not a
    // block (an expression statement, a loop or if whose last branch is one), else after its '}'.
    std::optional<unsigned> end_offset(const clang::Stmt& s) const;

    // The statement's parent when it is a compound statement (so a line can go before it).
    const clang::CompoundStmt* compound_parent(const clang::Stmt& s);

private:
    // Only a Rule reports, and it names itself with the id its catalogue line gives it.
    friend class Rule;
    void emit(const std::string& rule, clang::SourceLocation at, std::string message, std::vector<core::Replacement> fix);

    clang::ASTContext& m_context;
    const clang::SourceManager& m_sm;
    const SourceMap& m_sources;
    const AnalyzeOptions& m_options;
    std::vector<Finding>& m_out;
    std::map<const clang::FunctionDecl*, std::set<const clang::VarDecl*>> m_aliased;
};

// Makes a variable or parameter a const reference: "&" before its name and "const " before its
// type unless it is const already (clang-tidy's utils::fixit::changeVarDeclToReference and
// addQualifierToVarDecl). Empty when the declaration cannot be edited.
std::vector<core::Replacement> make_const_ref(Emitter& e, const clang::VarDecl& var);

// For a rule that gives a container variable another container type: the location of its
// template name when it is written `written<...>` (not auto or a typedef) and editable, the
// element type is not bool (whose proxies differ), and it is built from sizes, values or a
// brace list, which the other container takes alike (not from another container).
std::optional<clang::SourceLocation> retypable(Emitter& e, const clang::VarDecl& var, llvm::StringRef written);

}  // namespace optiloop::analyzer::rules

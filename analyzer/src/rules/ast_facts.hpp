// What several rules need to know about the AST: the types worth a rule, which locals another
// name may reach, loops and their counters, a node's parent seen through the wrappers Clang adds,
// and the facts of the whole translation unit. Nothing here makes an edit (emitter.hpp does).
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/ASTMatchers/ASTMatchers.h>

#include <initializer_list>
#include <optional>
#include <set>
#include <vector>

#include "rules.hpp"

namespace optiloop::analyzer::rules {

// The containers and strings a copy of which costs an allocation and a pass over the elements.
inline auto heavy_type() {
    using namespace clang::ast_matchers;
    return qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasAnyName(
        "::std::vector", "::std::basic_string", "::std::map", "::std::set", "::std::unordered_map",
        "::std::unordered_set", "::std::deque", "::std::list", "::std::multimap", "::std::multiset"))))));
}

// Whether a copy of t costs more than moving a few registers: clang-tidy's
// utils::type_traits::isExpensiveToCopy (a type that is not trivially copyable); false when that
// cannot be told (a dependent type).
bool expensive_to_copy(clang::QualType t, const clang::ASTContext& ctx);

// A local (not a parameter) of the standard container `qualified`.
inline auto local_container(const char* qualified) {
    using namespace clang::ast_matchers;
    return varDecl(hasLocalStorage(), unless(parmVarDecl()),
                   hasType(hasCanonicalType(recordType(hasDeclaration(classTemplateSpecializationDecl(hasName(qualified)))))));
}

// A variable declared directly in a loop's body (the loop's own compound statement), matched
// with the loop bound as "loop", the body as "body" and the declaration as "decl".
inline auto declared_in_loop_body() {
    using namespace clang::ast_matchers;
    return hasParent(declStmt(hasParent(compoundStmt(hasParent(stmt(anyOf(forStmt(), whileStmt(), doStmt(), cxxForRangeStmt())).bind("loop")))
                                            .bind("body")))
                         .bind("decl"));
}

// Every match of `m` inside the top-level declarations of the sources. A match over the whole
// translation unit would walk every system header too, once per call.
template <class Matcher>
std::vector<clang::ast_matchers::BoundNodes> match_in_sources(const Matcher& m, clang::ASTContext& ctx, const SourceMap& sources) {
    std::vector<clang::ast_matchers::BoundNodes> out;
    const clang::SourceManager& sm = ctx.getSourceManager();
    for (clang::Decl* d : ctx.getTranslationUnitDecl()->decls()) {
        if (!sources.contains(sm, d->getLocation())) continue;
        auto found = clang::ast_matchers::match(clang::ast_matchers::decl(clang::ast_matchers::forEachDescendant(m)), *d, ctx);
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

// ---- facts about the translation unit used by several rules ----------------------------------

struct UnitFacts {
    bool uses_cin = false, uses_cout = false, uses_c_stdio = false, calls_sync = false;
    const clang::FunctionDecl* main = nullptr;
};

UnitFacts gather_facts(clang::ASTContext& ctx, const SourceMap& sources);

// ---- names and aliases ---------------------------------------------------------------------------

// The locals of fn that another name may reach: whose address is kept (taken other than as a
// call's argument, as for scanf), to which a non-const reference is bound, or which a lambda
// captures by reference. A write through such a name does not name the variable, so the
// mutation analysis of a loop does not see it.
std::set<const clang::VarDecl*> aliased_locals(const clang::FunctionDecl& fn, clang::ASTContext& ctx);

// The variable e names, when it is one.
const clang::VarDecl* var_of(const clang::Expr* e);
bool is_ref_to(const clang::Expr* e, const clang::VarDecl* var);

// The local (or parameter) a member call is made on.
const clang::VarDecl* object_var(const clang::CXXMemberCallExpr* call);

bool method_is(const clang::CXXMemberCallExpr* call, llvm::StringRef name);

bool references_var(const clang::Stmt* s, const clang::VarDecl* var);

// Every name of var inside s, in source order: clang-tidy's utils::decl_ref_expr::allDeclRefExprs
// (a set), sorted so that what a rule builds from them does not depend on pointer values.
std::vector<const clang::DeclRefExpr*> refs_to(const clang::VarDecl& var, const clang::Stmt& s, clang::ASTContext& ctx);

// Every variable s names (repeats included); only_locals turns false on a name that is neither
// a local nor a function or an enumerator.
void collect_vars(const clang::Stmt* s, std::vector<const clang::VarDecl*>& vars, bool& only_locals);

// True when the variable is only read in scope. Calling a non-const accessor (operator[], at,
// front, back) counts as a read when what it returns is itself only read: the const overload
// would have served.
bool only_read(clang::ASTContext& ctx, const clang::VarDecl* var, const clang::Stmt& scope);

// Whether var's name is declared nowhere else in fn (so it can move to the loop's scope).
bool name_unique_in(const clang::FunctionDecl& fn, const clang::VarDecl& var, clang::ASTContext& ctx);

// ---- expressions ---------------------------------------------------------------------------------

// Whether evaluating e twice gives what evaluating it once does and changes nothing: no side
// effects, where reading an element of a standard sequence (v[i] on a vector, array, deque,
// string, string_view or span) or a standard container's size (size(), length(), empty())
// counts as none, though it is a call, alone or inside operators and casts.
bool repeatable(const clang::Expr* e, clang::ASTContext& context);

bool same_expr(const clang::Expr* a, const clang::Expr* b, clang::ASTContext& ctx);

// Library functions that read their arguments and write no memory the program can see.
bool writes_no_memory(const clang::CallExpr& call);

// Whether t is std::string itself: basic_string of char with std::char_traits (other traits
// may compare chars otherwise).
bool is_std_string(clang::QualType t, clang::ASTContext& ctx);

// The class template a variable's type is spelled with (std::map<...>, vector<...>): its name's
// location, when the type is written that way (not auto, not a typedef).
std::optional<clang::SourceLocation> template_name_as_written(const clang::VarDecl& var);

// ---- loops ---------------------------------------------------------------------------------------

// A loop's body; null for a statement that is not a loop.
const clang::Stmt* loop_body(const clang::Stmt* s);

// Whether body is the loop's body (not, say, the compound init of a nested statement).
bool is_body_of(const clang::Stmt* loop, const clang::Stmt* body);

// A block's only statement, or s itself when it is not a block; null for a block of more or none.
const clang::Stmt* only_statement(const clang::Stmt* s);

// A counted loop, `for (int v = a; v < b; ++v)` (or <=, >, >=, != and v++, --v, v += c, v -= c),
// whose start and bound have no side effects: its counter; else null.
const clang::VarDecl* counted_loop_var(const clang::ForStmt& loop, clang::ASTContext& ctx);

// Whether the loop is the one an OpenMP directive (#pragma omp parallel for) shares out.
bool under_openmp(clang::ASTContext& ctx, const clang::Stmt& loop);

// ---- where a node sits ---------------------------------------------------------------------------

const clang::FunctionDecl* enclosing_function(clang::ASTContext& ctx, const clang::Stmt& s);

// s's parent when it has just one and that is a statement; else null.
const clang::Stmt* parent_stmt(clang::ASTContext& ctx, const clang::Stmt& s);

// s's parent statement seen through the nodes `skip` accepts: the wrappers Clang puts around a
// full expression, a temporary or a conversion. Each caller names those it looks through.
template <class Skip>
const clang::Stmt* parent_through(clang::ASTContext& ctx, const clang::Stmt& s, Skip skip) {
    const clang::Stmt* p = parent_stmt(ctx, s);
    while (p && skip(*p)) p = parent_stmt(ctx, *p);
    return p;
}

// The parent of `s` seen through the nodes that wrap a full expression or a temporary.
const clang::Stmt* parent_through_wrappers(clang::ASTContext& ctx, const clang::Stmt& s);

// s's parent, through parentheses, temporaries, implicit casts (but a read of a value) and the
// copies that pass an object on.
const clang::Stmt* parent_through_temporaries(clang::ASTContext& ctx, const clang::Stmt& s);

// The statement s belongs to: its parent, or for a variable's initialiser its declaration.
const clang::Stmt* statement_parent(clang::ASTContext& ctx, const clang::Stmt& s);

// The DeclStmt that declares var, when that is var's only parent; else null.
const clang::DeclStmt* declaring_statement(clang::ASTContext& ctx, const clang::VarDecl& var);

// The range-for that walks `range`, the expression its hidden __range variable (`var`) is bound
// to; null when var is not such a variable or range is not the loop's range as written.
const clang::CXXForRangeStmt* range_for_over(clang::ASTContext& ctx, const clang::VarDecl& var, const clang::Expr& range);

}  // namespace optiloop::analyzer::rules

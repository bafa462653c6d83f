// The vector-reserve rule: what it finds, why and when it stays silent are in analyzer/docs/rules/vector-reserve.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include <functional>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

bool contains_jump(const Stmt* s) {
    if (!s) return false;
    if (isa<BreakStmt>(s) || isa<ReturnStmt>(s) || isa<GotoStmt>(s) || isa<CXXThrowExpr>(s)) return true;
    for (const Stmt* child : s->children())
        if (contains_jump(child)) return true;
    return false;
}

class VectorReserve : public Rule {
public:
    using Rule::Rule;
    // Whether `var.reserve(...)` appears in s before `before`.
    bool reserves_before(const Stmt* s, const VarDecl* var, SourceLocation before) {
        if (!s || !m_e.sm().isBeforeInTranslationUnit(s->getBeginLoc(), before)) return false;
        if (const auto* call = dyn_cast<CXXMemberCallExpr>(s); call && method_is(call, "reserve") && object_var(call) == var) return true;
        for (const Stmt* child : s->children())
            if (reserves_before(child, var, before)) return true;
        return false;
    }
    static auto matcher() {
        return forStmt(hasLoopInit(declStmt(hasSingleDecl(varDecl(hasType(isInteger()), hasInitializer(ignoringParenImpCasts(integerLiteral(equals(0)))))
                                                              .bind("i")))),
                       hasCondition(binaryOperator(hasOperatorName("<"), hasLHS(ignoringParenImpCasts(declRefExpr(to(varDecl(equalsBoundNode("i")))))),
                                                   hasRHS(expr(hasType(isInteger())).bind("n")))),
                       hasIncrement(unaryOperator(hasOperatorName("++"), hasUnaryOperand(declRefExpr(to(varDecl(equalsBoundNode("i"))))))),
                       hasBody(compoundStmt().bind("body")))
            .bind("loop");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<ForStmt>("loop");
        const auto* body = r.Nodes.getNodeAs<CompoundStmt>("body");
        const auto* n = r.Nodes.getNodeAs<Expr>("n");
        const auto* i = r.Nodes.getNodeAs<VarDecl>("i");
        if (!m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop) || contains_jump(body)) return;
        if (n->HasSideEffects(m_e.context())) return;
        std::vector<const VarDecl*> n_vars;
        bool only_locals = true;
        collect_vars(n, n_vars, only_locals);
        if (!only_locals) return;
        ExprMutationAnalyzer analyzer(*body, m_e.context());
        if (analyzer.isMutated(i)) return;
        for (const VarDecl* v : n_vars)
            if (analyzer.isMutated(v)) return;
        // Exactly one unconditional push_back on a vector declared before the loop.
        const VarDecl* target = nullptr;
        int pushes = 0;
        for (const Stmt* s : body->body()) {
            const Expr* e = dyn_cast<Expr>(s);
            if (!e) continue;
            const auto* call = dyn_cast<CXXMemberCallExpr>(e->IgnoreImplicit());
            if (!call || (!method_is(call, "push_back") && !method_is(call, "emplace_back"))) continue;
            const VarDecl* var = object_var(call);
            if (!var) return;
            if (match(qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasName("::std::vector")))))), var->getType(), m_e.context()).empty())
                return;
            target = var;
            ++pushes;
        }
        if (pushes != 1 || !target || references_var(n, target)) return;
        if (!m_e.sm().isBeforeInTranslationUnit(target->getLocation(), loop->getBeginLoc())) return;
        // Reserved already between its declaration and the loop (by the program or an earlier
        // round): another reserve adds nothing.
        const auto* function = dyn_cast<FunctionDecl>(target->getDeclContext());
        if (!function || reserves_before(function->getBody(), target, loop->getBeginLoc())) return;
        // Any other push onto the same vector inside nested statements makes the count unknown.
        int uses = 0;
        std::function<void(const Stmt*)> count = [&](const Stmt* s) {
            if (!s) return;
            if (const auto* ref = dyn_cast<DeclRefExpr>(s); ref && ref->getDecl() == target) ++uses;
            for (const Stmt* c : s->children()) count(c);
        };
        count(body);
        if (uses != 1) return;
        const std::string v = target->getName().str(), bound = m_e.text(n->getSourceRange());
        const std::string text = "if ((" + bound + ") > 0) " + v + ".reserve(" + v + ".size() + static_cast<std::size_t>(" + bound + "));\n" +
                                 m_e.indent_of(loop->getBeginLoc());
        emit(loop->getBeginLoc(), "'" + v + "' grows by push_back " + bound + " times; reserve it first",
             {m_e.insert_before(loop->getBeginLoc(), text)});
    }
};

}  // namespace

std::unique_ptr<Rule> vector_reserve(const RuleSetup& setup) { return make_rule<VectorReserve>(setup); }

}  // namespace optiloop::analyzer::rules

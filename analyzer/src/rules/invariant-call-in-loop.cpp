// The invariant-call-in-loop rule: what it finds, why and when it stays silent are in analyzer/docs/rules/invariant-call-in-loop.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class InvariantCallInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return callExpr(callee(functionDecl(hasAnyName(
                            "::sqrt", "::sqrtf", "::cbrt", "::exp", "::expf", "::exp2", "::expm1", "::log", "::logf", "::log2", "::log10",
                            "::log1p", "::pow", "::powf", "::sin", "::sinf", "::cos", "::cosf", "::tan", "::asin", "::acos", "::atan",
                            "::atan2", "::sinh", "::cosh", "::tanh", "::hypot", "::std::sqrt", "::std::cbrt", "::std::exp", "::std::exp2",
                            "::std::expm1", "::std::log", "::std::log2", "::std::log10", "::std::log1p", "::std::pow", "::std::sin",
                            "::std::cos", "::std::tan", "::std::asin", "::std::acos", "::std::atan", "::std::atan2", "::std::sinh",
                            "::std::cosh", "::std::tanh", "::std::hypot"))))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        ASTContext& ctx = m_e.context();
        const Stmt* loop = innermost_loop_around(*call);
        if (!loop || !m_e.editable(loop->getSourceRange()) || !m_e.editable(call->getSourceRange())) return;
        std::vector<const VarDecl*> vars;
        bool only_locals = true;
        for (const Expr* arg : call->arguments()) {
            if (arg->HasSideEffects(ctx)) return;
            collect_vars(arg, vars, only_locals);
        }
        // Constants fold at compile time already; globals may change in any call the loop makes.
        if (vars.empty() || !only_locals) return;
        ExprMutationAnalyzer analyzer(*loop, ctx);
        for (const VarDecl* var : vars) {
            // Declared before the loop (not in its body, not a range-for's element) ...
            if (!m_e.sm().isBeforeInTranslationUnit(var->getLocation(), loop->getBeginLoc())) return;
            if (var->getType()->isReferenceType()) return;  // what it refers to may change through another name
            // ... and never changed by it (the body, a for's condition and increment), by name
            // or through another.
            if (analyzer.isMutated(var) || m_e.aliased(var)) return;
        }
        const std::string call_text = m_e.text(call->getSourceRange());
        const std::string name = "optiloop_invariant_" + std::to_string(m_e.sm().getSpellingLineNumber(call->getBeginLoc())) + "_" +
                                 std::to_string(m_e.sm().getSpellingColumnNumber(call->getBeginLoc()));
        const std::string decl = "const auto " + name + " = " + call_text + ";";
        std::vector<core::Replacement> fix;
        if (m_e.compound_parent(*loop)) {
            fix.push_back(m_e.insert_before(loop->getBeginLoc(), decl + "\n" + m_e.indent_of(loop->getBeginLoc())));
        } else if (const auto braces = m_e.braces_around(*loop)) {
            fix.push_back(braces->first);
            fix.push_back(m_e.insert_before(loop->getBeginLoc(), decl + "\n" + m_e.indent_of(loop->getBeginLoc())));
            fix.push_back(braces->second);
        } else {
            // The loop is a lone statement (the body of an outer loop or an if): give it a block.
            fix.push_back(m_e.insert_before(loop->getBeginLoc(), "{ " + decl + " "));
            fix.push_back(m_e.insert_after_statement(*loop, " }"));
        }
        fix.push_back(m_e.replace(call->getSourceRange(), name));
        emit(call->getBeginLoc(),
             call_text + " does not change in the loop but is computed on every iteration; compute it once before the loop",
             std::move(fix));
    }

private:
    // The nearest loop whose body holds s (not its condition or increment), within the same
    // function and outside any lambda; null when there is none.
    const Stmt* innermost_loop_around(const Stmt& s) {
        ASTContext& ctx = m_e.context();
        const Stmt* child = &s;
        DynTypedNodeList parents = ctx.getParents(s);
        while (parents.size() == 1) {
            const auto* parent = parents[0].get<Stmt>();
            if (!parent || isa<LambdaExpr>(parent)) return nullptr;
            if (const Stmt* body = loop_body(parent)) return body == child ? parent : nullptr;
            child = parent;
            parents = ctx.getParents(*parent);
        }
        return nullptr;
    }
};

}  // namespace

std::unique_ptr<Rule> invariant_call_in_loop(const RuleSetup& setup) { return make_rule<InvariantCallInLoop>(setup); }

}  // namespace optiloop::analyzer::rules

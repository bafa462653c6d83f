// The container-in-loop rule: what it finds, why and when it stays silent are in analyzer/docs/rules/container-in-loop.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class ContainerInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(), hasType(heavy_type()), declared_in_loop_body()).bind("var");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        const auto* decl = r.Nodes.getNodeAs<DeclStmt>("decl");
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        const auto* body = r.Nodes.getNodeAs<CompoundStmt>("body");
        if (!decl->isSingleDecl() || !m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop)) return;
        if (!is_body_of(loop, body)) return;
        const auto* construct = dyn_cast_or_null<CXXConstructExpr>(var->getInit());
        if (!construct || construct->getNumArgs() != 0) return;  // only default-constructed containers
        if (var->getType().isConstQualified()) return;             // a const one cannot be cleared
        // The name must be free in the function, and the container must not escape.
        const FunctionDecl* fn = enclosing_function(m_e.context(), *loop);
        if (!fn || !fn->getBody()) return;
        ASTContext& ctx = m_e.context();
        if (!name_unique_in(*fn, *var, ctx)) return;
        const std::string name = var->getName().str();
        const Stmt& fn_body = *fn->getBody();
        // No lambda that could capture it, no address taken, and passed on only by value or const&.
        if (!match(findAll(lambdaExpr()), fn_body, ctx).empty()) return;
        const auto ref_to_var = declRefExpr(to(varDecl(equalsNode(var))));
        if (!match(findAll(unaryOperator(hasOperatorName("&"), hasUnaryOperand(ref_to_var))), fn_body, ctx).empty()) return;
        for (const auto& a : match(findAll(callExpr(forEachArgumentWithParam(ref_to_var, parmVarDecl().bind("p")))), fn_body, ctx)) {
            const QualType t = a.getNodeAs<ParmVarDecl>("p")->getType();
            if (t->isPointerType() || (t->isReferenceType() && !t->getPointeeType().isConstQualified())) return;
        }
        const std::string decl_text = m_e.text(decl->getSourceRange());
        emit(var->getLocation(),
             "'" + name + "' is created and destroyed on every iteration; create it once and clear it",
             {m_e.insert_before(loop->getBeginLoc(), decl_text + "\n" + m_e.indent_of(loop->getBeginLoc())),
              m_e.replace(decl->getSourceRange(), name + ".clear();")});
    }
};

}  // namespace

std::unique_ptr<Rule> container_in_loop(const RuleSetup& setup) { return make_rule<ContainerInLoop>(setup); }

}  // namespace optiloop::analyzer::rules

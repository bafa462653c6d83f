// The substr-compare rule: what it finds, why and when it stays silent are in analyzer/docs/rules/substr-compare.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class SubstrCompare : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxOperatorCallExpr(
                   hasAnyOverloadedOperatorName("==", "!="),
                   hasArgument(0, ignoringImplicit(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("substr"), ofClass(hasName("::std::basic_string")))),
                                                                     argumentCountIs(2))
                                                       .bind("sub"))),
                   hasArgument(1, expr().bind("rhs")))
            .bind("cmp");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* cmp = r.Nodes.getNodeAs<CXXOperatorCallExpr>("cmp");
        const auto* sub = r.Nodes.getNodeAs<CXXMemberCallExpr>("sub");
        const auto* rhs = r.Nodes.getNodeAs<Expr>("rhs");
        const Expr* object = sub->getImplicitObjectArgument();
        if (!object || !m_e.editable(cmp->getSourceRange()) || object->HasSideEffects(m_e.context())) return;
        // The rhs must be a string or a C string (not a char or a string_view of other semantics).
        const QualType rt = rhs->IgnoreImplicit()->getType();
        const bool c_string = rt->isPointerType() || rt->isArrayType();
        if (!c_string && match(qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasName("::std::basic_string")))))), rt, m_e.context()).empty())
            return;
        const std::string op = cmp->getOperator() == OO_EqualEqual ? "==" : "!=";
        const std::string text = "(" + m_e.text(object->getSourceRange()) + ".compare(" + m_e.text(sub->getArg(0)->getSourceRange()) +
                                 ", " + m_e.text(sub->getArg(1)->getSourceRange()) + ", " + m_e.text(rhs->getSourceRange()) + ") " + op + " 0)";
        emit(cmp->getBeginLoc(), "substr builds a temporary string to compare; compare in place",
             {m_e.replace(cmp->getSourceRange(), text)});
    }
};

}  // namespace

std::unique_ptr<Rule> substr_compare(const RuleSetup& setup) { return make_rule<SubstrCompare>(setup); }

}  // namespace optiloop::analyzer::rules

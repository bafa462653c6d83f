// The pow-square rule: what it finds, why and when it stays silent are in analyzer/docs/rules/pow-square.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class PowSquare : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return callExpr(callee(functionDecl(hasAnyName("::pow", "::std::pow"))), argumentCountIs(2),
                        hasArgument(1, ignoringParenImpCasts(anyOf(integerLiteral(equals(2)), floatLiteral(equals(2.0))))))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        const Expr* base = call->getArg(0);
        if (!m_e.editable(call->getSourceRange()) || !repeatable(base, m_e.context())) return;
        const std::string type = call->getType().getCanonicalType().getAsString();
        if (type != "double" && type != "float" && type != "long double") return;
        const std::string x = "static_cast<" + type + ">(" + m_e.text(base->getSourceRange()) + ")";
        emit(call->getBeginLoc(), "pow(x, 2) is x * x", {m_e.replace(call->getSourceRange(), "(" + x + " * " + x + ")")});
    }
};

}  // namespace

std::unique_ptr<Rule> pow_square(const RuleSetup& setup) { return make_rule<PowSquare>(setup); }

}  // namespace optiloop::analyzer::rules

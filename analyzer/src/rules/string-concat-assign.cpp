// The string-concat-assign rule: what it finds, why and when it stays silent are in analyzer/docs/rules/string-concat-assign.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class StringConcatAssign : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxOperatorCallExpr(
                   hasOverloadedOperatorName("="),
                   hasArgument(0, declRefExpr(to(varDecl(hasType(hasCanonicalType(recordType(hasDeclaration(
                                                      namedDecl(hasName("::std::basic_string")))))))
                                                     .bind("var")))),
                   hasArgument(1, ignoringImplicit(cxxOperatorCallExpr(hasOverloadedOperatorName("+")).bind("plus"))))
            .bind("assign");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* assign = r.Nodes.getNodeAs<CXXOperatorCallExpr>("assign");
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        if (!m_e.editable(assign->getSourceRange())) return;
        // s = ((s + a) + b): walk down the left operands to s, collecting a, b.
        std::vector<const Expr*> operands;
        const Expr* current = r.Nodes.getNodeAs<Expr>("plus");
        for (;;) {
            current = current->IgnoreImplicit();
            if (const auto* construct = dyn_cast<CXXConstructExpr>(current); construct && construct->getNumArgs() == 1)
                current = construct->getArg(0)->IgnoreImplicit();
            const auto* plus = dyn_cast<CXXOperatorCallExpr>(current);
            if (!plus || plus->getOperator() != OO_Plus || plus->getNumArgs() != 2) break;
            operands.insert(operands.begin(), plus->getArg(1));
            current = plus->getArg(0);
        }
        const auto* leftmost = dyn_cast<DeclRefExpr>(current->IgnoreImplicit());
        if (!leftmost || leftmost->getDecl() != var || operands.empty()) return;
        for (const Expr* operand : operands) {
            if (!m_e.editable(operand->getSourceRange())) return;
            // Appending one by one changes s before later operands are evaluated.
            if (operands.size() > 1 && references_var(operand, var)) return;
        }
        std::string text = var->getName().str();
        for (std::size_t i = 0; i < operands.size(); ++i) {
            text = (i + 1 < operands.size() ? "(" : "") + text + " += " + m_e.text(operands[i]->getSourceRange()) +
                   (i + 1 < operands.size() ? ")" : "");
        }
        emit(assign->getBeginLoc(),
             var->getName().str() + " = " + var->getName().str() + " + ... copies the string; append in place",
             {m_e.replace(assign->getSourceRange(), text)});
    }
};

}  // namespace

std::unique_ptr<Rule> string_concat_assign(const RuleSetup& setup) { return make_rule<StringConcatAssign>(setup); }

}  // namespace optiloop::analyzer::rules

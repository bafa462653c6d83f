#include "rules/membership_if.hpp"

#include <algorithm>

namespace optiloop::analyzer::rules {

using namespace clang;

namespace {

// e without parentheses and what the compiler adds: conversions, temporaries, cleanups (a
// condition that makes a temporary, c.count((int)i), is wrapped in one).
const Expr* bare(const Expr* e) {
    for (const Expr* previous = nullptr; e != previous;) {
        previous = e;
        e = e->IgnoreImplicit()->IgnoreParens();
    }
    return e;
}

}  // namespace

bool is_std_container(const VarDecl* var, std::initializer_list<StringRef> names) {
    const auto* record = var->getType().getNonReferenceType()->getAsCXXRecordDecl();
    return record && record->isInStdNamespace() && std::find(names.begin(), names.end(), record->getName()) != names.end();
}

Membership membership_test(const Expr* cond) {
    cond = bare(cond);
    bool present = true;
    if (const auto* negation = dyn_cast<UnaryOperator>(cond); negation && negation->getOpcode() == UO_LNot) {
        present = false;
        cond = bare(negation->getSubExpr());
    } else if (const auto* binary = dyn_cast<BinaryOperator>(cond)) {
        const auto* zero = dyn_cast<IntegerLiteral>(bare(binary->getRHS()));
        if (!zero || zero->getValue() != 0) return {};
        if (binary->getOpcode() == BO_EQ) present = false;
        else if (binary->getOpcode() != BO_NE && binary->getOpcode() != BO_GT) return {};
        cond = bare(binary->getLHS());
    }
    if (const auto* call = dyn_cast<CXXMemberCallExpr>(cond); call && call->getNumArgs() == 1 && method_is(call, "count"))
        return {object_var(call), call->getArg(0), present};
    // find against end: only as the whole condition.
    const auto* compare = dyn_cast<CXXOperatorCallExpr>(cond);
    if (!present || !compare || compare->getNumArgs() != 2 ||
        (compare->getOperator() != OO_ExclaimEqual && compare->getOperator() != OO_EqualEqual))
        return {};
    const auto* find = dyn_cast<CXXMemberCallExpr>(bare(compare->getArg(0)));
    const auto* end = dyn_cast<CXXMemberCallExpr>(bare(compare->getArg(1)));
    if (!find || !end || find->getNumArgs() != 1 || end->getNumArgs() != 0 || !method_is(find, "find") || !method_is(end, "end"))
        return {};
    const VarDecl* container = object_var(find);
    if (!container || object_var(end) != container) return {};
    return {container, find->getArg(0), compare->getOperator() == OO_ExclaimEqual};
}

void MembershipIfRule::run(const ast_matchers::MatchFinder::MatchResult& r) {
    const auto* if_stmt = r.Nodes.getNodeAs<IfStmt>("if");
    if (!m_e.editable(if_stmt->getSourceRange())) return;
    const auto* cond = r.Nodes.getNodeAs<Expr>("cond");
    const Membership test = membership_test(cond);
    if (!test.container || !repeatable(test.key, m_e.context())) return;
    check(*if_stmt, *cond, *r.Nodes.getNodeAs<Stmt>("then"), test);
}

}  // namespace optiloop::analyzer::rules

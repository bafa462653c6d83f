// The set-count-then-insert rule: what it finds, why and when it stays silent are in analyzer/docs/rules/set-count-then-insert.md.

#include "rules/membership_if.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class SetCountThenInsert : public MembershipIfRule {
public:
    using MembershipIfRule::MembershipIfRule;

protected:
    void check(const IfStmt& if_stmt, const Expr& cond, const Stmt& then, const Membership& test) override {
        if (test.present || !is_std_container(test.container, {"set", "unordered_set"})) return;
        // The branch must begin with s.insert(x) for the same x, its value unused: inserting in
        // the condition then changes nothing the rest of the branch sees.
        const auto* block = dyn_cast<CompoundStmt>(&then);
        const Stmt* first = block ? (block->body_empty() ? nullptr : block->body_front()) : &then;
        const auto* first_expr = dyn_cast_or_null<Expr>(first);
        const auto* insert = first_expr ? dyn_cast<CXXMemberCallExpr>(first_expr->IgnoreImplicit()) : nullptr;
        if (!insert || insert->getNumArgs() != 1 || !method_is(insert, "insert") || object_var(insert) != test.container) return;
        const std::string set = test.container->getName().str();
        const std::string key = m_e.text(test.key->getSourceRange());
        if (m_e.text(insert->getArg(0)->getSourceRange()) != key || !m_e.editable(insert->getSourceRange())) return;

        std::vector<core::Replacement> fix;
        if (block) {
            const auto removal = m_e.remove_statement(*insert);
            if (!removal) return;
            fix = {m_e.replace(cond.getSourceRange(), set + ".insert(" + key + ").second"), *removal};
        } else if (!if_stmt.getElse()) {
            // if (!s.count(x)) s.insert(x);  is  s.insert(x);
            fix = {m_e.replace(SourceRange(if_stmt.getBeginLoc(), insert->getEndLoc()), set + ".insert(" + key + ")")};
        } else {
            return;
        }
        emit(cond.getBeginLoc(),
             "'" + set + "' is searched for " + key + " by the test and again by insert; test insert(" + key + ").second instead",
             std::move(fix));
    }
};

}  // namespace

std::unique_ptr<Rule> set_count_then_insert(const RuleSetup& setup) { return make_rule<SetCountThenInsert>(setup); }

}  // namespace optiloop::analyzer::rules

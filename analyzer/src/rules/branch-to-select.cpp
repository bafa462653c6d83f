// The branch-to-select rule: what it finds, why and when it stays silent are in analyzer/docs/rules/branch-to-select.md.

#include <algorithm>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class BranchToSelect : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return ifStmt(unless(hasParent(ifStmt())), hasAncestor(stmt(anyOf(forStmt(), whileStmt(), doStmt(), cxxForRangeStmt())))).bind("if");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* top = r.Nodes.getNodeAs<IfStmt>("if");
        ASTContext& ctx = m_e.context();
        if (!m_e.editable(top->getSourceRange()) || !m_e.compound_parent(*top)) return;
        // The chain: each branch assigns the same scalar x and, in every branch or none, adds
        // one to the same counter; a final else may assign x only.
        std::vector<const Expr*> conditions, values;
        const Expr* otherwise = nullptr;
        const VarDecl* x = nullptr;
        const VarDecl* counter = nullptr;
        bool first = true;
        for (const IfStmt* branch = top; branch;) {
            if (branch->getInit() || branch->getConditionVariable() || branch->isConstexpr() || branch->isConsteval()) return;
            Branch b;
            if (!read_branch(branch->getThen(), b) || (!first && (b.counter != nullptr) != (counter != nullptr))) return;
            if (first) counter = b.counter;
            if ((x && b.x != x) || (counter && b.counter != counter)) return;
            x = b.x;
            first = false;
            conditions.push_back(branch->getCond());
            values.push_back(b.value);
            const Stmt* rest = branch->getElse();
            branch = dyn_cast_or_null<IfStmt>(rest);
            if (rest && !branch) {
                Branch e;
                if (!read_branch(rest, e) || e.counter || e.x != x) return;
                otherwise = e.value;
            }
        }
        // Worth it: a chain of two or more, or a count the compiler would keep as a branch.
        if (conditions.size() < 2 && !counter) return;
        if (!x || x == counter || x->getType().isVolatileQualified() || !x->hasLocalStorage() || x->getType()->isReferenceType() ||
            !x->getType()->isArithmeticType())
            return;
        if (counter && (counter->getType().isVolatileQualified() || !counter->hasLocalStorage() || counter->getType()->isReferenceType() ||
                        !counter->getType()->isIntegerType()))
            return;
        // Every condition is evaluated up front (for the count): only comparisons of plain
        // values, which cannot fault; the values stay behind ?: and are evaluated as before.
        for (const Expr* c : conditions)
            if (!plain_test(c) || (counter && references_var(c, counter)) || !m_e.editable(c->getSourceRange())) return;
        for (const Expr* v : values)
            if (!m_e.editable(v->getSourceRange())) return;
        if (otherwise && !m_e.editable(otherwise->getSourceRange())) return;
        // The values meet in one type before x takes the result: x's own, or integer literals
        // (which that type holds as assigning them would).
        const QualType type = x->getType().getCanonicalType().getUnqualifiedType();
        auto value_ok = [&](const Expr* v) {
            if (!repeatable(v, ctx) || (counter && references_var(v, counter))) return false;
            const Expr* bare = v->IgnoreParenImpCasts();
            if (bare->getType().getCanonicalType().getUnqualifiedType() == type) return true;
            if (const auto* u = dyn_cast<UnaryOperator>(bare); u && u->getOpcode() == UO_Minus) bare = u->getSubExpr()->IgnoreParenImpCasts();
            return isa<IntegerLiteral>(bare);
        };
        if (!std::all_of(values.begin(), values.end(), value_ok) || (otherwise && !value_ok(otherwise))) return;

        const std::string name = x->getName().str();
        std::string select;
        for (std::size_t k = 0; k < conditions.size(); ++k)
            select += text_of(conditions[k]) + " ? " + operand_text(values[k]) + " : ";
        select += otherwise ? operand_text(otherwise) : name;
        std::string text;
        if (counter) {
            std::string any;
            for (const Expr* c : conditions) any += (any.empty() ? "(" : " | (") + text_of(c) + ")";
            text = counter->getName().str() + " += " + any + ";\n" + m_e.indent_of(top->getBeginLoc());
        }
        text += name + " = " + select + ";";
        core::Replacement rep = m_e.replace(top->getSourceRange(), text);
        const auto end = m_e.end_offset(*top);
        if (!end || *end < rep.offset) return;
        rep.length = *end - rep.offset;
        emit(top->getBeginLoc(),
             "this if" + std::string(conditions.size() > 1 ? "/else-if chain" : "") + " only chooses " + name + "'s value" +
                 (counter ? " and counts how often a branch is taken" : "") +
                 "; as a conditional expression" + (counter ? " and a sum of comparisons" : "") +
                 " it has no branch, and the loop around it can be vectorised",
             {rep});
    }

private:
    struct Branch {
        const VarDecl* x = nullptr;
        const Expr* value = nullptr;
        const VarDecl* counter = nullptr;
    };

    // `x = value;` and at most one `++c` / `c++` / `c += 1`, alone or in a block, in either order.
    static bool read_branch(const Stmt* s, Branch& b) {
        std::vector<const Stmt*> parts;
        if (const auto* block = dyn_cast_or_null<CompoundStmt>(s)) parts.assign(block->body_begin(), block->body_end());
        else if (s) parts.push_back(s);
        if (parts.empty() || parts.size() > 2) return false;
        for (const Stmt* part : parts) {
            const auto* e = dyn_cast<Expr>(part);
            if (!e) return false;
            e = e->IgnoreParens();
            if (const auto* assign = dyn_cast<BinaryOperator>(e); assign && assign->getOpcode() == BO_Assign && !b.x) {
                b.x = var_of(assign->getLHS());
                b.value = assign->getRHS();
                if (!b.x || !isa<DeclRefExpr>(assign->getLHS()->IgnoreParens())) return false;
                continue;
            }
            const VarDecl* bumped = nullptr;
            if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->isIncrementOp()) bumped = var_of(u->getSubExpr());
            if (const auto* add = dyn_cast<BinaryOperator>(e); add && add->getOpcode() == BO_AddAssign)
                if (const auto* one = dyn_cast<IntegerLiteral>(add->getRHS()->IgnoreParenImpCasts()); one && one->getValue() == 1)
                    bumped = var_of(add->getLHS());
            if (!bumped || b.counter) return false;
            b.counter = bumped;
        }
        return b.x && (!b.counter || b.counter != b.x);
    }

    // A comparison, or !, && and || over comparisons, of locals, literals and enumerators (and
    // casts of them): evaluated when the original would not have, it still cannot fault.
    static bool plain_test(const Expr* e) {
        e = e->IgnoreParenImpCasts();
        if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_LNot) return plain_test(u->getSubExpr());
        const auto* b = dyn_cast<BinaryOperator>(e);
        if (!b) return false;
        if (b->getOpcode() == BO_LAnd || b->getOpcode() == BO_LOr) return plain_test(b->getLHS()) && plain_test(b->getRHS());
        return (b->isRelationalOp() || b->isEqualityOp()) && plain_value(b->getLHS()) && plain_value(b->getRHS());
    }
    static bool plain_value(const Expr* e) {
        e = e->IgnoreParenImpCasts();
        if (const auto* cast = dyn_cast<ExplicitCastExpr>(e)) return plain_value(cast->getSubExpr());
        if (const auto* u = dyn_cast<UnaryOperator>(e); u && (u->getOpcode() == UO_Minus || u->getOpcode() == UO_Plus))
            return isa<IntegerLiteral>(u->getSubExpr()->IgnoreParenImpCasts()) || isa<FloatingLiteral>(u->getSubExpr()->IgnoreParenImpCasts());
        if (isa<IntegerLiteral>(e) || isa<FloatingLiteral>(e) || isa<CharacterLiteral>(e) || isa<CXXBoolLiteralExpr>(e)) return true;
        const auto* ref = dyn_cast<DeclRefExpr>(e);
        if (!ref) return false;
        if (isa<EnumConstantDecl>(ref->getDecl())) return true;
        const auto* var = dyn_cast<VarDecl>(ref->getDecl());
        return var && var->hasLocalStorage() && !var->getType()->isReferenceType() && var->getType()->isScalarType() &&
               !var->getType().isVolatileQualified();
    }

    std::string text_of(const Expr* e) { return m_e.text(e->getSourceRange()); }
    // A value as a ?: operand: in parentheses only where its own operator binds more loosely.
    std::string operand_text(const Expr* e) {
        const Expr* bare = e->IgnoreImpCasts();
        const auto* b = dyn_cast<BinaryOperator>(bare);
        if ((b && (b->isAssignmentOp() || b->getOpcode() == BO_Comma)) || isa<AbstractConditionalOperator>(bare)) return "(" + text_of(e) + ")";
        return text_of(e);
    }
};

}  // namespace

std::unique_ptr<Rule> branch_to_select(const RuleSetup& setup) { return make_rule<BranchToSelect>(setup); }

}  // namespace optiloop::analyzer::rules

// The popcount-loop rule: what it finds, why and when it stays silent are in analyzer/docs/rules/popcount-loop.md.

#include <clang/Lex/Lexer.h>

#include <cstdio>
#include <utility>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class PopcountLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return stmt(anyOf(whileStmt(), forStmt())).bind("loop"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        ASTContext& ctx = m_e.context();
        // The loop's two steps, in the order they run.
        const Expr* cond = nullptr;
        const Stmt *first = nullptr, *second = nullptr;
        std::string before;  // a for's init expression (c = 0), kept as a statement of its own
        if (const auto* w = dyn_cast<WhileStmt>(loop)) {
            const auto* block = dyn_cast<CompoundStmt>(w->getBody());
            if (w->getConditionVariable() || !block || block->size() != 2) return;
            cond = w->getCond();
            first = block->body_front();
            second = block->body_back();
        } else {
            const auto* f = cast<ForStmt>(loop);
            if (isa_and_nonnull<DeclStmt>(f->getInit())) return count_each_bit(*f);
            if (f->getInit()) before = m_e.text(f->getInit()->getSourceRange()) + "; ";
            if (f->getConditionVariable() || !f->getInc()) return;
            cond = f->getCond();
            first = only_statement(f->getBody());
            second = f->getInc();
        }
        if (!cond || !first || !second) return;
        // while (x), while (x != 0), while (x > 0) for an unsigned x.
        const Expr* tested = cond->IgnoreParenImpCasts();
        bool any_sign = true;
        if (const auto* b = dyn_cast<BinaryOperator>(tested)) {
            if ((b->getOpcode() != BO_NE && b->getOpcode() != BO_GT) || !is_zero(b->getRHS())) return;
            any_sign = b->getOpcode() == BO_NE;
            tested = b->getLHS();
        }
        const VarDecl* x = var_of(tested);
        if (!x || x->getType()->isReferenceType() || !x->getType()->isIntegerType() || x->getType()->isBooleanType() ||
            ctx.getTypeSize(x->getType()) > 64)
            return;
        const bool is_signed = x->getType()->isSignedIntegerType();
        if (is_signed && !any_sign) return;  // a negative x stops at once
        // Either "count the low bit, then shift it out" or "clear the lowest set bit, count one".
        const VarDecl* c = nullptr;
        const Step shift = step_of(second, x);
        if (shift == Step::shift || (shift == Step::halve && !is_signed)) {
            c = counted_low_bit(first, x, !is_signed);
        } else {
            const Step a = step_of(first, x);
            if (a == Step::clear_lowest) c = incremented(second);
            else if (shift == Step::clear_lowest) c = incremented(first);
        }
        if (!c || c == x || !c->getType()->isIntegerType() || c->getType()->isBooleanType() || !m_e.editable(loop->getSourceRange())) return;

        const bool wide = ctx.getTypeSize(x->getType()) > 32;
        const std::string name = x->getName().str();
        const std::string call = std::string(wide ? "__builtin_popcountll(" : "__builtin_popcount(") +
                                 (is_signed ? (wide ? "(unsigned long long)" : "(unsigned)") : "") + name + ")";
        std::string text = before + c->getName().str() + " += " + call + ";";
        const bool reset = read_later(*loop, x);
        if (reset) text += " " + name + " = 0;";
        const auto parents = ctx.getParents(*loop);
        if ((reset || !before.empty()) && !(parents.size() == 1 && parents[0].get<CompoundStmt>())) text = "{ " + text + " }";
        emit(*loop, name, call, text, reset ? ", and " + name + " ends at 0 as the loop left it" : "");
    }

private:
    void emit(const Stmt& loop, const std::string& what, const std::string& call, const std::string& text, const std::string& note) {
        core::Replacement fix = m_e.replace(loop.getSourceRange(), text);
        // A loop ending in an expression statement: its ';' goes too.
        if (!isa<CompoundStmt>(loop_body(&loop))) {
            const SourceLocation after = Lexer::findLocationAfterToken(m_e.sm().getSpellingLoc(loop.getEndLoc()), tok::semi, m_e.sm(),
                                                                       m_e.context().getLangOpts(), false);
            if (after.isInvalid()) return;
            fix.length = m_e.sm().getFileOffset(after) - fix.offset;
        }
        Rule::emit(loop.getBeginLoc(),
                   "this loop counts the set bits of " + what + " one at a time; " + call +
                       " counts them at once (one instruction where the CPU has popcnt, a few otherwise)" + note,
                   {fix});
    }

    // for (int b = 0; b < K; b++) if ((x >> b) & 1) ++c;  (or c += (x >> b) & 1, or x & (1 << b)
    // where 1 is as wide as x): the set bits among x's low K.
    void count_each_bit(const ForStmt& loop) {
        ASTContext& ctx = m_e.context();
        const VarDecl* b = counted_loop_var(loop, ctx);
        const auto* cond = dyn_cast_or_null<BinaryOperator>(loop.getCond() ? loop.getCond()->IgnoreParenImpCasts() : nullptr);
        const auto* inc = dyn_cast_or_null<UnaryOperator>(loop.getInc());
        if (!b || !is_zero(b->getInit()) || !cond || cond->getOpcode() != BO_LT || !is_ref_to(cond->getLHS(), b) || !inc ||
            !inc->isIncrementOp())
            return;
        const auto* bound = dyn_cast<IntegerLiteral>(cond->getRHS()->IgnoreParenImpCasts());
        const Stmt* body = only_statement(loop.getBody());
        if (!bound || !body || !m_e.editable(loop.getSourceRange())) return;
        // The tested bit and the counter.
        const Expr* test = nullptr;
        const VarDecl* c = nullptr;
        if (const auto* add = dyn_cast<BinaryOperator>(body); add && add->getOpcode() == BO_AddAssign) {
            test = add->getRHS();
            c = var_of(add->getLHS());
        } else if (const auto* branch = dyn_cast<IfStmt>(body); branch && !branch->getElse() && !branch->getInit() && !branch->getConditionVariable()) {
            test = branch->getCond()->IgnoreParenImpCasts();
            if (const auto* ne = dyn_cast<BinaryOperator>(test); ne && ne->getOpcode() == BO_NE && is_zero(ne->getRHS())) test = ne->getLHS();
            c = incremented(only_statement(branch->getThen()));
        }
        const auto* bit = test ? dyn_cast<BinaryOperator>(test->IgnoreParenImpCasts()) : nullptr;
        if (!bit || bit->getOpcode() != BO_And || bit->isTypeDependent() || !c || c == b || !c->getType()->isIntegerType() || c->getType()->isBooleanType()) return;
        const Expr* x = nullptr;
        for (const auto& [one, other] : {std::pair{bit->getLHS(), bit->getRHS()}, std::pair{bit->getRHS(), bit->getLHS()}}) {
            const auto* shifted = dyn_cast<BinaryOperator>(other->IgnoreParenImpCasts());
            if (is_literal(one, 1) && shifted && shifted->getOpcode() == BO_Shr && is_ref_to(shifted->getRHS(), b)) {
                x = shifted->getLHS();  // (x >> b) & 1
            } else if (const auto* mask = dyn_cast<BinaryOperator>(one->IgnoreParenImpCasts());
                       isa<IfStmt>(body) && mask && mask->getOpcode() == BO_Shl && is_literal(mask->getLHS(), 1) && is_ref_to(mask->getRHS(), b) &&
                       ctx.getTypeSize(mask->getLHS()->IgnoreParenImpCasts()->getType()) == ctx.getTypeSize(bit->getType())) {
                x = other;  // x & (1 << b), the 1 as wide as x after promotion (no sign-extended mask)
            }
            if (x) break;
        }
        if (!x || !repeatable(x, ctx) || references_var(x, b) || references_var(x, c)) return;
        const QualType type = x->IgnoreParenImpCasts()->getType();
        if (!type->isIntegerType() || type->isBooleanType()) return;
        const uint64_t width = ctx.getTypeSize(ctx.isPromotableIntegerType(type) ? ctx.getPromotedIntegerType(type) : type);
        const uint64_t k = bound->getValue().getZExtValue();
        if (width > 64 || k == 0 || k > width) return;
        const bool wide = width > 32;
        std::string arg = m_e.text(x->getSourceRange());
        const Expr* bare = x->IgnoreParenImpCasts();
        if (!isa<DeclRefExpr>(bare) && !isa<ArraySubscriptExpr>(bare) && !isa<CXXOperatorCallExpr>(bare) && !isa<ParenExpr>(x)) arg = "(" + arg + ")";
        if (type->isSignedIntegerType() || ctx.isPromotableIntegerType(type)) arg = (wide ? "(unsigned long long)" : "(unsigned)") + arg;
        if (k < width) {
            char mask[32];
            std::snprintf(mask, sizeof mask, "0x%llx%s", static_cast<unsigned long long>((uint64_t{1} << k) - 1), wide ? "ull" : "u");
            arg += std::string(" & ") + mask;
        }
        const std::string call = std::string(wide ? "__builtin_popcountll(" : "__builtin_popcount(") + arg + ")";
        emit(loop, (k < width ? "the low " + std::to_string(k) + " bits of " : std::string()) + m_e.text(x->getSourceRange()), call,
             c->getName().str() + " += " + call + ";", "");
    }

    enum class Step { none, shift, halve, clear_lowest };

    static bool is_literal(const Expr* e, uint64_t value) {
        const auto* literal = dyn_cast<IntegerLiteral>(e->IgnoreParenImpCasts());
        return literal && literal->getValue() == value;
    }
    static bool is_zero(const Expr* e) { return is_literal(e, 0); }

    // x >>= 1, x = x >> 1 (shift); x /= 2, x = x / 2 (halve); x &= x - 1, x = x & (x - 1).
    static Step step_of(const Stmt* s, const VarDecl* x) {
        const auto* b = dyn_cast<BinaryOperator>(s);
        if (!b || !is_ref_to(b->getLHS(), x)) return Step::none;
        auto minus_one = [&](const Expr* e) {
            const auto* m = dyn_cast<BinaryOperator>(e->IgnoreParenImpCasts());
            return m && m->getOpcode() == BO_Sub && is_ref_to(m->getLHS(), x) && is_literal(m->getRHS(), 1);
        };
        switch (b->getOpcode()) {
        case BO_ShrAssign: return is_literal(b->getRHS(), 1) ? Step::shift : Step::none;
        case BO_DivAssign: return is_literal(b->getRHS(), 2) ? Step::halve : Step::none;
        case BO_AndAssign: return minus_one(b->getRHS()) ? Step::clear_lowest : Step::none;
        case BO_Assign: {
            const auto* v = dyn_cast<BinaryOperator>(b->getRHS()->IgnoreParenImpCasts());
            if (!v || !is_ref_to(v->getLHS(), x)) return Step::none;
            if (v->getOpcode() == BO_Shr && is_literal(v->getRHS(), 1)) return Step::shift;
            if (v->getOpcode() == BO_Div && is_literal(v->getRHS(), 2)) return Step::halve;
            if (v->getOpcode() == BO_And && minus_one(v->getRHS())) return Step::clear_lowest;
            return Step::none;
        }
        default: return Step::none;
        }
    }

    // x & 1 (or 1 & x), and x % 2 where halving allowed it.
    static bool low_bit(const Expr* e, const VarDecl* x, bool allow_rem) {
        const auto* b = dyn_cast<BinaryOperator>(e->IgnoreParenImpCasts());
        if (!b) return false;
        if (b->getOpcode() == BO_And)
            return (is_ref_to(b->getLHS(), x) && is_literal(b->getRHS(), 1)) || (is_ref_to(b->getRHS(), x) && is_literal(b->getLHS(), 1));
        return allow_rem && b->getOpcode() == BO_Rem && is_ref_to(b->getLHS(), x) && is_literal(b->getRHS(), 2);
    }

    // ++c, c++, c += 1: c.
    static const VarDecl* incremented(const Stmt* s) {
        if (const auto* u = dyn_cast_or_null<UnaryOperator>(s); u && u->isIncrementOp()) return var_of(u->getSubExpr());
        if (const auto* b = dyn_cast_or_null<BinaryOperator>(s); b && b->getOpcode() == BO_AddAssign && is_literal(b->getRHS(), 1))
            return var_of(b->getLHS());
        return nullptr;
    }

    // c += x & 1, or if (x & 1) ++c (also == 1, != 0): c.
    static const VarDecl* counted_low_bit(const Stmt* s, const VarDecl* x, bool allow_rem) {
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->getOpcode() == BO_AddAssign && low_bit(b->getRHS(), x, allow_rem))
            return var_of(b->getLHS());
        const auto* branch = dyn_cast<IfStmt>(s);
        if (!branch || branch->getElse() || branch->getInit() || branch->getConditionVariable()) return nullptr;
        const Expr* test = branch->getCond()->IgnoreParenImpCasts();
        if (const auto* eq = dyn_cast<BinaryOperator>(test)) {
            if ((eq->getOpcode() == BO_EQ && is_literal(eq->getRHS(), 1)) || (eq->getOpcode() == BO_NE && is_zero(eq->getRHS())))
                test = eq->getLHS();
        }
        return low_bit(test, x, allow_rem) ? incremented(only_statement(branch->getThen())) : nullptr;
    }

    // Whether x may be read after the loop: it outlives the function (a global, a static), it is
    // named after the loop, another name may reach it (its address taken, a reference bound to
    // it: anything before the loop but a read or an assignment to it), or the loop sits in an
    // outer loop that x outlives (its next iteration may read x first).
    bool read_later(const Stmt& loop, const VarDecl* x) {
        ASTContext& ctx = m_e.context();
        const FunctionDecl* fn = enclosing_function(ctx, loop);
        if (!fn || !fn->getBody() || !x->hasLocalStorage()) return true;
        const SourceRange inside = loop.getSourceRange();
        for (const DeclRefExpr* ref : refs_to(*x, *fn->getBody(), ctx)) {
            if (m_e.sm().isBeforeInTranslationUnit(inside.getEnd(), ref->getBeginLoc())) return true;
            if (!m_e.sm().isBeforeInTranslationUnit(ref->getBeginLoc(), inside.getBegin())) continue;  // in the loop
            const auto up = ctx.getParents(*ref);
            const auto* cast = up.size() == 1 ? up[0].get<ImplicitCastExpr>() : nullptr;
            const auto* assign = up.size() == 1 ? up[0].get<BinaryOperator>() : nullptr;
            if (!(cast && cast->getCastKind() == CK_LValueToRValue) && !(assign && assign->isAssignmentOp() && assign->getLHS() == ref))
                return true;
        }
        DynTypedNodeList parents = ctx.getParents(loop);
        while (parents.size() == 1) {
            const auto* parent = parents[0].get<Stmt>();
            if (!parent) break;
            if (loop_body(parent) && m_e.sm().isBeforeInTranslationUnit(x->getLocation(), parent->getBeginLoc())) return true;
            parents = ctx.getParents(*parent);
        }
        return false;
    }
};

}  // namespace

std::unique_ptr<Rule> popcount_loop(const RuleSetup& setup) { return make_rule<PopcountLoop>(setup); }

}  // namespace optiloop::analyzer::rules

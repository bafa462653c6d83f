// The loop-interchange rule: what it finds, why and when it stays silent are in analyzer/docs/rules/loop-interchange.md.

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// A subscript chain x[a][b]...: the variable at its root and its indices, outermost first; a
// bare variable is a chain without indices. Only element accesses that neither insert nor throw:
// built-in arrays and std::vector, std::array and std::deque.
struct Chain {
    const Expr* expr = nullptr;
    const VarDecl* base = nullptr;
    std::vector<const Expr*> indices;
};

std::optional<Chain> subscript_chain(const Expr* e) {
    Chain c;
    c.expr = e = e->IgnoreParenImpCasts();
    for (;;) {
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getOperator() == OO_Subscript && op->getNumArgs() == 2) {
            const auto* record = op->getArg(0)->getType().getNonReferenceType()->getAsCXXRecordDecl();
            if (!record || !record->isInStdNamespace() || !record->getIdentifier()) return std::nullopt;
            if (record->getName() != "vector" && record->getName() != "array" && record->getName() != "deque") return std::nullopt;
            c.indices.insert(c.indices.begin(), op->getArg(1));
            e = op->getArg(0)->IgnoreParenImpCasts();
        } else if (const auto* a = dyn_cast<ArraySubscriptExpr>(e)) {
            c.indices.insert(c.indices.begin(), a->getIdx());
            e = a->getBase()->IgnoreParenImpCasts();
        } else {
            break;
        }
    }
    c.base = var_of(e);
    if (!c.base) return std::nullopt;
    return c;
}

// Every variable access under s as a chain (the indices of a chain give their own); `opaque`
// turns true on what the chains cannot describe: `this`, a lambda.
void collect_chains(const Stmt* s, std::vector<Chain>& chains, bool& opaque) {
    if (!s) return;
    if (isa<CXXThisExpr>(s) || isa<LambdaExpr>(s)) {
        opaque = true;
        return;
    }
    if (const auto* e = dyn_cast<Expr>(s)) {
        const Expr* bare = e->IgnoreParenImpCasts();
        if (isa<CXXOperatorCallExpr>(bare) || isa<ArraySubscriptExpr>(bare) || isa<DeclRefExpr>(bare))
            if (auto chain = subscript_chain(e)) {
                for (const Expr* index : chain->indices) collect_chains(index, chains, opaque);
                chains.push_back(std::move(*chain));
                return;
            }
    }
    for (const Stmt* child : s->children()) collect_chains(child, chains, opaque);
}

// Whether index is `counter`, or `counter + e` / `e + counter` with e free of the `moving`
// variables: each value of the counter then names an element of its own.
bool offset_counter(const Expr* index, const VarDecl* counter, std::initializer_list<const VarDecl*> counters,
                    const std::vector<const VarDecl*>& temps) {
    if (is_ref_to(index, counter)) return true;
    const auto* add = dyn_cast<BinaryOperator>(index->IgnoreParenImpCasts());
    if (!add || add->getOpcode() != BO_Add) return false;
    const Expr* other = is_ref_to(add->getLHS(), counter) ? add->getRHS() : is_ref_to(add->getRHS(), counter) ? add->getLHS() : nullptr;
    if (!other) return false;
    for (const VarDecl* v : counters)
        if (references_var(other, v)) return false;
    for (const VarDecl* v : temps)
        if (references_var(other, v)) return false;
    return true;
}

// Whether e multiplies (or shifts) var by something: a flattened index striding over rows.
bool scaled(const Expr* e, const VarDecl* var) {
    e = e->IgnoreParenImpCasts();
    if (const auto* b = dyn_cast<BinaryOperator>(e); b && (b->getOpcode() == BO_Mul || b->getOpcode() == BO_Shl))
        if (references_var(b->getLHS(), var) || (b->getOpcode() == BO_Mul && references_var(b->getRHS(), var))) return true;
    for (const Stmt* child : e->children())
        if (const auto* sub = dyn_cast_or_null<Expr>(child); sub && scaled(sub, var)) return true;
    return false;
}

class LoopInterchange : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return forStmt().bind("loop"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<ForStmt>("loop");
        if (!m_e.editable(loop->getSourceRange())) return;
        // An OpenMP loop shares its iterations among threads: swapped, others would share them.
        if (under_openmp(m_e.context(), *loop)) return;
        if (const auto* inner = dyn_cast_or_null<ForStmt>(only_statement(loop->getBody()))) swap_perfect_nest(*loop, *inner);
        else if (const auto* body = dyn_cast_or_null<CompoundStmt>(loop->getBody()); body && body->size() == 3) swap_accumulation(*loop, *body);
    }

private:
    // A value the loop body writes: its chain, and whether the writes may be reordered (a sum,
    // product, xor, and or or into an integer).
    struct Update {
        const Expr* target;
        bool reorderable;
    };

    // The statements a body may hold: writes through an assignment or ++/-- whose other side
    // has no side effects, scalar locals with such an initialiser, ifs over such conditions, and
    // continue.
    static bool gather(const Stmt* s, std::vector<Update>& updates, std::vector<const VarDecl*>& temps, ASTContext& ctx) {
        if (!s || isa<NullStmt>(s) || isa<ContinueStmt>(s)) return true;
        if (const auto* block = dyn_cast<CompoundStmt>(s)) {
            for (const Stmt* child : block->body())
                if (!gather(child, updates, temps, ctx)) return false;
            return true;
        }
        if (const auto* decl = dyn_cast<DeclStmt>(s)) {
            for (const Decl* d : decl->decls()) {
                const auto* var = dyn_cast<VarDecl>(d);
                if (!var || !var->hasLocalStorage() || !var->getType()->isScalarType() || var->getType()->isPointerType() || !var->getInit() ||
                    !repeatable(var->getInit(), ctx))
                    return false;
                temps.push_back(var);
            }
            return true;
        }
        if (const auto* branch = dyn_cast<IfStmt>(s))
            return !branch->getInit() && !branch->getConditionVariable() && !branch->isConsteval() && repeatable(branch->getCond(), ctx) &&
                   gather(branch->getThen(), updates, temps, ctx) && gather(branch->getElse(), updates, temps, ctx);
        if (const auto* u = dyn_cast<UnaryOperator>(s); u && u->isIncrementDecrementOp()) {
            updates.push_back({u->getSubExpr(), true});
            return true;
        }
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp() && repeatable(b->getRHS(), ctx)) {
            const BinaryOperatorKind op = b->getOpcode();
            updates.push_back({b->getLHS(), op == BO_AddAssign || op == BO_SubAssign || op == BO_MulAssign || op == BO_XorAssign ||
                                                    op == BO_OrAssign || op == BO_AndAssign});
            return true;
        }
        return false;
    }

    // Whether running the nest with the loops over `outer` and `inner` swapped computes the same:
    // every write goes to an element that names a loop's counter as a whole index (each such
    // element then sees the same writes in the same order) or is an integer total, and what the
    // writes change is read only as the element written. `parts` are all the nest evaluates.
    // On success, the chain that walks down a column (for the message); else null.
    const Expr* interchangeable(const std::vector<const Stmt*>& parts, const VarDecl* outer, const VarDecl* inner,
                                const std::vector<Update>& updates, const std::vector<const VarDecl*>& temps) {
        ASTContext& ctx = m_e.context();
        std::vector<Chain> chains;
        bool opaque = false;
        for (const Stmt* part : parts) collect_chains(part, chains, opaque);
        if (opaque) return nullptr;
        auto is_temp = [&](const VarDecl* v) { return std::find(temps.begin(), temps.end(), v) != temps.end(); };
        std::set<const VarDecl*> written;
        bool global_written = false;
        for (const Update& u : updates) {
            const auto target = subscript_chain(u.target);
            if (!target) return nullptr;
            if (is_temp(target->base)) continue;
            const VarDecl* x = target->base;
            if (x == outer || x == inner || x->getType()->isReferenceType() || x->getType()->isPointerType()) return nullptr;
            bool names_counter = false;
            for (const Expr* index : target->indices) {
                if (offset_counter(index, outer, {outer, inner}, temps) || offset_counter(index, inner, {outer, inner}, temps)) {
                    names_counter = true;
                    continue;
                }
                std::vector<const VarDecl*> vars;
                bool only_locals = true;
                collect_vars(index, vars, only_locals);
                for (const VarDecl* v : vars)
                    if (v == outer || v == inner || is_temp(v)) return nullptr;  // an index that moves but is not a counter
            }
            if (!names_counter && !(u.reorderable && target->expr->getType()->isIntegralOrEnumerationType())) return nullptr;
            // Every access to x is this very element; a total is only ever added to.
            std::size_t accesses = 0, writes = 0;
            for (const Chain& c : chains)
                if (c.base == x) {
                    if (!same_expr(c.expr, target->expr, ctx)) return nullptr;
                    ++accesses;
                }
            for (const Update& other : updates)
                if (const auto t = subscript_chain(other.target); t && t->base == x) ++writes;
            if (!names_counter && accesses != writes) return nullptr;
            written.insert(x);
            global_written = global_written || !x->hasLocalStorage();
        }
        // Nothing read may be another name for what is written.
        for (const Chain& c : chains) {
            const QualType type = c.base->getType();
            if (!(type->isReferenceType() || type->isPointerType()) || written.contains(c.base)) continue;
            if (!isa<ParmVarDecl>(c.base) || global_written) return nullptr;
        }
        // Worth it: more accesses walk down a column now (a first index moves with the inner
        // counter, or a flattened index multiplies it by a row length) than would after the swap.
        const Expr* column = nullptr;
        int now = 0, after = 0;
        for (const Chain& c : chains) {
            bool down_now = false, down_after = false;
            for (std::size_t k = 0; k < c.indices.size(); ++k) {
                const bool last = k + 1 == c.indices.size();
                down_now = down_now || (!last && references_var(c.indices[k], inner)) || scaled(c.indices[k], inner);
                down_after = down_after || (!last && references_var(c.indices[k], outer)) || scaled(c.indices[k], outer);
            }
            if (down_now && !column) column = c.expr;
            now += down_now;
            after += down_after;
        }
        return now > after ? column : nullptr;
    }

    std::string header(const ForStmt& loop) { return m_e.text({loop.getBeginLoc(), loop.getRParenLoc()}); }

    void emit(const ForStmt& outer, const VarDecl* o, const VarDecl* i, const Expr* column, const char* why, std::vector<core::Replacement> fix) {
        Rule::emit(outer.getBeginLoc(),
                   "the inner loop walks down the columns of " + m_e.text(column->getSourceRange()) + "; with the loops over " +
                       o->getName().str() + " and " + i->getName().str() + " swapped it walks along the rows, " + why,
                   std::move(fix));
    }

    // for (o ...) for (i ...) body  ->  for (i ...) for (o ...) body
    void swap_perfect_nest(const ForStmt& outer, const ForStmt& inner) {
        ASTContext& ctx = m_e.context();
        const VarDecl* o = counted_loop_var(outer, ctx);
        const VarDecl* i = counted_loop_var(inner, ctx);
        if (!o || !i || references_var(inner.getInit(), o) || references_var(inner.getCond(), o)) return;
        std::vector<Update> updates;
        std::vector<const VarDecl*> temps;
        if (!gather(inner.getBody(), updates, temps, ctx) || updates.empty()) return;
        const Expr* column =
            interchangeable({outer.getInit(), outer.getCond(), inner.getInit(), inner.getCond(), inner.getBody()}, o, i, updates, temps);
        if (!column || !m_e.editable(inner.getSourceRange())) return;
        emit(outer, o, i, column, "and no iteration reads what another writes",
             {m_e.replace({outer.getBeginLoc(), outer.getRParenLoc()}, header(inner)),
              m_e.replace({inner.getBeginLoc(), inner.getRParenLoc()}, header(outer))});
    }

    // for (j ...) { T s = init; for (k ...) s += e; x[..][j] = s; }
    //   ->  for (j ...) x[..][j] = init;  for (k ...) for (j ...) x[..][j] += e;
    // x's elements have s's type, so each sums the same terms in the same order, rounded alike.
    void swap_accumulation(const ForStmt& outer, const CompoundStmt& body) {
        ASTContext& ctx = m_e.context();
        const auto* decl = dyn_cast<DeclStmt>(body.body_begin()[0]);
        const auto* inner = dyn_cast<ForStmt>(body.body_begin()[1]);
        const auto* store = dyn_cast<BinaryOperator>(body.body_begin()[2]);
        const auto* s = decl && decl->isSingleDecl() ? dyn_cast<VarDecl>(decl->getSingleDecl()) : nullptr;
        if (!s || !inner || !store || store->getOpcode() != BO_Assign || !s->hasLocalStorage() || !s->getType()->isArithmeticType() ||
            !s->getInit() || !repeatable(s->getInit(), ctx))
            return;
        const auto* add = dyn_cast_or_null<BinaryOperator>(only_statement(inner->getBody()));
        if (!add || (add->getOpcode() != BO_AddAssign && add->getOpcode() != BO_SubAssign) || !is_ref_to(add->getLHS(), s) ||
            !repeatable(add->getRHS(), ctx))
            return;
        // The store copies s unchanged: same type, no conversion.
        if (!is_ref_to(store->getRHS(), s) ||
            store->getLHS()->getType().getCanonicalType().getUnqualifiedType() != s->getType().getCanonicalType().getUnqualifiedType())
            return;
        const VarDecl* j = counted_loop_var(outer, ctx);
        const VarDecl* k = counted_loop_var(*inner, ctx);
        if (!j || !k || references_var(inner->getInit(), j) || references_var(inner->getCond(), j)) return;
        const Expr* e = add->getRHS();
        const Expr* target = store->getLHS();
        for (const Stmt* part : std::initializer_list<const Stmt*>{s->getInit(), inner->getInit(), inner->getCond(), e})
            if (references_var(part, s)) return;
        const auto chain = subscript_chain(target);
        if (!chain || references_var(target, s) || references_var(target, k) ||
            std::none_of(chain->indices.begin(), chain->indices.end(), [&](const Expr* index) { return offset_counter(index, j, {j, k}, {}); }))
            return;
        const Expr* column = interchangeable({outer.getInit(), outer.getCond(), s->getInit(), inner->getInit(), inner->getCond(), e, target},
                                             j, k, {{target, false}}, {});
        if (!column || !m_e.editable(body.getSourceRange())) return;
        // The element is written only where the store was: the sum never reads it.
        std::vector<Chain> chains;
        bool opaque = false;
        collect_chains(s->getInit(), chains, opaque);
        collect_chains(e, chains, opaque);
        if (std::any_of(chains.begin(), chains.end(), [&](const Chain& c) { return c.base == chain->base; })) return;

        const std::string indent = m_e.indent_of(outer.getBeginLoc());
        const Stmt* parent = parent_stmt(ctx, outer);
        std::string step = "    ";
        if (parent && !isa<CompoundStmt>(parent)) {
            const std::string above = m_e.indent_of(parent->getBeginLoc());
            if (indent.size() > above.size() && indent.starts_with(above)) step = indent.substr(above.size());
        }
        const std::string x = m_e.text(target->getSourceRange());
        const std::string op = add->getOpcode() == BO_AddAssign ? " += " : " -= ";
        std::string text = header(outer) + " " + x + " = " + m_e.text(s->getInit()->getSourceRange()) + ";\n" + indent + header(*inner) + "\n" +
                           indent + step + header(outer) + " " + x + op + m_e.text(e->getSourceRange()) + ";";
        std::vector<core::Replacement> fix;
        if (parent && isa<CompoundStmt>(parent)) {
            fix.push_back(m_e.replace(outer.getSourceRange(), std::move(text)));
        } else if (const auto braces = m_e.braces_around(outer)) {
            fix = {braces->first, m_e.replace(outer.getSourceRange(), std::move(text)), braces->second};
        } else {
            fix.push_back(m_e.replace(outer.getSourceRange(), "{ " + text + " }"));
        }
        emit(outer, j, k, column, "and every element sums the same terms in the same order", std::move(fix));
    }
};

}  // namespace

std::unique_ptr<Rule> loop_interchange(const RuleSetup& setup) { return make_rule<LoopInterchange>(setup); }

}  // namespace optiloop::analyzer::rules

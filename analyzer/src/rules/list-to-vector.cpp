// The list-to-vector rule: what it finds, why and when it stays silent are in analyzer/docs/rules/list-to-vector.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// std::list<T> l whose every use a vector serves the same: push_back / emplace_back as
// statements (the only growth), size and empty, begin / end / front / back and range-fors that
// read. A vector's growth invalidates its iterators and references, so none may be alive when it
// grows: begin() and the like are used up in their own expression (a value read, a comparison)
// or kept in an `auto` iterator variable in whose scope nothing grows l, and a range-for's body
// does not grow it. No use sits in a lambda (it could grow l from anywhere).
class ListToVector : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return local_container("::std::list").bind("var"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* l = r.Nodes.getNodeAs<VarDecl>("var");
        ASTContext& ctx = m_e.context();
        const auto* fn = dyn_cast_or_null<FunctionDecl>(l->getParentFunctionOrMethod());
        if (!fn || !fn->getBody() || !m_e.editable(l->getLocation())) return;
        const auto name = retypable(m_e, *l, "list");
        if (!name) return;
        std::vector<const Stmt*> growth;
        std::vector<const VarDecl*> iterators;
        std::vector<const CXXForRangeStmt*> walks;
        for (const DeclRefExpr* ref : refs_to(*l, *fn->getBody(), ctx))
            if (!classify(*ref, growth, iterators, walks)) return;
        if (growth.empty()) return;
        for (const CXXForRangeStmt* walk : walks)
            for (const Stmt* g : growth)
                if (inside(*g, *walk->getBody())) return;
        for (const VarDecl* it : iterators)
            if (!iterator_kept_safely(*it, growth)) return;
        std::vector<core::Replacement> fix = {m_e.replace(*name, "vector")};
        if (auto include = m_e.include(l->getLocation(), "vector")) fix.push_back(*include);
        emit(l->getLocation(),
             "'" + l->getName().str() + "' is a list only appended to and walked forward; a vector keeps the elements side by side (no node per element, O(1) std::next)",
             std::move(fix));
    }

private:
    const Stmt* parent(const Stmt& s) { return parent_through_temporaries(m_e.context(), s); }
    // The variable whose initialiser e is (through the wrappers parent() passes), if any.
    const VarDecl* initialised(const Stmt& e) {
        const Stmt* at = &e;
        for (;;) {
            const auto parents = m_e.context().getParents(*at);
            if (parents.size() != 1) return nullptr;
            if (const auto* var = parents[0].get<VarDecl>()) return var;
            const auto* p = parents[0].get<Stmt>();
            if (!p || parent_through_temporaries(m_e.context(), *at) == p) return nullptr;  // not a wrapper
            at = p;
        }
    }
    bool inside(const Stmt& s, const Stmt& scope) {
        for (const Stmt* at = &s; at; at = statement_parent(m_e.context(), *at))
            if (at == &scope) return true;
        return false;
    }
    bool in_lambda(const Stmt& s) {
        for (const Stmt* at = statement_parent(m_e.context(), s); at; at = statement_parent(m_e.context(), *at))
            if (isa<LambdaExpr>(at)) return true;
        return false;
    }
    // A value read: an element (or an iterator dereferenced) turned into an rvalue, or the target
    // of an assignment.
    bool used_up(const Stmt& e) {
        const Stmt* p = parent_stmt(m_e.context(), e);
        if (const auto* c = dyn_cast_or_null<ImplicitCastExpr>(p); c && c->getCastKind() == CK_LValueToRValue) return true;
        const Stmt* q = parent(e);
        if (const auto* b = dyn_cast_or_null<BinaryOperator>(q); b && b->isAssignmentOp() && b->getLHS()->IgnoreParens() == &e) return true;
        return false;
    }
    static bool is_iterator_operator(const CXXOperatorCallExpr& op) {
        const OverloadedOperatorKind k = op.getOperator();
        return k == OO_PlusPlus || k == OO_MinusMinus || k == OO_EqualEqual || k == OO_ExclaimEqual;
    }

    bool classify(const DeclRefExpr& ref, std::vector<const Stmt*>& growth, std::vector<const VarDecl*>& iterators,
                  std::vector<const CXXForRangeStmt*>& walks) {
        ASTContext& ctx = m_e.context();
        if (in_lambda(ref)) return false;
        // A range-for over l.
        if (const VarDecl* range = initialised(ref); range && range->isImplicit()) {
            const auto* loop = range_for_over(ctx, *range, ref);
            if (!loop) return false;
            walks.push_back(loop);
            return true;
        }
        const auto* member = dyn_cast_or_null<MemberExpr>(parent(ref));
        const auto* call = member ? dyn_cast_or_null<CXXMemberCallExpr>(parent(*member)) : nullptr;
        if (!call || call->getCallee()->IgnoreParens() != member || !member->getMemberDecl()->getIdentifier()) return false;
        const StringRef name = member->getMemberDecl()->getName();
        if (name == "size" || name == "empty") return true;
        if (name == "push_back" || name == "emplace_back") {
            const Stmt* use = parent(*call);
            if (use && isa<Expr>(use)) return false;  // only as a statement
            growth.push_back(call);
            return true;
        }
        if (name == "front" || name == "back") return used_up(*call);
        if (name != "begin" && name != "end" && name != "cbegin" && name != "cend") return false;
        // An iterator: compared, or (through std::next / std::prev) kept in an auto variable.
        const Stmt* at = call;
        for (;;) {
            const Stmt* p = parent(*at);
            const auto* step = dyn_cast_or_null<CallExpr>(p);
            const FunctionDecl* callee = step ? step->getDirectCallee() : nullptr;
            if (!callee || !callee->isInStdNamespace() || !callee->getIdentifier() || (callee->getName() != "next" && callee->getName() != "prev") ||
                step->getNumArgs() < 1 || step->getArg(0)->IgnoreImplicit() != at)
                break;
            at = step;
        }
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent(*at)); op && (op->getOperator() == OO_EqualEqual || op->getOperator() == OO_ExclaimEqual))
            return true;
        const VarDecl* kept = initialised(*at);
        if (!kept || kept->isImplicit() || kept->getType()->isReferenceType() || !kept->getType()->getContainedAutoType()) return false;
        iterators.push_back(kept);
        return true;
    }

    // it lives from its declaration to the end of the statement around it (the rest of a block, or
    // a for statement whose init declares it): nothing there grows l. It is only stepped, compared
    // and dereferenced for a value.
    bool iterator_kept_safely(const VarDecl& it, const std::vector<const Stmt*>& growth) {
        ASTContext& ctx = m_e.context();
        const DeclStmt* decl = declaring_statement(ctx, it);
        const Stmt* scope = decl ? parent_stmt(ctx, *decl) : nullptr;
        if (!scope) return false;
        for (const Stmt* g : growth)
            if (inside(*g, *scope) && (!isa<CompoundStmt>(scope) || m_e.sm().isBeforeInTranslationUnit(decl->getBeginLoc(), g->getBeginLoc())))
                return false;
        const auto* fn = dyn_cast_or_null<FunctionDecl>(it.getParentFunctionOrMethod());
        if (!fn || !fn->getBody()) return false;
        for (const DeclRefExpr* ref : refs_to(it, *fn->getBody(), ctx)) {
            if (in_lambda(*ref)) return false;
            const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent(*ref));
            if (!op) return false;
            if (is_iterator_operator(*op)) continue;
            if (op->getOperator() == OO_Star && used_up(*op)) continue;
            return false;
        }
        return true;
    }
};

}  // namespace

std::unique_ptr<Rule> list_to_vector(const RuleSetup& setup) { return make_rule<ListToVector>(setup); }

}  // namespace optiloop::analyzer::rules

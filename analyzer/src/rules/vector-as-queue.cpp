// The vector-as-queue rule: what it finds, why and when it stays silent are in analyzer/docs/rules/vector-as-queue.md.

#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class VectorAsQueue : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return local_container("::std::vector").bind("var"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* v = r.Nodes.getNodeAs<VarDecl>("var");
        ASTContext& ctx = m_e.context();
        const auto* fn = dyn_cast_or_null<FunctionDecl>(v->getParentFunctionOrMethod());
        const DeclStmt* decl = declaring_statement(ctx, *v);
        if (!fn || !fn->getBody() || !decl || !decl->isSingleDecl() || !m_e.editable(v->getLocation())) return;
        const auto name = retypable(m_e, *v, "vector");
        if (!name) return;
        // Every use is one a deque serves with the same meaning; at least one erases the front.
        std::vector<core::Replacement> fix;
        for (const DeclRefExpr* ref : refs_to(*v, *fn->getBody(), ctx))
            if (!deque_use(*ref, v, fix)) return;
        if (fix.empty()) return;
        fix.push_back(m_e.replace(*name, "deque"));
        if (auto include = m_e.include(v->getLocation(), "deque")) fix.push_back(*include);
        emit(v->getLocation(),
             "'" + v->getName().str() +
                 "' is used as a queue: erasing or inserting a vector's first element moves all the others; a deque does it at its front in O(1)",
             std::move(fix));
    }

private:
    const Stmt* parent(const Stmt& s) {
        return parent_through(m_e.context(), s, [](const Stmt& p) {
            return isa<ImplicitCastExpr, ParenExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups>(p) ||
                   (isa<CXXConstructExpr>(p) && !isa<CXXTemporaryObjectExpr>(p));
        });
    }

    // Whether ref is what a range-for walks (bound to its hidden __range variable).
    bool ranged_over(const DeclRefExpr& ref) {
        ASTContext& ctx = m_e.context();
        const auto up = ctx.getParents(ref);
        const auto* range = up.size() == 1 ? up[0].get<VarDecl>() : nullptr;
        return range && range_for_over(ctx, *range, ref);
    }

    // A call of v's own method `name`, with the expression that names v.
    static const CXXMemberCallExpr* own_call(const Expr* e, const VarDecl* v, StringRef name) {
        const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(e ? e->IgnoreUnlessSpelledInSource() : nullptr);
        return call && method_is(call, name) && is_ref_to(call->getImplicitObjectArgument(), v) ? call : nullptr;
    }

    // Whether this use of v means the same on a deque; the edits for a front erased or inserted.
    bool deque_use(const DeclRefExpr& ref, const VarDecl* v, std::vector<core::Replacement>& fix) {
        // An element's address would assume the elements sit side by side, which a deque's do not.
        auto not_addressed = [&](const Stmt& element) {
            const auto* u = dyn_cast_or_null<UnaryOperator>(parent(element));
            return !u || u->getOpcode() != UO_AddrOf;
        };
        const Stmt* p = parent(ref);
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(p))
            return op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreImplicit() == &ref && not_addressed(*op);
        if (!p) return ranged_over(ref);
        const auto* member = dyn_cast_or_null<MemberExpr>(p);
        const auto* call = member ? dyn_cast_or_null<CXXMemberCallExpr>(parent(*member)) : nullptr;
        if (!call || call->getCallee()->IgnoreParens() != member || !member->getMemberDecl()->getIdentifier()) return false;
        const StringRef name = member->getMemberDecl()->getName();
        static const std::set<StringRef> k_same = {"push_back", "emplace_back", "pop_back", "front", "back", "empty", "size", "clear", "at", "resize", "max_size"};
        if (k_same.contains(name)) return not_addressed(*call);
        if (name == "begin" || name == "end") {
            // Only as the position handed to v's own erase or insert (v.begin() + k included).
            const Stmt* up = parent(*call);
            while (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(up)) {
                if ((op->getOperator() != OO_Plus && op->getOperator() != OO_Minus) || op->getNumArgs() != 2) return false;
                up = parent(*op);
            }
            const auto* user = dyn_cast_or_null<CXXMemberCallExpr>(up);
            return user && (own_call(user, v, "erase") || own_call(user, v, "insert"));
        }
        if (name != "erase" && name != "insert") return false;
        // Only as statements: the iterator they return would be the vector's. v.erase(v.begin())
        // and v.insert(v.begin(), x) become pop_front and push_front.
        const Stmt* use = parent(*call);
        if (!use || isa<Expr>(use)) return false;
        if (call->getNumArgs() == 0 || !own_call(call->getArg(0), v, "begin")) return true;
        const std::string object = m_e.text(call->getImplicitObjectArgument()->getSourceRange());
        if (name == "erase" && call->getNumArgs() == 1) fix.push_back(m_e.replace(call->getSourceRange(), object + ".pop_front()"));
        if (name == "insert" && call->getNumArgs() == 2 && !call->getArg(1)->getType()->isRecordType())
            fix.push_back(m_e.replace(call->getSourceRange(), object + ".push_front(" + m_e.text(call->getArg(1)->getSourceRange()) + ")"));
        return true;
    }
};

}  // namespace

std::unique_ptr<Rule> vector_as_queue(const RuleSetup& setup) { return make_rule<VectorAsQueue>(setup); }

}  // namespace optiloop::analyzer::rules

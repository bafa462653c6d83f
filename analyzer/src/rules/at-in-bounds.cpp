// The at-in-bounds rule: what it finds, why and when it stays silent are in analyzer/docs/rules/at-in-bounds.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>
#include <clang/Lex/Lexer.h>

#include <map>
#include <optional>
#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// v.at(e) -> v[e] where e is proved to lie in [0, v.size()). The size is known from v's
// declaration, `std::vector<T> v(n)` (or `w(n, std::vector<T>(m))`, whose every element then has
// size m), when nothing in the function after it can change a size: every use of v is an element
// access or a size-keeping member call, and n (m) is never written after it. The index is a for
// loop's counter `for (T i = a; i < n; ++i)` (a a literal, i and n unchanged in the body), less a
// constant at most a, or plus / minus a constant under an enclosing `if (i + c < n)` / `if (i >= c)`.
class AtInBounds : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxMemberCallExpr(callee(cxxMethodDecl(hasName("at"), ofClass(hasAnyName("::std::vector", "::std::basic_string", "::std::deque")))),
                                 argumentCountIs(1))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CXXMemberCallExpr>("call");
        ASTContext& ctx = m_e.context();
        const auto* member = dyn_cast<MemberExpr>(call->getCallee()->IgnoreParens());
        if (!member || member->isArrow() || !m_e.editable(call->getSourceRange())) return;
        const Expr* object = call->getImplicitObjectArgument();
        if (!in_range(*call, call->getArg(0), known_size(object), object)) return;
        // ".at(" -> "[" and ")" -> "]": token edits, so that nested accesses' edits do not overlap.
        const SourceManager& sm = m_e.sm();
        const SourceLocation dot = sm.getSpellingLoc(member->getOperatorLoc());
        const SourceLocation name_end = Lexer::getLocForEndOfToken(sm.getSpellingLoc(member->getMemberLoc()), 0, sm, ctx.getLangOpts());
        const StringRef text = m_e.file_text(dot);
        unsigned paren = sm.getFileOffset(name_end);
        while (paren < text.size() && (text[paren] == ' ' || text[paren] == '\t')) ++paren;
        if (paren >= text.size() || text[paren] != '(') return;
        const unsigned begin = sm.getFileOffset(dot);
        const std::string file = m_e.sources().relative(sm, dot);
        const SourceLocation rparen = sm.getSpellingLoc(call->getRParenLoc());
        emit(member->getMemberLoc(),
             m_e.text(call->getSourceRange()) + " checks an index the loop's bounds already keep in range; [] reads the same element without the check",
             {core::Replacement{file, begin, paren + 1 - begin, "["}, core::Replacement{file, sm.getFileOffset(rparen), 1, "]"}});
    }

private:
    // The size of the vector `object` stands for, as an expression in scope (a variable or an
    // integer literal), when the declaration fixes it; null otherwise.
    const Expr* known_size(const Expr* object) {
        object = object->IgnoreParenImpCasts();
        if (const auto* ref = dyn_cast<DeclRefExpr>(object)) {
            const auto* var = dyn_cast<VarDecl>(ref->getDecl());
            const Sizes* sizes = var ? sizes_of(*var) : nullptr;
            return sizes ? sizes->outer : nullptr;
        }
        // An element of a vector of vectors: w.at(k) or w[k].
        const Expr* base = nullptr;
        if (const auto* inner = dyn_cast<CXXMemberCallExpr>(object); inner && method_is(inner, "at") && inner->getNumArgs() == 1)
            base = inner->getImplicitObjectArgument();
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(object); op && op->getOperator() == OO_Subscript && op->getNumArgs() == 2)
            base = op->getArg(0);
        const auto* ref = base ? dyn_cast<DeclRefExpr>(base->IgnoreParenImpCasts()) : nullptr;
        const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
        const Sizes* sizes = var ? sizes_of(*var) : nullptr;
        return sizes ? sizes->inner : nullptr;
    }

    struct Sizes {
        const Expr* outer = nullptr;  // v.size()
        const Expr* inner = nullptr;  // v[k].size() for every k, for a vector of vectors
    };

    // What var's declaration says about its sizes, if nothing after it changes them.
    const Sizes* sizes_of(const VarDecl& var) {
        if (auto it = m_sizes.find(&var); it != m_sizes.end()) return it->second ? &*it->second : nullptr;
        std::optional<Sizes> found = work_out_sizes(var);
        auto& slot = m_sizes[&var];
        slot = found;
        return slot ? &*slot : nullptr;
    }

    // A std::vector constructed with a count: the count as written (a literal, or a local integer
    // variable), else null.
    static const Expr* count_of(const Expr* init) {
        if (!init) return nullptr;
        init = init->IgnoreImplicit();
        if (const auto* cast_expr = dyn_cast<CXXFunctionalCastExpr>(init)) init = cast_expr->getSubExpr()->IgnoreImplicit();
        const auto* construct = dyn_cast<CXXConstructExpr>(init);
        if (!construct || construct->getNumArgs() < 1 || construct->getNumArgs() > 3 || construct->isListInitialization()) return nullptr;
        const auto* record = construct->getType()->getAsCXXRecordDecl();
        if (!record || !record->isInStdNamespace() || record->getName() != "vector") return nullptr;
        // vector(n), (n, value), (n, alloc), (n, value, alloc): n elements. (The iterator-pair
        // constructor takes iterators, and a braced list takes an initializer_list.)
        const CXXConstructorDecl* ctor = construct->getConstructor();
        if (!ctor || ctor->getNumParams() < 1 || !ctor->getParamDecl(0)->getType()->isIntegerType()) return nullptr;
        const Expr* count = construct->getArg(0)->IgnoreParenImpCasts();
        if (isa<IntegerLiteral>(count)) return count;
        const auto* ref = dyn_cast<DeclRefExpr>(count);
        const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
        if (!var || !var->hasLocalStorage() || var->getType()->isReferenceType() || !var->getType()->isIntegerType()) return nullptr;
        return count;
    }

    std::optional<Sizes> work_out_sizes(const VarDecl& var) {
        ASTContext& ctx = m_e.context();
        if (!var.hasLocalStorage() || var.getType()->isReferenceType() || isa<ParmVarDecl>(var)) return std::nullopt;
        Sizes sizes;
        sizes.outer = count_of(var.getInit());
        if (!sizes.outer) return std::nullopt;
        const auto* construct = dyn_cast<CXXConstructExpr>(var.getInit()->IgnoreImplicit());
        if (construct && construct->getNumArgs() >= 2 && !isa<CXXDefaultArgExpr>(construct->getArg(1)))
            sizes.inner = count_of(construct->getArg(1));
        // The statements that run while var lives: those after its declaration in its block.
        const DeclStmt* decl = declaring_statement(ctx, var);
        const CompoundStmt* block = decl ? m_e.compound_parent(*decl) : nullptr;
        if (!block) return std::nullopt;
        std::vector<const Stmt*> after;  // with the declaration itself, whose other declarators run after var's
        bool seen = false;
        for (const Stmt* st : block->body()) {
            if (st == decl) seen = true;
            if (seen) after.push_back(st);
        }
        for (const Expr* count : {sizes.outer, sizes.inner}) {
            const VarDecl* n = count ? var_of(count) : nullptr;
            if (!n) continue;
            if (m_e.aliased(n)) return std::nullopt;
            for (const Stmt* st : after)
                if (ExprMutationAnalyzer(*st, ctx).isMutated(n)) return std::nullopt;
        }
        // Every use of var keeps its size (and its elements' sizes).
        const auto* fn = enclosing_function(ctx, *decl);
        if (!fn || !fn->getBody()) return std::nullopt;
        for (const DeclRefExpr* ref : refs_to(var, *fn->getBody(), ctx)) {
            const Expr* element = element_access(*ref);
            if (!element) {
                if (!size_keeping_use(*ref)) return std::nullopt;
                continue;
            }
            if (!sizes.inner) continue;  // the elements are not vectors we know the size of
            if (!size_keeping_use(*element)) return std::nullopt;
        }
        return sizes;
    }

    // For e, a vector, used as the object of v.at(k) or v[k]: that access; else null.
    const Expr* element_access(const Expr& e) {
        const Stmt* parent = parent_through_wrappers(m_e.context(), e);
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent);
            op && op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreParenImpCasts() == &e)
            return op;
        if (const auto* m = dyn_cast_or_null<MemberExpr>(parent)) {
            const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(parent_through_wrappers(m_e.context(), *m));
            if (call && method_is(call, "at")) return call;
        }
        return nullptr;
    }

    // Whether e, a vector, is used only in a way that cannot change its size: a member call that
    // reads it or its elements, an element access, or its size.
    bool size_keeping_use(const Expr& e) {
        if (element_access(e)) return true;
        const auto* m = dyn_cast_or_null<MemberExpr>(parent_through_wrappers(m_e.context(), e));
        const auto* call = m ? dyn_cast_or_null<CXXMemberCallExpr>(parent_through_wrappers(m_e.context(), *m)) : nullptr;
        if (!call) return false;
        static const std::set<std::string> keeping = {"size",   "length", "empty",  "front",   "back",         "data",         "begin",
                                                      "end",    "cbegin", "cend",   "rbegin",  "rend",         "c_str",        "find",
                                                      "rfind",  "substr", "compare", "find_first_of", "find_last_of", "starts_with", "ends_with"};
        const CXXMethodDecl* method = call->getMethodDecl();
        return method && method->getIdentifier() && keeping.contains(method->getName().str());
    }

    // Whether index, used at `use` on object, is proved to lie in [0, size) where size is the
    // object's size as its declaration fixes it (null when unknown) or, in a loop that keeps it,
    // object.size() itself.
    bool in_range(const Stmt& use, const Expr* index, const Expr* size, const Expr* object) {
        index = index->IgnoreParenImpCasts();
        const VarDecl* counter = var_of(index);
        long long offset = 0;  // index = counter + offset
        if (!counter) {
            const auto* b = dyn_cast<BinaryOperator>(index);
            const auto* c = b ? dyn_cast<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts()) : nullptr;
            if (!c || (b->getOpcode() != BO_Add && b->getOpcode() != BO_Sub) || !(counter = var_of(b->getLHS())) || c->getValue().getActiveBits() > 31)
                return false;
            offset = b->getOpcode() == BO_Add ? c->getValue().getSExtValue() : -c->getValue().getSExtValue();
        }
        // The loop around use that counts with counter up to the size.
        const ForStmt* loop = nullptr;
        const Expr* bound = nullptr;
        long long start = 0;
        for (const Stmt *child = &use, *parent = up(use); !loop; child = parent, parent = up(*parent)) {
            if (!parent || isa<LambdaExpr>(parent)) return false;
            const auto* f = dyn_cast<ForStmt>(parent);
            if (!f || f->getBody() != child) continue;
            ExprMutationAnalyzer body(*f->getBody(), m_e.context());
            if (!(bound = counted_to(*f, counter, start, body))) continue;
            if ((size && declared_bound(counter, bound, size, body)) || own_size_bound(*f, bound, object)) loop = f;
        }
        if (offset <= 0 && start + offset >= 0) return true;
        return guarded(use, *loop, counter, offset, bound);
    }

    // `for (T i = start; i < bound; ++i)` (or i++, i += 1), start a literal, whose body leaves i
    // alone: the bound; else null.
    const Expr* counted_to(const ForStmt& loop, const VarDecl* counter, long long& start, ExprMutationAnalyzer& body) {
        const auto* init = dyn_cast_or_null<DeclStmt>(loop.getInit());
        if (!init || !init->isSingleDecl() || init->getSingleDecl() != counter || !counter->getType()->isIntegerType() || !counter->getInit())
            return nullptr;
        const auto* first = dyn_cast<IntegerLiteral>(counter->getInit()->IgnoreParenImpCasts());
        if (!first || first->getValue().getActiveBits() > 31) return nullptr;
        start = first->getValue().getSExtValue();
        const auto* cond = dyn_cast_or_null<BinaryOperator>(loop.getCond() ? loop.getCond()->IgnoreParenImpCasts() : nullptr);
        if (!cond || cond->getOpcode() != BO_LT || var_of(cond->getLHS()) != counter) return nullptr;
        const Expr* inc = loop.getInc() ? loop.getInc()->IgnoreParenImpCasts() : nullptr;
        const auto* u = dyn_cast_or_null<UnaryOperator>(inc);
        const auto* b = dyn_cast_or_null<BinaryOperator>(inc);
        const bool step = (u && u->isIncrementOp() && var_of(u->getSubExpr()) == counter) ||
                          (b && b->getOpcode() == BO_AddAssign && var_of(b->getLHS()) == counter && isa<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts()) &&
                           cast<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts())->getValue() == 1);
        if (!step || m_e.aliased(counter) || body.isMutated(counter)) return nullptr;
        return cond->getRHS()->IgnoreParenImpCasts();
    }

    // The bound is the declared size n, compared in the counter's type or a wider one of the same
    // signedness, and the body leaves n alone.
    bool declared_bound(const VarDecl* counter, const Expr* bound, const Expr* size, ExprMutationAnalyzer& body) {
        ASTContext& ctx = m_e.context();
        if (!same_expr(bound, size, ctx)) return false;
        const QualType type = bound->getType();
        if (!isa<IntegerLiteral>(size) &&
            (type->isSignedIntegerType() != counter->getType()->isSignedIntegerType() || ctx.getIntWidth(type) > ctx.getIntWidth(counter->getType())))
            return false;
        const VarDecl* n = var_of(size);
        return !n || !body.isMutated(n);
    }

    // The bound is object.size() (or length()), object a variable the loop uses only in ways that
    // keep its size. A reference may name what another name changes, so the loop may then call
    // nothing but library functions that write no memory and size-keeping members; a local
    // (not a reference) must be reached by no other name.
    bool own_size_bound(const ForStmt& loop, const Expr* bound, const Expr* object) {
        ASTContext& ctx = m_e.context();
        const auto* call = dyn_cast<CXXMemberCallExpr>(bound);
        const VarDecl* var = var_of(object);
        if (!call || !(method_is(call, "size") || method_is(call, "length")) || call->getNumArgs() != 0 || !var ||
            var_of(call->getImplicitObjectArgument()) != var)
            return false;
        for (const DeclRefExpr* ref : refs_to(*var, loop, ctx))
            if (!size_keeping_use(*ref)) return false;
        if (var->getType()->isReferenceType() || !var->hasLocalStorage()) {
            for (const auto& found : match(findAll(callExpr().bind("call")), const_cast<ForStmt&>(loop), ctx)) {
                const auto* c = found.getNodeAs<CallExpr>("call");
                if (writes_no_memory(*c)) continue;
                const auto* member = dyn_cast<CXXMemberCallExpr>(c);
                const auto* op = dyn_cast<CXXOperatorCallExpr>(c);
                if (member && member->getMethodDecl() && member->getMethodDecl()->getParent()->isInStdNamespace() &&
                    size_keeping_use(*member->getImplicitObjectArgument()->IgnoreParenImpCasts()))
                    continue;
                if (op && op->getOperator() == OO_Subscript && op->getArg(0)->getType()->getAsCXXRecordDecl() &&
                    op->getArg(0)->getType()->getAsCXXRecordDecl()->isInStdNamespace())
                    continue;
                return false;
            }
            // Nor user code run by a constructor (or the destructor that follows it), new or delete.
            const auto user_code = stmt(anyOf(cxxConstructExpr(unless(hasDeclaration(cxxConstructorDecl(ofClass(isInStdNamespace()))))),
                                              cxxNewExpr(), cxxDeleteExpr()));
            return match(traverse(TK_AsIs, stmt(forEachDescendant(user_code.bind("user")))), loop, ctx).empty();
        }
        if (m_e.aliased(var)) return false;
        // Nor may a call in the loop resize it through an address handed out before: no &var, no
        // non-const reference parameter bound to it, anywhere in the function, but those of
        // standard functions that do not keep what they are given (std::getline does not;
        // std::ref, std::tie and the inserters do).
        const auto* fn = enclosing_function(ctx, loop);
        if (!fn || !fn->getBody()) return false;
        const auto ref = ignoringParenImpCasts(declRefExpr(to(varDecl(equalsNode(var)))));
        const auto writable = parmVarDecl(hasType(referenceType(pointee(unless(isConstQualified())))));
        const auto forgetful = functionDecl(isInStdNamespace(), unless(hasAnyName("ref", "cref", "tie", "forward_as_tuple", "back_inserter",
                                                                                 "front_inserter", "inserter")));
        const auto handed_out = stmt(anyOf(unaryOperator(hasOperatorName("&"), hasUnaryOperand(ref)),
                                           callExpr(forEachArgumentWithParam(ref, writable), unless(callee(forgetful))),
                                           cxxConstructExpr(forEachArgumentWithParam(ref, writable))));
        return match(traverse(TK_AsIs, stmt(forEachDescendant(handed_out.bind("leak")))), *fn->getBody(), ctx).empty();
    }

    // Whether an if (or &&, or ?:) between the loop and use tests counter + offset < size (for an
    // offset above 0) or counter >= -offset / counter > -offset - 1 (below 0), true on use's path.
    bool guarded(const Stmt& use, const ForStmt& loop, const VarDecl* counter, long long offset, const Expr* size) {
        ASTContext& ctx = m_e.context();
        auto proves = [&](const Expr* cond) {
            for (const Expr* test : conjuncts(cond)) {
                const auto* b = dyn_cast<BinaryOperator>(test->IgnoreParenImpCasts());
                if (!b) continue;
                const Expr* lhs = b->getLHS()->IgnoreParenImpCasts();
                const Expr* rhs = b->getRHS()->IgnoreParenImpCasts();
                if (offset > 0 && b->getOpcode() == BO_LT && same_expr(rhs, size, ctx)) {
                    const auto* sum = dyn_cast<BinaryOperator>(lhs);
                    const auto* c = sum ? dyn_cast<IntegerLiteral>(sum->getRHS()->IgnoreParenImpCasts()) : nullptr;
                    if (sum && sum->getOpcode() == BO_Add && var_of(sum->getLHS()) == counter && c && c->getValue().getSExtValue() == offset)
                        return true;
                }
                if (offset < 0 && var_of(lhs) == counter) {
                    const auto* c = dyn_cast<IntegerLiteral>(rhs);
                    if (!c || c->getValue().getActiveBits() > 31) continue;
                    const long long v = c->getValue().getSExtValue();
                    if ((b->getOpcode() == BO_GE && v >= -offset) || (b->getOpcode() == BO_GT && v + 1 >= -offset)) return true;
                }
            }
            return false;
        };
        for (const Stmt *child = &use, *parent = up(use);; child = parent, parent = up(*parent)) {
            if (!parent || parent == &loop) return false;
            if (const auto* branch = dyn_cast<IfStmt>(parent); branch && branch->getThen() == child && !branch->getConditionVariable() &&
                                                               proves(branch->getCond()))
                return true;
            if (const auto* b = dyn_cast<BinaryOperator>(parent); b && b->getOpcode() == BO_LAnd && b->getRHS() == child && proves(b->getLHS()))
                return true;
            if (const auto* c = dyn_cast<ConditionalOperator>(parent); c && c->getTrueExpr() == child && proves(c->getCond())) return true;
        }
    }

    const Stmt* up(const Stmt& s) { return statement_parent(m_e.context(), s); }

    static std::vector<const Expr*> conjuncts(const Expr* e) {
        e = e->IgnoreParenImpCasts();
        if (const auto* b = dyn_cast<BinaryOperator>(e); b && b->getOpcode() == BO_LAnd) {
            auto out = conjuncts(b->getLHS());
            auto more = conjuncts(b->getRHS());
            out.insert(out.end(), more.begin(), more.end());
            return out;
        }
        return {e};
    }

    std::map<const VarDecl*, std::optional<Sizes>> m_sizes;
};

}  // namespace

std::unique_ptr<Rule> at_in_bounds(const RuleSetup& setup) { return make_rule<AtInBounds>(setup); }

}  // namespace optiloop::analyzer::rules

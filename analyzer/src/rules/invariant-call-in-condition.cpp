// The invariant-call-in-condition rule: what it finds, why and when it stays silent are in analyzer/docs/rules/invariant-call-in-condition.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include <functional>
#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// Whether `s` may change a char through a pointer, a subscript or a reference. Clang 19's
// ExprMutationAnalyzer does not analyse pointees (isPointeeMutated is always false), and another
// pointer may alias the string anyway, so any such write counts.
bool may_write_chars(ASTContext& ctx, const Stmt& s) {
    const auto writable = qualType(unless(isConstQualified()), anyOf(isAnyCharacter(), asString("void")));
    const auto char_lvalue = expr(hasType(isAnyCharacter()), unless(declRefExpr()));  // a named char is not the string
    const auto write = stmt(anyOf(
        binaryOperator(isAssignmentOperator(), hasLHS(ignoringParenImpCasts(char_lvalue))),
        unaryOperator(hasAnyOperatorName("++", "--"), hasUnaryOperand(ignoringParenImpCasts(char_lvalue))),
        callExpr(hasAnyArgument(hasType(pointerType(pointee(writable))))),
        callExpr(forEachArgumentWithParam(char_lvalue, parmVarDecl(hasType(referenceType(pointee(writable)))))),
        declStmt(has(varDecl(hasType(qualType(anyOf(pointerType(pointee(writable)), referenceType(pointee(writable))))))))));
    return !match(traverse(TK_AsIs, stmt(anyOf(write, hasDescendant(write)))), s, ctx).empty();
}

class InvariantCallInCondition : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        const auto in_condition = hasCondition(hasDescendant(
            callExpr(callee(functionDecl(hasAnyName("::strlen", "::std::strlen", "::sqrt", "::std::sqrt", "::sqrtl", "::cbrt", "::std::cbrt", "::log",
                                                    "::std::log", "::log2", "::std::log2"))))
                .bind("call")));
        return stmt(anyOf(forStmt(in_condition), whileStmt(in_condition), doStmt(in_condition))).bind("loop");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        if (!m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop)) return;
        if (const auto* w = dyn_cast<WhileStmt>(loop); w && w->getConditionVariable()) return;
        std::vector<const VarDecl*> vars;
        bool only_locals = true;
        for (const Expr* arg : call->arguments()) {
            if (arg->HasSideEffects(m_e.context())) return;
            collect_vars(arg, vars, only_locals);
        }
        // Declared before the loop: the hoisted call goes before it (not in a for's init).
        for (const VarDecl* var : vars)
            if (!m_e.sm().isBeforeInTranslationUnit(var->getLocation(), loop->getBeginLoc())) return;
        const bool is_strlen = call->getDirectCallee()->getName() == "strlen";
        if (!only_locals || !unchanged(*loop, vars, is_strlen)) {
            if (is_strlen) track_length(*loop, *call);
            return;
        }
        const unsigned line = m_e.sm().getSpellingLineNumber(loop->getBeginLoc());
        const std::string name = "optiloop_hoisted_" + std::to_string(line);
        const std::string decl = "const auto " + name + " = " + m_e.text(call->getSourceRange()) + ";\n" + m_e.indent_of(loop->getBeginLoc());
        emit(call->getBeginLoc(),
             m_e.text(call->getSourceRange()) + " does not change in the loop but is recomputed every iteration; hoist it",
             {m_e.insert_before(loop->getBeginLoc(), decl), m_e.replace(call->getSourceRange(), name)});
    }

private:
    // A loop's parts: a for's init, condition, increment and body; a while's or do's condition
    // and body (the rest null).
    struct Parts {
        const Stmt *init = nullptr, *cond = nullptr, *inc = nullptr, *body = nullptr;
    };
    static Parts parts_of(const Stmt& loop) {
        if (const auto* f = dyn_cast<ForStmt>(&loop)) return {f->getInit(), f->getCond(), f->getInc(), f->getBody()};
        if (const auto* w = dyn_cast<WhileStmt>(&loop)) return {nullptr, w->getCond(), nullptr, w->getBody()};
        const auto* d = cast<DoStmt>(&loop);
        return {nullptr, d->getCond(), nullptr, d->getBody()};
    }

    // Whether nothing the loop does (a for's init, which runs after the hoisted call, its body,
    // increment and condition) changes the call's arguments, or for strlen, the chars they point to.
    bool unchanged(const Stmt& loop, const std::vector<const VarDecl*>& vars, bool is_strlen) {
        const Parts parts = parts_of(loop);
        for (const Stmt* part : {parts.init, parts.body, parts.inc, parts.cond}) {
            if (!part) continue;
            ExprMutationAnalyzer analyzer(*part, m_e.context());
            for (const VarDecl* var : vars) {
                if (m_e.aliased(var)) return false;
                // A char array's name cannot be assigned; the analyzer counts its decay to char*
                // (as in strlen(word)) as a change, so its chars are left to may_write_chars.
                if (!(is_strlen && var->getType()->isArrayType()) && analyzer.isMutated(var)) return false;
                if (is_strlen && var->getType()->isPointerType() && analyzer.isPointeeMutated(var)) return false;
                if (is_strlen && reinterpreted(*part, var)) return false;
            }
            if (is_strlen && may_write_chars(m_e.context(), *part)) return false;
        }
        return true;
    }

    // Whether part takes var's address or casts it (or a pointer computed from it) explicitly:
    // through another type its chars may change without a char write may_write_chars would see.
    bool reinterpreted(const Stmt& part, const VarDecl* var) {
        ASTContext& ctx = m_e.context();
        for (const DeclRefExpr* ref : refs_to(*var, part, ctx)) {
            const Stmt* at = ref;
            for (auto parents = ctx.getParents(*at); parents.size() == 1;) {
                const auto* parent = parents[0].get<Stmt>();
                if (!parent) break;
                if (isa<ExplicitCastExpr>(parent)) return true;
                if (const auto* u = dyn_cast<UnaryOperator>(parent); u && u->getOpcode() == UO_AddrOf) return true;
                const auto* b = dyn_cast<BinaryOperator>(parent);
                if (!isa<ImplicitCastExpr>(parent) && !isa<ParenExpr>(parent) && !(b && b->isAdditiveOp() && b->getType()->isPointerType())) break;
                parents = ctx.getParents(*parent);
            }
        }
        return false;
    }

    // strlen(s) of a string the loop writes, one char at a time, by statements `s[i] = v;`
    // (or op=, ++, --) and in no other way: the length is kept in a variable and brought up to
    // date after each such write, which only changes it when it puts a '\0' before the end
    // (the length becomes i) or overwrites the '\0' at the end (strlen looks again).
    // "No other way" is proved by elimination: every call in the loop is to a library function
    // that writes no memory, and every other write names a variable, or (when s is an array)
    // an element of another named array. When s is a pointer it may point into any variable
    // whose address was taken, so those may not be written, nor read by an index.
    void track_length(const Stmt& loop, const CallExpr& call) {
        ASTContext& ctx = m_e.context();
        const auto* ref = dyn_cast<DeclRefExpr>(call.getArg(0)->IgnoreParenImpCasts());
        const auto* str = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
        if (!str || str->getType()->isReferenceType() || str->getType().isVolatileQualified()) return;
        const bool is_array = str->getType()->isArrayType();
        if (!is_array && !str->getType()->isPointerType()) return;
        const Type* element = str->getType()->getPointeeOrArrayElementType();
        if (!element->isSpecificBuiltinType(BuiltinType::Char_S) && !element->isSpecificBuiltinType(BuiltinType::Char_U)) return;
        const auto* fn = enclosing_function(ctx, loop);
        if (!fn) return;
        const std::set<const VarDecl*> pointed_at = is_array ? std::set<const VarDecl*>{} : addressed_vars(*fn);
        // A variable a write or an index may name: a scalar, not a reference, and not one the
        // string's pointer may point into.
        auto plain_var = [&](const Expr* e) -> const VarDecl* {
            const auto* r = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
            const auto* var = r ? dyn_cast<VarDecl>(r->getDecl()) : nullptr;
            if (!var || !var->getType()->isScalarType() || var->getType().isVolatileQualified()) return nullptr;
            if (!is_array && (!var->hasLocalStorage() || pointed_at.contains(var) || m_e.aliased(var))) return nullptr;
            return var;
        };
        std::function<bool(const Expr*)> simple_index = [&](const Expr* e) {
            e = e->IgnoreParens();
            if (isa<IntegerLiteral>(e) || isa<CharacterLiteral>(e)) return true;
            if (isa<DeclRefExpr>(e)) return plain_var(e) != nullptr && e->getType()->isIntegralOrEnumerationType();
            if (const auto* cast_expr = dyn_cast<CastExpr>(e))
                return (cast_expr->getCastKind() == CK_IntegralCast || cast_expr->getCastKind() == CK_LValueToRValue ||
                        cast_expr->getCastKind() == CK_NoOp) &&
                       simple_index(cast_expr->getSubExpr());
            if (const auto* b = dyn_cast<BinaryOperator>(e))
                return !b->isAssignmentOp() && !b->isCommaOp() && simple_index(b->getLHS()) && simple_index(b->getRHS());
            if (const auto* u = dyn_cast<UnaryOperator>(e))
                return (u->getOpcode() == UO_Minus || u->getOpcode() == UO_Plus || u->getOpcode() == UO_Not) && simple_index(u->getSubExpr());
            return false;
        };
        auto names_str = [&](const Expr* e) {
            const auto* r = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
            return r && r->getDecl() == str;
        };
        // An element of a named array other than the string (itself perhaps an element of one).
        std::function<bool(const Expr*)> other_array = [&](const Expr* e) {
            e = e->IgnoreParenImpCasts();
            if (const auto* sub = dyn_cast<ArraySubscriptExpr>(e)) return other_array(sub->getBase());
            const auto* r = dyn_cast<DeclRefExpr>(e);
            const auto* var = r ? dyn_cast<VarDecl>(r->getDecl()) : nullptr;
            return var && var != str && var->getType()->isArrayType();
        };

        std::vector<const ArraySubscriptExpr*> writes;  // of the string, each a statement of the body
        std::vector<const Stmt*> write_statements;
        bool ok = true;
        std::function<void(const Stmt*, bool, bool)> walk = [&](const Stmt* s, bool in_body, bool in_write) {
            if (!s || !ok) return;
            if (isa<AsmStmt>(s) || isa<LabelStmt>(s) || isa<GotoStmt>(s) || isa<IndirectGotoStmt>(s) || isa<LambdaExpr>(s) ||
                isa<CXXConstructExpr>(s) || isa<CXXNewExpr>(s) || isa<CXXDeleteExpr>(s) || isa<StmtExpr>(s) || isa<BlockExpr>(s)) {
                ok = false;
                return;
            }
            if (const auto* c = dyn_cast<CallExpr>(s); c && !writes_no_memory(*c)) {
                ok = false;
                return;
            }
            const Expr* target = nullptr;
            if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp()) target = b->getLHS();
            if (const auto* u = dyn_cast<UnaryOperator>(s); u && u->isIncrementDecrementOp()) target = u->getSubExpr();
            if (target) {
                target = target->IgnoreParens();
                const auto* sub = dyn_cast<ArraySubscriptExpr>(target);
                if (in_write) {
                    ok = false;  // a write inside the string's write could change what the index reads
                } else if (sub && names_str(sub->getBase())) {
                    const Stmt* parent = parent_stmt(ctx, *s);
                    const auto* branch = dyn_cast_or_null<IfStmt>(parent);
                    const bool statement = parent && (isa<CompoundStmt>(parent) || (branch && (branch->getThen() == s || branch->getElse() == s)) ||
                                                      loop_body(parent) == s);
                    if (!in_body || !statement || !simple_index(sub->getIdx())) {
                        ok = false;
                    } else {
                        writes.push_back(sub);
                        write_statements.push_back(s);
                        in_write = true;
                    }
                } else if (const VarDecl* var = plain_var(target); var && var != str) {
                    // a named variable: not the string's storage
                } else if (!(is_array && sub && other_array(sub))) {
                    ok = false;
                }
            }
            for (const Stmt* child : s->children()) walk(child, in_body, in_write);
        };
        const Parts parts = parts_of(loop);
        walk(parts.init, false, false);
        walk(parts.body, true, false);
        walk(parts.inc, false, false);
        walk(parts.cond, false, false);
        if (!ok || writes.empty()) return;  // no writes at all: the plain hoist refused for another reason

        const unsigned line = m_e.sm().getSpellingLineNumber(loop.getBeginLoc());
        const std::string length = "optiloop_length_" + std::to_string(line);
        if (!name_free(*fn, length)) return;
        const std::string str_text = m_e.text(call.getArg(0)->getSourceRange());
        std::vector<core::Replacement> fix = {
            m_e.insert_before(loop.getBeginLoc(), "auto " + length + " = " + m_e.text(call.getSourceRange()) + ";\n" + m_e.indent_of(loop.getBeginLoc())),
            m_e.replace(call.getSourceRange(), length)};
        for (std::size_t k = 0; k < writes.size(); ++k) {
            const Stmt& statement = *write_statements[k];
            if (!m_e.editable(statement.getSourceRange())) return;
            const Expr* index = writes[k]->getIdx();
            const std::string at = m_e.text(index->getSourceRange());
            const std::string as_size = index->getType()->isUnsignedIntegerType() ? at : "(size_t)(" + at + ")";
            const std::string update = "if (" + m_e.text(writes[k]->getBase()->getSourceRange()) + "[" + at + "] == '\\0') { if (" +
                                       as_size + " < " + length + ") " + length + " = " + at + "; } else if (" + as_size + " == " + length +
                                       ") " + length + " = " + m_e.text(call.getSourceRange()) + ";";
            if (m_e.compound_parent(statement)) {
                fix.push_back(m_e.insert_after_statement(statement, "\n" + m_e.indent_of(statement.getBeginLoc()) + update));
            } else {
                fix.push_back(m_e.insert_before(statement.getBeginLoc(), "{ "));
                fix.push_back(m_e.insert_after_statement(statement, " " + update + " }"));
            }
        }
        emit(call.getBeginLoc(),
             m_e.text(call.getSourceRange()) + " is recomputed on every iteration, though the loop changes " + str_text +
                 " only one char at a time; keep its length in a variable and update it where those writes may change it",
             std::move(fix));
    }


    // The variables of fn whose address is taken or to which a reference is bound.
    std::set<const VarDecl*> addressed_vars(const FunctionDecl& fn) {
        std::set<const VarDecl*> out;
        const auto ref = declRefExpr(to(varDecl().bind("var")));
        const auto taken = unaryOperator(hasOperatorName("&"), hasUnaryOperand(ignoringParenImpCasts(ref)));
        const auto bound = varDecl(hasType(referenceType()), hasInitializer(ignoringParenImpCasts(ref)));
        for (const auto& found : match(traverse(TK_AsIs, stmt(forEachDescendant(stmt(anyOf(taken, declStmt(has(bound))))))), *fn.getBody(),
                                       m_e.context()))
            out.insert(found.getNodeAs<VarDecl>("var"));
        return out;
    }

    bool name_free(const FunctionDecl& fn, const std::string& name) {
        return m_e.file_text(fn.getBeginLoc()).find(name) == StringRef::npos;
    }
};

}  // namespace

std::unique_ptr<Rule> invariant_call_in_condition(const RuleSetup& setup) { return make_rule<InvariantCallInCondition>(setup); }

}  // namespace optiloop::analyzer::rules

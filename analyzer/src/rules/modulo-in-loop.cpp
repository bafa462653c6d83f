// The modulo-in-loop rule: what it finds, why and when it stays silent are in analyzer/docs/rules/modulo-in-loop.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <utility>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class ModuloInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return forStmt().bind("loop"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<ForStmt>("loop");
        ASTContext& ctx = m_e.context();
        if (!m_e.editable(loop->getSourceRange()) || !loop->getBody() || !m_e.editable(loop->getBody()->getSourceRange()) ||
            loop->getConditionVariable())
            return;
        // An OpenMP loop's iterations are shared among threads as they are.
        if (under_openmp(ctx, *loop)) return;
        const auto parents = ctx.getParents(*loop);
        // for (T i = 0; i < n; ++i) with T an integer type at least as wide as int, compared
        // with n as a T.
        const auto* init = dyn_cast_or_null<DeclStmt>(loop->getInit());
        const auto* i = init && init->isSingleDecl() ? dyn_cast<VarDecl>(init->getSingleDecl()) : nullptr;
        if (!i || !i->getInit() || i->getType()->isDependentType()) return;
        const QualType t = i->getType().getCanonicalType().getUnqualifiedType();
        if (!t->isIntegerType() || t->isBooleanType() || t->isEnumeralType() || t->isBitIntType() || ctx.isPromotableIntegerType(t)) return;
        const auto* zero = dyn_cast<IntegerLiteral>(i->getInit()->IgnoreParenImpCasts());
        if (!zero || zero->getValue() != 0) return;
        auto of_type_t = [&](const Expr* e) { return e->getType().getCanonicalType().getUnqualifiedType() == t; };
        const auto* cond = dyn_cast_or_null<BinaryOperator>(loop->getCond() ? loop->getCond()->IgnoreParens() : nullptr);
        if (!cond || cond->getOpcode() != BO_LT || !is_ref_to(cond->getLHS(), i) || !of_type_t(cond->getLHS()) || !of_type_t(cond->getRHS()))
            return;
        const Expr* n = cond->getRHS();
        const Expr* inc = loop->getInc() ? loop->getInc()->IgnoreParens() : nullptr;
        const auto* step_u = dyn_cast_or_null<UnaryOperator>(inc);
        const auto* step_b = dyn_cast_or_null<BinaryOperator>(inc);
        const auto* one = step_b ? dyn_cast<IntegerLiteral>(step_b->getRHS()->IgnoreParenImpCasts()) : nullptr;
        if (!(step_u && step_u->isIncrementOp() && is_ref_to(step_u->getSubExpr(), i)) &&
            !(step_b && step_b->getOpcode() == BO_AddAssign && is_ref_to(step_b->getLHS(), i) && one && one->getValue() == 1))
            return;

        // The body: i only read, left only at its end or by return/throw (a break of its own
        // would end the blocks' loop only), nothing that two copies of it would change.
        const Stmt* body = loop->getBody();
        Scan scan;
        scan_body(body, i, true, scan);
        if (scan.refused) return;
        ExprMutationAnalyzer mutations(*body, ctx);
        if (mutations.isMutated(i)) return;

        // i % k (and i / k) with k of i's type, unchanged by the loop and not a constant (a
        // constant divisor is a multiplication already).
        const Expr* k = nullptr;
        for (const BinaryOperator* d : scan.divisions)
            if (d->getOpcode() == BO_Rem) {
                k = d->getRHS();
                break;
            }
        if (!k || k->isValueDependent() || k->isTypeDependent() || n->isValueDependent() || k->isIntegerConstantExpr(ctx)) return;
        if (references_var(n, i) || references_var(k, i) || !invariant(k, *loop) || !invariant(n, *loop)) return;
        std::vector<const BinaryOperator*> replaced;
        for (const BinaryOperator* d : scan.divisions)
            if (same_expr(d->getRHS(), k, ctx)) {
                if (!m_e.editable(d->getSourceRange())) return;
                replaced.push_back(d);
            }
        bool divides = false;
        for (const BinaryOperator* d : replaced) divides = divides || d->getOpcode() == BO_Div;
        const bool i_read_otherwise = scan.references > replaced.size();

        // The new names must be free in the file.
        const std::string name = i->getName().str();
        const std::string base = name + "_base", len = name + "_len", mod = name + "_mod", div = name + "_div";
        const StringRef file = m_e.file_text(loop->getBeginLoc());
        for (const std::string& fresh : {base, len, mod, div})
            if (mentions(file, fresh)) return;

        // Offsets in the file: the loop (with the ';' of a lone statement body) and its body.
        const SourceManager& sm = m_e.sm();
        const SourceLocation loop_begin = sm.getSpellingLoc(loop->getBeginLoc());
        const auto loop_end = m_e.end_offset(*body);
        if (!loop_end || sm.getFileID(loop_begin) != sm.getFileID(sm.getSpellingLoc(body->getBeginLoc()))) return;
        const unsigned lb = sm.getFileOffset(loop_begin), bb = sm.getFileOffset(sm.getSpellingLoc(body->getBeginLoc()));
        const unsigned le = *loop_end;
        if (!(lb < bb && bb < le && le <= file.size())) return;

        // The body with i % k and i / k replaced by the counters.
        std::string new_body = file.slice(bb, le).str();
        std::vector<std::pair<unsigned, unsigned>> spans;  // body-relative [begin, end), with what goes there
        std::vector<std::string> with;
        for (const BinaryOperator* d : replaced) {
            // (i % k) becomes i_mod, without the parentheses.
            const auto around = ctx.getParents(*d);
            const auto* paren = around.size() == 1 ? around[0].get<ParenExpr>() : nullptr;
            const core::Replacement rep = m_e.replace(paren ? paren->getSourceRange() : d->getSourceRange(), "");
            if (rep.offset < bb || rep.offset + rep.length > le) return;
            spans.emplace_back(rep.offset - bb, rep.offset - bb + rep.length);
            with.push_back(d->getOpcode() == BO_Rem ? mod : div);
        }
        std::vector<std::size_t> order(spans.size());
        for (std::size_t x = 0; x < order.size(); ++x) order[x] = x;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return spans[a].first > spans[b].first; });
        for (std::size_t x = 0; x + 1 < order.size(); ++x)
            if (spans[order[x + 1]].second > spans[order[x]].first) return;  // nested: one division inside another's divisor
        for (std::size_t x : order) new_body.replace(spans[x].first, spans[x].second - spans[x].first, with[x]);

        // The counter's type as written (its canonical spelling where it was deduced).
        std::string type_text = m_e.text(i->getTypeSourceInfo()->getTypeLoc().getSourceRange());
        if (type_text.empty() || StringRef(type_text).contains("auto") || StringRef(type_text).contains("decltype"))
            type_text = t.getAsString(ctx.getPrintingPolicy());
        const std::string loop_indent = m_e.indent_of(loop->getBeginLoc());
        std::string unit = "    ";
        if (const auto* block = dyn_cast<CompoundStmt>(body); block && !block->body_empty()) {
            const std::string inner = m_e.indent_of(block->body_front()->getBeginLoc());
            if (inner.size() > loop_indent.size() && StringRef(inner).starts_with(loop_indent)) unit = inner.substr(loop_indent.size());
        }
        const std::string at = type_text + " " + name + " = " + base + " + " + mod + ";";
        if (i_read_otherwise) {
            if (const auto* block = dyn_cast<CompoundStmt>(body)) {
                const bool own_line = !block->body_empty() &&
                                      starts_line(file, sm.getFileOffset(sm.getSpellingLoc(block->body_front()->getBeginLoc())));
                new_body.insert(1, own_line ? "\n" + loop_indent + unit + "const " + at : " const " + at);
            } else {
                new_body = "{ const " + at + " " + new_body + " }";
            }
        }
        // The divisor is compared with 0 as it is; in the blocks' lengths it is the counter's type,
        // as in i % k.
        const std::string k_text = operand(k), n_text = operand(n);
        const std::string k_len = k->IgnoreParenImpCasts()->getType().getCanonicalType().getUnqualifiedType() == t
                                      ? k_text
                                      : "static_cast<" + type_text + ">(" + m_e.text(k->IgnoreParenImpCasts()->getSourceRange()) + ")";
        const std::string in1 = loop_indent + unit, in2 = in1 + unit;
        std::string text = "if (" + k_text + " > 0) {\n";
        text += in1 + "for (" + type_text + " " + base + " = 0, " + len + " = 0" + (divides ? ", " + div + " = 0" : "") + "; " + base + " < " +
                n_text + "; " + base + " += " + len + (divides ? ", ++" + div : "") + ") {\n";
        text += in2 + len + " = " + n_text + " - " + base + " < " + k_len + " ? " + n_text + " - " + base + " : " + k_len + ";\n";
        text += in2 + "for (" + type_text + " " + mod + " = 0; " + mod + " < " + len + "; ++" + mod + ") " + reindent(new_body, unit + unit) + "\n";
        text += in1 + "}\n";
        text += loop_indent + "} else {\n";
        text += in1 + reindent(file.slice(lb, le).str(), unit) + "\n";
        text += loop_indent + "}";

        core::Replacement rep = m_e.replace(loop->getSourceRange(), "");
        rep.length = le - rep.offset;
        std::vector<core::Replacement> fix;
        if (parents.size() == 1 && parents[0].get<IfStmt>()) {
            // The branch of an if: in a block of its own, so that no else dangles.
            if (const auto braces = m_e.braces_around(*loop)) {
                fix.push_back(braces->first);
                text += "\n" + m_e.indent_of(parents[0].get<IfStmt>()->getBeginLoc()) + "}";
            } else {
                text = "{ " + text + " }";
            }
        }
        rep.text = text;
        fix.push_back(rep);
        const std::string division = m_e.text(replaced.front()->getSourceRange());
        emit(loop->getBeginLoc(),
             division + " divides on every iteration though " + m_e.text(k->getSourceRange()) +
                 " does not change in the loop; walking " + name + " in blocks of that length makes " + name + " % " +
                 m_e.text(k->getSourceRange()) +
                 (divides ? " and " + name + " / " + m_e.text(k->getSourceRange()) + " counters" : std::string(" a counter")) +
                 ", with no division, and lets the inner loop vectorise (the loop stays as it was for a divisor that is not positive)",
             std::move(fix));
    }

private:
    struct Scan {
        bool refused = false;
        std::vector<const BinaryOperator*> divisions;  // i % e and i / e, all of i's type
        std::size_t references = 0;                    // every mention of i
    };

    // What two copies of the body would change (a static local, a label, a type or a lambda
    // defined in it), a jump the blocks would change (break, goto), the address of i.
    void scan_body(const Stmt* s, const VarDecl* i, bool own, Scan& scan) {
        if (!s || scan.refused) return;
        if (isa<GotoStmt>(s) || isa<IndirectGotoStmt>(s) || isa<LabelStmt>(s) || isa<LambdaExpr>(s) || isa<BlockExpr>(s) ||
            (own && isa<BreakStmt>(s))) {
            scan.refused = true;
            return;
        }
        if (const auto* decl = dyn_cast<DeclStmt>(s))
            for (const Decl* d : decl->decls()) {
                const auto* var = dyn_cast<VarDecl>(d);
                if (!var || var->isStaticLocal() || var->getTLSKind() != VarDecl::TLS_None || var->getName() == i->getName()) {
                    scan.refused = true;
                    return;
                }
            }
        if (const auto* u = dyn_cast<UnaryOperator>(s); u && u->getOpcode() == UO_AddrOf && is_ref_to(u->getSubExpr(), i)) {
            scan.refused = true;
            return;
        }
        if (is_ref_to_exactly(s, i)) ++scan.references;
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && (b->getOpcode() == BO_Rem || b->getOpcode() == BO_Div) &&
                                                         is_ref_to(b->getLHS(), i) && same_type(b, i) && same_type(b->getLHS(), i) &&
                                                         same_type(b->getRHS(), i))
            scan.divisions.push_back(b);
        // A break inside a nested loop or switch is its own.
        const bool nested = isa<ForStmt>(s) || isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<CXXForRangeStmt>(s) || isa<SwitchStmt>(s);
        for (const Stmt* child : s->children()) scan_body(child, i, own && !nested, scan);
    }

    static bool is_ref_to_exactly(const Stmt* s, const VarDecl* var) {
        const auto* ref = dyn_cast<DeclRefExpr>(s);
        return ref && ref->getDecl() == var;
    }
    static bool same_type(const Expr* e, const VarDecl* i) {
        return e->getType().getCanonicalType().getUnqualifiedType() == i->getType().getCanonicalType().getUnqualifiedType();
    }

    // Whether e has the same value on every iteration of loop and evaluating it changes nothing:
    // literals, enumerators, and locals or parameters (not references or pointers) declared
    // before the loop and never changed in it, by name or through another, with arithmetic,
    // casts and a standard container's size() or length() over them.
    bool invariant(const Expr* e, const ForStmt& loop) {
        ASTContext& ctx = m_e.context();
        if (!repeatable(e, ctx)) return false;
        std::function<bool(const Expr*)> ok = [&](const Expr* x) -> bool {
            x = x->IgnoreParenImpCasts();
            if (isa<IntegerLiteral>(x) || isa<CharacterLiteral>(x)) return true;
            if (const auto* ref = dyn_cast<DeclRefExpr>(x)) {
                if (isa<EnumConstantDecl>(ref->getDecl())) return true;
                const auto* var = dyn_cast<VarDecl>(ref->getDecl());
                return var && var->hasLocalStorage() && !var->getType()->isReferenceType() && !var->getType()->isPointerType() &&
                       m_e.sm().isBeforeInTranslationUnit(var->getLocation(), loop.getBeginLoc()) &&
                       only_read(ctx, var, loop) && !m_e.aliased(var);
            }
            if (const auto* call = dyn_cast<CXXMemberCallExpr>(x))
                return call->getNumArgs() == 0 && call->getMethodDecl() && call->getMethodDecl()->getParent()->isInStdNamespace() &&
                       (method_is(call, "size") || method_is(call, "length")) && ok(call->getImplicitObjectArgument());
            const auto* b = dyn_cast<BinaryOperator>(x);
            const auto* u = dyn_cast<UnaryOperator>(x);
            if ((b && !b->isAssignmentOp() && b->getOpcode() != BO_Comma) ||
                (u && (u->getOpcode() == UO_Minus || u->getOpcode() == UO_Plus || u->getOpcode() == UO_Not)) || isa<ExplicitCastExpr>(x))
                return std::all_of(x->child_begin(), x->child_end(), [&](const Stmt* c) { return ok(cast<Expr>(c)); });
            return false;
        };
        return ok(e);
    }

    // e's text, in parentheses unless it is a name, a literal, a call or already parenthesised.
    std::string operand(const Expr* e) {
        const std::string text = m_e.text(e->getSourceRange());
        const Expr* bare = e->IgnoreImpCasts();
        if (isa<DeclRefExpr>(bare) || isa<IntegerLiteral>(bare) || isa<CallExpr>(bare) || isa<ParenExpr>(bare) || isa<ExplicitCastExpr>(bare) ||
            isa<ArraySubscriptExpr>(bare))
            return text;
        return "(" + text + ")";
    }

    static bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
    static bool mentions(StringRef file, StringRef name) {
        for (std::size_t at = file.find(name); at != StringRef::npos; at = file.find(name, at + 1)) {
            const bool starts = at == 0 || !identifier_char(file[at - 1]);
            const bool ends = at + name.size() >= file.size() || !identifier_char(file[at + name.size()]);
            if (starts && ends) return true;
        }
        return false;
    }
    static bool starts_line(StringRef file, unsigned offset) {
        while (offset > 0 && (file[offset - 1] == ' ' || file[offset - 1] == '\t')) --offset;
        return offset == 0 || file[offset - 1] == '\n';
    }
    // Every line after the first indented by `more`.
    static std::string reindent(const std::string& text, const std::string& more) {
        std::string out;
        for (char c : text) {
            out += c;
            if (c == '\n') out += more;
        }
        // No indentation added to lines that were empty.
        std::string cleaned;
        for (std::size_t at = 0; at < out.size(); ++at) {
            if (out[at] == '\n' && out.compare(at + 1, more.size(), more) == 0 && (at + 1 + more.size() == out.size() || out[at + 1 + more.size()] == '\n')) {
                cleaned += '\n';
                at += more.size();
                continue;
            }
            cleaned += out[at];
        }
        return cleaned;
    }
};

}  // namespace

std::unique_ptr<Rule> modulo_in_loop(const RuleSetup& setup) { return make_rule<ModuloInLoop>(setup); }

}  // namespace optiloop::analyzer::rules

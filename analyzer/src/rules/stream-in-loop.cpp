// The stream-in-loop rule: what it finds, why and when it stays silent are in analyzer/docs/rules/stream-in-loop.md.

#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class StreamInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(),
                       hasType(qualType(hasCanonicalType(recordType(
                           hasDeclaration(namedDecl(hasAnyName("::std::basic_istringstream", "::std::basic_stringstream"))))))),
                       declared_in_loop_body())
            .bind("var");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        const auto* decl = r.Nodes.getNodeAs<DeclStmt>("decl");
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        const auto* body = r.Nodes.getNodeAs<CompoundStmt>("body");
        if (!decl->isSingleDecl() || !is_body_of(loop, body) || !m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop)) return;
        if (var->getType().isConstQualified() || !var->getTypeSourceInfo()) return;
        // Built from one string: std::istringstream ss(line);
        const auto* construct = dyn_cast_or_null<CXXConstructExpr>(var->getInit());
        if (!construct || construct->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(construct->getArg(0))) return;
        for (unsigned i = 1; i < construct->getNumArgs(); ++i)
            if (!isa<CXXDefaultArgExpr>(construct->getArg(i))) return;  // an explicit open mode
        if (!construct->getArg(0)->getType()->isRecordType()) return;  // not a string (a moved stream, ...)
        const TypeLoc type = var->getTypeSourceInfo()->getTypeLoc();
        if (isa<AutoType>(var->getType().getTypePtr()) || !m_e.editable(type.getSourceRange())) return;
        const FunctionDecl* fn = enclosing_function(m_e.context(), *loop);
        if (!fn || !fn->getBody() || !name_unique_in(*fn, *var, m_e.context())) return;
        // Reused, the stream keeps its format state (base, precision, locale) from one iteration
        // to the next: only uses that read values and ask about the state, never change it.
        if (!only_reads(body, var)) return;

        const std::string name = var->getName().str();
        emit(var->getLocation(),
             "'" + name + "' is constructed on every iteration; make it once before the loop and reset it with clear() and str()",
             {m_e.insert_before(loop->getBeginLoc(), m_e.text(type.getSourceRange()) + " " + name + ";\n" + m_e.indent_of(loop->getBeginLoc())),
              m_e.replace(decl->getSourceRange(),
                          name + ".clear();\n" + m_e.indent_of(decl->getBeginLoc()) + name + ".str(" +
                              m_e.text(construct->getArg(0)->getSourceRange()) + ");")});
    }

private:
    // Whether e, ignoring parentheses and implicit conversions, is var or a >> chain starting at var.
    static bool rooted_at(const Expr* e, const VarDecl* var) {
        e = e->IgnoreParenImpCasts();
        if (const auto* ref = dyn_cast<DeclRefExpr>(e)) return ref->getDecl() == var;
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getOperator() == OO_GreaterGreater && op->getNumArgs() == 2)
            return rooted_at(op->getArg(0), var);
        return false;
    }
    // What >> may read into: a number, a char, a string or a char array, never a manipulator
    // (std::hex, setprecision, ...), which would change the state the next iteration sees.
    static bool plain_target(const Expr* e) {
        const QualType t = e->getType().getNonReferenceType().getCanonicalType();
        if (t->isArithmeticType() || t->isArrayType()) return true;
        const auto* record = t->getAsCXXRecordDecl();
        return record && record->isInStdNamespace() && record->getName() == "basic_string";
    }
    // Every use of var in s is the start of a >> chain into plain targets, the stream of
    // std::getline, or a query of its state.
    bool only_reads(const Stmt* s, const VarDecl* var) {
        if (!s) return true;
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s)) {
            if (op->getOperator() == OO_GreaterGreater && op->getNumArgs() == 2 && rooted_at(op->getArg(0), var))
                return plain_target(op->getArg(1)) && only_reads_children_except(op->getArg(0), var, op->getArg(1));
            if (op->getOperator() == OO_Exclaim && op->getNumArgs() == 1 && rooted_at(op->getArg(0), var))
                return only_reads_children_except(op->getArg(0), var, nullptr);
        }
        if (const auto* call = dyn_cast<CXXMemberCallExpr>(s); call && call->getImplicitObjectArgument() &&
                                                               rooted_at(call->getImplicitObjectArgument(), var)) {
            static const std::set<std::string> queries = {"eof", "fail", "good", "bad", "rdstate", "peek", "get", "ignore"};
            const CXXMethodDecl* method = call->getMethodDecl();
            if (!method) return false;
            const bool query = isa<CXXConversionDecl>(method) || (method->getIdentifier() && queries.contains(method->getName().str()));
            if (!query) return false;
            for (const Expr* arg : call->arguments())
                if (!only_reads(arg, var)) return false;
            return only_reads_children_except(call->getImplicitObjectArgument(), var, nullptr);
        }
        if (const auto* call = dyn_cast<CallExpr>(s); call && !isa<CXXOperatorCallExpr>(s) && call->getDirectCallee() &&
                                                       call->getDirectCallee()->isInStdNamespace() &&
                                                       call->getDirectCallee()->getName() == "getline" && call->getNumArgs() >= 2 &&
                                                       rooted_at(call->getArg(0), var)) {
            for (unsigned i = 1; i < call->getNumArgs(); ++i)
                if (!only_reads(call->getArg(i), var)) return false;
            return only_reads_children_except(call->getArg(0), var, nullptr);
        }
        if (const auto* ref = dyn_cast<DeclRefExpr>(s); ref && ref->getDecl() == var) return false;
        for (const Stmt* child : s->children())
            if (!only_reads(child, var)) return false;
        return true;
    }
    // The chain below an allowed use: inner >> steps are checked as uses themselves; the
    // stream at its root is the allowed use. `also` is one more operand to check.
    bool only_reads_children_except(const Expr* chain, const VarDecl* var, const Expr* also) {
        const Expr* inner = chain->IgnoreParenImpCasts();
        if (!isa<DeclRefExpr>(inner) && !only_reads(inner, var)) return false;
        return !also || only_reads(also, var);
    }
};

}  // namespace

std::unique_ptr<Rule> stream_in_loop(const RuleSetup& setup) { return make_rule<StreamInLoop>(setup); }

}  // namespace optiloop::analyzer::rules

// The post-increment-iterator rule: what it finds, why and when it stays silent are in analyzer/docs/rules/post-increment-iterator.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class PostIncrementIterator : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxOperatorCallExpr(hasAnyOverloadedOperatorName("++", "--"), callee(cxxMethodDecl().bind("method"))).bind("op");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* op = r.Nodes.getNodeAs<CXXOperatorCallExpr>("op");
        const auto* method = r.Nodes.getNodeAs<CXXMethodDecl>("method");
        ASTContext& ctx = m_e.context();
        // The postfix form has the dummy int parameter.
        if (method->getNumParams() != 1 || op->getNumArgs() != 2) return;
        const CXXRecordDecl* record = method->getParent();
        // Only the standard library's classes: there ++it is known to do what it++ does.
        if (!record || !ctx.getSourceManager().isInSystemHeader(record->getLocation())) return;
        if (!has_prefix(record, op->getOperator())) return;
        if (!unused(*op)) return;
        const Expr* operand = op->getArg(0);
        if (!m_e.editable(op->getSourceRange()) || !m_e.editable(operand->getSourceRange())) return;
        const std::string spelled = op->getOperator() == OO_PlusPlus ? "++" : "--";
        const std::string text = m_e.text(operand->getSourceRange());
        emit(op->getBeginLoc(),
             text + spelled + " copies the iterator for a result nobody reads; use " + spelled + text,
             {m_e.replace(op->getSourceRange(), spelled + text)});
    }

private:
    static bool has_prefix(const CXXRecordDecl* record, OverloadedOperatorKind kind) {
        for (const CXXMethodDecl* m : record->methods())
            if (m->getOverloadedOperator() == kind && m->getNumParams() == 0) return true;
        return false;
    }
    // The value is discarded: a statement of its own, a for loop's increment, or a side of a
    // discarded comma.
    bool unused(const Stmt& e) {
        const Stmt* p = parent_through_wrappers(m_e.context(), e);
        if (!p) return false;
        if (isa<CompoundStmt>(p)) return true;
        const Stmt* self = &e;
        auto is_self = [&](const Stmt* s) {
            if (!s) return false;
            if (const auto* x = dyn_cast<Expr>(s)) return x->IgnoreImplicit()->IgnoreParens()->IgnoreImplicit() == self;
            return false;
        };
        if (const auto* f = dyn_cast<ForStmt>(p)) return is_self(f->getInc()) || is_self(f->getBody());
        if (const auto* i = dyn_cast<IfStmt>(p)) return is_self(i->getThen()) || is_self(i->getElse());
        if (const auto* w = dyn_cast<WhileStmt>(p)) return is_self(w->getBody());
        if (const auto* d = dyn_cast<DoStmt>(p)) return is_self(d->getBody());
        if (const auto* rf = dyn_cast<CXXForRangeStmt>(p)) return is_self(rf->getBody());
        if (const auto* comma = dyn_cast<BinaryOperator>(p); comma && comma->getOpcode() == BO_Comma) {
            if (is_self(comma->getLHS())) return true;
            return is_self(comma->getRHS()) && unused(*comma);
        }
        return false;
    }
};

}  // namespace

std::unique_ptr<Rule> post_increment_iterator(const RuleSetup& setup) { return make_rule<PostIncrementIterator>(setup); }

}  // namespace optiloop::analyzer::rules

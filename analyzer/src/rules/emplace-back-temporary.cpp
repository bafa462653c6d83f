// The emplace-back-temporary rule: what it finds, why and when it stays silent are in analyzer/docs/rules/emplace-back-temporary.md.

#include <clang/Lex/Lexer.h>

#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// The variables and fields an expression names.
void collect_named(const Stmt* s, std::set<const ValueDecl*>& out) {
    if (!s) return;
    if (const auto* ref = dyn_cast<DeclRefExpr>(s)) out.insert(ref->getDecl());
    if (const auto* member = dyn_cast<MemberExpr>(s)) out.insert(member->getMemberDecl());
    for (const Stmt* child : s->children()) collect_named(child, out);
}

class EmplaceBackTemporary : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxMemberCallExpr(callee(cxxMethodDecl(hasName("push_back"), ofClass(hasAnyName("::std::vector", "::std::deque")))),
                                 argumentCountIs(1), callee(memberExpr().bind("member")))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CXXMemberCallExpr>("call");
        const auto* member = r.Nodes.getNodeAs<MemberExpr>("member");
        ASTContext& ctx = m_e.context();
        const auto* container = dyn_cast_or_null<ClassTemplateSpecializationDecl>(call->getMethodDecl()->getParent());
        if (!container || container->getTemplateArgs().size() < 1 || container->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
            return;
        const QualType value_type = container->getTemplateArgs()[0].getAsType();
        if (!value_type->getAsCXXRecordDecl()) return;  // a scalar gains nothing
        // The argument as written: T(args...), T(arg) or T{}.
        const Expr* arg = call->getArg(0)->IgnoreImplicit();
        SourceLocation lparen, rparen;
        std::vector<const Expr*> args;
        const CXXConstructExpr* construct = nullptr;
        if (const auto* temporary = dyn_cast<CXXTemporaryObjectExpr>(arg)) {
            construct = temporary;
            lparen = temporary->getParenOrBraceRange().getBegin();
            rparen = temporary->getParenOrBraceRange().getEnd();
        } else if (const auto* cast = dyn_cast<CXXFunctionalCastExpr>(arg)) {
            lparen = cast->getLParenLoc();
            rparen = cast->getRParenLoc();
            const Expr* sub = cast->getSubExpr()->IgnoreImplicit();
            if (const auto* list = dyn_cast<InitListExpr>(sub)) {
                if (list->getNumInits() != 0) return;
            } else {
                if (cast->getCastKind() != CK_ConstructorConversion) return;
                construct = dyn_cast<CXXConstructExpr>(sub);
                if (!construct) return;
            }
        } else {
            return;  // a variable, a call, an implicit conversion: not a temporary written as T(...)
        }
        if (!ctx.hasSameUnqualifiedType(arg->getType().getCanonicalType(), value_type.getCanonicalType())) return;
        if (construct) {
            for (const Expr* a : construct->arguments())
                if (!isa<CXXDefaultArgExpr>(a)) args.push_back(a);
            // Braces may pick an initializer_list constructor; emplace_back uses parentheses.
            if (construct->isListInitialization() && !args.empty()) return;
            // emplace_back constructs from inside the allocator: the constructor must be public.
            if (!construct->getConstructor() || construct->getConstructor()->getAccess() != AS_public) return;
        }
        if (lparen.isInvalid() || rparen.isInvalid() || !m_e.editable(SourceRange(member->getMemberLoc(), call->getRParenLoc())) ||
            !m_e.editable(SourceRange(lparen, rparen)))
            return;
        // Perfect forwarding cannot carry a braced list, a null pointer constant, a bit-field or an
        // overloaded function name; an argument reading the container may alias its storage.
        std::set<const ValueDecl*> container_roots;
        collect_named(call->getImplicitObjectArgument(), container_roots);
        for (const Expr* a : args) {
            const Expr* bare = a->IgnoreParens();
            if (const auto* cast = dyn_cast<ImplicitCastExpr>(bare);
                cast && (cast->getCastKind() == CK_NullToPointer || cast->getCastKind() == CK_NullToMemberPointer))
                return;
            const Expr* plain = a->IgnoreImplicit()->IgnoreParens();
            if (isa<InitListExpr>(plain) || isa<CXXStdInitializerListExpr>(plain) || plain->refersToBitField()) return;
            if (plain->getType()->isFunctionType() || plain->getType()->isFunctionPointerType() || plain->getType()->isMemberPointerType())
                return;
            if (plain->getType()->isNullPtrType() || isa<GNUNullExpr>(plain)) return;
            std::set<const ValueDecl*> read;
            collect_named(a, read);
            for (const ValueDecl* d : read)
                if (container_roots.count(d)) return;
        }
        const SourceLocation inner_begin = Lexer::getLocForEndOfToken(m_e.sm().getSpellingLoc(lparen), 0, m_e.sm(), ctx.getLangOpts());
        const std::string inner =
            Lexer::getSourceText(CharSourceRange::getCharRange(inner_begin, m_e.sm().getSpellingLoc(rparen)), m_e.sm(), ctx.getLangOpts()).str();
        PrintingPolicy policy = ctx.getPrintingPolicy();
        policy.SuppressTagKeyword = true;
        emit(member->getMemberLoc(),
             "push_back of a temporary " + value_type.getUnqualifiedType().getAsString(policy) +
                 " builds and moves it; emplace_back builds it in place",
             {m_e.replace(SourceRange(member->getMemberLoc(), call->getRParenLoc()), "emplace_back(" + inner + ")")});
    }
};

}  // namespace

std::unique_ptr<Rule> emplace_back_temporary(const RuleSetup& setup) { return make_rule<EmplaceBackTemporary>(setup); }

}  // namespace optiloop::analyzer::rules

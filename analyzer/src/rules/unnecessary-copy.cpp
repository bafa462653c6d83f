// The unnecessary-copy rule: what it finds, why and when it stays silent are in analyzer/docs/rules/unnecessary-copy.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class UnnecessaryCopy : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(), unless(parmVarDecl()), hasType(heavy_type()),
                       hasInitializer(ignoringImplicit(declRefExpr(to(varDecl().bind("source"))))), hasParent(declStmt().bind("decl")))
            .bind("copy");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* copy = r.Nodes.getNodeAs<VarDecl>("copy");
        const auto* source = r.Nodes.getNodeAs<VarDecl>("source");
        const auto* decl = r.Nodes.getNodeAs<DeclStmt>("decl");
        ASTContext& ctx = m_e.context();
        if (!decl->isSingleDecl() || copy->getInitStyle() != VarDecl::CInit || copy->getType()->isReferenceType()) return;
        if (isa<DecompositionDecl>(copy) || !m_e.editable(decl->getSourceRange())) return;
        // Exactly a copy construction from the variable (not a conversion, not a temporary).
        const auto* construct = dyn_cast_or_null<CXXConstructExpr>(copy->getInit()->IgnoreImplicit());
        if (!construct || !construct->getConstructor()->isCopyConstructor() || construct->getNumArgs() < 1 ||
            construct->isListInitialization())
            return;
        const auto* ref = dyn_cast<DeclRefExpr>(construct->getArg(0)->IgnoreImplicit());
        if (!ref || ref->getDecl() != source) return;
        const QualType source_type = source->getType();
        if (source_type->isReferenceType() ||
            !ctx.hasSameUnqualifiedType(source_type.getCanonicalType(), copy->getType().getCanonicalType()))
            return;
        const FunctionDecl* fn = enclosing_function(ctx, *decl);
        if (!fn || !fn->getBody() || !isa_and_nonnull<CompoundStmt>(parent_through_wrappers(ctx, *decl))) return;
        const Stmt& body = *fn->getBody();
        // The source must not change while the copy lives: a const object cannot; a local of this
        // function (or a by-value parameter) can change only through this body, which never
        // changes it. A global or a reference could change through a call or an alias: silent.
        const bool const_object = source_type.isConstQualified();
        const bool unchanged_local = source->hasLocalStorage() && source->getDeclContext() == fn &&
                                     !ExprMutationAnalyzer(body, ctx).isMutated(source);
        if (!const_object && !unchanged_local) return;
        // The copy must be only read, never returned (NRVO), moved, captured or addressed.
        if (!only_read(ctx, copy, body)) return;
        const bool is_map = !match(qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasAnyName("::std::map", "::std::unordered_map")))))),
                                   copy->getType(), ctx)
                                 .empty();
        const auto to_copy = declRefExpr(to(varDecl(equalsNode(copy))));
        // A map's operator[] inserts and has no const overload: with a const& it would not compile.
        if (is_map && !match(traverse(TK_AsIs, stmt(hasDescendant(cxxOperatorCallExpr(hasOverloadedOperatorName("[]"),
                                                                                        hasArgument(0, ignoringParenImpCasts(to_copy)))))),
                             body, ctx)
                            .empty())
            return;
        const auto returned = ignoringParens(ignoringImplicit(to_copy));
        const auto escape = stmt(anyOf(returnStmt(hasReturnValue(ignoringImplicit(anyOf(
                                           returned, cxxConstructExpr(argumentCountIs(1), hasArgument(0, returned)))))),
                                       callExpr(callee(functionDecl(hasAnyName("::std::move", "::std::forward"))), hasAnyArgument(ignoringParenImpCasts(to_copy))),
                                       unaryOperator(hasOperatorName("&"), hasUnaryOperand(ignoringParenImpCasts(to_copy))),
                                       cxxOperatorCallExpr(hasOverloadedOperatorName("&"), argumentCountIs(1), hasArgument(0, ignoringParenImpCasts(to_copy))),
                                       lambdaExpr(hasDescendant(to_copy))));
        if (!match(traverse(TK_AsIs, stmt(hasDescendant(escape))), body, ctx).empty()) return;
        // decltype(copy) would name a reference type afterwards.
        if (m_e.text(body.getSourceRange()).find("decltype") != std::string::npos) return;
        auto fix = make_const_ref(m_e, *copy);
        if (fix.empty()) return;
        emit(copy->getLocation(),
             "'" + copy->getName().str() + "' copies '" + source->getName().str() +
                 "', which does not change, and is only read; bind it by const&",
             std::move(fix));
    }
};

}  // namespace

std::unique_ptr<Rule> unnecessary_copy(const RuleSetup& setup) { return make_rule<UnnecessaryCopy>(setup); }

}  // namespace optiloop::analyzer::rules

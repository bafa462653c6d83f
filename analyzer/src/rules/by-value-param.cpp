// The by-value-param rule: what it finds, why and when it stays silent are in analyzer/docs/rules/by-value-param.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include <algorithm>
#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

std::set<const FunctionDecl*> functions_whose_address_is_taken(ASTContext& ctx, const SourceMap& sources) {
    std::set<const FunctionDecl*> out;
    for (const auto& found : match_in_sources(declRefExpr(to(functionDecl().bind("f")), unless(hasParent(implicitCastExpr(hasParent(callExpr())))),
                                                          unless(hasParent(callExpr())))
                                                  .bind("ref"),
                                              ctx, sources)) {
        out.insert(found.getNodeAs<FunctionDecl>("f")->getCanonicalDecl());
    }
    return out;
}

class ByValueParam : public Rule {
public:
    ByValueParam(const RuleSetup& setup, std::set<const FunctionDecl*> address_taken)
        : Rule(setup), m_address_taken(std::move(address_taken)) {}
    static auto matcher() {
        return functionDecl(isDefinition(), unless(isImplicit()), unless(isMain()), unless(cxxMethodDecl(isVirtual())))
            .bind("fn");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* fn = r.Nodes.getNodeAs<FunctionDecl>("fn");
        if (!fn->getBody() || fn->isTemplated() || fn->isTemplateInstantiation() || !m_e.editable(fn->getLocation())) return;
        if (m_address_taken.count(fn->getCanonicalDecl())) return;  // a function pointer fixes the signature
        if (may_write_through_alias(*fn)) return;
        for (unsigned i = 0; i < fn->getNumParams(); ++i) {
            const ParmVarDecl* param = fn->getParamDecl(i);
            const QualType type = param->getType();
            if (type->isReferenceType() || type->isPointerType()) continue;
            if (match(heavy_type(), type, m_e.context()).empty()) continue;
            if (param->getName().empty() || !only_read(m_e.context(), param, *fn->getBody())) continue;
            // A constructor may move the parameter into a member (`: label(std::move(l))`): the
            // member-initialiser list is read as the body is, and a move there is not a read.
            if (const auto* ctor = dyn_cast<CXXConstructorDecl>(fn)) {
                const bool moved = std::any_of(ctor->init_begin(), ctor->init_end(), [&](const CXXCtorInitializer* init) {
                    return init->getInit() && ExprMutationAnalyzer(*init->getInit(), m_e.context()).isMutated(param);
                });
                if (moved) continue;
            }
            // Every declaration of the function changes together, or none does.
            std::vector<core::Replacement> fix;
            bool all = true;
            for (const FunctionDecl* decl : fn->redecls()) {
                if (decl->getNumParams() != fn->getNumParams()) { all = false; break; }
                auto part = make_const_ref(m_e, *decl->getParamDecl(i));
                if (part.empty()) { all = false; break; }
                fix.insert(fix.end(), part.begin(), part.end());
            }
            if (!all) continue;
            emit(param->getLocation(),
                 "parameter '" + param->getName().str() + "' is copied on every call but only read; take it by const&",
                 std::move(fix));
        }
    }

private:
    // A copy protects the parameter from writes to the caller's object; a const& does not. So
    // the function must write to nothing the argument could be: no global, nothing reached by
    // a non-const reference or pointer parameter, no call into the sources (which might).
    bool may_write_through_alias(const FunctionDecl& fn) {
        for (const ParmVarDecl* p : fn.parameters()) {
            const QualType t = p->getType();
            if ((t->isReferenceType() || t->isPointerType()) && !t->getPointeeType().isConstQualified()) return true;
        }
        ASTContext& ctx = m_e.context();
        ExprMutationAnalyzer analyzer(*fn.getBody(), ctx);
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(hasGlobalStorage()).bind("g")))), *fn.getBody(), ctx))
            if (analyzer.isMutated(found.getNodeAs<VarDecl>("g"))) return true;
        for (const auto& found : match(findAll(callExpr().bind("call")), *fn.getBody(), ctx)) {
            const FunctionDecl* callee = found.getNodeAs<CallExpr>("call")->getDirectCallee();
            if (!callee) return true;  // through a pointer: unknown
            const FunctionDecl* def = callee->getDefinition();
            if (def && m_e.editable(def->getLocation())) return true;
        }
        return false;
    }

    std::set<const FunctionDecl*> m_address_taken;
};

}  // namespace

std::unique_ptr<Rule> by_value_param(const RuleSetup& setup) { return make_rule<ByValueParam>(setup, functions_whose_address_is_taken(setup.emitter.context(), setup.emitter.sources())); }

}  // namespace optiloop::analyzer::rules

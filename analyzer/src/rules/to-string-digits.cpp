// The to-string-digits rule: what it finds, why and when it stays silent are in analyzer/docs/rules/to-string-digits.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// std::string t = std::to_string(n) (n an integer) that is only read: iterated by a range-for,
// indexed, or asked its size. std::to_chars writes the same chars as to_string (which is
// specified as sprintf's %d family: a '-' and the decimal digits) into a stack buffer, and a
// string_view over them answers every such read the same.
class ToStringDigits : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(), hasInitializer(ignoringImplicit(
                                              callExpr(callee(functionDecl(hasName("::std::to_string"))), argumentCountIs(1)).bind("call"))))
            .bind("var");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        ASTContext& ctx = m_e.context();
        if (!ctx.getLangOpts().CPlusPlus17 || isa<ParmVarDecl>(var) || var->getType()->isReferenceType()) return;
        const auto* record = var->getType()->getAsCXXRecordDecl();
        if (!record || !record->isInStdNamespace() || record->getName() != "basic_string" ||
            !ctx.hasSameType(var->getType().getUnqualifiedType(), call->getType()))
            return;
        const FunctionDecl* callee = call->getDirectCallee();
        if (!callee || callee->getNumParams() != 1 || !callee->getParamDecl(0)->getType()->isIntegerType()) return;
        const DeclStmt* decl = declaring_statement(ctx, *var);
        if (!decl || !decl->isSingleDecl() || !m_e.compound_parent(*decl) || !m_e.editable(decl->getSourceRange())) return;
        const auto* fn = enclosing_function(ctx, *decl);
        if (!fn || !fn->getBody() || !only_read_as_chars(*var, *fn)) return;
        const std::string name = var->getName().str();
        const std::string chars = name + "_chars";
        if (m_e.file_text(decl->getBeginLoc()).contains(chars)) return;
        const auto end = m_e.end_offset(*decl);
        if (!end) return;
        const unsigned begin = m_e.sm().getFileOffset(m_e.sm().getSpellingLoc(decl->getBeginLoc()));
        const std::string type = callee->getParamDecl(0)->getType().getAsString();
        const std::string with = "char " + chars + "[24];\n" + m_e.indent_of(decl->getBeginLoc()) + "const std::string_view " + name + "(" +
                                 chars + ", std::to_chars(" + chars + ", " + chars + " + sizeof " + chars + ", static_cast<" + type + ">(" +
                                 m_e.text(call->getArg(0)->getSourceRange()) + ")).ptr - " + chars + ");";
        std::vector<core::Replacement> fix = {
            core::Replacement{m_e.sources().relative(m_e.sm(), m_e.sm().getSpellingLoc(decl->getBeginLoc())), begin, *end - begin, with}};
        std::string headers;
        for (const char* header : {"charconv", "string_view"})
            if (m_e.include(decl->getBeginLoc(), header)) headers += std::string("#include <") + header + ">\n";
        if (!headers.empty()) fix.push_back(core::Replacement{fix[0].path, 0, 0, headers});
        emit(var->getLocation(),
             name + " is a string built by to_string only to be read char by char; to_chars into a stack buffer gives the same chars without a heap allocation",
             std::move(fix));
    }

private:
    // Whether every use of var in fn reads its chars: the range of a range-for whose variable is
    // not a non-const reference, an index or front/back whose result is not written, or size,
    // length or empty.
    bool only_read_as_chars(const VarDecl& var, const FunctionDecl& fn) {
        ASTContext& ctx = m_e.context();
        std::set<const Expr*> ranges;
        for (const auto& found : match(findAll(cxxForRangeStmt().bind("loop")), *fn.getBody(), ctx)) {
            const auto* loop = found.getNodeAs<CXXForRangeStmt>("loop");
            const QualType element = loop->getLoopVariable()->getType();
            if (element->isReferenceType() && !element.getNonReferenceType().isConstQualified()) continue;
            ranges.insert(loop->getRangeInit()->IgnoreParenImpCasts());
        }
        ExprMutationAnalyzer analyzer(*fn.getBody(), ctx);
        for (const DeclRefExpr* ref : refs_to(var, *fn.getBody(), ctx)) {
            if (ranges.contains(ref)) continue;
            const Stmt* parent = parent_through_wrappers(ctx, *ref);
            if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent);
                op && op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreParenImpCasts() == ref && !analyzer.isMutated(op))
                continue;
            const auto* member = dyn_cast_or_null<MemberExpr>(parent);
            const auto* call = member ? dyn_cast_or_null<CXXMemberCallExpr>(parent_through_wrappers(ctx, *member)) : nullptr;
            if (call && (method_is(call, "size") || method_is(call, "length") || method_is(call, "empty"))) continue;
            if (call && (method_is(call, "front") || method_is(call, "back")) && !analyzer.isMutated(call)) continue;
            return false;
        }
        return true;
    }
};

}  // namespace

std::unique_ptr<Rule> to_string_digits(const RuleSetup& setup) { return make_rule<ToStringDigits>(setup); }

}  // namespace optiloop::analyzer::rules

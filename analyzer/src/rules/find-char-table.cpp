// The find-char-table rule: what it finds, why and when it stays silent are in analyzer/docs/rules/find-char-table.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// key.find(c), c a char, inside loops that leave the std::string key alone: before the
// outermost such loop, a table of the first position of every char value (npos where absent),
// built from the back so the first occurrence wins; then key.find(c) is first[(unsigned char)c].
class FindCharTable : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxMemberCallExpr(callee(cxxMethodDecl(hasName("find"), ofClass(hasName("::std::basic_string"))))).bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CXXMemberCallExpr>("call");
        ASTContext& ctx = m_e.context();
        const CXXMethodDecl* method = call->getMethodDecl();
        if (!method || method->getNumParams() != 2 || !isa<CXXDefaultArgExpr>(call->getArg(1))) return;
        if (!method->getParamDecl(0)->getType()->isCharType() || !call->getArg(0)->IgnoreParenImpCasts()->getType()->isCharType()) return;
        if (!m_e.editable(call->getSourceRange())) return;
        const VarDecl* key = var_of(call->getImplicitObjectArgument());
        if (!key || !key->hasLocalStorage() || key->getType()->isReferenceType() || m_e.aliased(key)) return;
        if (!is_std_string(key->getType(), ctx)) return;
        // The outermost loop around the call, in the same function, that leaves key alone and
        // has a block around it for the table.
        const Stmt* outermost = nullptr;
        for (const Stmt* parent = statement_parent(ctx, *call); parent && !isa<LambdaExpr>(parent); parent = statement_parent(ctx, *parent)) {
            if (!loop_body(parent)) continue;
            if (!m_e.sm().isBeforeInTranslationUnit(key->getLocation(), parent->getBeginLoc()) || !only_read(ctx, key, *parent)) break;
            if (m_e.compound_parent(*parent) && m_e.editable(parent->getSourceRange())) outermost = parent;
        }
        if (!outermost) return;
        const std::string name = key->getName().str();
        // Named for the loop: calls in two loops get two tables, calls in one loop share one.
        const std::string first = name + "_first_" + std::to_string(m_e.sm().getSpellingLineNumber(outermost->getBeginLoc())), at = "optiloop_at";
        const StringRef file = m_e.file_text(call->getBeginLoc());
        if (file.contains(first) || file.contains(at)) return;
        const std::string indent = m_e.indent_of(outermost->getBeginLoc());
        const std::string table = "std::size_t " + first + "[256];\n" + indent + "for (std::size_t& " + at + " : " + first + ") " + at +
                                  " = std::string::npos;\n" + indent + "for (std::size_t " + at + " = " + name + ".size(); " + at + "-- > 0;) " +
                                  first + "[(unsigned char)" + name + "[" + at + "]] = " + at + ";\n" + indent;
        emit(call->getBeginLoc(),
             m_e.text(call->getSourceRange()) + " scans " + name + " on every call though the loop never changes it; a table of first positions made before the loop answers in one load",
             {m_e.insert_before(outermost->getBeginLoc(), table),
              m_e.replace(call->getSourceRange(), first + "[(unsigned char)(" + m_e.text(call->getArg(0)->getSourceRange()) + ")]")});
    }
};

}  // namespace

std::unique_ptr<Rule> find_char_table(const RuleSetup& setup) { return make_rule<FindCharTable>(setup); }

}  // namespace optiloop::analyzer::rules

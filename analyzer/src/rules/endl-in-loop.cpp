// The endl-in-loop rule: what it finds, why and when it stays silent are in analyzer/docs/rules/endl-in-loop.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class EndlInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return declRefExpr(to(functionDecl(hasName("::std::endl"))),
                           hasAncestor(stmt(anyOf(forStmt(), whileStmt(), doStmt(), cxxForRangeStmt()))))
            .bind("endl");
    }
    void run(const MatchFinder::MatchResult& r) override {
        // With C stdio output mixed in and the streams unsynchronised, flushes order the output.
        if (m_facts.uses_c_stdio && m_facts.calls_sync) return;
        const auto* ref = r.Nodes.getNodeAs<DeclRefExpr>("endl");
        if (!m_e.editable(ref->getSourceRange())) return;
        emit(ref->getBeginLoc(), "std::endl flushes on every iteration; use '\\n'",
             {m_e.replace(ref->getSourceRange(), "'\\n'")});
    }
};

}  // namespace

std::unique_ptr<Rule> endl_in_loop(const RuleSetup& setup) { return make_rule<EndlInLoop>(setup); }

}  // namespace optiloop::analyzer::rules

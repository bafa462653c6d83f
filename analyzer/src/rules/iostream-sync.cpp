// The iostream-sync rule: what it finds, why and when it stays silent are in analyzer/docs/rules/iostream-sync.md.

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;

namespace {

// No matcher: the unit's facts (which streams the program uses, its main) decide it, once.
class IostreamSync : public Rule {
public:
    using Rule::Rule;
    void check() {
        if (!(m_facts.uses_cin || m_facts.uses_cout) || m_facts.uses_c_stdio || m_facts.calls_sync || !m_facts.main) return;
        const auto* body = dyn_cast_or_null<CompoundStmt>(m_facts.main->getBody());
        if (!body || !m_e.editable(body->getLBracLoc())) return;
        const std::string indent = body->body_empty() ? "    " : m_e.indent_of(body->body_front()->getBeginLoc());
        std::string text = "\n" + indent + "std::ios::sync_with_stdio(false);";
        if (m_facts.uses_cin) text += "\n" + indent + "std::cin.tie(nullptr);";
        emit(m_facts.main->getLocation(), "iostreams are synchronised with C stdio; this program does not mix the two",
             {m_e.insert_after_token(body->getLBracLoc(), text)});
    }
    void run(const ast_matchers::MatchFinder::MatchResult&) override {}
};

}  // namespace

std::unique_ptr<Rule> iostream_sync(const RuleSetup& setup) {
    auto rule = std::make_unique<IostreamSync>(setup);
    rule->check();
    return rule;
}

}  // namespace optiloop::analyzer::rules

// What every rule is: a MatchFinder callback whose matcher finds the places it may apply, whose
// run() proves the rewrite keeps the program's meaning (or stays silent), and whose findings
// carry the id of its line in the catalogue (catalogue.cpp), never one typed again.
#pragma once

#include <clang/ASTMatchers/ASTMatchFinder.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rules/ast_facts.hpp"
#include "rules/emitter.hpp"

namespace optiloop::analyzer::rules {

// What a rule's factory is given: its id, from the catalogue; the services and facts the rules
// share; and the finder its matchers join.
struct RuleSetup {
    const char* id;
    Emitter& emitter;
    const UnitFacts& facts;
    clang::ast_matchers::MatchFinder& finder;
};

class Rule : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
    explicit Rule(const RuleSetup& setup) : m_e(setup.emitter), m_facts(setup.facts), m_id(setup.id) {}

protected:
    void emit(clang::SourceLocation at, std::string message, std::vector<core::Replacement> fix) {
        m_e.emit(m_id, at, std::move(message), std::move(fix));
    }

    Emitter& m_e;
    const UnitFacts& m_facts;

private:
    const char* m_id;
};

// Makes a rule and registers what it matches; the catalogue holds one per rule, each defined in
// the rule's own file (rules/ID.cpp).
using RuleFactory = std::unique_ptr<Rule>(const RuleSetup&);

// The factory of a rule R with one matcher, R::matcher(), matched on the source as written (not
// the implicit nodes Clang adds); extra arguments go to R's constructor.
template <class R, class... Args>
std::unique_ptr<Rule> make_rule(const RuleSetup& setup, Args&&... args) {
    auto rule = std::make_unique<R>(setup, std::forward<Args>(args)...);
    setup.finder.addMatcher(clang::ast_matchers::traverse(clang::TK_IgnoreUnlessSpelledInSource, R::matcher()), rule.get());
    return rule;
}

}  // namespace optiloop::analyzer::rules

// The range-for-copy rule: what it finds, why and when it stays silent are in analyzer/docs/rules/range-for-copy.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class RangeForCopy : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxForRangeStmt(hasLoopVariable(varDecl(hasType(qualType(unless(referenceType())))).bind("var"))).bind("loop");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<CXXForRangeStmt>("loop");
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        if (!expensive_to_copy(var->getType(), m_e.context()) || !m_e.editable(var->getLocation())) return;
        if (!only_read(m_e.context(), var, *loop->getBody())) return;
        // A body that changes the range would change the element a reference reads, not a copy.
        std::vector<const VarDecl*> range_vars;
        bool only_locals = true;
        collect_vars(loop->getRangeInit(), range_vars, only_locals);
        ExprMutationAnalyzer body(*loop->getBody(), m_e.context());
        for (const VarDecl* v : range_vars)
            if (body.isMutated(v)) return;
        auto fix = make_const_ref(m_e, *var);
        if (fix.empty()) return;
        emit(var->getLocation(),
             "'" + var->getName().str() + "' copies every element and is only read; a const reference reads it in place", std::move(fix));
    }
};

}  // namespace

std::unique_ptr<Rule> range_for_copy(const RuleSetup& setup) { return make_rule<RangeForCopy>(setup); }

}  // namespace optiloop::analyzer::rules

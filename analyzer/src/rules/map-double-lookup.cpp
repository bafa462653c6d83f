// The map-double-lookup rule: what it finds, why and when it stays silent are in analyzer/docs/rules/map-double-lookup.md.

#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>

#include <set>

#include "rules/membership_if.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class MapDoubleLookup : public MembershipIfRule {
public:
    using MembershipIfRule::MembershipIfRule;

protected:
    void check(const IfStmt& if_stmt, const Expr& cond, const Stmt& then, const Membership& lookup) override {
        // The rewrite declares the iterator in the if's init-statement (C++17).
        if (!m_e.context().getLangOpts().CPlusPlus17 || !lookup.present) return;
        if (!is_std_container(lookup.container, {"map", "unordered_map"})) return;

        // Every use of the map in the then-branch must be m[k] or m.at(k) with the same key, and
        // nothing there may change the key: then the key is present at each of them.
        const std::string key = m_e.text(lookup.key->getSourceRange());
        std::vector<const VarDecl*> key_vars;
        bool only_locals = true;
        collect_vars(lookup.key, key_vars, only_locals);
        if (!only_locals) return;
        std::vector<const Expr*> uses;
        if (!only_lookups(&then, lookup.container, key, key_vars, uses) || uses.empty()) return;
        // The key's variables are read, not changed, inside the lookups' own keys (which have no
        // side effects; a temporary key such as (int)i binding to key_type&& is not the
        // variable); everywhere else in the branch the analyzer must find them unchanged.
        std::set<const Stmt*> in_keys;
        for (const Expr* use : uses) {
            const auto* op = dyn_cast<CXXOperatorCallExpr>(use);
            const Expr* argument = op ? op->getArg(1) : cast<CXXMemberCallExpr>(use)->getArg(0);
            for (const auto& found : match(findAll(declRefExpr().bind("ref")), *argument, m_e.context()))
                in_keys.insert(found.getNodeAs<DeclRefExpr>("ref"));
        }
        ExprMutationAnalyzer analyzer(then, m_e.context());
        for (const VarDecl* var : key_vars)
            for (const DeclRefExpr* ref : refs_to(*var, then, m_e.context()))
                if (!in_keys.contains(ref) && analyzer.isMutated(ref)) return;

        const std::string map = lookup.container->getName().str();
        const std::string it = "optiloop_found_" + std::to_string(m_e.sm().getSpellingLineNumber(if_stmt.getBeginLoc()));
        std::vector<core::Replacement> fix = {
            m_e.replace(cond.getSourceRange(), "auto " + it + " = " + map + ".find(" + key + "); " + it + " != " + map + ".end()")};
        for (const Expr* use : uses) {
            if (!m_e.editable(use->getSourceRange())) return;
            fix.push_back(m_e.replace(use->getSourceRange(), it + "->second"));
        }
        emit(cond.getBeginLoc(),
             "'" + map + "' is searched for " + key + " " + std::to_string(uses.size() + 1) + " times; find it once and use the iterator",
             std::move(fix));
    }

private:
    // Collects the m[key] and m.at(key) in s, key spelled the same and naming the same variables
    // (not a shadowing declaration); false when s uses the map any other way.
    bool only_lookups(const Stmt* s, const VarDecl* map, const std::string& key, const std::vector<const VarDecl*>& key_vars,
                      std::vector<const Expr*>& uses) {
        if (!s) return true;
        const Expr* object = nullptr;
        const Expr* argument = nullptr;
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s); op && op->getOperator() == OO_Subscript && op->getNumArgs() == 2) {
            object = op->getArg(0);
            argument = op->getArg(1);
        } else if (const auto* call = dyn_cast<CXXMemberCallExpr>(s); call && call->getNumArgs() == 1 && method_is(call, "at")) {
            object = call->getImplicitObjectArgument();
            argument = call->getArg(0);
        }
        if (const auto* ref = object ? dyn_cast<DeclRefExpr>(object->IgnoreImplicit()) : nullptr; ref && ref->getDecl() == map) {
            std::vector<const VarDecl*> vars;
            bool only_locals = true;
            collect_vars(argument, vars, only_locals);
            if (m_e.text(argument->getSourceRange()) != key || vars != key_vars) return false;
            uses.push_back(cast<Expr>(s));
            return !references_var(argument, map);
        }
        if (const auto* ref = dyn_cast<DeclRefExpr>(s); ref && ref->getDecl() == map) return false;
        for (const Stmt* child : s->children())
            if (!only_lookups(child, map, key, key_vars, uses)) return false;
        return true;
    }
};

}  // namespace

std::unique_ptr<Rule> map_double_lookup(const RuleSetup& setup) { return make_rule<MapDoubleLookup>(setup); }

}  // namespace optiloop::analyzer::rules

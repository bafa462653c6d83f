// The shared start of the rules that save a repeated search of a container (set-count-then-insert,
// map-double-lookup): an if whose condition asks whether a key is in a local container.
#pragma once

#include <initializer_list>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

// Whether var is one of the standard containers named (map, set, unordered_map, ...).
bool is_std_container(const clang::VarDecl* var, std::initializer_list<llvm::StringRef> names);

struct Membership {
    const clang::VarDecl* container = nullptr;
    const clang::Expr* key = nullptr;
    bool present = true;  // true when the condition holds for a key that is in the container
};

// A condition that asks whether key is in a container (a local or parameter): c.count(k) [!= 0,
// > 0, == 0], !c.count(k), c.find(k) != c.end(), c.find(k) == c.end().
Membership membership_test(const clang::Expr* cond);

// An if whose condition is a membership test (membership_test), with the then-branch: the shared
// match of the rules that save a repeated search of the container.
class MembershipIfRule : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        using namespace clang::ast_matchers;
        return ifStmt(hasCondition(expr().bind("cond")), hasThen(stmt().bind("then")), unless(hasInitStatement(anything())),
                      unless(hasConditionVariableStatement(anything())))
            .bind("if");
    }
    void run(const clang::ast_matchers::MatchFinder::MatchResult& r) override;

protected:
    virtual void check(const clang::IfStmt& if_stmt, const clang::Expr& cond, const clang::Stmt& then, const Membership& test) = 0;
};

}  // namespace optiloop::analyzer::rules

// The map-to-unordered rule: what it finds, why and when it stays silent are in analyzer/docs/rules/map-to-unordered.md.

#include <map>
#include <set>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class MapToUnordered : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        const auto string_type = hasCanonicalType(recordType(hasDeclaration(namedDecl(hasName("::std::basic_string")))));
        const auto ordered_map = classTemplateSpecializationDecl(
            hasName("::std::map"), hasTemplateArgument(0, refersToType(anyOf(isInteger(), string_type))),
            hasTemplateArgument(2, refersToType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasName("::std::less"))))))));
        return varDecl(unless(parmVarDecl()), hasType(hasCanonicalType(recordType(hasDeclaration(ordered_map)))))
            .bind("var");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        if (!m_e.editable(var->getLocation()) || !var->getTypeSourceInfo()) return;
        // `std::map<K, V> a, b;` spells one type for both: the change is made once, for the first of
        // them, and only when every one of them is used in an order-free way.
        std::vector<const VarDecl*> together = {var};
        auto parents = m_e.context().getParents(*var);
        if (const auto* ds = parents.size() == 1 ? parents[0].get<DeclStmt>() : nullptr; ds && !ds->isSingleDecl()) {
            together.clear();
            for (const Decl* d : ds->decls()) {
                const auto* v = dyn_cast<VarDecl>(d);
                if (!v) return;
                together.push_back(v);
            }
        } else if (!parents.empty() && !parents[0].get<DeclStmt>()) {
            together.clear();
            for (const Decl* other : var->getLexicalDeclContext()->decls())
                if (isa<DeclaratorDecl>(other) && other->getBeginLoc() == var->getBeginLoc()) {
                    const auto* v = dyn_cast<VarDecl>(other);
                    if (!v) return;
                    together.push_back(v);
                }
        }
        if (together.empty() || together.front() != var) return;
        // The type as written must be std::map<...> (not auto or a typedef).
        const auto name = template_name_as_written(*var);
        if (!name || !m_e.editable(*name) || m_e.text(*name) != "map") return;
        // Every use of every variable of the declaration must not depend on the order of the keys.
        for (const VarDecl* v : together) {
            if (v->getType().getCanonicalType() != var->getType().getCanonicalType()) return;  // e.g. `map<..> a, *b;`
            const auto refs = declRefExpr(to(varDecl(equalsNode(v)))).bind("ref");
            const auto* scope = dyn_cast_or_null<FunctionDecl>(v->getParentFunctionOrMethod());
            std::vector<const DeclRefExpr*> uses;
            if (scope && scope->getBody()) {
                uses = refs_to(*v, *scope->getBody(), m_e.context());
            } else {
                for (const auto& found : match_in_sources(refs, m_e.context(), m_e.sources())) uses.push_back(found.getNodeAs<DeclRefExpr>("ref"));
            }
            for (const DeclRefExpr* use : uses)
                if (!order_free_use(*use)) return;
        }
        std::vector<core::Replacement> fix = {m_e.replace(*name, "unordered_map")};
        if (auto include = m_e.include(var->getLocation(), "unordered_map")) fix.insert(fix.begin(), *include);
        std::string names;
        for (const VarDecl* v : together) names += (names.empty() ? "'" : ", '") + v->getName().str() + "'";
        emit(var->getLocation(),
             names + (together.size() > 1 ? " are" : " is") + " only looked up, never iterated in order; a hash map serves", std::move(fix));
    }

private:
    const Stmt* parent_ignoring_implicit(const Stmt& s) {
        return parent_through(m_e.context(), s, [](const Stmt& p) {
            return isa<ImplicitCastExpr, MaterializeTemporaryExpr, CXXBindTemporaryExpr, ExprWithCleanups, CXXConstructExpr, ParenExpr>(p);
        });
    }
    bool is_iterator_comparison(const Stmt* p) {
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(p))
            return op->getOperator() == OO_EqualEqual || op->getOperator() == OO_ExclaimEqual;
        if (const auto* op = dyn_cast_or_null<BinaryOperator>(p)) return op->isEqualityOp();
        return false;
    }
    bool order_free_use(const DeclRefExpr& ref) {
        const Stmt* p = parent_ignoring_implicit(ref);
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(p))
            return op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreImplicit() == &ref;
        const auto* member = dyn_cast_or_null<MemberExpr>(p);
        if (!member) return false;
        const std::string name = member->getMemberDecl()->getName().str();
        const Stmt* call = parent_stmt(m_e.context(), *member);
        if (!call || !isa<CXXMemberCallExpr>(call)) return false;
        const Stmt* use = parent_ignoring_implicit(*call);
        static const std::set<std::string> k_plain = {"count", "size", "empty", "clear", "at", "contains"};
        if (k_plain.count(name)) return true;
        if (name == "find" || name == "end") {
            if (is_iterator_comparison(use)) return true;
            // m.find(k)->second
            if (const auto* arrow = dyn_cast_or_null<CXXOperatorCallExpr>(use); arrow && arrow->getOperator() == OO_Arrow) return true;
            return false;
        }
        if (name == "erase") {
            const auto* c = cast<CXXMemberCallExpr>(call);
            return c->getNumArgs() == 1 && !isa<CXXMemberCallExpr>(c->getArg(0)->IgnoreImplicit()) &&
                   (c->getArg(0)->getType()->isIntegerType() ||
                    !match(qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasName("::std::basic_string")))))), c->getArg(0)->getType(), m_e.context()).empty());
        }
        if (name == "insert" || name == "emplace" || name == "try_emplace") {
            // The result unused, or only its .second (whether it was inserted).
            if (!use || isa<CompoundStmt>(use)) return true;
            if (const auto* m = dyn_cast<MemberExpr>(use)) return m->getMemberDecl()->getName() == "second";
            return false;
        }
        return false;
    }
};

}  // namespace

std::unique_ptr<Rule> map_to_unordered(const RuleSetup& setup) { return make_rule<MapToUnordered>(setup); }

}  // namespace optiloop::analyzer::rules

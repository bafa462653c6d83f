// The set-linear-search rule: what it finds, why and when it stays silent are in analyzer/docs/rules/set-linear-search.md.

#include <algorithm>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// std::lower_bound(s.begin(), s.end(), x) and its kin on a std::set or multiset: the set's
// member does the same search on the tree. The answers agree when the set orders by std::less
// (what the algorithms use, operator<), and x compares with the keys as it would converted to
// the key type (the same type, an integer that converts without loss, a C string for a string
// key). find and count test ==, which for integers and strings is the set's equivalence.
class SetLinearSearch : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return callExpr(callee(functionDecl(hasAnyName("::std::lower_bound", "::std::upper_bound", "::std::equal_range", "::std::binary_search",
                                                       "::std::find", "::std::count"))),
                        argumentCountIs(3))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        ASTContext& ctx = m_e.context();
        if (!m_e.editable(call->getSourceRange())) return;
        const auto* first = dyn_cast<CXXMemberCallExpr>(call->getArg(0)->IgnoreImplicit()->IgnoreParens());
        const auto* last = dyn_cast<CXXMemberCallExpr>(call->getArg(1)->IgnoreImplicit()->IgnoreParens());
        if (!first || !last || first->getNumArgs() != 0 || last->getNumArgs() != 0) return;
        if (!(method_is(first, "begin") && method_is(last, "end")) && !(method_is(first, "cbegin") && method_is(last, "cend"))) return;
        const auto* member = dyn_cast<MemberExpr>(first->getCallee()->IgnoreParens());
        const auto* last_member = dyn_cast<MemberExpr>(last->getCallee()->IgnoreParens());
        if (!member || !last_member || member->isArrow() != last_member->isArrow() ||
            !same_expr(member->getBase(), last_member->getBase(), ctx) || !repeatable(member->getBase(), ctx))
            return;
        QualType set_type = member->getBase()->getType();
        if (member->isArrow()) set_type = set_type->getPointeeType();
        const auto* set = dyn_cast_or_null<ClassTemplateSpecializationDecl>(set_type.getNonReferenceType()->getAsCXXRecordDecl());
        if (!set || !set->isInStdNamespace() || (set->getName() != "set" && set->getName() != "multiset")) return;
        const TemplateArgumentList& args = set->getTemplateArgs();
        if (args.size() < 2 || args[0].getKind() != TemplateArgument::Type || args[1].getKind() != TemplateArgument::Type) return;
        const QualType key = args[0].getAsType().getCanonicalType().getUnqualifiedType();
        const auto* compare = dyn_cast_or_null<ClassTemplateSpecializationDecl>(args[1].getAsType()->getAsCXXRecordDecl());
        if (!compare || !compare->isInStdNamespace() || compare->getName() != "less" || compare->getTemplateArgs().size() != 1) return;
        const QualType compared = compare->getTemplateArgs()[0].getAsType().getCanonicalType();
        if (compared != key && !compared->isVoidType()) return;

        const std::string algorithm = call->getDirectCallee()->getName().str();
        const Expr* value = call->getArg(2)->IgnoreParenImpCasts();
        const bool equality = algorithm == "find" || algorithm == "count";
        if (!comparable(key, value->getType().getCanonicalType().getUnqualifiedType(), equality)) return;

        const std::string object = m_e.text(member->getBase()->getSourceRange()) + (member->isArrow() ? "->" : ".");
        const std::string x = m_e.text(call->getArg(2)->getSourceRange());
        std::string with;
        if (algorithm == "binary_search") with = "(" + object + "find(" + x + ") != " + object + "end())";
        else if (algorithm == "count") with = "static_cast<std::ptrdiff_t>(" + object + "count(" + x + "))";
        else with = object + algorithm + "(" + x + ")";
        emit(call->getBeginLoc(),
             "std::" + algorithm + " over a " + set->getName().str() + "'s iterators walks it one node at a time; " + with +
                 " searches its tree",
             {m_e.replace(call->getSourceRange(), with)});
    }

private:
    // Whether comparing a key with a value of type `value` (by <, or by == when `equality`) gives
    // what comparing it with the value converted to the key type gives.
    bool comparable(QualType key, QualType value, bool equality) {
        ASTContext& ctx = m_e.context();
        const auto* record = key->getAsCXXRecordDecl();
        const bool string_key = record && record->isInStdNamespace() && record->getName() == "basic_string";
        if (key->isEnumeralType() || key->isBooleanType()) return value == key;
        if (string_key) {
            // std::string itself: compared with a C string it compares as the string it would
            // convert to.
            if (!is_std_string(key, ctx)) return false;
            if (value == key) return true;
            QualType element;
            if (value->isPointerType()) element = value->getPointeeType();
            else if (const ArrayType* array = ctx.getAsArrayType(value)) element = array->getElementType();
            return !element.isNull() && element.getCanonicalType().getUnqualifiedType() == ctx.CharTy;
        }
        // Floating-point keys and pointers: < is what std::less uses; == is not equivalence (NaN).
        if (!key->isIntegerType()) return !equality && value == key && key->isScalarType();
        if (!value->isIntegerType() || value->isBooleanType() || value->isEnumeralType()) return false;
        const unsigned key_width = ctx.getIntWidth(key), value_width = ctx.getIntWidth(value);
        const bool key_signed = key->isSignedIntegerType(), value_signed = value->isSignedIntegerType();
        return (key_signed == value_signed && value_width <= key_width) || (!value_signed && key_signed && value_width < key_width);
    }
};

}  // namespace

std::unique_ptr<Rule> set_linear_search(const RuleSetup& setup) { return make_rule<SetLinearSearch>(setup); }

}  // namespace optiloop::analyzer::rules

// The pow-integer-exponent rule: what it finds, why and when it stays silent are in analyzer/docs/rules/pow-integer-exponent.md.

#include <optional>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

// pow(x, n) where x and n hold whole numbers (integers converted to double, or the absolute
// value of one): optiloop_ipow multiplies while the product stays below 2^53 in magnitude,
// where every product of whole numbers is exact, and calls pow otherwise. pow returns a result
// that is representable exactly (glibc's is correctly rounded in that case, and the test
// PowIntegerExponent.HelperAgreesWithPowOnThisMachine checks it over a sweep), so the two agree.
class PowIntegerExponent : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return callExpr(callee(functionDecl(hasAnyName("::pow", "::std::pow"))), argumentCountIs(2)).bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        if (!m_e.editable(call->getSourceRange()) || !call->getType()->isSpecificBuiltinType(BuiltinType::Double)) return;
        const Expr* exponent = call->getArg(1)->IgnoreParenImpCasts();
        if (!exponent->getType()->isIntegerType() || exponent->getType()->isBooleanType()) return;
        // pow(x, 2) is pow-square's (x * x, one multiplication).
        if (const auto* literal = dyn_cast<IntegerLiteral>(exponent); literal && literal->getValue() == 2) return;
        if (!whole(call->getArg(0))) return;
        const auto where = helper_place(*call);
        if (!where || m_e.file_text(call->getBeginLoc()).contains("optiloop_ipow")) return;
        const Expr* callee = call->getCallee()->IgnoreParenImpCasts();
        if (!m_e.editable(callee->getSourceRange())) return;
        static const std::string helper =
            "// pow(x, n) for whole x and n: exact products below 2^53 are what pow returns.\n"
            "static inline double optiloop_ipow(double x, double n) {\n"
            "    if (n >= 0 && n <= 64) {\n"
            "        double r = 1;\n"
            "        for (int k = 0; k < (int)n; ++k) {\n"
            "            r *= x;\n"
            "            if (!(r < 9007199254740992.0 && r > -9007199254740992.0)) return ::pow(x, n);\n"
            "        }\n"
            "        return r;\n"
            "    }\n"
            "    return ::pow(x, n);\n"
            "}\n\n";
        emit(call->getBeginLoc(),
             m_e.text(call->getSourceRange()) + " raises a whole number to a whole power through the general pow; multiplied out while exact it is the same double",
             {m_e.insert_before(*where, helper), m_e.replace(callee->getSourceRange(), "optiloop_ipow")});
    }

private:
    // Whether e's value is a whole number: an integer (converted), an integral literal, or the
    // absolute value of one.
    static bool whole(const Expr* e) {
        e = e->IgnoreParens();
        const Expr* inner = e->IgnoreParenImpCasts();
        if (inner->getType()->isIntegerType() && !inner->getType()->isBooleanType()) return true;
        if (const auto* literal = dyn_cast<FloatingLiteral>(inner)) {
            const llvm::APFloat value = literal->getValue();
            return value.isInteger() && value.isFinite();
        }
        if (const auto* cast_expr = dyn_cast<ExplicitCastExpr>(inner); cast_expr && cast_expr->getType()->isSpecificBuiltinType(BuiltinType::Double))
            return whole(cast_expr->getSubExpr());
        if (const auto* c = dyn_cast<CallExpr>(inner); c && c->getNumArgs() == 1 && c->getDirectCallee() && c->getDirectCallee()->getIdentifier()) {
            const StringRef name = c->getDirectCallee()->getName();
            const DeclContext* where = c->getDirectCallee()->getDeclContext()->getRedeclContext();
            if ((where->isTranslationUnit() || where->isStdNamespace()) && (name == "fabs" || name == "abs" || name == "labs" || name == "llabs"))
                return whole(c->getArg(0));
        }
        return false;
    }

    // One place for the helper, the same for every call in the file (so that the fixes of
    // several calls insert it once): before the first top-level declaration written after the
    // file's last #include.
    std::optional<SourceLocation> helper_place(const CallExpr& call) {
        const SourceManager& sm = m_e.sm();
        const SourceLocation at = sm.getSpellingLoc(call.getBeginLoc());
        const FileID file = sm.getFileID(at);
        const StringRef text = sm.getBufferData(file);
        std::size_t last_include = 0;
        for (std::size_t pos = text.find("#include"); pos != StringRef::npos; pos = text.find("#include", pos + 1)) last_include = pos;
        for (const Decl* d : m_e.context().getTranslationUnitDecl()->decls()) {
            const SourceLocation begin = d->getBeginLoc();
            if (begin.isInvalid() || begin.isMacroID() || sm.getFileID(begin) != file || d->isImplicit()) continue;
            if (sm.getFileOffset(begin) <= last_include) continue;
            if (sm.isBeforeInTranslationUnit(at, begin)) return std::nullopt;
            return begin;
        }
        return std::nullopt;
    }
};

}  // namespace

std::unique_ptr<Rule> pow_integer_exponent(const RuleSetup& setup) { return make_rule<PowIntegerExponent>(setup); }

}  // namespace optiloop::analyzer::rules

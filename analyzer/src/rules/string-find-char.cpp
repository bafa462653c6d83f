// The string-find-char rule: what it finds, why and when it stays silent are in analyzer/docs/rules/string-find-char.md.

#include <cstdio>

#include "rules/rule.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;
using namespace clang::ast_matchers;

namespace {

class StringFindChar : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxMemberCallExpr(callee(cxxMethodDecl(hasAnyName("find", "rfind", "find_first_of", "find_last_of"),
                                                      ofClass(hasName("::std::basic_string")))),
                                 hasArgument(0, ignoringParenImpCasts(stringLiteral().bind("literal"))))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CXXMemberCallExpr>("call");
        const auto* literal = r.Nodes.getNodeAs<StringLiteral>("literal");
        // The (const char*, pos) overload: a third argument would be a length.
        unsigned written = 0;
        for (const Expr* arg : call->arguments())
            if (!isa<CXXDefaultArgExpr>(arg)) ++written;
        if (written < 1 || written > 2) return;
        const CXXMethodDecl* method = call->getMethodDecl();
        if (!method || method->getNumParams() != 2 || !method->getParamDecl(0)->getType()->isPointerType()) return;
        // One char, not '\0' (find("\0") measures an empty string and matches at pos).
        if (!literal->isOrdinary() || literal->getLength() != 1 || literal->getCodeUnit(0) == 0) return;
        if (!m_e.editable(literal->getSourceRange())) return;
        const std::string ch = char_literal(static_cast<unsigned char>(literal->getCodeUnit(0)));
        emit(literal->getBeginLoc(),
             method->getName().str() + " with a one-character string runs the substring search; pass the char " + ch,
             {m_e.replace(literal->getSourceRange(), ch)});
    }

private:
    static std::string char_literal(unsigned char c) {
        switch (c) {
            case '\n': return "'\\n'";
            case '\t': return "'\\t'";
            case '\r': return "'\\r'";
            case '\'': return "'\\''";
            case '\\': return "'\\\\'";
            default: break;
        }
        if (c >= 0x20 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
        char octal[8];
        std::snprintf(octal, sizeof octal, "'\\%03o'", static_cast<unsigned>(c));
        return octal;
    }
};

}  // namespace

std::unique_ptr<Rule> string_find_char(const RuleSetup& setup) { return make_rule<StringFindChar>(setup); }

}  // namespace optiloop::analyzer::rules

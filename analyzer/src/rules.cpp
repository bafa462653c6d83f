// The rule catalogue. Every rule proves its precondition on the AST or stays silent; every
// candidate it produces is still verified by the runner like any other.

#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/AST/StmtOpenMP.h>
#include <clang/ASTMatchers/ASTMatchFinder.h>
#include <clang/ASTMatchers/ASTMatchers.h>
#include <clang/Analysis/Analyses/ExprMutationAnalyzer.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>

#include "rules.hpp"

namespace optiloop::analyzer {

using namespace clang;
using namespace clang::ast_matchers;

const std::vector<RuleInfo>& rule_catalogue() {
    static const std::vector<RuleInfo> rules = {
        {"endl-in-loop", "io", "std::endl flushes the stream on every iteration; '\\n' writes the same bytes and lets the buffer work"},
        {"iostream-sync", "io", "iostreams synchronised with C stdio go through it character by character; sync_with_stdio(false) and an untied cin remove that cost when the program does not mix the two"},
        {"string-concat-assign", "io", "s = s + t builds a new string and copies s every time; s += t appends in place"},
        {"by-value-param", "data-structures", "a container or string parameter taken by value and only read is copied on every call; const& reads the caller's object"},
        {"range-for-copy", "data-structures", "a range-for variable of a heavy type copies every element; const auto& reads it in place when the body does not change it"},
        {"map-to-unordered", "data-structures", "a std::map keyed by integers or strings that is never iterated in order pays O(log n) comparisons per access; std::unordered_map hashes in O(1)"},
        {"container-in-loop", "data-structures", "a container created inside a loop allocates and frees its storage every iteration; created once before the loop and cleared, it reuses it"},
        {"vector-reserve", "data-structures", "push_back in a counted loop grows the vector by repeated reallocation and copying; reserve allocates once"},
        {"invariant-call-in-condition", "low-level", "strlen or sqrt of an unchanged value in a loop condition is recomputed on every iteration; hoisted, it is computed once (for a string the loop writes one char at a time, the length is kept and updated at those writes)"},
        {"pow-square", "low-level", "pow(x, 2) calls the general power function; x * x is one multiplication with the same result"},
        {"pow-integer-exponent", "low-level", "pow(x, n) of whole numbers goes through the general logarithm-based power function; while the product stays exact (below 2^53) repeated multiplication gives the same double in a few instructions"},
        {"substr-compare", "low-level", "comparing s.substr(p, n) builds a temporary string; s.compare(p, n, t) compares in place with the same result"},
        {"unnecessary-copy", "data-structures", "a local copy of a container or string that is only read, of an object that does not change, copies every element for nothing; a const& reads the original"},
        {"string-find-char", "low-level", "s.find(\"a\") measures a one-character C string and runs the substring search; s.find('a') scans for the char directly"},
        {"emplace-back-temporary", "data-structures", "push_back(T(args)) builds a temporary and moves it into the container; emplace_back(args) builds the element in place"},
        {"post-increment-iterator", "low-level", "it++ on a class-type iterator copies the iterator to return its old value; ++it does not, and an unused result makes them the same"},
        {"set-count-then-insert", "data-structures", "if (!s.count(x)) { s.insert(x); ... } searches the set for x twice; insert(x).second says whether x was new with one search"},
        {"stream-in-loop", "io", "an istringstream built from a string on every iteration constructs its locale and buffers each time; one stream made before the loop and reset with clear() and str(s) reads the same"},
        {"invariant-call-in-loop", "low-level", "a math function (exp, log, sqrt, pow, sin, ...) of values the loop never changes is recomputed on every iteration, and the compiler may not hoist it (errno); computed once before the loop it gives the same value"},
        {"map-double-lookup", "data-structures", "if (m.count(k)) ... m[k] searches the map for k twice (or more); one find and the iterator it returns search once"},
        {"loop-interchange", "low-level", "a loop nest whose inner loop walks down the columns of a 2-D array touches a new row on every step and cannot be vectorised; with the loops swapped it walks along the rows, and when no iteration depends on another the results are the same"},
        {"popcount-loop", "low-level", "a loop that counts set bits one at a time runs once per bit; __builtin_popcount counts them at once, in one instruction where the CPU has popcnt"},
        {"vector-as-queue", "data-structures", "v.erase(v.begin()) moves every other element of a vector one place down; a deque removes its front in O(1) and otherwise serves the same calls"},
        {"modulo-in-loop", "low-level", "i % k in a counted loop divides on every iteration (tens of cycles each); walking i in blocks of k makes i % k and i / k counters, and the inner loop over a block can be vectorised"},
        {"set-linear-search", "data-structures", "std::lower_bound, upper_bound, equal_range, binary_search, find or count over a set's iterators steps through the set node by node (they are not random access), O(n) per call; the set's own member searches its tree in O(log n)"},
        {"at-in-bounds", "low-level", "v.at(i) checks i against the size on every access and keeps the loop from being vectorised; where the loop's bounds (and any if around the access) prove i is in range, v[i] reads the same element"},
        {"to-string-digits", "low-level", "a std::string made by std::to_string and then only read char by char allocates on the heap for a number longer than its inline buffer (15 chars in libstdc++); std::to_chars into a stack buffer, seen through a string_view, gives the same chars without allocating"},
        {"find-char-table", "data-structures", "s.find(c) for a char in a loop that never changes s scans s on every call; a 256-entry table of each char's first position, made once before the loop, answers the same in one load"},
        {"list-to-vector", "data-structures", "a std::list only appended to and walked forward pays a heap node per element and a pointer chase per step (std::next is O(k)); a vector stores them side by side, when no iterator or reference to an element is alive while it grows"},
        {"branch-to-select", "low-level", "an if / else-if chain that only chooses a variable's value (and counts how often) is a branch per element; as a conditional expression and a sum of comparisons it has none, and the loop around it can be vectorised"},
    };
    return rules;
}

namespace {

auto heavy_type() {
    return qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasAnyName(
        "::std::vector", "::std::basic_string", "::std::map", "::std::set", "::std::unordered_map",
        "::std::unordered_set", "::std::deque", "::std::list", "::std::multimap", "::std::multiset"))))));
}

// The locals of fn that another name may reach: whose address is kept (taken other than as a
// call's argument, as for scanf), to which a non-const reference is bound, or which a lambda
// captures by reference. A write through such a name does not name the variable, so the
// mutation analysis of a loop does not see it.
std::set<const VarDecl*> aliased_locals(const FunctionDecl& fn, ASTContext& ctx) {
    std::set<const VarDecl*> out;
    if (!fn.getBody()) return out;
    const auto ref = declRefExpr(to(varDecl().bind("var")));
    const auto kept_address = unaryOperator(hasOperatorName("&"), hasUnaryOperand(ignoringParenImpCasts(ref)), unless(hasParent(callExpr())),
                                            unless(hasParent(implicitCastExpr(hasParent(callExpr())))));
    const auto bound = varDecl(unless(isImplicit()), hasType(referenceType(pointee(unless(isConstQualified())))),
                               hasInitializer(ignoringParenImpCasts(ref)));
    for (const auto& found : match(traverse(TK_AsIs, stmt(forEachDescendant(stmt(anyOf(kept_address, declStmt(has(bound))))))), *fn.getBody(), ctx))
        out.insert(found.getNodeAs<VarDecl>("var"));
    for (const auto& found : match(traverse(TK_AsIs, stmt(forEachDescendant(lambdaExpr().bind("lambda")))), *fn.getBody(), ctx))
        for (const LambdaCapture& capture : found.getNodeAs<LambdaExpr>("lambda")->captures())
            if (capture.capturesVariable() && capture.getCaptureKind() == LCK_ByRef)
                if (const auto* var = dyn_cast<VarDecl>(capture.getCapturedVar())) out.insert(var);
    return out;
}

const Stmt* loop_body(const Stmt* s);

// Shared services of the rules: where edits may go and how to make them.
class Emitter {
public:
    Emitter(ASTContext& context, const SourceMap& sources, const AnalyzeOptions& options, std::vector<Finding>& out)
        : m_context(context), m_sm(context.getSourceManager()), m_sources(sources), m_options(options), m_out(out) {}

    ASTContext& context() { return m_context; }
    const SourceMap& sources() const { return m_sources; }
    const SourceManager& sm() const { return m_sm; }

    bool enabled(const std::string& rule) const {
        return m_options.rules.empty() ||
               std::find(m_options.rules.begin(), m_options.rules.end(), rule) != m_options.rules.end();
    }

    // A location we may edit: in the sources, not in a macro, not in a fixed file.
    bool editable(SourceLocation loc) const {
        if (loc.isInvalid() || loc.isMacroID()) return false;
        const std::string file = m_sources.relative(m_sm, loc);
        if (file.empty()) return false;
        return std::find(m_options.fixed_files.begin(), m_options.fixed_files.end(), file) == m_options.fixed_files.end();
    }
    bool editable(SourceRange range) const { return editable(range.getBegin()) && editable(range.getEnd()); }

    std::string text(SourceRange range) const {
        return Lexer::getSourceText(CharSourceRange::getTokenRange(range), m_sm, m_context.getLangOpts()).str();
    }

    core::Replacement replace(SourceRange token_range, std::string with) const {
        const SourceLocation begin = m_sm.getSpellingLoc(token_range.getBegin());
        const SourceLocation end = Lexer::getLocForEndOfToken(m_sm.getSpellingLoc(token_range.getEnd()), 0, m_sm, m_context.getLangOpts());
        const unsigned b = m_sm.getFileOffset(begin), e = m_sm.getFileOffset(end);
        return {m_sources.relative(m_sm, begin), b, e - b, std::move(with)};
    }
    core::Replacement insert_before(SourceLocation loc, std::string text) const {
        loc = m_sm.getSpellingLoc(loc);
        return {m_sources.relative(m_sm, loc), m_sm.getFileOffset(loc), 0, std::move(text)};
    }
    core::Replacement insert_after_token(SourceLocation loc, std::string text) const {
        const SourceLocation end = Lexer::getLocForEndOfToken(m_sm.getSpellingLoc(loc), 0, m_sm, m_context.getLangOpts());
        return {m_sources.relative(m_sm, end), m_sm.getFileOffset(end), 0, std::move(text)};
    }

    // Removes the expression statement s with its ';', and its line when nothing else is on it.
    std::optional<core::Replacement> remove_statement(const Stmt& s) const {
        const SourceLocation begin = m_sm.getSpellingLoc(s.getBeginLoc());
        const SourceLocation after =
            Lexer::findLocationAfterToken(m_sm.getSpellingLoc(s.getEndLoc()), tok::semi, m_sm, m_context.getLangOpts(), true);
        if (after.isInvalid()) return std::nullopt;
        const StringRef buffer = m_sm.getBufferData(m_sm.getFileID(begin));
        unsigned b = m_sm.getFileOffset(begin);
        const unsigned e = m_sm.getFileOffset(after);
        unsigned line_start = b;
        while (line_start > 0 && (buffer[line_start - 1] == ' ' || buffer[line_start - 1] == '\t')) --line_start;
        if (line_start == 0 || buffer[line_start - 1] == '\n') b = line_start;
        return core::Replacement{m_sources.relative(m_sm, begin), b, e - b, ""};
    }

    // Inserts text just after the statement s: after the ';' that ends it, when one follows its
    // last token (an expression statement, a loop whose body is one), else after that token.
    core::Replacement insert_after_statement(const Stmt& s, std::string text) const {
        const SourceLocation last = m_sm.getSpellingLoc(s.getEndLoc());
        SourceLocation after = Lexer::findLocationAfterToken(last, tok::semi, m_sm, m_context.getLangOpts(), false);
        if (after.isInvalid()) after = Lexer::getLocForEndOfToken(last, 0, m_sm, m_context.getLangOpts());
        return {m_sources.relative(m_sm, after), m_sm.getFileOffset(after), 0, std::move(text)};
    }

    // The whitespace before the statement at loc, to indent an inserted line like it.
    std::string indent_of(SourceLocation loc) const {
        loc = m_sm.getSpellingLoc(loc);
        const StringRef buffer = m_sm.getBufferData(m_sm.getFileID(loc));
        unsigned offset = m_sm.getFileOffset(loc);
        unsigned start = offset;
        while (start > 0 && buffer[start - 1] != '\n') --start;
        std::string indent;
        for (unsigned i = start; i < offset && (buffer[i] == ' ' || buffer[i] == '\t'); ++i) indent += buffer[i];
        return indent;
    }

    // For a statement that is the lone body of a header (for (...), while (...), if (...), else)
    // and has a line of its own: the two edits that give it a block laid out as a person would,
    // " {" ending the header's line and "}" on a line under the header, after the statement. None
    // when it shares its line, or a comment ends the header's line (it would swallow the brace).
    std::optional<std::pair<core::Replacement, core::Replacement>> braces_around(const Stmt& s) {
        const auto parents = m_context.getParents(s);
        const Stmt* parent = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
        if (!parent) return std::nullopt;
        const SourceLocation begin = m_sm.getSpellingLoc(s.getBeginLoc());
        const StringRef text = file_text(begin);
        unsigned line_start = m_sm.getFileOffset(begin);
        while (line_start > 0 && (text[line_start - 1] == ' ' || text[line_start - 1] == '\t')) --line_start;
        if (line_start == 0 || text[line_start - 1] != '\n') return std::nullopt;
        unsigned header_end = line_start - 1;  // the newline ending the header's line
        while (header_end > 0 && (text[header_end - 1] == ' ' || text[header_end - 1] == '\t')) --header_end;
        if (header_end > 0 && text[header_end - 1] == '\r') return std::nullopt;
        unsigned header_start = header_end;
        while (header_start > 0 && text[header_start - 1] != '\n') --header_start;
        const StringRef header = text.slice(header_start, header_end);
        if (header.contains("//") || header.ends_with("*/")) return std::nullopt;
        return std::pair{core::Replacement{m_sources.relative(m_sm, begin), header_end, 0, " {"},
                         insert_after_statement(s, "\n" + indent_of(parent->getBeginLoc()) + "}")};
    }

    // `#include <header>` at the top of loc's file, unless the file includes it (or
    // <bits/stdc++.h>) already.
    std::optional<core::Replacement> include(SourceLocation loc, const std::string& header) const {
        const StringRef file = file_text(loc);
        if (file.contains("<" + header + ">") || file.contains("<bits/stdc++.h>")) return std::nullopt;
        core::Replacement line = insert_before(loc, "#include <" + header + ">\n");
        line.offset = 0;
        return line;
    }

    StringRef file_text(SourceLocation loc) const { return m_sm.getBufferData(m_sm.getFileID(m_sm.getSpellingLoc(loc))); }

    void emit(const std::string& rule, SourceLocation at, std::string message, std::vector<core::Replacement> fix) {
        const SourceLocation loc = m_sm.getSpellingLoc(at);
        Finding f;
        f.rule = rule;
        f.file = m_sources.relative(m_sm, loc);
        f.line = m_sm.getSpellingLineNumber(loc);
        f.column = m_sm.getSpellingColumnNumber(loc);
        f.message = std::move(message);
        f.fix = std::move(fix);
        // One finding per place and rule (templates instantiate the same code more than once).
        for (const auto& existing : m_out)
            if (existing.rule == f.rule && existing.file == f.file && existing.line == f.line && existing.column == f.column)
                return;
        m_out.push_back(std::move(f));
    }

    // Whether another name may reach the local var (see aliased_locals), worked out once per function.
    bool aliased(const VarDecl* var) {
        const auto* fn = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
        if (!fn) return true;
        auto it = m_aliased.find(fn);
        if (it == m_aliased.end()) it = m_aliased.emplace(fn, aliased_locals(*fn, m_context)).first;
        return it->second.contains(var);
    }

    // The offset just past statement s: after its ';' when the last statement in it is not a
    // block (an expression statement, a loop or if whose last branch is one), else after its '}'.
    std::optional<unsigned> end_offset(const Stmt& s) const {
        const Stmt* last = &s;
        for (;;) {
            if (const auto* branch = dyn_cast<IfStmt>(last)) last = branch->getElse() ? branch->getElse() : branch->getThen();
            else if (const Stmt* body = loop_body(last)) last = body;
            else break;
        }
        const LangOptions& lang = m_context.getLangOpts();
        const SourceLocation end = m_sm.getSpellingLoc(s.getEndLoc());
        SourceLocation after = isa<CompoundStmt>(last) ? SourceLocation() : Lexer::findLocationAfterToken(end, tok::semi, m_sm, lang, false);
        if (after.isInvalid()) after = Lexer::getLocForEndOfToken(end, 0, m_sm, lang);
        if (after.isInvalid()) return std::nullopt;
        return m_sm.getFileOffset(after);
    }

    // The statement's parent when it is a compound statement (so a line can go before it).
    const CompoundStmt* compound_parent(const Stmt& s) {
        auto parents = m_context.getParents(s);
        if (parents.size() != 1) return nullptr;
        return parents[0].get<CompoundStmt>();
    }

private:
    ASTContext& m_context;
    const SourceManager& m_sm;
    const SourceMap& m_sources;
    const AnalyzeOptions& m_options;
    std::vector<Finding>& m_out;
    std::map<const FunctionDecl*, std::set<const VarDecl*>> m_aliased;
};

const FunctionDecl* enclosing_function(ASTContext& ctx, const Stmt& s) {
    DynTypedNodeList parents = ctx.getParents(s);
    while (!parents.empty()) {
        if (const auto* fn = parents[0].get<FunctionDecl>()) return fn;
        if (const auto* st = parents[0].get<Stmt>()) parents = ctx.getParents(*st);
        else if (const auto* d = parents[0].get<Decl>()) parents = ctx.getParents(*d);
        else break;
    }
    return nullptr;
}

// Inserts "const " before and "&" after a declaration's type (unless already const).
std::vector<core::Replacement> make_const_ref(Emitter& e, const DeclaratorDecl& decl) {
    const TypeSourceInfo* tsi = decl.getTypeSourceInfo();
    if (!tsi) return {};
    const TypeLoc tl = tsi->getTypeLoc();
    if (!e.editable(tl.getSourceRange())) return {};
    std::vector<core::Replacement> fix;
    if (!decl.getType().isConstQualified()) fix.push_back(e.insert_before(tl.getBeginLoc(), "const "));
    fix.push_back(e.insert_after_token(tl.getEndLoc(), "&"));
    return fix;
}

bool method_is(const CXXMemberCallExpr* call, StringRef name) {
    const CXXMethodDecl* method = call->getMethodDecl();
    return method && method->getIdentifier() && method->getName() == name;
}

// Whether evaluating e twice gives what evaluating it once does and changes nothing: no side
// effects, where reading an element of a standard sequence (v[i] on a vector, array, deque,
// string, string_view or span) or a standard container's size (size(), length(), empty())
// counts as none, though it is a call, alone or inside operators and casts.
bool repeatable(const Expr* e, ASTContext& context) {
    e = e->IgnoreParenImpCasts();
    if (const auto* call = dyn_cast<CXXMemberCallExpr>(e); call && call->getNumArgs() == 0 && call->getMethodDecl() &&
                                                          call->getMethodDecl()->getParent()->isInStdNamespace() &&
                                                          (method_is(call, "size") || method_is(call, "length") || method_is(call, "empty")))
        return repeatable(call->getImplicitObjectArgument(), context);
    if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e)) {
        if (op->getOperator() != OO_Subscript || op->getNumArgs() != 2) return false;
        const auto* record = op->getArg(0)->getType().getNonReferenceType()->getAsCXXRecordDecl();
        if (!record || !record->isInStdNamespace()) return false;
        static const std::set<std::string> sequences = {"vector", "array", "deque", "basic_string", "basic_string_view", "span"};
        return sequences.contains(record->getName().str()) && repeatable(op->getArg(0), context) && repeatable(op->getArg(1), context);
    }
    if (const auto* member = dyn_cast<MemberExpr>(e); member && isa<FieldDecl>(member->getMemberDecl()))
        return repeatable(member->getBase(), context);
    if (!e->HasSideEffects(context)) return true;
    // Arithmetic, comparisons, casts and ?: over such reads, as in a[i][k] * b[k][j].
    const auto* binary = dyn_cast<BinaryOperator>(e);
    const auto* unary = dyn_cast<UnaryOperator>(e);
    if ((binary && !binary->isAssignmentOp()) || (unary && !unary->isIncrementDecrementOp() && unary->getOpcode() != UO_Coawait) ||
        isa<ConditionalOperator>(e) || isa<ExplicitCastExpr>(e))
        return std::all_of(e->child_begin(), e->child_end(), [&](const Stmt* child) { return repeatable(cast<Expr>(child), context); });
    return false;
}

// The local (or parameter) a member call is made on.
const VarDecl* object_var(const CXXMemberCallExpr* call) {
    const Expr* object = call->getImplicitObjectArgument();
    const auto* ref = object ? dyn_cast<DeclRefExpr>(object->IgnoreImplicit()) : nullptr;
    const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    return var && var->hasLocalStorage() ? var : nullptr;
}

// A loop's body; null for a statement that is not a loop.
const Stmt* loop_body(const Stmt* s) {
    if (const auto* f = dyn_cast<ForStmt>(s)) return f->getBody();
    if (const auto* w = dyn_cast<WhileStmt>(s)) return w->getBody();
    if (const auto* d = dyn_cast<DoStmt>(s)) return d->getBody();
    if (const auto* rf = dyn_cast<CXXForRangeStmt>(s)) return rf->getBody();
    return nullptr;
}

bool references_var(const Stmt* s, const VarDecl* var) {
    if (!s) return false;
    if (const auto* ref = dyn_cast<DeclRefExpr>(s))
        if (ref->getDecl() == var) return true;
    for (const Stmt* child : s->children())
        if (references_var(child, var)) return true;
    return false;
}

void collect_vars(const Stmt* s, std::vector<const VarDecl*>& vars, bool& only_locals) {
    if (!s) return;
    if (const auto* ref = dyn_cast<DeclRefExpr>(s)) {
        if (const auto* var = dyn_cast<VarDecl>(ref->getDecl())) {
            if (!var->hasLocalStorage()) only_locals = false;
            vars.push_back(var);
        } else if (!isa<FunctionDecl>(ref->getDecl()) && !isa<EnumConstantDecl>(ref->getDecl())) {
            only_locals = false;
        }
    }
    for (const Stmt* child : s->children()) collect_vars(child, vars, only_locals);
}

// True when the variable is only read in scope. Calling a non-const accessor (operator[], at,
// front, back) counts as a read when what it returns is itself only read: the const overload
// would have served.
bool only_read(ASTContext& ctx, const VarDecl* var, const Stmt& scope) {
    ExprMutationAnalyzer analyzer(scope, ctx);
    if (!analyzer.isMutated(var)) return true;
    auto parent_of = [&](const Stmt& s) -> const Stmt* {
        auto parents = ctx.getParents(s);
        const Stmt* p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
        while (p && (isa<ImplicitCastExpr>(p) || isa<ParenExpr>(p))) {
            parents = ctx.getParents(*p);
            p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
        }
        return p;
    };
    for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(var)))).bind("ref")), const_cast<Stmt&>(scope), ctx)) {
        const auto* ref = found.getNodeAs<DeclRefExpr>("ref");
        if (!analyzer.isMutated(ref)) continue;
        const Stmt* parent = parent_of(*ref);
        const Expr* access = nullptr;
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent); op && op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreImplicit() == ref)
            access = op;
        if (const auto* member = dyn_cast_or_null<MemberExpr>(parent)) {
            const std::string name = member->getMemberDecl()->getName().str();
            if (name == "at" || name == "front" || name == "back")
                if (const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(parent_of(*member))) access = call;
        }
        if (!access || analyzer.isMutated(access)) return false;
    }
    return true;
}

// Whether `s` may change a char through a pointer, a subscript or a reference. Clang 19's
// ExprMutationAnalyzer does not analyse pointees (isPointeeMutated is always false), and another
// pointer may alias the string anyway, so any such write counts.
bool may_write_chars(ASTContext& ctx, const Stmt& s) {
    const auto writable = qualType(unless(isConstQualified()), anyOf(isAnyCharacter(), asString("void")));
    const auto char_lvalue = expr(hasType(isAnyCharacter()), unless(declRefExpr()));  // a named char is not the string
    const auto write = stmt(anyOf(
        binaryOperator(isAssignmentOperator(), hasLHS(ignoringParenImpCasts(char_lvalue))),
        unaryOperator(hasAnyOperatorName("++", "--"), hasUnaryOperand(ignoringParenImpCasts(char_lvalue))),
        callExpr(hasAnyArgument(hasType(pointerType(pointee(writable))))),
        callExpr(forEachArgumentWithParam(char_lvalue, parmVarDecl(hasType(referenceType(pointee(writable)))))),
        declStmt(has(varDecl(hasType(qualType(anyOf(pointerType(pointee(writable)), referenceType(pointee(writable))))))))));
    return !match(traverse(TK_AsIs, stmt(anyOf(write, hasDescendant(write)))), s, ctx).empty();
}

bool contains_jump(const Stmt* s) {
    if (!s) return false;
    if (isa<BreakStmt>(s) || isa<ReturnStmt>(s) || isa<GotoStmt>(s) || isa<CXXThrowExpr>(s)) return true;
    for (const Stmt* child : s->children())
        if (contains_jump(child)) return true;
    return false;
}

// Every match of `m` inside the top-level declarations of the sources. A match over the whole
// translation unit would walk every system header too, once per call.
template <class Matcher>
std::vector<BoundNodes> match_in_sources(const Matcher& m, ASTContext& ctx, const SourceMap& sources) {
    std::vector<BoundNodes> out;
    const SourceManager& sm = ctx.getSourceManager();
    for (Decl* d : ctx.getTranslationUnitDecl()->decls()) {
        if (!sources.contains(sm, d->getLocation())) continue;
        auto found = match(decl(forEachDescendant(m)), *d, ctx);
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

// The class template a variable's type is spelled with (std::map<...>, vector<...>): its name's
// location, when the type is written that way (not auto, not a typedef).
std::optional<SourceLocation> template_name_as_written(const VarDecl& var) {
    if (!var.getTypeSourceInfo()) return std::nullopt;
    TypeLoc tl = var.getTypeSourceInfo()->getTypeLoc();
    if (auto elaborated = tl.getAs<ElaboratedTypeLoc>()) tl = elaborated.getNamedTypeLoc();
    const auto spec = tl.getAs<TemplateSpecializationTypeLoc>();
    if (!spec) return std::nullopt;
    return spec.getTemplateNameLoc();
}

// ---- facts about the translation unit used by several rules ----------------------------------

struct UnitFacts {
    bool uses_cin = false, uses_cout = false, uses_c_stdio = false, calls_sync = false;
    const FunctionDecl* main = nullptr;
};

UnitFacts gather_facts(ASTContext& ctx, const SourceMap& sources) {
    UnitFacts facts;
    auto stream = [&](const char* name) {
        return !match_in_sources(declRefExpr(to(varDecl(hasName(name)))), ctx, sources).empty();
    };
    facts.uses_cin = stream("::std::cin");
    facts.uses_cout = stream("::std::cout");
    facts.uses_c_stdio = !match_in_sources(callExpr(callee(functionDecl(hasAnyName(
                                    "printf", "scanf", "puts", "putchar", "getchar", "fgets", "gets", "fputs", "fputc",
                                    "fgetc", "getc", "putc", "fread", "fwrite", "fprintf", "fscanf", "perror", "fflush",
                                    "ungetc", "getchar_unlocked", "putchar_unlocked", "getc_unlocked", "putc_unlocked",
                                    "vprintf", "vfprintf", "getline", "getdelim", "read", "write"),
                                    // the C library's (extern "C"), not std::getline or a program's own read()
                                    isExternC()))),
                                ctx, sources).empty();
    facts.calls_sync = !match_in_sources(callExpr(callee(functionDecl(hasName("sync_with_stdio")))), ctx, sources).empty();
    for (const Decl* d : ctx.getTranslationUnitDecl()->decls())
        if (const auto* fn = dyn_cast<FunctionDecl>(d); fn && fn->isMain() && fn->doesThisDeclarationHaveABody() &&
                                                        sources.contains(ctx.getSourceManager(), fn->getLocation()))
            facts.main = fn;
    return facts;
}

// ---- the rules -----------------------------------------------------------------------------------

class Rule : public MatchFinder::MatchCallback {
public:
    Rule(Emitter& emitter, const UnitFacts& facts) : m_e(emitter), m_facts(facts) {}

protected:
    Emitter& m_e;
    const UnitFacts& m_facts;
};

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
        m_e.emit("endl-in-loop", ref->getBeginLoc(), "std::endl flushes on every iteration; use '\\n'",
                 {m_e.replace(ref->getSourceRange(), "'\\n'")});
    }
};

void iostream_sync(Emitter& e, const UnitFacts& facts) {
    if (!e.enabled("iostream-sync")) return;
    if (!(facts.uses_cin || facts.uses_cout) || facts.uses_c_stdio || facts.calls_sync || !facts.main) return;
    const auto* body = dyn_cast_or_null<CompoundStmt>(facts.main->getBody());
    if (!body || !e.editable(body->getLBracLoc())) return;
    const std::string indent = body->body_empty() ? "    " : e.indent_of(body->body_front()->getBeginLoc());
    std::string text = "\n" + indent + "std::ios::sync_with_stdio(false);";
    if (facts.uses_cin) text += "\n" + indent + "std::cin.tie(nullptr);";
    e.emit("iostream-sync", facts.main->getLocation(),
           "iostreams are synchronised with C stdio; this program does not mix the two",
           {e.insert_after_token(body->getLBracLoc(), text)});
}

class ByValueParam : public Rule {
public:
    ByValueParam(Emitter& e, const UnitFacts& f, std::set<const FunctionDecl*> address_taken)
        : Rule(e, f), m_address_taken(std::move(address_taken)) {}
    static auto matcher() {
        return functionDecl(isDefinition(), unless(isImplicit()), unless(isMain()), unless(cxxMethodDecl(isVirtual())))
            .bind("fn");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* fn = r.Nodes.getNodeAs<FunctionDecl>("fn");
        if (!fn->getBody() || fn->isTemplated() || fn->isTemplateInstantiation() || !m_e.editable(fn->getLocation())) return;
        if (m_address_taken.count(fn->getCanonicalDecl())) return;  // a function pointer fixes the signature
        if (may_write_through_alias(*fn)) return;
        for (unsigned i = 0; i < fn->getNumParams(); ++i) {
            const ParmVarDecl* param = fn->getParamDecl(i);
            const QualType type = param->getType();
            if (type->isReferenceType() || type->isPointerType()) continue;
            if (match(heavy_type(), type, m_e.context()).empty()) continue;
            if (param->getName().empty() || !only_read(m_e.context(), param, *fn->getBody())) continue;
            // A constructor may move the parameter into a member (`: label(std::move(l))`): the
            // member-initialiser list is read as the body is, and a move there is not a read.
            if (const auto* ctor = dyn_cast<CXXConstructorDecl>(fn)) {
                const bool moved = std::any_of(ctor->init_begin(), ctor->init_end(), [&](const CXXCtorInitializer* init) {
                    return init->getInit() && ExprMutationAnalyzer(*init->getInit(), m_e.context()).isMutated(param);
                });
                if (moved) continue;
            }
            // Every declaration of the function changes together, or none does.
            std::vector<core::Replacement> fix;
            bool all = true;
            for (const FunctionDecl* decl : fn->redecls()) {
                if (decl->getNumParams() != fn->getNumParams()) { all = false; break; }
                auto part = make_const_ref(m_e, *decl->getParamDecl(i));
                if (part.empty()) { all = false; break; }
                fix.insert(fix.end(), part.begin(), part.end());
            }
            if (!all) continue;
            m_e.emit("by-value-param", param->getLocation(),
                     "parameter '" + param->getName().str() + "' is copied on every call but only read; take it by const&",
                     std::move(fix));
        }
    }

private:
    // A copy protects the parameter from writes to the caller's object; a const& does not. So
    // the function must write to nothing the argument could be: no global, nothing reached by
    // a non-const reference or pointer parameter, no call into the sources (which might).
    bool may_write_through_alias(const FunctionDecl& fn) {
        for (const ParmVarDecl* p : fn.parameters()) {
            const QualType t = p->getType();
            if ((t->isReferenceType() || t->isPointerType()) && !t->getPointeeType().isConstQualified()) return true;
        }
        ASTContext& ctx = m_e.context();
        ExprMutationAnalyzer analyzer(*fn.getBody(), ctx);
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(hasGlobalStorage()).bind("g")))), *fn.getBody(), ctx))
            if (analyzer.isMutated(found.getNodeAs<VarDecl>("g"))) return true;
        for (const auto& found : match(findAll(callExpr().bind("call")), *fn.getBody(), ctx)) {
            const FunctionDecl* callee = found.getNodeAs<CallExpr>("call")->getDirectCallee();
            if (!callee) return true;  // through a pointer: unknown
            const FunctionDecl* def = callee->getDefinition();
            if (def && m_e.editable(def->getLocation())) return true;
        }
        return false;
    }

    std::set<const FunctionDecl*> m_address_taken;
};

class RangeForCopy : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxForRangeStmt(hasLoopVariable(varDecl(hasType(qualType(unless(referenceType())))).bind("var"))).bind("loop");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<CXXForRangeStmt>("loop");
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        const QualType type = var->getType();
        bool heavy = !match(heavy_type(), type, m_e.context()).empty();
        if (const auto* record = type->getAsCXXRecordDecl())
            heavy = heavy || (record->hasDefinition() && !record->hasTrivialCopyConstructor());
        if (!heavy || !m_e.editable(var->getLocation())) return;
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
        m_e.emit("range-for-copy", var->getLocation(),
                 "'" + var->getName().str() + "' copies every element and is only read; bind it by const auto&", std::move(fix));
    }
};

class StringConcatAssign : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxOperatorCallExpr(
                   hasOverloadedOperatorName("="),
                   hasArgument(0, declRefExpr(to(varDecl(hasType(hasCanonicalType(recordType(hasDeclaration(
                                                      namedDecl(hasName("::std::basic_string")))))))
                                                     .bind("var")))),
                   hasArgument(1, ignoringImplicit(cxxOperatorCallExpr(hasOverloadedOperatorName("+")).bind("plus"))))
            .bind("assign");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* assign = r.Nodes.getNodeAs<CXXOperatorCallExpr>("assign");
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        if (!m_e.editable(assign->getSourceRange())) return;
        // s = ((s + a) + b): walk down the left operands to s, collecting a, b.
        std::vector<const Expr*> operands;
        const Expr* current = r.Nodes.getNodeAs<Expr>("plus");
        for (;;) {
            current = current->IgnoreImplicit();
            if (const auto* construct = dyn_cast<CXXConstructExpr>(current); construct && construct->getNumArgs() == 1)
                current = construct->getArg(0)->IgnoreImplicit();
            const auto* plus = dyn_cast<CXXOperatorCallExpr>(current);
            if (!plus || plus->getOperator() != OO_Plus || plus->getNumArgs() != 2) break;
            operands.insert(operands.begin(), plus->getArg(1));
            current = plus->getArg(0);
        }
        const auto* leftmost = dyn_cast<DeclRefExpr>(current->IgnoreImplicit());
        if (!leftmost || leftmost->getDecl() != var || operands.empty()) return;
        for (const Expr* operand : operands) {
            if (!m_e.editable(operand->getSourceRange())) return;
            // Appending one by one changes s before later operands are evaluated.
            if (operands.size() > 1 && references_var(operand, var)) return;
        }
        std::string text = var->getName().str();
        for (std::size_t i = 0; i < operands.size(); ++i) {
            text = (i + 1 < operands.size() ? "(" : "") + text + " += " + m_e.text(operands[i]->getSourceRange()) +
                   (i + 1 < operands.size() ? ")" : "");
        }
        m_e.emit("string-concat-assign", assign->getBeginLoc(),
                 var->getName().str() + " = " + var->getName().str() + " + ... copies the string; append in place",
                 {m_e.replace(assign->getSourceRange(), text)});
    }
};

class PowSquare : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return callExpr(callee(functionDecl(hasAnyName("::pow", "::std::pow"))), argumentCountIs(2),
                        hasArgument(1, ignoringParenImpCasts(anyOf(integerLiteral(equals(2)), floatLiteral(equals(2.0))))))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        const Expr* base = call->getArg(0);
        if (!m_e.editable(call->getSourceRange()) || !repeatable(base, m_e.context())) return;
        const std::string type = call->getType().getCanonicalType().getAsString();
        if (type != "double" && type != "float" && type != "long double") return;
        const std::string x = "static_cast<" + type + ">(" + m_e.text(base->getSourceRange()) + ")";
        m_e.emit("pow-square", call->getBeginLoc(), "pow(x, 2) is x * x", {m_e.replace(call->getSourceRange(), "(" + x + " * " + x + ")")});
    }
};

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
        m_e.emit("pow-integer-exponent", call->getBeginLoc(),
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

class SubstrCompare : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxOperatorCallExpr(
                   hasAnyOverloadedOperatorName("==", "!="),
                   hasArgument(0, ignoringImplicit(cxxMemberCallExpr(callee(cxxMethodDecl(hasName("substr"), ofClass(hasName("::std::basic_string")))),
                                                                     argumentCountIs(2))
                                                       .bind("sub"))),
                   hasArgument(1, expr().bind("rhs")))
            .bind("cmp");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* cmp = r.Nodes.getNodeAs<CXXOperatorCallExpr>("cmp");
        const auto* sub = r.Nodes.getNodeAs<CXXMemberCallExpr>("sub");
        const auto* rhs = r.Nodes.getNodeAs<Expr>("rhs");
        const Expr* object = sub->getImplicitObjectArgument();
        if (!object || !m_e.editable(cmp->getSourceRange()) || object->HasSideEffects(m_e.context())) return;
        // The rhs must be a string or a C string (not a char or a string_view of other semantics).
        const QualType rt = rhs->IgnoreImplicit()->getType();
        const bool c_string = rt->isPointerType() || rt->isArrayType();
        if (!c_string && match(qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasName("::std::basic_string")))))), rt, m_e.context()).empty())
            return;
        const std::string op = cmp->getOperator() == OO_EqualEqual ? "==" : "!=";
        const std::string text = "(" + m_e.text(object->getSourceRange()) + ".compare(" + m_e.text(sub->getArg(0)->getSourceRange()) +
                                 ", " + m_e.text(sub->getArg(1)->getSourceRange()) + ", " + m_e.text(rhs->getSourceRange()) + ") " + op + " 0)";
        m_e.emit("substr-compare", cmp->getBeginLoc(), "substr builds a temporary string to compare; compare in place",
                 {m_e.replace(cmp->getSourceRange(), text)});
    }
};

// Library functions that read their arguments and write no memory the program can see.
bool writes_no_memory(const CallExpr& call) {
    const FunctionDecl* callee = call.getDirectCallee();
    if (!callee || isa<CXXMethodDecl>(callee) || !callee->getIdentifier()) return false;
    const DeclContext* where = callee->getDeclContext()->getRedeclContext();
    const bool in_std = where->isStdNamespace();
    if (!where->isTranslationUnit() && !in_std) return false;
    static const std::set<std::string> readers = {"strlen", "isalpha", "isdigit", "isalnum", "isspace", "isupper", "islower", "ispunct",
                                                  "isxdigit", "isprint", "iscntrl", "isgraph", "toupper", "tolower", "abs", "labs",
                                                  "llabs", "strchr", "strcmp", "strncmp", "memcmp", "memchr"};
    const std::string name = callee->getName().str();
    return readers.contains(name) || (in_std && (name == "min" || name == "max"));
}

class InvariantCallInCondition : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        const auto in_condition = hasCondition(hasDescendant(
            callExpr(callee(functionDecl(hasAnyName("::strlen", "::std::strlen", "::sqrt", "::std::sqrt", "::sqrtl", "::cbrt", "::std::cbrt", "::log",
                                                    "::std::log", "::log2", "::std::log2"))))
                .bind("call")));
        return stmt(anyOf(forStmt(in_condition), whileStmt(in_condition), doStmt(in_condition))).bind("loop");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        if (!m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop)) return;
        if (const auto* w = dyn_cast<WhileStmt>(loop); w && w->getConditionVariable()) return;
        std::vector<const VarDecl*> vars;
        bool only_locals = true;
        for (const Expr* arg : call->arguments()) {
            if (arg->HasSideEffects(m_e.context())) return;
            collect_vars(arg, vars, only_locals);
        }
        // Declared before the loop: the hoisted call goes before it (not in a for's init).
        for (const VarDecl* var : vars)
            if (!m_e.sm().isBeforeInTranslationUnit(var->getLocation(), loop->getBeginLoc())) return;
        const bool is_strlen = call->getDirectCallee()->getName() == "strlen";
        if (!only_locals || !unchanged(*loop, vars, is_strlen)) {
            if (is_strlen) track_length(*loop, *call);
            return;
        }
        const unsigned line = m_e.sm().getSpellingLineNumber(loop->getBeginLoc());
        const std::string name = "optiloop_hoisted_" + std::to_string(line);
        const std::string decl = "const auto " + name + " = " + m_e.text(call->getSourceRange()) + ";\n" + m_e.indent_of(loop->getBeginLoc());
        m_e.emit("invariant-call-in-condition", call->getBeginLoc(),
                 m_e.text(call->getSourceRange()) + " does not change in the loop but is recomputed every iteration; hoist it",
                 {m_e.insert_before(loop->getBeginLoc(), decl), m_e.replace(call->getSourceRange(), name)});
    }

private:
    // A loop's parts: a for's init, condition, increment and body; a while's or do's condition
    // and body (the rest null).
    struct Parts {
        const Stmt *init = nullptr, *cond = nullptr, *inc = nullptr, *body = nullptr;
    };
    static Parts parts_of(const Stmt& loop) {
        if (const auto* f = dyn_cast<ForStmt>(&loop)) return {f->getInit(), f->getCond(), f->getInc(), f->getBody()};
        if (const auto* w = dyn_cast<WhileStmt>(&loop)) return {nullptr, w->getCond(), nullptr, w->getBody()};
        const auto* d = cast<DoStmt>(&loop);
        return {nullptr, d->getCond(), nullptr, d->getBody()};
    }

    // Whether nothing the loop does (a for's init, which runs after the hoisted call, its body,
    // increment and condition) changes the call's arguments, or for strlen, the chars they point to.
    bool unchanged(const Stmt& loop, const std::vector<const VarDecl*>& vars, bool is_strlen) {
        const Parts parts = parts_of(loop);
        for (const Stmt* part : {parts.init, parts.body, parts.inc, parts.cond}) {
            if (!part) continue;
            ExprMutationAnalyzer analyzer(*part, m_e.context());
            for (const VarDecl* var : vars) {
                if (m_e.aliased(var)) return false;
                // A char array's name cannot be assigned; the analyzer counts its decay to char*
                // (as in strlen(word)) as a change, so its chars are left to may_write_chars.
                if (!(is_strlen && var->getType()->isArrayType()) && analyzer.isMutated(var)) return false;
                if (is_strlen && var->getType()->isPointerType() && analyzer.isPointeeMutated(var)) return false;
                if (is_strlen && reinterpreted(*part, var)) return false;
            }
            if (is_strlen && may_write_chars(m_e.context(), *part)) return false;
        }
        return true;
    }

    // Whether part takes var's address or casts it (or a pointer computed from it) explicitly:
    // through another type its chars may change without a char write may_write_chars would see.
    bool reinterpreted(const Stmt& part, const VarDecl* var) {
        ASTContext& ctx = m_e.context();
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(var)))).bind("ref")), const_cast<Stmt&>(part), ctx)) {
            const Stmt* at = found.getNodeAs<DeclRefExpr>("ref");
            for (auto parents = ctx.getParents(*at); parents.size() == 1;) {
                const auto* parent = parents[0].get<Stmt>();
                if (!parent) break;
                if (isa<ExplicitCastExpr>(parent)) return true;
                if (const auto* u = dyn_cast<UnaryOperator>(parent); u && u->getOpcode() == UO_AddrOf) return true;
                const auto* b = dyn_cast<BinaryOperator>(parent);
                if (!isa<ImplicitCastExpr>(parent) && !isa<ParenExpr>(parent) && !(b && b->isAdditiveOp() && b->getType()->isPointerType())) break;
                parents = ctx.getParents(*parent);
            }
        }
        return false;
    }

    // strlen(s) of a string the loop writes, one char at a time, by statements `s[i] = v;`
    // (or op=, ++, --) and in no other way: the length is kept in a variable and brought up to
    // date after each such write, which only changes it when it puts a '\0' before the end
    // (the length becomes i) or overwrites the '\0' at the end (strlen looks again).
    // "No other way" is proved by elimination: every call in the loop is to a library function
    // that writes no memory, and every other write names a variable, or (when s is an array)
    // an element of another named array. When s is a pointer it may point into any variable
    // whose address was taken, so those may not be written, nor read by an index.
    void track_length(const Stmt& loop, const CallExpr& call) {
        ASTContext& ctx = m_e.context();
        const auto* ref = dyn_cast<DeclRefExpr>(call.getArg(0)->IgnoreParenImpCasts());
        const auto* str = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
        if (!str || str->getType()->isReferenceType() || str->getType().isVolatileQualified()) return;
        const bool is_array = str->getType()->isArrayType();
        if (!is_array && !str->getType()->isPointerType()) return;
        const Type* element = str->getType()->getPointeeOrArrayElementType();
        if (!element->isSpecificBuiltinType(BuiltinType::Char_S) && !element->isSpecificBuiltinType(BuiltinType::Char_U)) return;
        const auto* fn = enclosing_function(ctx, loop);
        if (!fn) return;
        const std::set<const VarDecl*> pointed_at = is_array ? std::set<const VarDecl*>{} : addressed_vars(*fn);
        // A variable a write or an index may name: a scalar, not a reference, and not one the
        // string's pointer may point into.
        auto plain_var = [&](const Expr* e) -> const VarDecl* {
            const auto* r = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
            const auto* var = r ? dyn_cast<VarDecl>(r->getDecl()) : nullptr;
            if (!var || !var->getType()->isScalarType() || var->getType().isVolatileQualified()) return nullptr;
            if (!is_array && (!var->hasLocalStorage() || pointed_at.contains(var) || m_e.aliased(var))) return nullptr;
            return var;
        };
        std::function<bool(const Expr*)> simple_index = [&](const Expr* e) {
            e = e->IgnoreParens();
            if (isa<IntegerLiteral>(e) || isa<CharacterLiteral>(e)) return true;
            if (isa<DeclRefExpr>(e)) return plain_var(e) != nullptr && e->getType()->isIntegralOrEnumerationType();
            if (const auto* cast_expr = dyn_cast<CastExpr>(e))
                return (cast_expr->getCastKind() == CK_IntegralCast || cast_expr->getCastKind() == CK_LValueToRValue ||
                        cast_expr->getCastKind() == CK_NoOp) &&
                       simple_index(cast_expr->getSubExpr());
            if (const auto* b = dyn_cast<BinaryOperator>(e))
                return !b->isAssignmentOp() && !b->isCommaOp() && simple_index(b->getLHS()) && simple_index(b->getRHS());
            if (const auto* u = dyn_cast<UnaryOperator>(e))
                return (u->getOpcode() == UO_Minus || u->getOpcode() == UO_Plus || u->getOpcode() == UO_Not) && simple_index(u->getSubExpr());
            return false;
        };
        auto names_str = [&](const Expr* e) {
            const auto* r = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
            return r && r->getDecl() == str;
        };
        // An element of a named array other than the string (itself perhaps an element of one).
        std::function<bool(const Expr*)> other_array = [&](const Expr* e) {
            e = e->IgnoreParenImpCasts();
            if (const auto* sub = dyn_cast<ArraySubscriptExpr>(e)) return other_array(sub->getBase());
            const auto* r = dyn_cast<DeclRefExpr>(e);
            const auto* var = r ? dyn_cast<VarDecl>(r->getDecl()) : nullptr;
            return var && var != str && var->getType()->isArrayType();
        };

        std::vector<const ArraySubscriptExpr*> writes;  // of the string, each a statement of the body
        std::vector<const Stmt*> write_statements;
        bool ok = true;
        std::function<void(const Stmt*, bool, bool)> walk = [&](const Stmt* s, bool in_body, bool in_write) {
            if (!s || !ok) return;
            if (isa<AsmStmt>(s) || isa<LabelStmt>(s) || isa<GotoStmt>(s) || isa<IndirectGotoStmt>(s) || isa<LambdaExpr>(s) ||
                isa<CXXConstructExpr>(s) || isa<CXXNewExpr>(s) || isa<CXXDeleteExpr>(s) || isa<StmtExpr>(s) || isa<BlockExpr>(s)) {
                ok = false;
                return;
            }
            if (const auto* c = dyn_cast<CallExpr>(s); c && !writes_no_memory(*c)) {
                ok = false;
                return;
            }
            const Expr* target = nullptr;
            if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp()) target = b->getLHS();
            if (const auto* u = dyn_cast<UnaryOperator>(s); u && u->isIncrementDecrementOp()) target = u->getSubExpr();
            if (target) {
                target = target->IgnoreParens();
                const auto* sub = dyn_cast<ArraySubscriptExpr>(target);
                if (in_write) {
                    ok = false;  // a write inside the string's write could change what the index reads
                } else if (sub && names_str(sub->getBase())) {
                    const auto parents = ctx.getParents(*s);
                    const Stmt* parent = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
                    const auto* branch = dyn_cast_or_null<IfStmt>(parent);
                    const bool statement = parent && (isa<CompoundStmt>(parent) || (branch && (branch->getThen() == s || branch->getElse() == s)) ||
                                                      loop_body(parent) == s);
                    if (!in_body || !statement || !simple_index(sub->getIdx())) {
                        ok = false;
                    } else {
                        writes.push_back(sub);
                        write_statements.push_back(s);
                        in_write = true;
                    }
                } else if (const VarDecl* var = plain_var(target); var && var != str) {
                    // a named variable: not the string's storage
                } else if (!(is_array && sub && other_array(sub))) {
                    ok = false;
                }
            }
            for (const Stmt* child : s->children()) walk(child, in_body, in_write);
        };
        const Parts parts = parts_of(loop);
        walk(parts.init, false, false);
        walk(parts.body, true, false);
        walk(parts.inc, false, false);
        walk(parts.cond, false, false);
        if (!ok || writes.empty()) return;  // no writes at all: the plain hoist refused for another reason

        const unsigned line = m_e.sm().getSpellingLineNumber(loop.getBeginLoc());
        const std::string length = "optiloop_length_" + std::to_string(line);
        if (!name_free(*fn, length)) return;
        const std::string str_text = m_e.text(call.getArg(0)->getSourceRange());
        std::vector<core::Replacement> fix = {
            m_e.insert_before(loop.getBeginLoc(), "auto " + length + " = " + m_e.text(call.getSourceRange()) + ";\n" + m_e.indent_of(loop.getBeginLoc())),
            m_e.replace(call.getSourceRange(), length)};
        for (std::size_t k = 0; k < writes.size(); ++k) {
            const Stmt& statement = *write_statements[k];
            if (!m_e.editable(statement.getSourceRange())) return;
            const Expr* index = writes[k]->getIdx();
            const std::string at = m_e.text(index->getSourceRange());
            const std::string as_size = index->getType()->isUnsignedIntegerType() ? at : "(size_t)(" + at + ")";
            const std::string update = "if (" + m_e.text(writes[k]->getBase()->getSourceRange()) + "[" + at + "] == '\\0') { if (" +
                                       as_size + " < " + length + ") " + length + " = " + at + "; } else if (" + as_size + " == " + length +
                                       ") " + length + " = " + m_e.text(call.getSourceRange()) + ";";
            if (m_e.compound_parent(statement)) {
                fix.push_back(m_e.insert_after_statement(statement, "\n" + m_e.indent_of(statement.getBeginLoc()) + update));
            } else {
                fix.push_back(m_e.insert_before(statement.getBeginLoc(), "{ "));
                fix.push_back(m_e.insert_after_statement(statement, " " + update + " }"));
            }
        }
        m_e.emit("invariant-call-in-condition", call.getBeginLoc(),
                 m_e.text(call.getSourceRange()) + " is recomputed on every iteration, though the loop changes " + str_text +
                     " only one char at a time; keep its length in a variable and update it where those writes may change it",
                 std::move(fix));
    }


    // The variables of fn whose address is taken or to which a reference is bound.
    std::set<const VarDecl*> addressed_vars(const FunctionDecl& fn) {
        std::set<const VarDecl*> out;
        const auto ref = declRefExpr(to(varDecl().bind("var")));
        const auto taken = unaryOperator(hasOperatorName("&"), hasUnaryOperand(ignoringParenImpCasts(ref)));
        const auto bound = varDecl(hasType(referenceType()), hasInitializer(ignoringParenImpCasts(ref)));
        for (const auto& found : match(traverse(TK_AsIs, stmt(forEachDescendant(stmt(anyOf(taken, declStmt(has(bound))))))), *fn.getBody(),
                                       m_e.context()))
            out.insert(found.getNodeAs<VarDecl>("var"));
        return out;
    }

    bool name_free(const FunctionDecl& fn, const std::string& name) {
        return m_e.file_text(fn.getBeginLoc()).find(name) == StringRef::npos;
    }
};

class InvariantCallInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return callExpr(callee(functionDecl(hasAnyName(
                            "::sqrt", "::sqrtf", "::cbrt", "::exp", "::expf", "::exp2", "::expm1", "::log", "::logf", "::log2", "::log10",
                            "::log1p", "::pow", "::powf", "::sin", "::sinf", "::cos", "::cosf", "::tan", "::asin", "::acos", "::atan",
                            "::atan2", "::sinh", "::cosh", "::tanh", "::hypot", "::std::sqrt", "::std::cbrt", "::std::exp", "::std::exp2",
                            "::std::expm1", "::std::log", "::std::log2", "::std::log10", "::std::log1p", "::std::pow", "::std::sin",
                            "::std::cos", "::std::tan", "::std::asin", "::std::acos", "::std::atan", "::std::atan2", "::std::sinh",
                            "::std::cosh", "::std::tanh", "::std::hypot"))))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        ASTContext& ctx = m_e.context();
        const Stmt* loop = innermost_loop_around(*call);
        if (!loop || !m_e.editable(loop->getSourceRange()) || !m_e.editable(call->getSourceRange())) return;
        std::vector<const VarDecl*> vars;
        bool only_locals = true;
        for (const Expr* arg : call->arguments()) {
            if (arg->HasSideEffects(ctx)) return;
            collect_vars(arg, vars, only_locals);
        }
        // Constants fold at compile time already; globals may change in any call the loop makes.
        if (vars.empty() || !only_locals) return;
        ExprMutationAnalyzer analyzer(*loop, ctx);
        for (const VarDecl* var : vars) {
            // Declared before the loop (not in its body, not a range-for's element) ...
            if (!m_e.sm().isBeforeInTranslationUnit(var->getLocation(), loop->getBeginLoc())) return;
            if (var->getType()->isReferenceType()) return;  // what it refers to may change through another name
            // ... and never changed by it (the body, a for's condition and increment), by name
            // or through another.
            if (analyzer.isMutated(var) || m_e.aliased(var)) return;
        }
        const std::string call_text = m_e.text(call->getSourceRange());
        const std::string name = "optiloop_invariant_" + std::to_string(m_e.sm().getSpellingLineNumber(call->getBeginLoc())) + "_" +
                                 std::to_string(m_e.sm().getSpellingColumnNumber(call->getBeginLoc()));
        const std::string decl = "const auto " + name + " = " + call_text + ";";
        std::vector<core::Replacement> fix;
        if (m_e.compound_parent(*loop)) {
            fix.push_back(m_e.insert_before(loop->getBeginLoc(), decl + "\n" + m_e.indent_of(loop->getBeginLoc())));
        } else if (const auto braces = m_e.braces_around(*loop)) {
            fix.push_back(braces->first);
            fix.push_back(m_e.insert_before(loop->getBeginLoc(), decl + "\n" + m_e.indent_of(loop->getBeginLoc())));
            fix.push_back(braces->second);
        } else {
            // The loop is a lone statement (the body of an outer loop or an if): give it a block.
            fix.push_back(m_e.insert_before(loop->getBeginLoc(), "{ " + decl + " "));
            fix.push_back(m_e.insert_after_statement(*loop, " }"));
        }
        fix.push_back(m_e.replace(call->getSourceRange(), name));
        m_e.emit("invariant-call-in-loop", call->getBeginLoc(),
                 call_text + " does not change in the loop but is computed on every iteration; compute it once before the loop",
                 std::move(fix));
    }

private:
    // The nearest loop whose body holds s (not its condition or increment), within the same
    // function and outside any lambda; null when there is none.
    const Stmt* innermost_loop_around(const Stmt& s) {
        ASTContext& ctx = m_e.context();
        const Stmt* child = &s;
        DynTypedNodeList parents = ctx.getParents(s);
        while (parents.size() == 1) {
            const auto* parent = parents[0].get<Stmt>();
            if (!parent || isa<LambdaExpr>(parent)) return nullptr;
            if (const Stmt* body = loop_body(parent)) return body == child ? parent : nullptr;
            child = parent;
            parents = ctx.getParents(*parent);
        }
        return nullptr;
    }
};

// ---- loop-interchange: loop nests that walk a 2-D array down its columns -----------------------

// The variable e names, when it is one.
const VarDecl* var_of(const Expr* e) {
    const auto* ref = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
    return ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
}

bool is_ref_to(const Expr* e, const VarDecl* var) { return var && var_of(e) == var; }

// A subscript chain x[a][b]...: the variable at its root and its indices, outermost first; a
// bare variable is a chain without indices. Only element accesses that neither insert nor throw:
// built-in arrays and std::vector, std::array and std::deque.
struct Chain {
    const Expr* expr = nullptr;
    const VarDecl* base = nullptr;
    std::vector<const Expr*> indices;
};

std::optional<Chain> subscript_chain(const Expr* e) {
    Chain c;
    c.expr = e = e->IgnoreParenImpCasts();
    for (;;) {
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getOperator() == OO_Subscript && op->getNumArgs() == 2) {
            const auto* record = op->getArg(0)->getType().getNonReferenceType()->getAsCXXRecordDecl();
            if (!record || !record->isInStdNamespace() || !record->getIdentifier()) return std::nullopt;
            if (record->getName() != "vector" && record->getName() != "array" && record->getName() != "deque") return std::nullopt;
            c.indices.insert(c.indices.begin(), op->getArg(1));
            e = op->getArg(0)->IgnoreParenImpCasts();
        } else if (const auto* a = dyn_cast<ArraySubscriptExpr>(e)) {
            c.indices.insert(c.indices.begin(), a->getIdx());
            e = a->getBase()->IgnoreParenImpCasts();
        } else {
            break;
        }
    }
    c.base = var_of(e);
    if (!c.base) return std::nullopt;
    return c;
}

// Every variable access under s as a chain (the indices of a chain give their own); `opaque`
// turns true on what the chains cannot describe: `this`, a lambda.
void collect_chains(const Stmt* s, std::vector<Chain>& chains, bool& opaque) {
    if (!s) return;
    if (isa<CXXThisExpr>(s) || isa<LambdaExpr>(s)) {
        opaque = true;
        return;
    }
    if (const auto* e = dyn_cast<Expr>(s)) {
        const Expr* bare = e->IgnoreParenImpCasts();
        if (isa<CXXOperatorCallExpr>(bare) || isa<ArraySubscriptExpr>(bare) || isa<DeclRefExpr>(bare))
            if (auto chain = subscript_chain(e)) {
                for (const Expr* index : chain->indices) collect_chains(index, chains, opaque);
                chains.push_back(std::move(*chain));
                return;
            }
    }
    for (const Stmt* child : s->children()) collect_chains(child, chains, opaque);
}

bool same_expr(const Expr* a, const Expr* b, ASTContext& ctx) {
    llvm::FoldingSetNodeID x, y;
    a->IgnoreParenImpCasts()->Profile(x, ctx, true);
    b->IgnoreParenImpCasts()->Profile(y, ctx, true);
    return x == y;
}

// A counted loop, `for (int v = a; v < b; ++v)` (or <=, >, >=, != and v++, --v, v += c, v -= c),
// whose start and bound have no side effects: its counter; else null.
const VarDecl* counted_loop_var(const ForStmt& loop, ASTContext& ctx) {
    const auto* init = dyn_cast_or_null<DeclStmt>(loop.getInit());
    const auto* var = init && init->isSingleDecl() ? dyn_cast<VarDecl>(init->getSingleDecl()) : nullptr;
    if (!var || !var->getType()->isIntegerType() || !var->getInit() || !repeatable(var->getInit(), ctx)) return nullptr;
    const auto* cond = dyn_cast_or_null<BinaryOperator>(loop.getCond() ? loop.getCond()->IgnoreParenImpCasts() : nullptr);
    if (loop.getConditionVariable() || !cond || !(cond->isRelationalOp() || cond->getOpcode() == BO_NE)) return nullptr;
    const Expr* bound = is_ref_to(cond->getLHS(), var) ? cond->getRHS() : is_ref_to(cond->getRHS(), var) ? cond->getLHS() : nullptr;
    if (!bound || references_var(bound, var) || !repeatable(bound, ctx)) return nullptr;
    const Expr* inc = loop.getInc() ? loop.getInc()->IgnoreParenImpCasts() : nullptr;
    if (const auto* u = dyn_cast_or_null<UnaryOperator>(inc); u && u->isIncrementDecrementOp() && is_ref_to(u->getSubExpr(), var))
        return var;
    if (const auto* b = dyn_cast_or_null<BinaryOperator>(inc);
        b && (b->getOpcode() == BO_AddAssign || b->getOpcode() == BO_SubAssign) && is_ref_to(b->getLHS(), var) &&
        isa<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts()))
        return var;
    return nullptr;
}

const Stmt* only_statement(const Stmt* s) {
    if (const auto* block = dyn_cast_or_null<CompoundStmt>(s)) return block->size() == 1 ? block->body_front() : nullptr;
    return s;
}

// Whether index is `counter`, or `counter + e` / `e + counter` with e free of the `moving`
// variables: each value of the counter then names an element of its own.
bool offset_counter(const Expr* index, const VarDecl* counter, std::initializer_list<const VarDecl*> counters,
                    const std::vector<const VarDecl*>& temps) {
    if (is_ref_to(index, counter)) return true;
    const auto* add = dyn_cast<BinaryOperator>(index->IgnoreParenImpCasts());
    if (!add || add->getOpcode() != BO_Add) return false;
    const Expr* other = is_ref_to(add->getLHS(), counter) ? add->getRHS() : is_ref_to(add->getRHS(), counter) ? add->getLHS() : nullptr;
    if (!other) return false;
    for (const VarDecl* v : counters)
        if (references_var(other, v)) return false;
    for (const VarDecl* v : temps)
        if (references_var(other, v)) return false;
    return true;
}

// Whether e multiplies (or shifts) var by something: a flattened index striding over rows.
bool scaled(const Expr* e, const VarDecl* var) {
    e = e->IgnoreParenImpCasts();
    if (const auto* b = dyn_cast<BinaryOperator>(e); b && (b->getOpcode() == BO_Mul || b->getOpcode() == BO_Shl))
        if (references_var(b->getLHS(), var) || (b->getOpcode() == BO_Mul && references_var(b->getRHS(), var))) return true;
    for (const Stmt* child : e->children())
        if (const auto* sub = dyn_cast_or_null<Expr>(child); sub && scaled(sub, var)) return true;
    return false;
}

// Whether the loop is the one an OpenMP directive (#pragma omp parallel for) shares out.
bool under_openmp(ASTContext& ctx, const Stmt& loop) {
    const auto parents = ctx.getParents(loop);
    return parents.size() == 1 &&
           (parents[0].get<CapturedDecl>() || parents[0].get<CapturedStmt>() || parents[0].get<OMPExecutableDirective>());
}

class LoopInterchange : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return forStmt().bind("loop"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<ForStmt>("loop");
        if (!m_e.editable(loop->getSourceRange())) return;
        // An OpenMP loop shares its iterations among threads: swapped, others would share them.
        if (under_openmp(m_e.context(), *loop)) return;
        if (const auto* inner = dyn_cast_or_null<ForStmt>(only_statement(loop->getBody()))) swap_perfect_nest(*loop, *inner);
        else if (const auto* body = dyn_cast_or_null<CompoundStmt>(loop->getBody()); body && body->size() == 3) swap_accumulation(*loop, *body);
    }

private:
    // A value the loop body writes: its chain, and whether the writes may be reordered (a sum,
    // product, xor, and or or into an integer).
    struct Update {
        const Expr* target;
        bool reorderable;
    };

    // The statements a body may hold: writes through an assignment or ++/-- whose other side
    // has no side effects, scalar locals with such an initialiser, ifs over such conditions, and
    // continue.
    static bool gather(const Stmt* s, std::vector<Update>& updates, std::vector<const VarDecl*>& temps, ASTContext& ctx) {
        if (!s || isa<NullStmt>(s) || isa<ContinueStmt>(s)) return true;
        if (const auto* block = dyn_cast<CompoundStmt>(s)) {
            for (const Stmt* child : block->body())
                if (!gather(child, updates, temps, ctx)) return false;
            return true;
        }
        if (const auto* decl = dyn_cast<DeclStmt>(s)) {
            for (const Decl* d : decl->decls()) {
                const auto* var = dyn_cast<VarDecl>(d);
                if (!var || !var->hasLocalStorage() || !var->getType()->isScalarType() || var->getType()->isPointerType() || !var->getInit() ||
                    !repeatable(var->getInit(), ctx))
                    return false;
                temps.push_back(var);
            }
            return true;
        }
        if (const auto* branch = dyn_cast<IfStmt>(s))
            return !branch->getInit() && !branch->getConditionVariable() && !branch->isConsteval() && repeatable(branch->getCond(), ctx) &&
                   gather(branch->getThen(), updates, temps, ctx) && gather(branch->getElse(), updates, temps, ctx);
        if (const auto* u = dyn_cast<UnaryOperator>(s); u && u->isIncrementDecrementOp()) {
            updates.push_back({u->getSubExpr(), true});
            return true;
        }
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->isAssignmentOp() && repeatable(b->getRHS(), ctx)) {
            const BinaryOperatorKind op = b->getOpcode();
            updates.push_back({b->getLHS(), op == BO_AddAssign || op == BO_SubAssign || op == BO_MulAssign || op == BO_XorAssign ||
                                                    op == BO_OrAssign || op == BO_AndAssign});
            return true;
        }
        return false;
    }

    // Whether running the nest with the loops over `outer` and `inner` swapped computes the same:
    // every write goes to an element that names a loop's counter as a whole index (each such
    // element then sees the same writes in the same order) or is an integer total, and what the
    // writes change is read only as the element written. `parts` are all the nest evaluates.
    // On success, the chain that walks down a column (for the message); else null.
    const Expr* interchangeable(const std::vector<const Stmt*>& parts, const VarDecl* outer, const VarDecl* inner,
                                const std::vector<Update>& updates, const std::vector<const VarDecl*>& temps) {
        ASTContext& ctx = m_e.context();
        std::vector<Chain> chains;
        bool opaque = false;
        for (const Stmt* part : parts) collect_chains(part, chains, opaque);
        if (opaque) return nullptr;
        auto is_temp = [&](const VarDecl* v) { return std::find(temps.begin(), temps.end(), v) != temps.end(); };
        std::set<const VarDecl*> written;
        bool global_written = false;
        for (const Update& u : updates) {
            const auto target = subscript_chain(u.target);
            if (!target) return nullptr;
            if (is_temp(target->base)) continue;
            const VarDecl* x = target->base;
            if (x == outer || x == inner || x->getType()->isReferenceType() || x->getType()->isPointerType()) return nullptr;
            bool names_counter = false;
            for (const Expr* index : target->indices) {
                if (offset_counter(index, outer, {outer, inner}, temps) || offset_counter(index, inner, {outer, inner}, temps)) {
                    names_counter = true;
                    continue;
                }
                std::vector<const VarDecl*> vars;
                bool only_locals = true;
                collect_vars(index, vars, only_locals);
                for (const VarDecl* v : vars)
                    if (v == outer || v == inner || is_temp(v)) return nullptr;  // an index that moves but is not a counter
            }
            if (!names_counter && !(u.reorderable && target->expr->getType()->isIntegralOrEnumerationType())) return nullptr;
            // Every access to x is this very element; a total is only ever added to.
            std::size_t accesses = 0, writes = 0;
            for (const Chain& c : chains)
                if (c.base == x) {
                    if (!same_expr(c.expr, target->expr, ctx)) return nullptr;
                    ++accesses;
                }
            for (const Update& other : updates)
                if (const auto t = subscript_chain(other.target); t && t->base == x) ++writes;
            if (!names_counter && accesses != writes) return nullptr;
            written.insert(x);
            global_written = global_written || !x->hasLocalStorage();
        }
        // Nothing read may be another name for what is written.
        for (const Chain& c : chains) {
            const QualType type = c.base->getType();
            if (!(type->isReferenceType() || type->isPointerType()) || written.contains(c.base)) continue;
            if (!isa<ParmVarDecl>(c.base) || global_written) return nullptr;
        }
        // Worth it: more accesses walk down a column now (a first index moves with the inner
        // counter, or a flattened index multiplies it by a row length) than would after the swap.
        const Expr* column = nullptr;
        int now = 0, after = 0;
        for (const Chain& c : chains) {
            bool down_now = false, down_after = false;
            for (std::size_t k = 0; k < c.indices.size(); ++k) {
                const bool last = k + 1 == c.indices.size();
                down_now = down_now || (!last && references_var(c.indices[k], inner)) || scaled(c.indices[k], inner);
                down_after = down_after || (!last && references_var(c.indices[k], outer)) || scaled(c.indices[k], outer);
            }
            if (down_now && !column) column = c.expr;
            now += down_now;
            after += down_after;
        }
        return now > after ? column : nullptr;
    }

    std::string header(const ForStmt& loop) { return m_e.text({loop.getBeginLoc(), loop.getRParenLoc()}); }

    void emit(const ForStmt& outer, const VarDecl* o, const VarDecl* i, const Expr* column, const char* why, std::vector<core::Replacement> fix) {
        m_e.emit("loop-interchange", outer.getBeginLoc(),
                 "the inner loop walks down the columns of " + m_e.text(column->getSourceRange()) + "; with the loops over " +
                     o->getName().str() + " and " + i->getName().str() + " swapped it walks along the rows, " + why,
                 std::move(fix));
    }

    // for (o ...) for (i ...) body  ->  for (i ...) for (o ...) body
    void swap_perfect_nest(const ForStmt& outer, const ForStmt& inner) {
        ASTContext& ctx = m_e.context();
        const VarDecl* o = counted_loop_var(outer, ctx);
        const VarDecl* i = counted_loop_var(inner, ctx);
        if (!o || !i || references_var(inner.getInit(), o) || references_var(inner.getCond(), o)) return;
        std::vector<Update> updates;
        std::vector<const VarDecl*> temps;
        if (!gather(inner.getBody(), updates, temps, ctx) || updates.empty()) return;
        const Expr* column =
            interchangeable({outer.getInit(), outer.getCond(), inner.getInit(), inner.getCond(), inner.getBody()}, o, i, updates, temps);
        if (!column || !m_e.editable(inner.getSourceRange())) return;
        emit(outer, o, i, column, "and no iteration reads what another writes",
             {m_e.replace({outer.getBeginLoc(), outer.getRParenLoc()}, header(inner)),
              m_e.replace({inner.getBeginLoc(), inner.getRParenLoc()}, header(outer))});
    }

    // for (j ...) { T s = init; for (k ...) s += e; x[..][j] = s; }
    //   ->  for (j ...) x[..][j] = init;  for (k ...) for (j ...) x[..][j] += e;
    // x's elements have s's type, so each sums the same terms in the same order, rounded alike.
    void swap_accumulation(const ForStmt& outer, const CompoundStmt& body) {
        ASTContext& ctx = m_e.context();
        const auto* decl = dyn_cast<DeclStmt>(body.body_begin()[0]);
        const auto* inner = dyn_cast<ForStmt>(body.body_begin()[1]);
        const auto* store = dyn_cast<BinaryOperator>(body.body_begin()[2]);
        const auto* s = decl && decl->isSingleDecl() ? dyn_cast<VarDecl>(decl->getSingleDecl()) : nullptr;
        if (!s || !inner || !store || store->getOpcode() != BO_Assign || !s->hasLocalStorage() || !s->getType()->isArithmeticType() ||
            !s->getInit() || !repeatable(s->getInit(), ctx))
            return;
        const auto* add = dyn_cast_or_null<BinaryOperator>(only_statement(inner->getBody()));
        if (!add || (add->getOpcode() != BO_AddAssign && add->getOpcode() != BO_SubAssign) || !is_ref_to(add->getLHS(), s) ||
            !repeatable(add->getRHS(), ctx))
            return;
        // The store copies s unchanged: same type, no conversion.
        if (!is_ref_to(store->getRHS(), s) ||
            store->getLHS()->getType().getCanonicalType().getUnqualifiedType() != s->getType().getCanonicalType().getUnqualifiedType())
            return;
        const VarDecl* j = counted_loop_var(outer, ctx);
        const VarDecl* k = counted_loop_var(*inner, ctx);
        if (!j || !k || references_var(inner->getInit(), j) || references_var(inner->getCond(), j)) return;
        const Expr* e = add->getRHS();
        const Expr* target = store->getLHS();
        for (const Stmt* part : std::initializer_list<const Stmt*>{s->getInit(), inner->getInit(), inner->getCond(), e})
            if (references_var(part, s)) return;
        const auto chain = subscript_chain(target);
        if (!chain || references_var(target, s) || references_var(target, k) ||
            std::none_of(chain->indices.begin(), chain->indices.end(), [&](const Expr* index) { return offset_counter(index, j, {j, k}, {}); }))
            return;
        const Expr* column = interchangeable({outer.getInit(), outer.getCond(), s->getInit(), inner->getInit(), inner->getCond(), e, target},
                                             j, k, {{target, false}}, {});
        if (!column || !m_e.editable(body.getSourceRange())) return;
        // The element is written only where the store was: the sum never reads it.
        std::vector<Chain> chains;
        bool opaque = false;
        collect_chains(s->getInit(), chains, opaque);
        collect_chains(e, chains, opaque);
        if (std::any_of(chains.begin(), chains.end(), [&](const Chain& c) { return c.base == chain->base; })) return;

        const std::string indent = m_e.indent_of(outer.getBeginLoc());
        const auto parents = ctx.getParents(outer);
        const Stmt* parent = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
        std::string step = "    ";
        if (parent && !isa<CompoundStmt>(parent)) {
            const std::string above = m_e.indent_of(parent->getBeginLoc());
            if (indent.size() > above.size() && indent.starts_with(above)) step = indent.substr(above.size());
        }
        const std::string x = m_e.text(target->getSourceRange());
        const std::string op = add->getOpcode() == BO_AddAssign ? " += " : " -= ";
        std::string text = header(outer) + " " + x + " = " + m_e.text(s->getInit()->getSourceRange()) + ";\n" + indent + header(*inner) + "\n" +
                           indent + step + header(outer) + " " + x + op + m_e.text(e->getSourceRange()) + ";";
        std::vector<core::Replacement> fix;
        if (parent && isa<CompoundStmt>(parent)) {
            fix.push_back(m_e.replace(outer.getSourceRange(), std::move(text)));
        } else if (const auto braces = m_e.braces_around(outer)) {
            fix = {braces->first, m_e.replace(outer.getSourceRange(), std::move(text)), braces->second};
        } else {
            fix.push_back(m_e.replace(outer.getSourceRange(), "{ " + text + " }"));
        }
        emit(outer, j, k, column, "and every element sums the same terms in the same order", std::move(fix));
    }
};

// ---- modulo-in-loop: i % k on every step of a counted loop -------------------------------------

class ModuloInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return forStmt().bind("loop"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<ForStmt>("loop");
        ASTContext& ctx = m_e.context();
        if (!m_e.editable(loop->getSourceRange()) || !loop->getBody() || !m_e.editable(loop->getBody()->getSourceRange()) ||
            loop->getConditionVariable())
            return;
        // An OpenMP loop's iterations are shared among threads as they are.
        if (under_openmp(ctx, *loop)) return;
        const auto parents = ctx.getParents(*loop);
        // for (T i = 0; i < n; ++i) with T an integer type at least as wide as int, compared
        // with n as a T.
        const auto* init = dyn_cast_or_null<DeclStmt>(loop->getInit());
        const auto* i = init && init->isSingleDecl() ? dyn_cast<VarDecl>(init->getSingleDecl()) : nullptr;
        if (!i || !i->getInit() || i->getType()->isDependentType()) return;
        const QualType t = i->getType().getCanonicalType().getUnqualifiedType();
        if (!t->isIntegerType() || t->isBooleanType() || t->isEnumeralType() || t->isBitIntType() || ctx.isPromotableIntegerType(t)) return;
        const auto* zero = dyn_cast<IntegerLiteral>(i->getInit()->IgnoreParenImpCasts());
        if (!zero || zero->getValue() != 0) return;
        auto of_type_t = [&](const Expr* e) { return e->getType().getCanonicalType().getUnqualifiedType() == t; };
        const auto* cond = dyn_cast_or_null<BinaryOperator>(loop->getCond() ? loop->getCond()->IgnoreParens() : nullptr);
        if (!cond || cond->getOpcode() != BO_LT || !is_ref_to(cond->getLHS(), i) || !of_type_t(cond->getLHS()) || !of_type_t(cond->getRHS()))
            return;
        const Expr* n = cond->getRHS();
        const Expr* inc = loop->getInc() ? loop->getInc()->IgnoreParens() : nullptr;
        const auto* step_u = dyn_cast_or_null<UnaryOperator>(inc);
        const auto* step_b = dyn_cast_or_null<BinaryOperator>(inc);
        const auto* one = step_b ? dyn_cast<IntegerLiteral>(step_b->getRHS()->IgnoreParenImpCasts()) : nullptr;
        if (!(step_u && step_u->isIncrementOp() && is_ref_to(step_u->getSubExpr(), i)) &&
            !(step_b && step_b->getOpcode() == BO_AddAssign && is_ref_to(step_b->getLHS(), i) && one && one->getValue() == 1))
            return;

        // The body: i only read, left only at its end or by return/throw (a break of its own
        // would end the blocks' loop only), nothing that two copies of it would change.
        const Stmt* body = loop->getBody();
        Scan scan;
        scan_body(body, i, true, scan);
        if (scan.refused) return;
        ExprMutationAnalyzer mutations(*body, ctx);
        if (mutations.isMutated(i)) return;

        // i % k (and i / k) with k of i's type, unchanged by the loop and not a constant (a
        // constant divisor is a multiplication already).
        const Expr* k = nullptr;
        for (const BinaryOperator* d : scan.divisions)
            if (d->getOpcode() == BO_Rem) {
                k = d->getRHS();
                break;
            }
        if (!k || k->isValueDependent() || k->isTypeDependent() || n->isValueDependent() || k->isIntegerConstantExpr(ctx)) return;
        if (references_var(n, i) || references_var(k, i) || !invariant(k, *loop) || !invariant(n, *loop)) return;
        std::vector<const BinaryOperator*> replaced;
        for (const BinaryOperator* d : scan.divisions)
            if (same_expr(d->getRHS(), k, ctx)) {
                if (!m_e.editable(d->getSourceRange())) return;
                replaced.push_back(d);
            }
        bool divides = false;
        for (const BinaryOperator* d : replaced) divides = divides || d->getOpcode() == BO_Div;
        const bool i_read_otherwise = scan.references > replaced.size();

        // The new names must be free in the file.
        const std::string name = i->getName().str();
        const std::string base = name + "_base", len = name + "_len", mod = name + "_mod", div = name + "_div";
        const StringRef file = m_e.file_text(loop->getBeginLoc());
        for (const std::string& fresh : {base, len, mod, div})
            if (mentions(file, fresh)) return;

        // Offsets in the file: the loop (with the ';' of a lone statement body) and its body.
        const SourceManager& sm = m_e.sm();
        const SourceLocation loop_begin = sm.getSpellingLoc(loop->getBeginLoc());
        const auto loop_end = m_e.end_offset(*body);
        if (!loop_end || sm.getFileID(loop_begin) != sm.getFileID(sm.getSpellingLoc(body->getBeginLoc()))) return;
        const unsigned lb = sm.getFileOffset(loop_begin), bb = sm.getFileOffset(sm.getSpellingLoc(body->getBeginLoc()));
        const unsigned le = *loop_end;
        if (!(lb < bb && bb < le && le <= file.size())) return;

        // The body with i % k and i / k replaced by the counters.
        std::string new_body = file.slice(bb, le).str();
        std::vector<std::pair<unsigned, unsigned>> spans;  // body-relative [begin, end), with what goes there
        std::vector<std::string> with;
        for (const BinaryOperator* d : replaced) {
            // (i % k) becomes i_mod, without the parentheses.
            const auto around = ctx.getParents(*d);
            const auto* paren = around.size() == 1 ? around[0].get<ParenExpr>() : nullptr;
            const core::Replacement rep = m_e.replace(paren ? paren->getSourceRange() : d->getSourceRange(), "");
            if (rep.offset < bb || rep.offset + rep.length > le) return;
            spans.emplace_back(rep.offset - bb, rep.offset - bb + rep.length);
            with.push_back(d->getOpcode() == BO_Rem ? mod : div);
        }
        std::vector<std::size_t> order(spans.size());
        for (std::size_t x = 0; x < order.size(); ++x) order[x] = x;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return spans[a].first > spans[b].first; });
        for (std::size_t x = 0; x + 1 < order.size(); ++x)
            if (spans[order[x + 1]].second > spans[order[x]].first) return;  // nested: one division inside another's divisor
        for (std::size_t x : order) new_body.replace(spans[x].first, spans[x].second - spans[x].first, with[x]);

        // The counter's type as written (its canonical spelling where it was deduced).
        std::string type_text = m_e.text(i->getTypeSourceInfo()->getTypeLoc().getSourceRange());
        if (type_text.empty() || StringRef(type_text).contains("auto") || StringRef(type_text).contains("decltype"))
            type_text = t.getAsString(ctx.getPrintingPolicy());
        const std::string loop_indent = m_e.indent_of(loop->getBeginLoc());
        std::string unit = "    ";
        if (const auto* block = dyn_cast<CompoundStmt>(body); block && !block->body_empty()) {
            const std::string inner = m_e.indent_of(block->body_front()->getBeginLoc());
            if (inner.size() > loop_indent.size() && StringRef(inner).starts_with(loop_indent)) unit = inner.substr(loop_indent.size());
        }
        const std::string at = type_text + " " + name + " = " + base + " + " + mod + ";";
        if (i_read_otherwise) {
            if (const auto* block = dyn_cast<CompoundStmt>(body)) {
                const bool own_line = !block->body_empty() &&
                                      starts_line(file, sm.getFileOffset(sm.getSpellingLoc(block->body_front()->getBeginLoc())));
                new_body.insert(1, own_line ? "\n" + loop_indent + unit + "const " + at : " const " + at);
            } else {
                new_body = "{ const " + at + " " + new_body + " }";
            }
        }
        // The divisor is compared with 0 as it is; in the blocks' lengths it is the counter's type,
        // as in i % k.
        const std::string k_text = operand(k), n_text = operand(n);
        const std::string k_len = k->IgnoreParenImpCasts()->getType().getCanonicalType().getUnqualifiedType() == t
                                      ? k_text
                                      : "static_cast<" + type_text + ">(" + m_e.text(k->IgnoreParenImpCasts()->getSourceRange()) + ")";
        const std::string in1 = loop_indent + unit, in2 = in1 + unit;
        std::string text = "if (" + k_text + " > 0) {\n";
        text += in1 + "for (" + type_text + " " + base + " = 0, " + len + " = 0" + (divides ? ", " + div + " = 0" : "") + "; " + base + " < " +
                n_text + "; " + base + " += " + len + (divides ? ", ++" + div : "") + ") {\n";
        text += in2 + len + " = " + n_text + " - " + base + " < " + k_len + " ? " + n_text + " - " + base + " : " + k_len + ";\n";
        text += in2 + "for (" + type_text + " " + mod + " = 0; " + mod + " < " + len + "; ++" + mod + ") " + reindent(new_body, unit + unit) + "\n";
        text += in1 + "}\n";
        text += loop_indent + "} else {\n";
        text += in1 + reindent(file.slice(lb, le).str(), unit) + "\n";
        text += loop_indent + "}";

        core::Replacement rep = m_e.replace(loop->getSourceRange(), "");
        rep.length = le - rep.offset;
        std::vector<core::Replacement> fix;
        if (parents.size() == 1 && parents[0].get<IfStmt>()) {
            // The branch of an if: in a block of its own, so that no else dangles.
            if (const auto braces = m_e.braces_around(*loop)) {
                fix.push_back(braces->first);
                text += "\n" + m_e.indent_of(parents[0].get<IfStmt>()->getBeginLoc()) + "}";
            } else {
                text = "{ " + text + " }";
            }
        }
        rep.text = text;
        fix.push_back(rep);
        const std::string division = m_e.text(replaced.front()->getSourceRange());
        m_e.emit("modulo-in-loop", loop->getBeginLoc(),
                 division + " divides on every iteration though " + m_e.text(k->getSourceRange()) +
                     " does not change in the loop; walking " + name + " in blocks of that length makes " + name + " % " +
                     m_e.text(k->getSourceRange()) +
                     (divides ? " and " + name + " / " + m_e.text(k->getSourceRange()) + " counters" : std::string(" a counter")) +
                     ", with no division, and lets the inner loop vectorise (the loop stays as it was for a divisor that is not positive)",
                 std::move(fix));
    }

private:
    struct Scan {
        bool refused = false;
        std::vector<const BinaryOperator*> divisions;  // i % e and i / e, all of i's type
        std::size_t references = 0;                    // every mention of i
    };

    // What two copies of the body would change (a static local, a label, a type or a lambda
    // defined in it), a jump the blocks would change (break, goto), the address of i.
    void scan_body(const Stmt* s, const VarDecl* i, bool own, Scan& scan) {
        if (!s || scan.refused) return;
        if (isa<GotoStmt>(s) || isa<IndirectGotoStmt>(s) || isa<LabelStmt>(s) || isa<LambdaExpr>(s) || isa<BlockExpr>(s) ||
            (own && isa<BreakStmt>(s))) {
            scan.refused = true;
            return;
        }
        if (const auto* decl = dyn_cast<DeclStmt>(s))
            for (const Decl* d : decl->decls()) {
                const auto* var = dyn_cast<VarDecl>(d);
                if (!var || var->isStaticLocal() || var->getTLSKind() != VarDecl::TLS_None || var->getName() == i->getName()) {
                    scan.refused = true;
                    return;
                }
            }
        if (const auto* u = dyn_cast<UnaryOperator>(s); u && u->getOpcode() == UO_AddrOf && is_ref_to(u->getSubExpr(), i)) {
            scan.refused = true;
            return;
        }
        if (is_ref_to_exactly(s, i)) ++scan.references;
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && (b->getOpcode() == BO_Rem || b->getOpcode() == BO_Div) &&
                                                         is_ref_to(b->getLHS(), i) && same_type(b, i) && same_type(b->getLHS(), i) &&
                                                         same_type(b->getRHS(), i))
            scan.divisions.push_back(b);
        // A break inside a nested loop or switch is its own.
        const bool nested = isa<ForStmt>(s) || isa<WhileStmt>(s) || isa<DoStmt>(s) || isa<CXXForRangeStmt>(s) || isa<SwitchStmt>(s);
        for (const Stmt* child : s->children()) scan_body(child, i, own && !nested, scan);
    }

    static bool is_ref_to_exactly(const Stmt* s, const VarDecl* var) {
        const auto* ref = dyn_cast<DeclRefExpr>(s);
        return ref && ref->getDecl() == var;
    }
    static bool same_type(const Expr* e, const VarDecl* i) {
        return e->getType().getCanonicalType().getUnqualifiedType() == i->getType().getCanonicalType().getUnqualifiedType();
    }

    // Whether e has the same value on every iteration of loop and evaluating it changes nothing:
    // literals, enumerators, and locals or parameters (not references or pointers) declared
    // before the loop and never changed in it, by name or through another, with arithmetic,
    // casts and a standard container's size() or length() over them.
    bool invariant(const Expr* e, const ForStmt& loop) {
        ASTContext& ctx = m_e.context();
        if (!repeatable(e, ctx)) return false;
        std::function<bool(const Expr*)> ok = [&](const Expr* x) -> bool {
            x = x->IgnoreParenImpCasts();
            if (isa<IntegerLiteral>(x) || isa<CharacterLiteral>(x)) return true;
            if (const auto* ref = dyn_cast<DeclRefExpr>(x)) {
                if (isa<EnumConstantDecl>(ref->getDecl())) return true;
                const auto* var = dyn_cast<VarDecl>(ref->getDecl());
                return var && var->hasLocalStorage() && !var->getType()->isReferenceType() && !var->getType()->isPointerType() &&
                       m_e.sm().isBeforeInTranslationUnit(var->getLocation(), loop.getBeginLoc()) &&
                       only_read(ctx, var, loop) && !m_e.aliased(var);
            }
            if (const auto* call = dyn_cast<CXXMemberCallExpr>(x))
                return call->getNumArgs() == 0 && call->getMethodDecl() && call->getMethodDecl()->getParent()->isInStdNamespace() &&
                       (method_is(call, "size") || method_is(call, "length")) && ok(call->getImplicitObjectArgument());
            const auto* b = dyn_cast<BinaryOperator>(x);
            const auto* u = dyn_cast<UnaryOperator>(x);
            if ((b && !b->isAssignmentOp() && b->getOpcode() != BO_Comma) ||
                (u && (u->getOpcode() == UO_Minus || u->getOpcode() == UO_Plus || u->getOpcode() == UO_Not)) || isa<ExplicitCastExpr>(x))
                return std::all_of(x->child_begin(), x->child_end(), [&](const Stmt* c) { return ok(cast<Expr>(c)); });
            return false;
        };
        return ok(e);
    }

    // e's text, in parentheses unless it is a name, a literal, a call or already parenthesised.
    std::string operand(const Expr* e) {
        const std::string text = m_e.text(e->getSourceRange());
        const Expr* bare = e->IgnoreImpCasts();
        if (isa<DeclRefExpr>(bare) || isa<IntegerLiteral>(bare) || isa<CallExpr>(bare) || isa<ParenExpr>(bare) || isa<ExplicitCastExpr>(bare) ||
            isa<ArraySubscriptExpr>(bare))
            return text;
        return "(" + text + ")";
    }

    static bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
    static bool mentions(StringRef file, StringRef name) {
        for (std::size_t at = file.find(name); at != StringRef::npos; at = file.find(name, at + 1)) {
            const bool starts = at == 0 || !identifier_char(file[at - 1]);
            const bool ends = at + name.size() >= file.size() || !identifier_char(file[at + name.size()]);
            if (starts && ends) return true;
        }
        return false;
    }
    static bool starts_line(StringRef file, unsigned offset) {
        while (offset > 0 && (file[offset - 1] == ' ' || file[offset - 1] == '\t')) --offset;
        return offset == 0 || file[offset - 1] == '\n';
    }
    // Every line after the first indented by `more`.
    static std::string reindent(const std::string& text, const std::string& more) {
        std::string out;
        for (char c : text) {
            out += c;
            if (c == '\n') out += more;
        }
        // No indentation added to lines that were empty.
        std::string cleaned;
        for (std::size_t at = 0; at < out.size(); ++at) {
            if (out[at] == '\n' && out.compare(at + 1, more.size(), more) == 0 && (at + 1 + more.size() == out.size() || out[at + 1 + more.size()] == '\n')) {
                cleaned += '\n';
                at += more.size();
                continue;
            }
            cleaned += out[at];
        }
        return cleaned;
    }
};

class VectorReserve : public Rule {
public:
    using Rule::Rule;
    // Whether `var.reserve(...)` appears in s before `before`.
    bool reserves_before(const Stmt* s, const VarDecl* var, SourceLocation before) {
        if (!s || !m_e.sm().isBeforeInTranslationUnit(s->getBeginLoc(), before)) return false;
        if (const auto* call = dyn_cast<CXXMemberCallExpr>(s); call && method_is(call, "reserve") && object_var(call) == var) return true;
        for (const Stmt* child : s->children())
            if (reserves_before(child, var, before)) return true;
        return false;
    }
    static auto matcher() {
        return forStmt(hasLoopInit(declStmt(hasSingleDecl(varDecl(hasType(isInteger()), hasInitializer(ignoringParenImpCasts(integerLiteral(equals(0)))))
                                                              .bind("i")))),
                       hasCondition(binaryOperator(hasOperatorName("<"), hasLHS(ignoringParenImpCasts(declRefExpr(to(varDecl(equalsBoundNode("i")))))),
                                                   hasRHS(expr(hasType(isInteger())).bind("n")))),
                       hasIncrement(unaryOperator(hasOperatorName("++"), hasUnaryOperand(declRefExpr(to(varDecl(equalsBoundNode("i"))))))),
                       hasBody(compoundStmt().bind("body")))
            .bind("loop");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<ForStmt>("loop");
        const auto* body = r.Nodes.getNodeAs<CompoundStmt>("body");
        const auto* n = r.Nodes.getNodeAs<Expr>("n");
        const auto* i = r.Nodes.getNodeAs<VarDecl>("i");
        if (!m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop) || contains_jump(body)) return;
        if (n->HasSideEffects(m_e.context())) return;
        std::vector<const VarDecl*> n_vars;
        bool only_locals = true;
        collect_vars(n, n_vars, only_locals);
        if (!only_locals) return;
        ExprMutationAnalyzer analyzer(*body, m_e.context());
        if (analyzer.isMutated(i)) return;
        for (const VarDecl* v : n_vars)
            if (analyzer.isMutated(v)) return;
        // Exactly one unconditional push_back on a vector declared before the loop.
        const VarDecl* target = nullptr;
        int pushes = 0;
        for (const Stmt* s : body->body()) {
            const Expr* e = dyn_cast<Expr>(s);
            if (!e) continue;
            const auto* call = dyn_cast<CXXMemberCallExpr>(e->IgnoreImplicit());
            if (!call || (!method_is(call, "push_back") && !method_is(call, "emplace_back"))) continue;
            const VarDecl* var = object_var(call);
            if (!var) return;
            if (match(qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasName("::std::vector")))))), var->getType(), m_e.context()).empty())
                return;
            target = var;
            ++pushes;
        }
        if (pushes != 1 || !target || references_var(n, target)) return;
        if (!m_e.sm().isBeforeInTranslationUnit(target->getLocation(), loop->getBeginLoc())) return;
        // Reserved already between its declaration and the loop (by the program or an earlier
        // round): another reserve adds nothing.
        const auto* function = dyn_cast<FunctionDecl>(target->getDeclContext());
        if (!function || reserves_before(function->getBody(), target, loop->getBeginLoc())) return;
        // Any other push onto the same vector inside nested statements makes the count unknown.
        int uses = 0;
        std::function<void(const Stmt*)> count = [&](const Stmt* s) {
            if (!s) return;
            if (const auto* ref = dyn_cast<DeclRefExpr>(s); ref && ref->getDecl() == target) ++uses;
            for (const Stmt* c : s->children()) count(c);
        };
        count(body);
        if (uses != 1) return;
        const std::string v = target->getName().str(), bound = m_e.text(n->getSourceRange());
        const std::string text = "if ((" + bound + ") > 0) " + v + ".reserve(" + v + ".size() + static_cast<std::size_t>(" + bound + "));\n" +
                                 m_e.indent_of(loop->getBeginLoc());
        m_e.emit("vector-reserve", loop->getBeginLoc(), "'" + v + "' grows by push_back " + bound + " times; reserve it first",
                 {m_e.insert_before(loop->getBeginLoc(), text)});
    }
};

// A variable declared directly in a loop's body (the loop's own compound statement), matched
// with the loop bound as "loop", the body as "body" and the declaration as "decl".
auto declared_in_loop_body() {
    return hasParent(declStmt(hasParent(compoundStmt(hasParent(stmt(anyOf(forStmt(), whileStmt(), doStmt(), cxxForRangeStmt())).bind("loop")))
                                            .bind("body")))
                         .bind("decl"));
}

// Whether body is the loop's body (not, say, the compound init of a nested statement).
bool is_body_of(const Stmt* loop, const Stmt* body) { return body && loop_body(loop) == body; }

// Whether var's name is declared nowhere else in fn (so it can move to the loop's scope).
bool name_unique_in(const FunctionDecl& fn, const VarDecl& var, ASTContext& ctx) {
    const std::string name = var.getName().str();
    for (const ParmVarDecl* p : fn.parameters())
        if (p->getName() == name) return false;
    return match(stmt(forEachDescendant(namedDecl(hasName(name)).bind("d"))), *fn.getBody(), ctx).size() == 1;
}

class ContainerInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(), hasType(heavy_type()), declared_in_loop_body()).bind("var");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        const auto* decl = r.Nodes.getNodeAs<DeclStmt>("decl");
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        const auto* body = r.Nodes.getNodeAs<CompoundStmt>("body");
        if (!decl->isSingleDecl() || !m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop)) return;
        if (!is_body_of(loop, body)) return;
        const auto* construct = dyn_cast_or_null<CXXConstructExpr>(var->getInit());
        if (!construct || construct->getNumArgs() != 0) return;  // only default-constructed containers
        if (var->getType().isConstQualified()) return;             // a const one cannot be cleared
        // The name must be free in the function, and the container must not escape.
        const FunctionDecl* fn = enclosing_function(m_e.context(), *loop);
        if (!fn || !fn->getBody()) return;
        ASTContext& ctx = m_e.context();
        if (!name_unique_in(*fn, *var, ctx)) return;
        const std::string name = var->getName().str();
        const Stmt& fn_body = *fn->getBody();
        // No lambda that could capture it, no address taken, and passed on only by value or const&.
        if (!match(findAll(lambdaExpr()), fn_body, ctx).empty()) return;
        const auto ref_to_var = declRefExpr(to(varDecl(equalsNode(var))));
        if (!match(findAll(unaryOperator(hasOperatorName("&"), hasUnaryOperand(ref_to_var))), fn_body, ctx).empty()) return;
        for (const auto& a : match(findAll(callExpr(forEachArgumentWithParam(ref_to_var, parmVarDecl().bind("p")))), fn_body, ctx)) {
            const QualType t = a.getNodeAs<ParmVarDecl>("p")->getType();
            if (t->isPointerType() || (t->isReferenceType() && !t->getPointeeType().isConstQualified())) return;
        }
        const std::string decl_text = m_e.text(decl->getSourceRange());
        m_e.emit("container-in-loop", var->getLocation(),
                 "'" + name + "' is created and destroyed on every iteration; create it once and clear it",
                 {m_e.insert_before(loop->getBeginLoc(), decl_text + "\n" + m_e.indent_of(loop->getBeginLoc())),
                  m_e.replace(decl->getSourceRange(), name + ".clear();")});
    }
};

class StreamInLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(),
                       hasType(qualType(hasCanonicalType(recordType(
                           hasDeclaration(namedDecl(hasAnyName("::std::basic_istringstream", "::std::basic_stringstream"))))))),
                       declared_in_loop_body())
            .bind("var");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        const auto* decl = r.Nodes.getNodeAs<DeclStmt>("decl");
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        const auto* body = r.Nodes.getNodeAs<CompoundStmt>("body");
        if (!decl->isSingleDecl() || !is_body_of(loop, body) || !m_e.editable(loop->getSourceRange()) || !m_e.compound_parent(*loop)) return;
        if (var->getType().isConstQualified() || !var->getTypeSourceInfo()) return;
        // Built from one string: std::istringstream ss(line);
        const auto* construct = dyn_cast_or_null<CXXConstructExpr>(var->getInit());
        if (!construct || construct->getNumArgs() == 0 || isa<CXXDefaultArgExpr>(construct->getArg(0))) return;
        for (unsigned i = 1; i < construct->getNumArgs(); ++i)
            if (!isa<CXXDefaultArgExpr>(construct->getArg(i))) return;  // an explicit open mode
        if (!construct->getArg(0)->getType()->isRecordType()) return;  // not a string (a moved stream, ...)
        const TypeLoc type = var->getTypeSourceInfo()->getTypeLoc();
        if (isa<AutoType>(var->getType().getTypePtr()) || !m_e.editable(type.getSourceRange())) return;
        const FunctionDecl* fn = enclosing_function(m_e.context(), *loop);
        if (!fn || !fn->getBody() || !name_unique_in(*fn, *var, m_e.context())) return;
        // Reused, the stream keeps its format state (base, precision, locale) from one iteration
        // to the next: only uses that read values and ask about the state, never change it.
        if (!only_reads(body, var)) return;

        const std::string name = var->getName().str();
        m_e.emit("stream-in-loop", var->getLocation(),
                 "'" + name + "' is constructed on every iteration; make it once before the loop and reset it with clear() and str()",
                 {m_e.insert_before(loop->getBeginLoc(), m_e.text(type.getSourceRange()) + " " + name + ";\n" + m_e.indent_of(loop->getBeginLoc())),
                  m_e.replace(decl->getSourceRange(),
                              name + ".clear();\n" + m_e.indent_of(decl->getBeginLoc()) + name + ".str(" +
                                  m_e.text(construct->getArg(0)->getSourceRange()) + ");")});
    }

private:
    // Whether e, ignoring parentheses and implicit conversions, is var or a >> chain starting at var.
    static bool rooted_at(const Expr* e, const VarDecl* var) {
        e = e->IgnoreParenImpCasts();
        if (const auto* ref = dyn_cast<DeclRefExpr>(e)) return ref->getDecl() == var;
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(e); op && op->getOperator() == OO_GreaterGreater && op->getNumArgs() == 2)
            return rooted_at(op->getArg(0), var);
        return false;
    }
    // What >> may read into: a number, a char, a string or a char array, never a manipulator
    // (std::hex, setprecision, ...), which would change the state the next iteration sees.
    static bool plain_target(const Expr* e) {
        const QualType t = e->getType().getNonReferenceType().getCanonicalType();
        if (t->isArithmeticType() || t->isArrayType()) return true;
        const auto* record = t->getAsCXXRecordDecl();
        return record && record->isInStdNamespace() && record->getName() == "basic_string";
    }
    // Every use of var in s is the start of a >> chain into plain targets, the stream of
    // std::getline, or a query of its state.
    bool only_reads(const Stmt* s, const VarDecl* var) {
        if (!s) return true;
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(s)) {
            if (op->getOperator() == OO_GreaterGreater && op->getNumArgs() == 2 && rooted_at(op->getArg(0), var))
                return plain_target(op->getArg(1)) && only_reads_children_except(op->getArg(0), var, op->getArg(1));
            if (op->getOperator() == OO_Exclaim && op->getNumArgs() == 1 && rooted_at(op->getArg(0), var))
                return only_reads_children_except(op->getArg(0), var, nullptr);
        }
        if (const auto* call = dyn_cast<CXXMemberCallExpr>(s); call && call->getImplicitObjectArgument() &&
                                                               rooted_at(call->getImplicitObjectArgument(), var)) {
            static const std::set<std::string> queries = {"eof", "fail", "good", "bad", "rdstate", "peek", "get", "ignore"};
            const CXXMethodDecl* method = call->getMethodDecl();
            if (!method) return false;
            const bool query = isa<CXXConversionDecl>(method) || (method->getIdentifier() && queries.contains(method->getName().str()));
            if (!query) return false;
            for (const Expr* arg : call->arguments())
                if (!only_reads(arg, var)) return false;
            return only_reads_children_except(call->getImplicitObjectArgument(), var, nullptr);
        }
        if (const auto* call = dyn_cast<CallExpr>(s); call && !isa<CXXOperatorCallExpr>(s) && call->getDirectCallee() &&
                                                       call->getDirectCallee()->isInStdNamespace() &&
                                                       call->getDirectCallee()->getName() == "getline" && call->getNumArgs() >= 2 &&
                                                       rooted_at(call->getArg(0), var)) {
            for (unsigned i = 1; i < call->getNumArgs(); ++i)
                if (!only_reads(call->getArg(i), var)) return false;
            return only_reads_children_except(call->getArg(0), var, nullptr);
        }
        if (const auto* ref = dyn_cast<DeclRefExpr>(s); ref && ref->getDecl() == var) return false;
        for (const Stmt* child : s->children())
            if (!only_reads(child, var)) return false;
        return true;
    }
    // The chain below an allowed use: inner >> steps are checked as uses themselves; the
    // stream at its root is the allowed use. `also` is one more operand to check.
    bool only_reads_children_except(const Expr* chain, const VarDecl* var, const Expr* also) {
        const Expr* inner = chain->IgnoreParenImpCasts();
        if (!isa<DeclRefExpr>(inner) && !only_reads(inner, var)) return false;
        return !also || only_reads(also, var);
    }
};

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
            std::vector<BoundNodes> uses;
            if (scope && scope->getBody()) {
                for (auto& found : match(findAll(refs), *scope->getBody(), m_e.context())) uses.push_back(found);
            } else {
                uses = match_in_sources(refs, m_e.context(), m_e.sources());
            }
            for (const auto& found : uses)
                if (!order_free_use(*found.getNodeAs<DeclRefExpr>("ref"))) return;
        }
        std::vector<core::Replacement> fix = {m_e.replace(*name, "unordered_map")};
        if (auto include = m_e.include(var->getLocation(), "unordered_map")) fix.insert(fix.begin(), *include);
        std::string names;
        for (const VarDecl* v : together) names += (names.empty() ? "'" : ", '") + v->getName().str() + "'";
        m_e.emit("map-to-unordered", var->getLocation(),
                 names + (together.size() > 1 ? " are" : " is") + " only looked up, never iterated in order; a hash map serves", std::move(fix));
    }

private:
    const Stmt* parent_stmt(const Stmt& s) {
        auto parents = m_e.context().getParents(s);
        return parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
    }
    const Stmt* parent_ignoring_implicit(const Stmt& s) {
        const Stmt* p = parent_stmt(s);
        while (p && (isa<ImplicitCastExpr>(p) || isa<MaterializeTemporaryExpr>(p) || isa<CXXBindTemporaryExpr>(p) ||
                     isa<ExprWithCleanups>(p) || isa<CXXConstructExpr>(p) || isa<ParenExpr>(p)))
            p = parent_stmt(*p);
        return p;
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
        const Stmt* call = parent_stmt(*member);
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

// The parent of `s` seen through the nodes that wrap a full expression or a temporary.
const Stmt* parent_through_wrappers(ASTContext& ctx, const Stmt& s) {
    auto parents = ctx.getParents(s);
    const Stmt* p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
    while (p && (isa<ExprWithCleanups>(p) || isa<CXXBindTemporaryExpr>(p) || isa<ImplicitCastExpr>(p) || isa<ParenExpr>(p))) {
        parents = ctx.getParents(*p);
        p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
    }
    return p;
}

class UnnecessaryCopy : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(), unless(parmVarDecl()), hasType(heavy_type()),
                       hasInitializer(ignoringImplicit(declRefExpr(to(varDecl().bind("source"))))), hasParent(declStmt().bind("decl")))
            .bind("copy");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* copy = r.Nodes.getNodeAs<VarDecl>("copy");
        const auto* source = r.Nodes.getNodeAs<VarDecl>("source");
        const auto* decl = r.Nodes.getNodeAs<DeclStmt>("decl");
        ASTContext& ctx = m_e.context();
        if (!decl->isSingleDecl() || copy->getInitStyle() != VarDecl::CInit || copy->getType()->isReferenceType()) return;
        if (isa<DecompositionDecl>(copy) || !m_e.editable(decl->getSourceRange())) return;
        // Exactly a copy construction from the variable (not a conversion, not a temporary).
        const auto* construct = dyn_cast_or_null<CXXConstructExpr>(copy->getInit()->IgnoreImplicit());
        if (!construct || !construct->getConstructor()->isCopyConstructor() || construct->getNumArgs() < 1 ||
            construct->isListInitialization())
            return;
        const auto* ref = dyn_cast<DeclRefExpr>(construct->getArg(0)->IgnoreImplicit());
        if (!ref || ref->getDecl() != source) return;
        const QualType source_type = source->getType();
        if (source_type->isReferenceType() ||
            !ctx.hasSameUnqualifiedType(source_type.getCanonicalType(), copy->getType().getCanonicalType()))
            return;
        const FunctionDecl* fn = enclosing_function(ctx, *decl);
        if (!fn || !fn->getBody() || !isa_and_nonnull<CompoundStmt>(parent_through_wrappers(ctx, *decl))) return;
        const Stmt& body = *fn->getBody();
        // The source must not change while the copy lives: a const object cannot; a local of this
        // function (or a by-value parameter) can change only through this body, which never
        // changes it. A global or a reference could change through a call or an alias: silent.
        const bool const_object = source_type.isConstQualified();
        const bool unchanged_local = source->hasLocalStorage() && source->getDeclContext() == fn &&
                                     !ExprMutationAnalyzer(body, ctx).isMutated(source);
        if (!const_object && !unchanged_local) return;
        // The copy must be only read, never returned (NRVO), moved, captured or addressed.
        if (!only_read(ctx, copy, body)) return;
        const bool is_map = !match(qualType(hasCanonicalType(recordType(hasDeclaration(namedDecl(hasAnyName("::std::map", "::std::unordered_map")))))),
                                   copy->getType(), ctx)
                                 .empty();
        const auto to_copy = declRefExpr(to(varDecl(equalsNode(copy))));
        // A map's operator[] inserts and has no const overload: with a const& it would not compile.
        if (is_map && !match(traverse(TK_AsIs, stmt(hasDescendant(cxxOperatorCallExpr(hasOverloadedOperatorName("[]"),
                                                                                        hasArgument(0, ignoringParenImpCasts(to_copy)))))),
                             body, ctx)
                            .empty())
            return;
        const auto returned = ignoringParens(ignoringImplicit(to_copy));
        const auto escape = stmt(anyOf(returnStmt(hasReturnValue(ignoringImplicit(anyOf(
                                           returned, cxxConstructExpr(argumentCountIs(1), hasArgument(0, returned)))))),
                                       callExpr(callee(functionDecl(hasAnyName("::std::move", "::std::forward"))), hasAnyArgument(ignoringParenImpCasts(to_copy))),
                                       unaryOperator(hasOperatorName("&"), hasUnaryOperand(ignoringParenImpCasts(to_copy))),
                                       cxxOperatorCallExpr(hasOverloadedOperatorName("&"), argumentCountIs(1), hasArgument(0, ignoringParenImpCasts(to_copy))),
                                       lambdaExpr(hasDescendant(to_copy))));
        if (!match(traverse(TK_AsIs, stmt(hasDescendant(escape))), body, ctx).empty()) return;
        // decltype(copy) would name a reference type afterwards.
        if (m_e.text(body.getSourceRange()).find("decltype") != std::string::npos) return;
        auto fix = make_const_ref(m_e, *copy);
        if (fix.empty()) return;
        m_e.emit("unnecessary-copy", copy->getLocation(),
                 "'" + copy->getName().str() + "' copies '" + source->getName().str() +
                     "', which does not change, and is only read; bind it by const&",
                 std::move(fix));
    }
};

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
        m_e.emit("string-find-char", literal->getBeginLoc(),
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

// The variables and fields an expression names.
void collect_named(const Stmt* s, std::set<const ValueDecl*>& out) {
    if (!s) return;
    if (const auto* ref = dyn_cast<DeclRefExpr>(s)) out.insert(ref->getDecl());
    if (const auto* member = dyn_cast<MemberExpr>(s)) out.insert(member->getMemberDecl());
    for (const Stmt* child : s->children()) collect_named(child, out);
}

class EmplaceBackTemporary : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxMemberCallExpr(callee(cxxMethodDecl(hasName("push_back"), ofClass(hasAnyName("::std::vector", "::std::deque")))),
                                 argumentCountIs(1), callee(memberExpr().bind("member")))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CXXMemberCallExpr>("call");
        const auto* member = r.Nodes.getNodeAs<MemberExpr>("member");
        ASTContext& ctx = m_e.context();
        const auto* container = dyn_cast_or_null<ClassTemplateSpecializationDecl>(call->getMethodDecl()->getParent());
        if (!container || container->getTemplateArgs().size() < 1 || container->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
            return;
        const QualType value_type = container->getTemplateArgs()[0].getAsType();
        if (!value_type->getAsCXXRecordDecl()) return;  // a scalar gains nothing
        // The argument as written: T(args...), T(arg) or T{}.
        const Expr* arg = call->getArg(0)->IgnoreImplicit();
        SourceLocation lparen, rparen;
        std::vector<const Expr*> args;
        const CXXConstructExpr* construct = nullptr;
        if (const auto* temporary = dyn_cast<CXXTemporaryObjectExpr>(arg)) {
            construct = temporary;
            lparen = temporary->getParenOrBraceRange().getBegin();
            rparen = temporary->getParenOrBraceRange().getEnd();
        } else if (const auto* cast = dyn_cast<CXXFunctionalCastExpr>(arg)) {
            lparen = cast->getLParenLoc();
            rparen = cast->getRParenLoc();
            const Expr* sub = cast->getSubExpr()->IgnoreImplicit();
            if (const auto* list = dyn_cast<InitListExpr>(sub)) {
                if (list->getNumInits() != 0) return;
            } else {
                if (cast->getCastKind() != CK_ConstructorConversion) return;
                construct = dyn_cast<CXXConstructExpr>(sub);
                if (!construct) return;
            }
        } else {
            return;  // a variable, a call, an implicit conversion: not a temporary written as T(...)
        }
        if (!ctx.hasSameUnqualifiedType(arg->getType().getCanonicalType(), value_type.getCanonicalType())) return;
        if (construct) {
            for (const Expr* a : construct->arguments())
                if (!isa<CXXDefaultArgExpr>(a)) args.push_back(a);
            // Braces may pick an initializer_list constructor; emplace_back uses parentheses.
            if (construct->isListInitialization() && !args.empty()) return;
            // emplace_back constructs from inside the allocator: the constructor must be public.
            if (!construct->getConstructor() || construct->getConstructor()->getAccess() != AS_public) return;
        }
        if (lparen.isInvalid() || rparen.isInvalid() || !m_e.editable(SourceRange(member->getMemberLoc(), call->getRParenLoc())) ||
            !m_e.editable(SourceRange(lparen, rparen)))
            return;
        // Perfect forwarding cannot carry a braced list, a null pointer constant, a bit-field or an
        // overloaded function name; an argument reading the container may alias its storage.
        std::set<const ValueDecl*> container_roots;
        collect_named(call->getImplicitObjectArgument(), container_roots);
        for (const Expr* a : args) {
            const Expr* bare = a->IgnoreParens();
            if (const auto* cast = dyn_cast<ImplicitCastExpr>(bare);
                cast && (cast->getCastKind() == CK_NullToPointer || cast->getCastKind() == CK_NullToMemberPointer))
                return;
            const Expr* plain = a->IgnoreImplicit()->IgnoreParens();
            if (isa<InitListExpr>(plain) || isa<CXXStdInitializerListExpr>(plain) || plain->refersToBitField()) return;
            if (plain->getType()->isFunctionType() || plain->getType()->isFunctionPointerType() || plain->getType()->isMemberPointerType())
                return;
            if (plain->getType()->isNullPtrType() || isa<GNUNullExpr>(plain)) return;
            std::set<const ValueDecl*> read;
            collect_named(a, read);
            for (const ValueDecl* d : read)
                if (container_roots.count(d)) return;
        }
        const SourceLocation inner_begin = Lexer::getLocForEndOfToken(m_e.sm().getSpellingLoc(lparen), 0, m_e.sm(), ctx.getLangOpts());
        const std::string inner =
            Lexer::getSourceText(CharSourceRange::getCharRange(inner_begin, m_e.sm().getSpellingLoc(rparen)), m_e.sm(), ctx.getLangOpts()).str();
        PrintingPolicy policy = ctx.getPrintingPolicy();
        policy.SuppressTagKeyword = true;
        m_e.emit("emplace-back-temporary", member->getMemberLoc(),
                 "push_back of a temporary " + value_type.getUnqualifiedType().getAsString(policy) +
                     " builds and moves it; emplace_back builds it in place",
                 {m_e.replace(SourceRange(member->getMemberLoc(), call->getRParenLoc()), "emplace_back(" + inner + ")")});
    }
};

// Whether var is one of the standard containers named (map, set, unordered_map, ...).
bool is_std_container(const VarDecl* var, std::initializer_list<StringRef> names) {
    const auto* record = var->getType().getNonReferenceType()->getAsCXXRecordDecl();
    return record && record->isInStdNamespace() && std::find(names.begin(), names.end(), record->getName()) != names.end();
}

// A condition that asks whether key is in a container (a local or parameter): c.count(k) [!= 0,
// > 0, == 0], !c.count(k), c.find(k) != c.end(), c.find(k) == c.end().
// Whether t is std::string itself: basic_string of char with std::char_traits (other traits
// may compare chars otherwise).
bool is_std_string(QualType t, ASTContext& ctx) {
    const auto* spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(t->getAsCXXRecordDecl());
    if (!spec || !spec->isInStdNamespace() || spec->getName() != "basic_string" || spec->getTemplateArgs().size() < 2) return false;
    const auto* traits = spec->getTemplateArgs()[1].getAsType()->getAsCXXRecordDecl();
    return traits && traits->isInStdNamespace() && traits->getName() == "char_traits" &&
           ctx.hasSameType(spec->getTemplateArgs()[0].getAsType(), ctx.CharTy);
}

struct Membership {
    const VarDecl* container = nullptr;
    const Expr* key = nullptr;
    bool present = true;  // true when the condition holds for a key that is in the container
};

// e without parentheses and what the compiler adds: conversions, temporaries, cleanups (a
// condition that makes a temporary, c.count((int)i), is wrapped in one).
const Expr* bare(const Expr* e) {
    for (const Expr* previous = nullptr; e != previous;) {
        previous = e;
        e = e->IgnoreImplicit()->IgnoreParens();
    }
    return e;
}

Membership membership_test(const Expr* cond) {
    cond = bare(cond);
    bool present = true;
    if (const auto* negation = dyn_cast<UnaryOperator>(cond); negation && negation->getOpcode() == UO_LNot) {
        present = false;
        cond = bare(negation->getSubExpr());
    } else if (const auto* binary = dyn_cast<BinaryOperator>(cond)) {
        const auto* zero = dyn_cast<IntegerLiteral>(bare(binary->getRHS()));
        if (!zero || zero->getValue() != 0) return {};
        if (binary->getOpcode() == BO_EQ) present = false;
        else if (binary->getOpcode() != BO_NE && binary->getOpcode() != BO_GT) return {};
        cond = bare(binary->getLHS());
    }
    if (const auto* call = dyn_cast<CXXMemberCallExpr>(cond); call && call->getNumArgs() == 1 && method_is(call, "count"))
        return {object_var(call), call->getArg(0), present};
    // find against end: only as the whole condition.
    const auto* compare = dyn_cast<CXXOperatorCallExpr>(cond);
    if (!present || !compare || compare->getNumArgs() != 2 ||
        (compare->getOperator() != OO_ExclaimEqual && compare->getOperator() != OO_EqualEqual))
        return {};
    const auto* find = dyn_cast<CXXMemberCallExpr>(bare(compare->getArg(0)));
    const auto* end = dyn_cast<CXXMemberCallExpr>(bare(compare->getArg(1)));
    if (!find || !end || find->getNumArgs() != 1 || end->getNumArgs() != 0 || !method_is(find, "find") || !method_is(end, "end"))
        return {};
    const VarDecl* container = object_var(find);
    if (!container || object_var(end) != container) return {};
    return {container, find->getArg(0), compare->getOperator() == OO_ExclaimEqual};
}

// An if whose condition is a membership test (membership_test), with the then-branch: the shared
// match of the rules that save a repeated search of the container.
class MembershipIfRule : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return ifStmt(hasCondition(expr().bind("cond")), hasThen(stmt().bind("then")), unless(hasInitStatement(anything())),
                      unless(hasConditionVariableStatement(anything())))
            .bind("if");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* if_stmt = r.Nodes.getNodeAs<IfStmt>("if");
        if (!m_e.editable(if_stmt->getSourceRange())) return;
        const auto* cond = r.Nodes.getNodeAs<Expr>("cond");
        const Membership test = membership_test(cond);
        if (!test.container || !repeatable(test.key, m_e.context())) return;
        check(*if_stmt, *cond, *r.Nodes.getNodeAs<Stmt>("then"), test);
    }

protected:
    virtual void check(const IfStmt& if_stmt, const Expr& cond, const Stmt& then, const Membership& test) = 0;
};

class SetCountThenInsert : public MembershipIfRule {
public:
    using MembershipIfRule::MembershipIfRule;

protected:
    void check(const IfStmt& if_stmt, const Expr& cond, const Stmt& then, const Membership& test) override {
        if (test.present || !is_std_container(test.container, {"set", "unordered_set"})) return;
        // The branch must begin with s.insert(x) for the same x, its value unused: inserting in
        // the condition then changes nothing the rest of the branch sees.
        const auto* block = dyn_cast<CompoundStmt>(&then);
        const Stmt* first = block ? (block->body_empty() ? nullptr : block->body_front()) : &then;
        const auto* first_expr = dyn_cast_or_null<Expr>(first);
        const auto* insert = first_expr ? dyn_cast<CXXMemberCallExpr>(first_expr->IgnoreImplicit()) : nullptr;
        if (!insert || insert->getNumArgs() != 1 || !method_is(insert, "insert") || object_var(insert) != test.container) return;
        const std::string set = test.container->getName().str();
        const std::string key = m_e.text(test.key->getSourceRange());
        if (m_e.text(insert->getArg(0)->getSourceRange()) != key || !m_e.editable(insert->getSourceRange())) return;

        std::vector<core::Replacement> fix;
        if (block) {
            const auto removal = m_e.remove_statement(*insert);
            if (!removal) return;
            fix = {m_e.replace(cond.getSourceRange(), set + ".insert(" + key + ").second"), *removal};
        } else if (!if_stmt.getElse()) {
            // if (!s.count(x)) s.insert(x);  is  s.insert(x);
            fix = {m_e.replace(SourceRange(if_stmt.getBeginLoc(), insert->getEndLoc()), set + ".insert(" + key + ")")};
        } else {
            return;
        }
        m_e.emit("set-count-then-insert", cond.getBeginLoc(),
                 "'" + set + "' is searched for " + key + " by the test and again by insert; test insert(" + key + ").second instead",
                 std::move(fix));
    }
};

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
            for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(var)))).bind("ref")), then, m_e.context())) {
                const auto* ref = found.getNodeAs<DeclRefExpr>("ref");
                if (!in_keys.contains(ref) && analyzer.isMutated(ref)) return;
            }

        const std::string map = lookup.container->getName().str();
        const std::string it = "optiloop_found_" + std::to_string(m_e.sm().getSpellingLineNumber(if_stmt.getBeginLoc()));
        std::vector<core::Replacement> fix = {
            m_e.replace(cond.getSourceRange(), "auto " + it + " = " + map + ".find(" + key + "); " + it + " != " + map + ".end()")};
        for (const Expr* use : uses) {
            if (!m_e.editable(use->getSourceRange())) return;
            fix.push_back(m_e.replace(use->getSourceRange(), it + "->second"));
        }
        m_e.emit("map-double-lookup", cond.getBeginLoc(),
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

// ---- popcount-loop: counting set bits one at a time ------------------------------------------

class PopcountLoop : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return stmt(anyOf(whileStmt(), forStmt())).bind("loop"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* loop = r.Nodes.getNodeAs<Stmt>("loop");
        ASTContext& ctx = m_e.context();
        // The loop's two steps, in the order they run.
        const Expr* cond = nullptr;
        const Stmt *first = nullptr, *second = nullptr;
        std::string before;  // a for's init expression (c = 0), kept as a statement of its own
        if (const auto* w = dyn_cast<WhileStmt>(loop)) {
            const auto* block = dyn_cast<CompoundStmt>(w->getBody());
            if (w->getConditionVariable() || !block || block->size() != 2) return;
            cond = w->getCond();
            first = block->body_front();
            second = block->body_back();
        } else {
            const auto* f = cast<ForStmt>(loop);
            if (isa_and_nonnull<DeclStmt>(f->getInit())) return count_each_bit(*f);
            if (f->getInit()) before = m_e.text(f->getInit()->getSourceRange()) + "; ";
            if (f->getConditionVariable() || !f->getInc()) return;
            cond = f->getCond();
            first = only_statement(f->getBody());
            second = f->getInc();
        }
        if (!cond || !first || !second) return;
        // while (x), while (x != 0), while (x > 0) for an unsigned x.
        const Expr* tested = cond->IgnoreParenImpCasts();
        bool any_sign = true;
        if (const auto* b = dyn_cast<BinaryOperator>(tested)) {
            if ((b->getOpcode() != BO_NE && b->getOpcode() != BO_GT) || !is_zero(b->getRHS())) return;
            any_sign = b->getOpcode() == BO_NE;
            tested = b->getLHS();
        }
        const VarDecl* x = var_of(tested);
        if (!x || x->getType()->isReferenceType() || !x->getType()->isIntegerType() || x->getType()->isBooleanType() ||
            ctx.getTypeSize(x->getType()) > 64)
            return;
        const bool is_signed = x->getType()->isSignedIntegerType();
        if (is_signed && !any_sign) return;  // a negative x stops at once
        // Either "count the low bit, then shift it out" or "clear the lowest set bit, count one".
        const VarDecl* c = nullptr;
        const Step shift = step_of(second, x);
        if (shift == Step::shift || (shift == Step::halve && !is_signed)) {
            c = counted_low_bit(first, x, !is_signed);
        } else {
            const Step a = step_of(first, x);
            if (a == Step::clear_lowest) c = incremented(second);
            else if (shift == Step::clear_lowest) c = incremented(first);
        }
        if (!c || c == x || !c->getType()->isIntegerType() || c->getType()->isBooleanType() || !m_e.editable(loop->getSourceRange())) return;

        const bool wide = ctx.getTypeSize(x->getType()) > 32;
        const std::string name = x->getName().str();
        const std::string call = std::string(wide ? "__builtin_popcountll(" : "__builtin_popcount(") +
                                 (is_signed ? (wide ? "(unsigned long long)" : "(unsigned)") : "") + name + ")";
        std::string text = before + c->getName().str() + " += " + call + ";";
        const bool reset = read_later(*loop, x);
        if (reset) text += " " + name + " = 0;";
        const auto parents = ctx.getParents(*loop);
        if ((reset || !before.empty()) && !(parents.size() == 1 && parents[0].get<CompoundStmt>())) text = "{ " + text + " }";
        emit(*loop, name, call, text, reset ? ", and " + name + " ends at 0 as the loop left it" : "");
    }

private:
    void emit(const Stmt& loop, const std::string& what, const std::string& call, const std::string& text, const std::string& note) {
        core::Replacement fix = m_e.replace(loop.getSourceRange(), text);
        // A loop ending in an expression statement: its ';' goes too.
        if (!isa<CompoundStmt>(loop_body(&loop))) {
            const SourceLocation after = Lexer::findLocationAfterToken(m_e.sm().getSpellingLoc(loop.getEndLoc()), tok::semi, m_e.sm(),
                                                                       m_e.context().getLangOpts(), false);
            if (after.isInvalid()) return;
            fix.length = m_e.sm().getFileOffset(after) - fix.offset;
        }
        m_e.emit("popcount-loop", loop.getBeginLoc(),
                 "this loop counts the set bits of " + what + " one at a time; " + call +
                     " counts them at once (one instruction where the CPU has popcnt, a few otherwise)" + note,
                 {fix});
    }

    // for (int b = 0; b < K; b++) if ((x >> b) & 1) ++c;  (or c += (x >> b) & 1, or x & (1 << b)
    // where 1 is as wide as x): the set bits among x's low K.
    void count_each_bit(const ForStmt& loop) {
        ASTContext& ctx = m_e.context();
        const VarDecl* b = counted_loop_var(loop, ctx);
        const auto* cond = dyn_cast_or_null<BinaryOperator>(loop.getCond() ? loop.getCond()->IgnoreParenImpCasts() : nullptr);
        const auto* inc = dyn_cast_or_null<UnaryOperator>(loop.getInc());
        if (!b || !is_zero(b->getInit()) || !cond || cond->getOpcode() != BO_LT || !is_ref_to(cond->getLHS(), b) || !inc ||
            !inc->isIncrementOp())
            return;
        const auto* bound = dyn_cast<IntegerLiteral>(cond->getRHS()->IgnoreParenImpCasts());
        const Stmt* body = only_statement(loop.getBody());
        if (!bound || !body || !m_e.editable(loop.getSourceRange())) return;
        // The tested bit and the counter.
        const Expr* test = nullptr;
        const VarDecl* c = nullptr;
        if (const auto* add = dyn_cast<BinaryOperator>(body); add && add->getOpcode() == BO_AddAssign) {
            test = add->getRHS();
            c = var_of(add->getLHS());
        } else if (const auto* branch = dyn_cast<IfStmt>(body); branch && !branch->getElse() && !branch->getInit() && !branch->getConditionVariable()) {
            test = branch->getCond()->IgnoreParenImpCasts();
            if (const auto* ne = dyn_cast<BinaryOperator>(test); ne && ne->getOpcode() == BO_NE && is_zero(ne->getRHS())) test = ne->getLHS();
            c = incremented(only_statement(branch->getThen()));
        }
        const auto* bit = test ? dyn_cast<BinaryOperator>(test->IgnoreParenImpCasts()) : nullptr;
        if (!bit || bit->getOpcode() != BO_And || bit->isTypeDependent() || !c || c == b || !c->getType()->isIntegerType() || c->getType()->isBooleanType()) return;
        const Expr* x = nullptr;
        for (const auto& [one, other] : {std::pair{bit->getLHS(), bit->getRHS()}, std::pair{bit->getRHS(), bit->getLHS()}}) {
            const auto* shifted = dyn_cast<BinaryOperator>(other->IgnoreParenImpCasts());
            if (is_literal(one, 1) && shifted && shifted->getOpcode() == BO_Shr && is_ref_to(shifted->getRHS(), b)) {
                x = shifted->getLHS();  // (x >> b) & 1
            } else if (const auto* mask = dyn_cast<BinaryOperator>(one->IgnoreParenImpCasts());
                       isa<IfStmt>(body) && mask && mask->getOpcode() == BO_Shl && is_literal(mask->getLHS(), 1) && is_ref_to(mask->getRHS(), b) &&
                       ctx.getTypeSize(mask->getLHS()->IgnoreParenImpCasts()->getType()) == ctx.getTypeSize(bit->getType())) {
                x = other;  // x & (1 << b), the 1 as wide as x after promotion (no sign-extended mask)
            }
            if (x) break;
        }
        if (!x || !repeatable(x, ctx) || references_var(x, b) || references_var(x, c)) return;
        const QualType type = x->IgnoreParenImpCasts()->getType();
        if (!type->isIntegerType() || type->isBooleanType()) return;
        const uint64_t width = ctx.getTypeSize(ctx.isPromotableIntegerType(type) ? ctx.getPromotedIntegerType(type) : type);
        const uint64_t k = bound->getValue().getZExtValue();
        if (width > 64 || k == 0 || k > width) return;
        const bool wide = width > 32;
        std::string arg = m_e.text(x->getSourceRange());
        const Expr* bare = x->IgnoreParenImpCasts();
        if (!isa<DeclRefExpr>(bare) && !isa<ArraySubscriptExpr>(bare) && !isa<CXXOperatorCallExpr>(bare) && !isa<ParenExpr>(x)) arg = "(" + arg + ")";
        if (type->isSignedIntegerType() || ctx.isPromotableIntegerType(type)) arg = (wide ? "(unsigned long long)" : "(unsigned)") + arg;
        if (k < width) {
            char mask[32];
            std::snprintf(mask, sizeof mask, "0x%llx%s", static_cast<unsigned long long>((uint64_t{1} << k) - 1), wide ? "ull" : "u");
            arg += std::string(" & ") + mask;
        }
        const std::string call = std::string(wide ? "__builtin_popcountll(" : "__builtin_popcount(") + arg + ")";
        emit(loop, (k < width ? "the low " + std::to_string(k) + " bits of " : std::string()) + m_e.text(x->getSourceRange()), call,
             c->getName().str() + " += " + call + ";", "");
    }

    enum class Step { none, shift, halve, clear_lowest };

    static bool is_literal(const Expr* e, uint64_t value) {
        const auto* literal = dyn_cast<IntegerLiteral>(e->IgnoreParenImpCasts());
        return literal && literal->getValue() == value;
    }
    static bool is_zero(const Expr* e) { return is_literal(e, 0); }

    // x >>= 1, x = x >> 1 (shift); x /= 2, x = x / 2 (halve); x &= x - 1, x = x & (x - 1).
    static Step step_of(const Stmt* s, const VarDecl* x) {
        const auto* b = dyn_cast<BinaryOperator>(s);
        if (!b || !is_ref_to(b->getLHS(), x)) return Step::none;
        auto minus_one = [&](const Expr* e) {
            const auto* m = dyn_cast<BinaryOperator>(e->IgnoreParenImpCasts());
            return m && m->getOpcode() == BO_Sub && is_ref_to(m->getLHS(), x) && is_literal(m->getRHS(), 1);
        };
        switch (b->getOpcode()) {
        case BO_ShrAssign: return is_literal(b->getRHS(), 1) ? Step::shift : Step::none;
        case BO_DivAssign: return is_literal(b->getRHS(), 2) ? Step::halve : Step::none;
        case BO_AndAssign: return minus_one(b->getRHS()) ? Step::clear_lowest : Step::none;
        case BO_Assign: {
            const auto* v = dyn_cast<BinaryOperator>(b->getRHS()->IgnoreParenImpCasts());
            if (!v || !is_ref_to(v->getLHS(), x)) return Step::none;
            if (v->getOpcode() == BO_Shr && is_literal(v->getRHS(), 1)) return Step::shift;
            if (v->getOpcode() == BO_Div && is_literal(v->getRHS(), 2)) return Step::halve;
            if (v->getOpcode() == BO_And && minus_one(v->getRHS())) return Step::clear_lowest;
            return Step::none;
        }
        default: return Step::none;
        }
    }

    // x & 1 (or 1 & x), and x % 2 where halving allowed it.
    static bool low_bit(const Expr* e, const VarDecl* x, bool allow_rem) {
        const auto* b = dyn_cast<BinaryOperator>(e->IgnoreParenImpCasts());
        if (!b) return false;
        if (b->getOpcode() == BO_And)
            return (is_ref_to(b->getLHS(), x) && is_literal(b->getRHS(), 1)) || (is_ref_to(b->getRHS(), x) && is_literal(b->getLHS(), 1));
        return allow_rem && b->getOpcode() == BO_Rem && is_ref_to(b->getLHS(), x) && is_literal(b->getRHS(), 2);
    }

    // ++c, c++, c += 1: c.
    static const VarDecl* incremented(const Stmt* s) {
        if (const auto* u = dyn_cast_or_null<UnaryOperator>(s); u && u->isIncrementOp()) return var_of(u->getSubExpr());
        if (const auto* b = dyn_cast_or_null<BinaryOperator>(s); b && b->getOpcode() == BO_AddAssign && is_literal(b->getRHS(), 1))
            return var_of(b->getLHS());
        return nullptr;
    }

    // c += x & 1, or if (x & 1) ++c (also == 1, != 0): c.
    static const VarDecl* counted_low_bit(const Stmt* s, const VarDecl* x, bool allow_rem) {
        if (const auto* b = dyn_cast<BinaryOperator>(s); b && b->getOpcode() == BO_AddAssign && low_bit(b->getRHS(), x, allow_rem))
            return var_of(b->getLHS());
        const auto* branch = dyn_cast<IfStmt>(s);
        if (!branch || branch->getElse() || branch->getInit() || branch->getConditionVariable()) return nullptr;
        const Expr* test = branch->getCond()->IgnoreParenImpCasts();
        if (const auto* eq = dyn_cast<BinaryOperator>(test)) {
            if ((eq->getOpcode() == BO_EQ && is_literal(eq->getRHS(), 1)) || (eq->getOpcode() == BO_NE && is_zero(eq->getRHS())))
                test = eq->getLHS();
        }
        return low_bit(test, x, allow_rem) ? incremented(only_statement(branch->getThen())) : nullptr;
    }

    // Whether x may be read after the loop: it outlives the function (a global, a static), it is
    // named after the loop, another name may reach it (its address taken, a reference bound to
    // it: anything before the loop but a read or an assignment to it), or the loop sits in an
    // outer loop that x outlives (its next iteration may read x first).
    bool read_later(const Stmt& loop, const VarDecl* x) {
        ASTContext& ctx = m_e.context();
        const FunctionDecl* fn = enclosing_function(ctx, loop);
        if (!fn || !fn->getBody() || !x->hasLocalStorage()) return true;
        const SourceRange inside = loop.getSourceRange();
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(x)))).bind("ref")), *fn->getBody(), ctx)) {
            const auto* ref = found.getNodeAs<DeclRefExpr>("ref");
            if (m_e.sm().isBeforeInTranslationUnit(inside.getEnd(), ref->getBeginLoc())) return true;
            if (!m_e.sm().isBeforeInTranslationUnit(ref->getBeginLoc(), inside.getBegin())) continue;  // in the loop
            const auto up = ctx.getParents(*ref);
            const auto* cast = up.size() == 1 ? up[0].get<ImplicitCastExpr>() : nullptr;
            const auto* assign = up.size() == 1 ? up[0].get<BinaryOperator>() : nullptr;
            if (!(cast && cast->getCastKind() == CK_LValueToRValue) && !(assign && assign->isAssignmentOp() && assign->getLHS() == ref))
                return true;
        }
        DynTypedNodeList parents = ctx.getParents(loop);
        while (parents.size() == 1) {
            const auto* parent = parents[0].get<Stmt>();
            if (!parent) break;
            if (loop_body(parent) && m_e.sm().isBeforeInTranslationUnit(x->getLocation(), parent->getBeginLoc())) return true;
            parents = ctx.getParents(*parent);
        }
        return false;
    }
};

// A local (not a parameter) of the standard container `qualified`.
auto local_container(const char* qualified) {
    return varDecl(hasLocalStorage(), unless(parmVarDecl()),
                   hasType(hasCanonicalType(recordType(hasDeclaration(classTemplateSpecializationDecl(hasName(qualified)))))));
}

// For a rule that gives a container variable another container type: the location of its
// template name when it is written `written<...>` (not auto or a typedef) and editable, the
// element type is not bool (whose proxies differ), and it is built from sizes, values or a
// brace list, which the other container takes alike (not from another container).
std::optional<SourceLocation> retypable(Emitter& e, const VarDecl& var, StringRef written) {
    const auto name = template_name_as_written(var);
    if (!name || !e.editable(*name) || e.text(*name) != written) return std::nullopt;
    const auto* record = dyn_cast<ClassTemplateSpecializationDecl>(var.getType()->getAsCXXRecordDecl());
    if (!record || record->getTemplateArgs()[0].getAsType()->isBooleanType()) return std::nullopt;
    if (const auto* init = var.getInit() ? dyn_cast<CXXConstructExpr>(var.getInit()->IgnoreImplicit()) : nullptr) {
        for (const Expr* arg : init->arguments())
            if (arg->getType()->isRecordType() && !isa<CXXStdInitializerListExpr>(arg->IgnoreImplicit()) && !isa<CXXDefaultArgExpr>(arg))
                return std::nullopt;
    } else if (var.getInit()) {
        return std::nullopt;
    }
    return name;
}

// s's parent, through parentheses, temporaries, implicit casts (but a read of a value) and the
// copies that pass an object on.
const Stmt* parent_through_temporaries(ASTContext& ctx, const Stmt& s) {
    auto parents = ctx.getParents(s);
    const Stmt* p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
    while (p && (isa<ParenExpr>(p) || isa<MaterializeTemporaryExpr>(p) || isa<CXXBindTemporaryExpr>(p) || isa<ExprWithCleanups>(p) ||
                 (isa<ImplicitCastExpr>(p) && cast<ImplicitCastExpr>(p)->getCastKind() != CK_LValueToRValue) ||
                 (isa<CXXConstructExpr>(p) && !isa<CXXTemporaryObjectExpr>(p)))) {
        parents = ctx.getParents(*p);
        p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
    }
    return p;
}

// ---- vector-as-queue: a vector whose front is erased --------------------------------------------

class VectorAsQueue : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return local_container("::std::vector").bind("var"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* v = r.Nodes.getNodeAs<VarDecl>("var");
        ASTContext& ctx = m_e.context();
        const auto* fn = dyn_cast_or_null<FunctionDecl>(v->getParentFunctionOrMethod());
        const auto parents = ctx.getParents(*v);
        const auto* decl = parents.size() == 1 ? parents[0].get<DeclStmt>() : nullptr;
        if (!fn || !fn->getBody() || !decl || !decl->isSingleDecl() || !m_e.editable(v->getLocation())) return;
        const auto name = retypable(m_e, *v, "vector");
        if (!name) return;
        // Every use is one a deque serves with the same meaning; at least one erases the front.
        std::vector<core::Replacement> fix;
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(v)))).bind("ref")), *fn->getBody(), ctx)) {
            const auto* ref = found.getNodeAs<DeclRefExpr>("ref");
            if (!deque_use(*ref, v, fix)) return;
        }
        if (fix.empty()) return;
        fix.push_back(m_e.replace(*name, "deque"));
        if (auto include = m_e.include(v->getLocation(), "deque")) fix.push_back(*include);
        m_e.emit("vector-as-queue", v->getLocation(),
                 "'" + v->getName().str() +
                     "' is used as a queue: erasing or inserting a vector's first element moves all the others; a deque does it at its front in O(1)",
                 std::move(fix));
    }

private:
    const Stmt* parent(const Stmt& s) {
        auto parents = m_e.context().getParents(s);
        const Stmt* p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
        while (p && (isa<ImplicitCastExpr>(p) || isa<ParenExpr>(p) || isa<MaterializeTemporaryExpr>(p) || isa<CXXBindTemporaryExpr>(p) ||
                     isa<ExprWithCleanups>(p) || (isa<CXXConstructExpr>(p) && !isa<CXXTemporaryObjectExpr>(p)))) {
            parents = m_e.context().getParents(*p);
            p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
        }
        return p;
    }

    // Whether ref is what a range-for walks (bound to its hidden __range variable).
    bool ranged_over(const DeclRefExpr& ref) {
        ASTContext& ctx = m_e.context();
        auto up = ctx.getParents(ref);
        const auto* range = up.size() == 1 ? up[0].get<VarDecl>() : nullptr;
        if (!range || !range->isImplicit()) return false;
        up = ctx.getParents(*range);
        const auto* decl = up.size() == 1 ? up[0].get<DeclStmt>() : nullptr;
        if (!decl) return false;
        up = ctx.getParents(*decl);
        const auto* loop = up.size() == 1 ? up[0].get<CXXForRangeStmt>() : nullptr;
        return loop && loop->getRangeInit()->IgnoreParenImpCasts() == &ref;
    }

    // A call of v's own method `name`, with the expression that names v.
    static const CXXMemberCallExpr* own_call(const Expr* e, const VarDecl* v, StringRef name) {
        const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(e ? e->IgnoreUnlessSpelledInSource() : nullptr);
        return call && method_is(call, name) && is_ref_to(call->getImplicitObjectArgument(), v) ? call : nullptr;
    }

    // Whether this use of v means the same on a deque; the edits for a front erased or inserted.
    bool deque_use(const DeclRefExpr& ref, const VarDecl* v, std::vector<core::Replacement>& fix) {
        // An element's address would assume the elements sit side by side, which a deque's do not.
        auto not_addressed = [&](const Stmt& element) {
            const auto* u = dyn_cast_or_null<UnaryOperator>(parent(element));
            return !u || u->getOpcode() != UO_AddrOf;
        };
        const Stmt* p = parent(ref);
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(p))
            return op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreImplicit() == &ref && not_addressed(*op);
        if (!p) return ranged_over(ref);
        const auto* member = dyn_cast_or_null<MemberExpr>(p);
        const auto* call = member ? dyn_cast_or_null<CXXMemberCallExpr>(parent(*member)) : nullptr;
        if (!call || call->getCallee()->IgnoreParens() != member || !member->getMemberDecl()->getIdentifier()) return false;
        const StringRef name = member->getMemberDecl()->getName();
        static const std::set<StringRef> k_same = {"push_back", "emplace_back", "pop_back", "front", "back", "empty", "size", "clear", "at", "resize", "max_size"};
        if (k_same.contains(name)) return not_addressed(*call);
        if (name == "begin" || name == "end") {
            // Only as the position handed to v's own erase or insert (v.begin() + k included).
            const Stmt* up = parent(*call);
            while (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(up)) {
                if ((op->getOperator() != OO_Plus && op->getOperator() != OO_Minus) || op->getNumArgs() != 2) return false;
                up = parent(*op);
            }
            const auto* user = dyn_cast_or_null<CXXMemberCallExpr>(up);
            return user && (own_call(user, v, "erase") || own_call(user, v, "insert"));
        }
        if (name != "erase" && name != "insert") return false;
        // Only as statements: the iterator they return would be the vector's. v.erase(v.begin())
        // and v.insert(v.begin(), x) become pop_front and push_front.
        const Stmt* use = parent(*call);
        if (!use || isa<Expr>(use)) return false;
        if (call->getNumArgs() == 0 || !own_call(call->getArg(0), v, "begin")) return true;
        const std::string object = m_e.text(call->getImplicitObjectArgument()->getSourceRange());
        if (name == "erase" && call->getNumArgs() == 1) fix.push_back(m_e.replace(call->getSourceRange(), object + ".pop_front()"));
        if (name == "insert" && call->getNumArgs() == 2 && !call->getArg(1)->getType()->isRecordType())
            fix.push_back(m_e.replace(call->getSourceRange(), object + ".push_front(" + m_e.text(call->getArg(1)->getSourceRange()) + ")"));
        return true;
    }
};

// ---- branch-to-select: an if / else-if chain that only picks a value ---------------------------

class BranchToSelect : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return ifStmt(unless(hasParent(ifStmt())), hasAncestor(stmt(anyOf(forStmt(), whileStmt(), doStmt(), cxxForRangeStmt())))).bind("if");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* top = r.Nodes.getNodeAs<IfStmt>("if");
        ASTContext& ctx = m_e.context();
        if (!m_e.editable(top->getSourceRange()) || !m_e.compound_parent(*top)) return;
        // The chain: each branch assigns the same scalar x and, in every branch or none, adds
        // one to the same counter; a final else may assign x only.
        std::vector<const Expr*> conditions, values;
        const Expr* otherwise = nullptr;
        const VarDecl* x = nullptr;
        const VarDecl* counter = nullptr;
        bool first = true;
        for (const IfStmt* branch = top; branch;) {
            if (branch->getInit() || branch->getConditionVariable() || branch->isConstexpr() || branch->isConsteval()) return;
            Branch b;
            if (!read_branch(branch->getThen(), b) || (!first && (b.counter != nullptr) != (counter != nullptr))) return;
            if (first) counter = b.counter;
            if ((x && b.x != x) || (counter && b.counter != counter)) return;
            x = b.x;
            first = false;
            conditions.push_back(branch->getCond());
            values.push_back(b.value);
            const Stmt* rest = branch->getElse();
            branch = dyn_cast_or_null<IfStmt>(rest);
            if (rest && !branch) {
                Branch e;
                if (!read_branch(rest, e) || e.counter || e.x != x) return;
                otherwise = e.value;
            }
        }
        // Worth it: a chain of two or more, or a count the compiler would keep as a branch.
        if (conditions.size() < 2 && !counter) return;
        if (!x || x == counter || x->getType().isVolatileQualified() || !x->hasLocalStorage() || x->getType()->isReferenceType() ||
            !x->getType()->isArithmeticType())
            return;
        if (counter && (counter->getType().isVolatileQualified() || !counter->hasLocalStorage() || counter->getType()->isReferenceType() ||
                        !counter->getType()->isIntegerType()))
            return;
        // Every condition is evaluated up front (for the count): only comparisons of plain
        // values, which cannot fault; the values stay behind ?: and are evaluated as before.
        for (const Expr* c : conditions)
            if (!plain_test(c) || (counter && references_var(c, counter)) || !m_e.editable(c->getSourceRange())) return;
        for (const Expr* v : values)
            if (!m_e.editable(v->getSourceRange())) return;
        if (otherwise && !m_e.editable(otherwise->getSourceRange())) return;
        // The values meet in one type before x takes the result: x's own, or integer literals
        // (which that type holds as assigning them would).
        const QualType type = x->getType().getCanonicalType().getUnqualifiedType();
        auto value_ok = [&](const Expr* v) {
            if (!repeatable(v, ctx) || (counter && references_var(v, counter))) return false;
            const Expr* bare = v->IgnoreParenImpCasts();
            if (bare->getType().getCanonicalType().getUnqualifiedType() == type) return true;
            if (const auto* u = dyn_cast<UnaryOperator>(bare); u && u->getOpcode() == UO_Minus) bare = u->getSubExpr()->IgnoreParenImpCasts();
            return isa<IntegerLiteral>(bare);
        };
        if (!std::all_of(values.begin(), values.end(), value_ok) || (otherwise && !value_ok(otherwise))) return;

        const std::string name = x->getName().str();
        std::string select;
        for (std::size_t k = 0; k < conditions.size(); ++k)
            select += text_of(conditions[k]) + " ? " + operand_text(values[k]) + " : ";
        select += otherwise ? operand_text(otherwise) : name;
        std::string text;
        if (counter) {
            std::string any;
            for (const Expr* c : conditions) any += (any.empty() ? "(" : " | (") + text_of(c) + ")";
            text = counter->getName().str() + " += " + any + ";\n" + m_e.indent_of(top->getBeginLoc());
        }
        text += name + " = " + select + ";";
        core::Replacement rep = m_e.replace(top->getSourceRange(), text);
        const auto end = m_e.end_offset(*top);
        if (!end || *end < rep.offset) return;
        rep.length = *end - rep.offset;
        m_e.emit("branch-to-select", top->getBeginLoc(),
                 "this if" + std::string(conditions.size() > 1 ? "/else-if chain" : "") + " only chooses " + name + "'s value" +
                     (counter ? " and counts how often a branch is taken" : "") +
                     "; as a conditional expression" + (counter ? " and a sum of comparisons" : "") +
                     " it has no branch, and the loop around it can be vectorised",
                 {rep});
    }

private:
    struct Branch {
        const VarDecl* x = nullptr;
        const Expr* value = nullptr;
        const VarDecl* counter = nullptr;
    };

    // `x = value;` and at most one `++c` / `c++` / `c += 1`, alone or in a block, in either order.
    static bool read_branch(const Stmt* s, Branch& b) {
        std::vector<const Stmt*> parts;
        if (const auto* block = dyn_cast_or_null<CompoundStmt>(s)) parts.assign(block->body_begin(), block->body_end());
        else if (s) parts.push_back(s);
        if (parts.empty() || parts.size() > 2) return false;
        for (const Stmt* part : parts) {
            const auto* e = dyn_cast<Expr>(part);
            if (!e) return false;
            e = e->IgnoreParens();
            if (const auto* assign = dyn_cast<BinaryOperator>(e); assign && assign->getOpcode() == BO_Assign && !b.x) {
                b.x = var_of(assign->getLHS());
                b.value = assign->getRHS();
                if (!b.x || !isa<DeclRefExpr>(assign->getLHS()->IgnoreParens())) return false;
                continue;
            }
            const VarDecl* bumped = nullptr;
            if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->isIncrementOp()) bumped = var_of(u->getSubExpr());
            if (const auto* add = dyn_cast<BinaryOperator>(e); add && add->getOpcode() == BO_AddAssign)
                if (const auto* one = dyn_cast<IntegerLiteral>(add->getRHS()->IgnoreParenImpCasts()); one && one->getValue() == 1)
                    bumped = var_of(add->getLHS());
            if (!bumped || b.counter) return false;
            b.counter = bumped;
        }
        return b.x && (!b.counter || b.counter != b.x);
    }

    // A comparison, or !, && and || over comparisons, of locals, literals and enumerators (and
    // casts of them): evaluated when the original would not have, it still cannot fault.
    static bool plain_test(const Expr* e) {
        e = e->IgnoreParenImpCasts();
        if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_LNot) return plain_test(u->getSubExpr());
        const auto* b = dyn_cast<BinaryOperator>(e);
        if (!b) return false;
        if (b->getOpcode() == BO_LAnd || b->getOpcode() == BO_LOr) return plain_test(b->getLHS()) && plain_test(b->getRHS());
        return (b->isRelationalOp() || b->isEqualityOp()) && plain_value(b->getLHS()) && plain_value(b->getRHS());
    }
    static bool plain_value(const Expr* e) {
        e = e->IgnoreParenImpCasts();
        if (const auto* cast = dyn_cast<ExplicitCastExpr>(e)) return plain_value(cast->getSubExpr());
        if (const auto* u = dyn_cast<UnaryOperator>(e); u && (u->getOpcode() == UO_Minus || u->getOpcode() == UO_Plus))
            return isa<IntegerLiteral>(u->getSubExpr()->IgnoreParenImpCasts()) || isa<FloatingLiteral>(u->getSubExpr()->IgnoreParenImpCasts());
        if (isa<IntegerLiteral>(e) || isa<FloatingLiteral>(e) || isa<CharacterLiteral>(e) || isa<CXXBoolLiteralExpr>(e)) return true;
        const auto* ref = dyn_cast<DeclRefExpr>(e);
        if (!ref) return false;
        if (isa<EnumConstantDecl>(ref->getDecl())) return true;
        const auto* var = dyn_cast<VarDecl>(ref->getDecl());
        return var && var->hasLocalStorage() && !var->getType()->isReferenceType() && var->getType()->isScalarType() &&
               !var->getType().isVolatileQualified();
    }

    std::string text_of(const Expr* e) { return m_e.text(e->getSourceRange()); }
    // A value as a ?: operand: in parentheses only where its own operator binds more loosely.
    std::string operand_text(const Expr* e) {
        const Expr* bare = e->IgnoreImpCasts();
        const auto* b = dyn_cast<BinaryOperator>(bare);
        if ((b && (b->isAssignmentOp() || b->getOpcode() == BO_Comma)) || isa<AbstractConditionalOperator>(bare)) return "(" + text_of(e) + ")";
        return text_of(e);
    }
};

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
        m_e.emit("set-linear-search", call->getBeginLoc(),
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

// The statement s belongs to: its parent, or for a variable's initialiser its declaration.
const Stmt* statement_parent(ASTContext& ctx, const Stmt& s) {
    const auto parents = ctx.getParents(s);
    if (parents.size() != 1) return nullptr;
    if (const auto* st = parents[0].get<Stmt>()) return st;
    if (const auto* var = parents[0].get<VarDecl>()) {
        const auto above = ctx.getParents(*var);
        return above.size() == 1 ? above[0].get<DeclStmt>() : nullptr;
    }
    return nullptr;
}

// v.at(e) -> v[e] where e is proved to lie in [0, v.size()). The size is known from v's
// declaration, `std::vector<T> v(n)` (or `w(n, std::vector<T>(m))`, whose every element then has
// size m), when nothing in the function after it can change a size: every use of v is an element
// access or a size-keeping member call, and n (m) is never written after it. The index is a for
// loop's counter `for (T i = a; i < n; ++i)` (a a literal, i and n unchanged in the body), less a
// constant at most a, or plus / minus a constant under an enclosing `if (i + c < n)` / `if (i >= c)`.
class AtInBounds : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxMemberCallExpr(callee(cxxMethodDecl(hasName("at"), ofClass(hasAnyName("::std::vector", "::std::basic_string", "::std::deque")))),
                                 argumentCountIs(1))
            .bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CXXMemberCallExpr>("call");
        ASTContext& ctx = m_e.context();
        const auto* member = dyn_cast<MemberExpr>(call->getCallee()->IgnoreParens());
        if (!member || member->isArrow() || !m_e.editable(call->getSourceRange())) return;
        const Expr* object = call->getImplicitObjectArgument();
        if (!in_range(*call, call->getArg(0), known_size(object), object)) return;
        // ".at(" -> "[" and ")" -> "]": token edits, so that nested accesses' edits do not overlap.
        const SourceManager& sm = m_e.sm();
        const SourceLocation dot = sm.getSpellingLoc(member->getOperatorLoc());
        const SourceLocation name_end = Lexer::getLocForEndOfToken(sm.getSpellingLoc(member->getMemberLoc()), 0, sm, ctx.getLangOpts());
        const StringRef text = m_e.file_text(dot);
        unsigned paren = sm.getFileOffset(name_end);
        while (paren < text.size() && (text[paren] == ' ' || text[paren] == '\t')) ++paren;
        if (paren >= text.size() || text[paren] != '(') return;
        const unsigned begin = sm.getFileOffset(dot);
        const std::string file = m_e.sources().relative(sm, dot);
        const SourceLocation rparen = sm.getSpellingLoc(call->getRParenLoc());
        m_e.emit("at-in-bounds", member->getMemberLoc(),
                 m_e.text(call->getSourceRange()) + " checks an index the loop's bounds already keep in range; [] reads the same element without the check",
                 {core::Replacement{file, begin, paren + 1 - begin, "["}, core::Replacement{file, sm.getFileOffset(rparen), 1, "]"}});
    }

private:
    // The size of the vector `object` stands for, as an expression in scope (a variable or an
    // integer literal), when the declaration fixes it; null otherwise.
    const Expr* known_size(const Expr* object) {
        object = object->IgnoreParenImpCasts();
        if (const auto* ref = dyn_cast<DeclRefExpr>(object)) {
            const auto* var = dyn_cast<VarDecl>(ref->getDecl());
            const Sizes* sizes = var ? sizes_of(*var) : nullptr;
            return sizes ? sizes->outer : nullptr;
        }
        // An element of a vector of vectors: w.at(k) or w[k].
        const Expr* base = nullptr;
        if (const auto* inner = dyn_cast<CXXMemberCallExpr>(object); inner && method_is(inner, "at") && inner->getNumArgs() == 1)
            base = inner->getImplicitObjectArgument();
        if (const auto* op = dyn_cast<CXXOperatorCallExpr>(object); op && op->getOperator() == OO_Subscript && op->getNumArgs() == 2)
            base = op->getArg(0);
        const auto* ref = base ? dyn_cast<DeclRefExpr>(base->IgnoreParenImpCasts()) : nullptr;
        const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
        const Sizes* sizes = var ? sizes_of(*var) : nullptr;
        return sizes ? sizes->inner : nullptr;
    }

    struct Sizes {
        const Expr* outer = nullptr;  // v.size()
        const Expr* inner = nullptr;  // v[k].size() for every k, for a vector of vectors
    };

    // What var's declaration says about its sizes, if nothing after it changes them.
    const Sizes* sizes_of(const VarDecl& var) {
        if (auto it = m_sizes.find(&var); it != m_sizes.end()) return it->second ? &*it->second : nullptr;
        std::optional<Sizes> found = work_out_sizes(var);
        auto& slot = m_sizes[&var];
        slot = found;
        return slot ? &*slot : nullptr;
    }

    // A std::vector constructed with a count: the count as written (a literal, or a local integer
    // variable), else null.
    static const Expr* count_of(const Expr* init) {
        if (!init) return nullptr;
        init = init->IgnoreImplicit();
        if (const auto* cast_expr = dyn_cast<CXXFunctionalCastExpr>(init)) init = cast_expr->getSubExpr()->IgnoreImplicit();
        const auto* construct = dyn_cast<CXXConstructExpr>(init);
        if (!construct || construct->getNumArgs() < 1 || construct->getNumArgs() > 3 || construct->isListInitialization()) return nullptr;
        const auto* record = construct->getType()->getAsCXXRecordDecl();
        if (!record || !record->isInStdNamespace() || record->getName() != "vector") return nullptr;
        // vector(n), (n, value), (n, alloc), (n, value, alloc): n elements. (The iterator-pair
        // constructor takes iterators, and a braced list takes an initializer_list.)
        const CXXConstructorDecl* ctor = construct->getConstructor();
        if (!ctor || ctor->getNumParams() < 1 || !ctor->getParamDecl(0)->getType()->isIntegerType()) return nullptr;
        const Expr* count = construct->getArg(0)->IgnoreParenImpCasts();
        if (isa<IntegerLiteral>(count)) return count;
        const auto* ref = dyn_cast<DeclRefExpr>(count);
        const auto* var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
        if (!var || !var->hasLocalStorage() || var->getType()->isReferenceType() || !var->getType()->isIntegerType()) return nullptr;
        return count;
    }

    std::optional<Sizes> work_out_sizes(const VarDecl& var) {
        ASTContext& ctx = m_e.context();
        if (!var.hasLocalStorage() || var.getType()->isReferenceType() || isa<ParmVarDecl>(var)) return std::nullopt;
        Sizes sizes;
        sizes.outer = count_of(var.getInit());
        if (!sizes.outer) return std::nullopt;
        const auto* construct = dyn_cast<CXXConstructExpr>(var.getInit()->IgnoreImplicit());
        if (construct && construct->getNumArgs() >= 2 && !isa<CXXDefaultArgExpr>(construct->getArg(1)))
            sizes.inner = count_of(construct->getArg(1));
        // The statements that run while var lives: those after its declaration in its block.
        const auto parents = ctx.getParents(var);
        const auto* decl = parents.size() == 1 ? parents[0].get<DeclStmt>() : nullptr;
        const CompoundStmt* block = decl ? m_e.compound_parent(*decl) : nullptr;
        if (!block) return std::nullopt;
        std::vector<const Stmt*> after;  // with the declaration itself, whose other declarators run after var's
        bool seen = false;
        for (const Stmt* st : block->body()) {
            if (st == decl) seen = true;
            if (seen) after.push_back(st);
        }
        for (const Expr* count : {sizes.outer, sizes.inner}) {
            const VarDecl* n = count ? var_of(count) : nullptr;
            if (!n) continue;
            if (m_e.aliased(n)) return std::nullopt;
            for (const Stmt* st : after)
                if (ExprMutationAnalyzer(*st, ctx).isMutated(n)) return std::nullopt;
        }
        // Every use of var keeps its size (and its elements' sizes).
        const auto* fn = enclosing_function(ctx, *decl);
        if (!fn || !fn->getBody()) return std::nullopt;
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(&var)))).bind("ref")), *fn->getBody(), ctx)) {
            const auto* ref = found.getNodeAs<DeclRefExpr>("ref");
            const Expr* element = element_access(*ref);
            if (!element) {
                if (!size_keeping_use(*ref)) return std::nullopt;
                continue;
            }
            if (!sizes.inner) continue;  // the elements are not vectors we know the size of
            if (!size_keeping_use(*element)) return std::nullopt;
        }
        return sizes;
    }

    // For e, a vector, used as the object of v.at(k) or v[k]: that access; else null.
    const Expr* element_access(const Expr& e) {
        const Stmt* parent = parent_through_wrappers(m_e.context(), e);
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent);
            op && op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreParenImpCasts() == &e)
            return op;
        if (const auto* m = dyn_cast_or_null<MemberExpr>(parent)) {
            const auto* call = dyn_cast_or_null<CXXMemberCallExpr>(parent_through_wrappers(m_e.context(), *m));
            if (call && method_is(call, "at")) return call;
        }
        return nullptr;
    }

    // Whether e, a vector, is used only in a way that cannot change its size: a member call that
    // reads it or its elements, an element access, or its size.
    bool size_keeping_use(const Expr& e) {
        if (element_access(e)) return true;
        const auto* m = dyn_cast_or_null<MemberExpr>(parent_through_wrappers(m_e.context(), e));
        const auto* call = m ? dyn_cast_or_null<CXXMemberCallExpr>(parent_through_wrappers(m_e.context(), *m)) : nullptr;
        if (!call) return false;
        static const std::set<std::string> keeping = {"size",   "length", "empty",  "front",   "back",         "data",         "begin",
                                                      "end",    "cbegin", "cend",   "rbegin",  "rend",         "c_str",        "find",
                                                      "rfind",  "substr", "compare", "find_first_of", "find_last_of", "starts_with", "ends_with"};
        const CXXMethodDecl* method = call->getMethodDecl();
        return method && method->getIdentifier() && keeping.contains(method->getName().str());
    }

    // Whether index, used at `use` on object, is proved to lie in [0, size) where size is the
    // object's size as its declaration fixes it (null when unknown) or, in a loop that keeps it,
    // object.size() itself.
    bool in_range(const Stmt& use, const Expr* index, const Expr* size, const Expr* object) {
        index = index->IgnoreParenImpCasts();
        const VarDecl* counter = var_of(index);
        long long offset = 0;  // index = counter + offset
        if (!counter) {
            const auto* b = dyn_cast<BinaryOperator>(index);
            const auto* c = b ? dyn_cast<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts()) : nullptr;
            if (!c || (b->getOpcode() != BO_Add && b->getOpcode() != BO_Sub) || !(counter = var_of(b->getLHS())) || c->getValue().getActiveBits() > 31)
                return false;
            offset = b->getOpcode() == BO_Add ? c->getValue().getSExtValue() : -c->getValue().getSExtValue();
        }
        // The loop around use that counts with counter up to the size.
        const ForStmt* loop = nullptr;
        const Expr* bound = nullptr;
        long long start = 0;
        for (const Stmt *child = &use, *parent = up(use); !loop; child = parent, parent = up(*parent)) {
            if (!parent || isa<LambdaExpr>(parent)) return false;
            const auto* f = dyn_cast<ForStmt>(parent);
            if (!f || f->getBody() != child) continue;
            ExprMutationAnalyzer body(*f->getBody(), m_e.context());
            if (!(bound = counted_to(*f, counter, start, body))) continue;
            if ((size && declared_bound(counter, bound, size, body)) || own_size_bound(*f, bound, object)) loop = f;
        }
        if (offset <= 0 && start + offset >= 0) return true;
        return guarded(use, *loop, counter, offset, bound);
    }

    // `for (T i = start; i < bound; ++i)` (or i++, i += 1), start a literal, whose body leaves i
    // alone: the bound; else null.
    const Expr* counted_to(const ForStmt& loop, const VarDecl* counter, long long& start, ExprMutationAnalyzer& body) {
        const auto* init = dyn_cast_or_null<DeclStmt>(loop.getInit());
        if (!init || !init->isSingleDecl() || init->getSingleDecl() != counter || !counter->getType()->isIntegerType() || !counter->getInit())
            return nullptr;
        const auto* first = dyn_cast<IntegerLiteral>(counter->getInit()->IgnoreParenImpCasts());
        if (!first || first->getValue().getActiveBits() > 31) return nullptr;
        start = first->getValue().getSExtValue();
        const auto* cond = dyn_cast_or_null<BinaryOperator>(loop.getCond() ? loop.getCond()->IgnoreParenImpCasts() : nullptr);
        if (!cond || cond->getOpcode() != BO_LT || var_of(cond->getLHS()) != counter) return nullptr;
        const Expr* inc = loop.getInc() ? loop.getInc()->IgnoreParenImpCasts() : nullptr;
        const auto* u = dyn_cast_or_null<UnaryOperator>(inc);
        const auto* b = dyn_cast_or_null<BinaryOperator>(inc);
        const bool step = (u && u->isIncrementOp() && var_of(u->getSubExpr()) == counter) ||
                          (b && b->getOpcode() == BO_AddAssign && var_of(b->getLHS()) == counter && isa<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts()) &&
                           cast<IntegerLiteral>(b->getRHS()->IgnoreParenImpCasts())->getValue() == 1);
        if (!step || m_e.aliased(counter) || body.isMutated(counter)) return nullptr;
        return cond->getRHS()->IgnoreParenImpCasts();
    }

    // The bound is the declared size n, compared in the counter's type or a wider one of the same
    // signedness, and the body leaves n alone.
    bool declared_bound(const VarDecl* counter, const Expr* bound, const Expr* size, ExprMutationAnalyzer& body) {
        ASTContext& ctx = m_e.context();
        if (!same_expr(bound, size, ctx)) return false;
        const QualType type = bound->getType();
        if (!isa<IntegerLiteral>(size) &&
            (type->isSignedIntegerType() != counter->getType()->isSignedIntegerType() || ctx.getIntWidth(type) > ctx.getIntWidth(counter->getType())))
            return false;
        const VarDecl* n = var_of(size);
        return !n || !body.isMutated(n);
    }

    // The bound is object.size() (or length()), object a variable the loop uses only in ways that
    // keep its size. A reference may name what another name changes, so the loop may then call
    // nothing but library functions that write no memory and size-keeping members; a local
    // (not a reference) must be reached by no other name.
    bool own_size_bound(const ForStmt& loop, const Expr* bound, const Expr* object) {
        ASTContext& ctx = m_e.context();
        const auto* call = dyn_cast<CXXMemberCallExpr>(bound);
        const VarDecl* var = var_of(object);
        if (!call || !(method_is(call, "size") || method_is(call, "length")) || call->getNumArgs() != 0 || !var ||
            var_of(call->getImplicitObjectArgument()) != var)
            return false;
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(var)))).bind("ref")), const_cast<ForStmt&>(loop), ctx))
            if (!size_keeping_use(*found.getNodeAs<DeclRefExpr>("ref"))) return false;
        if (var->getType()->isReferenceType() || !var->hasLocalStorage()) {
            for (const auto& found : match(findAll(callExpr().bind("call")), const_cast<ForStmt&>(loop), ctx)) {
                const auto* c = found.getNodeAs<CallExpr>("call");
                if (writes_no_memory(*c)) continue;
                const auto* member = dyn_cast<CXXMemberCallExpr>(c);
                const auto* op = dyn_cast<CXXOperatorCallExpr>(c);
                if (member && member->getMethodDecl() && member->getMethodDecl()->getParent()->isInStdNamespace() &&
                    size_keeping_use(*member->getImplicitObjectArgument()->IgnoreParenImpCasts()))
                    continue;
                if (op && op->getOperator() == OO_Subscript && op->getArg(0)->getType()->getAsCXXRecordDecl() &&
                    op->getArg(0)->getType()->getAsCXXRecordDecl()->isInStdNamespace())
                    continue;
                return false;
            }
            // Nor user code run by a constructor (or the destructor that follows it), new or delete.
            const auto user_code = stmt(anyOf(cxxConstructExpr(unless(hasDeclaration(cxxConstructorDecl(ofClass(isInStdNamespace()))))),
                                              cxxNewExpr(), cxxDeleteExpr()));
            return match(traverse(TK_AsIs, stmt(forEachDescendant(user_code.bind("user")))), loop, ctx).empty();
        }
        if (m_e.aliased(var)) return false;
        // Nor may a call in the loop resize it through an address handed out before: no &var, no
        // non-const reference parameter bound to it, anywhere in the function, but those of
        // standard functions that do not keep what they are given (std::getline does not;
        // std::ref, std::tie and the inserters do).
        const auto* fn = enclosing_function(ctx, loop);
        if (!fn || !fn->getBody()) return false;
        const auto ref = ignoringParenImpCasts(declRefExpr(to(varDecl(equalsNode(var)))));
        const auto writable = parmVarDecl(hasType(referenceType(pointee(unless(isConstQualified())))));
        const auto forgetful = functionDecl(isInStdNamespace(), unless(hasAnyName("ref", "cref", "tie", "forward_as_tuple", "back_inserter",
                                                                                 "front_inserter", "inserter")));
        const auto handed_out = stmt(anyOf(unaryOperator(hasOperatorName("&"), hasUnaryOperand(ref)),
                                           callExpr(forEachArgumentWithParam(ref, writable), unless(callee(forgetful))),
                                           cxxConstructExpr(forEachArgumentWithParam(ref, writable))));
        return match(traverse(TK_AsIs, stmt(forEachDescendant(handed_out.bind("leak")))), *fn->getBody(), ctx).empty();
    }

    // Whether an if (or &&, or ?:) between the loop and use tests counter + offset < size (for an
    // offset above 0) or counter >= -offset / counter > -offset - 1 (below 0), true on use's path.
    bool guarded(const Stmt& use, const ForStmt& loop, const VarDecl* counter, long long offset, const Expr* size) {
        ASTContext& ctx = m_e.context();
        auto proves = [&](const Expr* cond) {
            for (const Expr* test : conjuncts(cond)) {
                const auto* b = dyn_cast<BinaryOperator>(test->IgnoreParenImpCasts());
                if (!b) continue;
                const Expr* lhs = b->getLHS()->IgnoreParenImpCasts();
                const Expr* rhs = b->getRHS()->IgnoreParenImpCasts();
                if (offset > 0 && b->getOpcode() == BO_LT && same_expr(rhs, size, ctx)) {
                    const auto* sum = dyn_cast<BinaryOperator>(lhs);
                    const auto* c = sum ? dyn_cast<IntegerLiteral>(sum->getRHS()->IgnoreParenImpCasts()) : nullptr;
                    if (sum && sum->getOpcode() == BO_Add && var_of(sum->getLHS()) == counter && c && c->getValue().getSExtValue() == offset)
                        return true;
                }
                if (offset < 0 && var_of(lhs) == counter) {
                    const auto* c = dyn_cast<IntegerLiteral>(rhs);
                    if (!c || c->getValue().getActiveBits() > 31) continue;
                    const long long v = c->getValue().getSExtValue();
                    if ((b->getOpcode() == BO_GE && v >= -offset) || (b->getOpcode() == BO_GT && v + 1 >= -offset)) return true;
                }
            }
            return false;
        };
        for (const Stmt *child = &use, *parent = up(use);; child = parent, parent = up(*parent)) {
            if (!parent || parent == &loop) return false;
            if (const auto* branch = dyn_cast<IfStmt>(parent); branch && branch->getThen() == child && !branch->getConditionVariable() &&
                                                               proves(branch->getCond()))
                return true;
            if (const auto* b = dyn_cast<BinaryOperator>(parent); b && b->getOpcode() == BO_LAnd && b->getRHS() == child && proves(b->getLHS()))
                return true;
            if (const auto* c = dyn_cast<ConditionalOperator>(parent); c && c->getTrueExpr() == child && proves(c->getCond())) return true;
        }
    }

    const Stmt* up(const Stmt& s) { return statement_parent(m_e.context(), s); }

    static std::vector<const Expr*> conjuncts(const Expr* e) {
        e = e->IgnoreParenImpCasts();
        if (const auto* b = dyn_cast<BinaryOperator>(e); b && b->getOpcode() == BO_LAnd) {
            auto out = conjuncts(b->getLHS());
            auto more = conjuncts(b->getRHS());
            out.insert(out.end(), more.begin(), more.end());
            return out;
        }
        return {e};
    }

    std::map<const VarDecl*, std::optional<Sizes>> m_sizes;
};

// std::string t = std::to_string(n) (n an integer) that is only read: iterated by a range-for,
// indexed, or asked its size. std::to_chars writes the same chars as to_string (which is
// specified as sprintf's %d family: a '-' and the decimal digits) into a stack buffer, and a
// string_view over them answers every such read the same.
class ToStringDigits : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return varDecl(hasLocalStorage(), hasInitializer(ignoringImplicit(
                                              callExpr(callee(functionDecl(hasName("::std::to_string"))), argumentCountIs(1)).bind("call"))))
            .bind("var");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* var = r.Nodes.getNodeAs<VarDecl>("var");
        const auto* call = r.Nodes.getNodeAs<CallExpr>("call");
        ASTContext& ctx = m_e.context();
        if (!ctx.getLangOpts().CPlusPlus17 || isa<ParmVarDecl>(var) || var->getType()->isReferenceType()) return;
        const auto* record = var->getType()->getAsCXXRecordDecl();
        if (!record || !record->isInStdNamespace() || record->getName() != "basic_string" ||
            !ctx.hasSameType(var->getType().getUnqualifiedType(), call->getType()))
            return;
        const FunctionDecl* callee = call->getDirectCallee();
        if (!callee || callee->getNumParams() != 1 || !callee->getParamDecl(0)->getType()->isIntegerType()) return;
        const auto parents = ctx.getParents(*var);
        const auto* decl = parents.size() == 1 ? parents[0].get<DeclStmt>() : nullptr;
        if (!decl || !decl->isSingleDecl() || !m_e.compound_parent(*decl) || !m_e.editable(decl->getSourceRange())) return;
        const auto* fn = enclosing_function(ctx, *decl);
        if (!fn || !fn->getBody() || !only_read_as_chars(*var, *fn)) return;
        const std::string name = var->getName().str();
        const std::string chars = name + "_chars";
        if (m_e.file_text(decl->getBeginLoc()).contains(chars)) return;
        const auto end = m_e.end_offset(*decl);
        if (!end) return;
        const unsigned begin = m_e.sm().getFileOffset(m_e.sm().getSpellingLoc(decl->getBeginLoc()));
        const std::string type = callee->getParamDecl(0)->getType().getAsString();
        const std::string with = "char " + chars + "[24];\n" + m_e.indent_of(decl->getBeginLoc()) + "const std::string_view " + name + "(" +
                                 chars + ", std::to_chars(" + chars + ", " + chars + " + sizeof " + chars + ", static_cast<" + type + ">(" +
                                 m_e.text(call->getArg(0)->getSourceRange()) + ")).ptr - " + chars + ");";
        std::vector<core::Replacement> fix = {
            core::Replacement{m_e.sources().relative(m_e.sm(), m_e.sm().getSpellingLoc(decl->getBeginLoc())), begin, *end - begin, with}};
        std::string headers;
        for (const char* header : {"charconv", "string_view"})
            if (m_e.include(decl->getBeginLoc(), header)) headers += std::string("#include <") + header + ">\n";
        if (!headers.empty()) fix.push_back(core::Replacement{fix[0].path, 0, 0, headers});
        m_e.emit("to-string-digits", var->getLocation(),
                 name + " is a string built by to_string only to be read char by char; to_chars into a stack buffer gives the same chars without a heap allocation",
                 std::move(fix));
    }

private:
    // Whether every use of var in fn reads its chars: the range of a range-for whose variable is
    // not a non-const reference, an index or front/back whose result is not written, or size,
    // length or empty.
    bool only_read_as_chars(const VarDecl& var, const FunctionDecl& fn) {
        ASTContext& ctx = m_e.context();
        std::set<const Expr*> ranges;
        for (const auto& found : match(findAll(cxxForRangeStmt().bind("loop")), *fn.getBody(), ctx)) {
            const auto* loop = found.getNodeAs<CXXForRangeStmt>("loop");
            const QualType element = loop->getLoopVariable()->getType();
            if (element->isReferenceType() && !element.getNonReferenceType().isConstQualified()) continue;
            ranges.insert(loop->getRangeInit()->IgnoreParenImpCasts());
        }
        ExprMutationAnalyzer analyzer(*fn.getBody(), ctx);
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(&var)))).bind("ref")), *fn.getBody(), ctx)) {
            const auto* ref = found.getNodeAs<DeclRefExpr>("ref");
            if (ranges.contains(ref)) continue;
            const Stmt* parent = parent_through_wrappers(ctx, *ref);
            if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent);
                op && op->getOperator() == OO_Subscript && op->getArg(0)->IgnoreParenImpCasts() == ref && !analyzer.isMutated(op))
                continue;
            const auto* member = dyn_cast_or_null<MemberExpr>(parent);
            const auto* call = member ? dyn_cast_or_null<CXXMemberCallExpr>(parent_through_wrappers(ctx, *member)) : nullptr;
            if (call && (method_is(call, "size") || method_is(call, "length") || method_is(call, "empty"))) continue;
            if (call && (method_is(call, "front") || method_is(call, "back")) && !analyzer.isMutated(call)) continue;
            return false;
        }
        return true;
    }
};

// key.find(c), c a char, inside loops that leave the std::string key alone: before the
// outermost such loop, a table of the first position of every char value (npos where absent),
// built from the back so the first occurrence wins; then key.find(c) is first[(unsigned char)c].
class FindCharTable : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxMemberCallExpr(callee(cxxMethodDecl(hasName("find"), ofClass(hasName("::std::basic_string"))))).bind("call");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* call = r.Nodes.getNodeAs<CXXMemberCallExpr>("call");
        ASTContext& ctx = m_e.context();
        const CXXMethodDecl* method = call->getMethodDecl();
        if (!method || method->getNumParams() != 2 || !isa<CXXDefaultArgExpr>(call->getArg(1))) return;
        if (!method->getParamDecl(0)->getType()->isCharType() || !call->getArg(0)->IgnoreParenImpCasts()->getType()->isCharType()) return;
        if (!m_e.editable(call->getSourceRange())) return;
        const VarDecl* key = var_of(call->getImplicitObjectArgument());
        if (!key || !key->hasLocalStorage() || key->getType()->isReferenceType() || m_e.aliased(key)) return;
        if (!is_std_string(key->getType(), ctx)) return;
        // The outermost loop around the call, in the same function, that leaves key alone and
        // has a block around it for the table.
        const Stmt* outermost = nullptr;
        for (const Stmt* parent = statement_parent(ctx, *call); parent && !isa<LambdaExpr>(parent); parent = statement_parent(ctx, *parent)) {
            if (!loop_body(parent)) continue;
            if (!m_e.sm().isBeforeInTranslationUnit(key->getLocation(), parent->getBeginLoc()) || !only_read(ctx, key, *parent)) break;
            if (m_e.compound_parent(*parent) && m_e.editable(parent->getSourceRange())) outermost = parent;
        }
        if (!outermost) return;
        const std::string name = key->getName().str();
        // Named for the loop: calls in two loops get two tables, calls in one loop share one.
        const std::string first = name + "_first_" + std::to_string(m_e.sm().getSpellingLineNumber(outermost->getBeginLoc())), at = "optiloop_at";
        const StringRef file = m_e.file_text(call->getBeginLoc());
        if (file.contains(first) || file.contains(at)) return;
        const std::string indent = m_e.indent_of(outermost->getBeginLoc());
        const std::string table = "std::size_t " + first + "[256];\n" + indent + "for (std::size_t& " + at + " : " + first + ") " + at +
                                  " = std::string::npos;\n" + indent + "for (std::size_t " + at + " = " + name + ".size(); " + at + "-- > 0;) " +
                                  first + "[(unsigned char)" + name + "[" + at + "]] = " + at + ";\n" + indent;
        m_e.emit("find-char-table", call->getBeginLoc(),
                 m_e.text(call->getSourceRange()) + " scans " + name + " on every call though the loop never changes it; a table of first positions made before the loop answers in one load",
                 {m_e.insert_before(outermost->getBeginLoc(), table),
                  m_e.replace(call->getSourceRange(), first + "[(unsigned char)(" + m_e.text(call->getArg(0)->getSourceRange()) + ")]")});
    }
};

// std::list<T> l whose every use a vector serves the same: push_back / emplace_back as
// statements (the only growth), size and empty, begin / end / front / back and range-fors that
// read. A vector's growth invalidates its iterators and references, so none may be alive when it
// grows: begin() and the like are used up in their own expression (a value read, a comparison)
// or kept in an `auto` iterator variable in whose scope nothing grows l, and a range-for's body
// does not grow it. No use sits in a lambda (it could grow l from anywhere).
class ListToVector : public Rule {
public:
    using Rule::Rule;
    static auto matcher() { return local_container("::std::list").bind("var"); }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* l = r.Nodes.getNodeAs<VarDecl>("var");
        ASTContext& ctx = m_e.context();
        const auto* fn = dyn_cast_or_null<FunctionDecl>(l->getParentFunctionOrMethod());
        if (!fn || !fn->getBody() || !m_e.editable(l->getLocation())) return;
        const auto name = retypable(m_e, *l, "list");
        if (!name) return;
        std::vector<const Stmt*> growth;
        std::vector<const VarDecl*> iterators;
        std::vector<const CXXForRangeStmt*> walks;
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(l)))).bind("ref")), *fn->getBody(), ctx))
            if (!classify(*found.getNodeAs<DeclRefExpr>("ref"), growth, iterators, walks)) return;
        if (growth.empty()) return;
        for (const CXXForRangeStmt* walk : walks)
            for (const Stmt* g : growth)
                if (inside(*g, *walk->getBody())) return;
        for (const VarDecl* it : iterators)
            if (!iterator_kept_safely(*it, growth)) return;
        std::vector<core::Replacement> fix = {m_e.replace(*name, "vector")};
        if (auto include = m_e.include(l->getLocation(), "vector")) fix.push_back(*include);
        m_e.emit("list-to-vector", l->getLocation(),
                 "'" + l->getName().str() + "' is a list only appended to and walked forward; a vector keeps the elements side by side (no node per element, O(1) std::next)",
                 std::move(fix));
    }

private:
    const Stmt* parent(const Stmt& s) { return parent_through_temporaries(m_e.context(), s); }
    // The variable whose initialiser e is (through the wrappers parent() passes), if any.
    const VarDecl* initialised(const Stmt& e) {
        const Stmt* at = &e;
        for (;;) {
            const auto parents = m_e.context().getParents(*at);
            if (parents.size() != 1) return nullptr;
            if (const auto* var = parents[0].get<VarDecl>()) return var;
            const auto* p = parents[0].get<Stmt>();
            if (!p || parent_through_temporaries(m_e.context(), *at) == p) return nullptr;  // not a wrapper
            at = p;
        }
    }
    bool inside(const Stmt& s, const Stmt& scope) {
        for (const Stmt* at = &s; at; at = statement_parent(m_e.context(), *at))
            if (at == &scope) return true;
        return false;
    }
    bool in_lambda(const Stmt& s) {
        for (const Stmt* at = statement_parent(m_e.context(), s); at; at = statement_parent(m_e.context(), *at))
            if (isa<LambdaExpr>(at)) return true;
        return false;
    }
    // A value read: an element (or an iterator dereferenced) turned into an rvalue, or the target
    // of an assignment.
    bool used_up(const Stmt& e) {
        const auto parents = m_e.context().getParents(e);
        const Stmt* p = parents.size() == 1 ? parents[0].get<Stmt>() : nullptr;
        if (const auto* c = dyn_cast_or_null<ImplicitCastExpr>(p); c && c->getCastKind() == CK_LValueToRValue) return true;
        const Stmt* q = parent(e);
        if (const auto* b = dyn_cast_or_null<BinaryOperator>(q); b && b->isAssignmentOp() && b->getLHS()->IgnoreParens() == &e) return true;
        return false;
    }
    static bool is_iterator_operator(const CXXOperatorCallExpr& op) {
        const OverloadedOperatorKind k = op.getOperator();
        return k == OO_PlusPlus || k == OO_MinusMinus || k == OO_EqualEqual || k == OO_ExclaimEqual;
    }

    bool classify(const DeclRefExpr& ref, std::vector<const Stmt*>& growth, std::vector<const VarDecl*>& iterators,
                  std::vector<const CXXForRangeStmt*>& walks) {
        ASTContext& ctx = m_e.context();
        if (in_lambda(ref)) return false;
        // A range-for over l.
        if (const VarDecl* range = initialised(ref); range && range->isImplicit()) {
            const auto up = ctx.getParents(*range);
            const auto* decl = up.size() == 1 ? up[0].get<DeclStmt>() : nullptr;
            const auto above = decl ? ctx.getParents(*decl) : DynTypedNodeList(DynTypedNode());
            const auto* loop = decl && above.size() == 1 ? above[0].get<CXXForRangeStmt>() : nullptr;
            if (!loop || loop->getRangeInit()->IgnoreParenImpCasts() != &ref) return false;
            walks.push_back(loop);
            return true;
        }
        const auto* member = dyn_cast_or_null<MemberExpr>(parent(ref));
        const auto* call = member ? dyn_cast_or_null<CXXMemberCallExpr>(parent(*member)) : nullptr;
        if (!call || call->getCallee()->IgnoreParens() != member || !member->getMemberDecl()->getIdentifier()) return false;
        const StringRef name = member->getMemberDecl()->getName();
        if (name == "size" || name == "empty") return true;
        if (name == "push_back" || name == "emplace_back") {
            const Stmt* use = parent(*call);
            if (use && isa<Expr>(use)) return false;  // only as a statement
            growth.push_back(call);
            return true;
        }
        if (name == "front" || name == "back") return used_up(*call);
        if (name != "begin" && name != "end" && name != "cbegin" && name != "cend") return false;
        // An iterator: compared, or (through std::next / std::prev) kept in an auto variable.
        const Stmt* at = call;
        for (;;) {
            const Stmt* p = parent(*at);
            const auto* step = dyn_cast_or_null<CallExpr>(p);
            const FunctionDecl* callee = step ? step->getDirectCallee() : nullptr;
            if (!callee || !callee->isInStdNamespace() || !callee->getIdentifier() || (callee->getName() != "next" && callee->getName() != "prev") ||
                step->getNumArgs() < 1 || step->getArg(0)->IgnoreImplicit() != at)
                break;
            at = step;
        }
        if (const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent(*at)); op && (op->getOperator() == OO_EqualEqual || op->getOperator() == OO_ExclaimEqual))
            return true;
        const VarDecl* kept = initialised(*at);
        if (!kept || kept->isImplicit() || kept->getType()->isReferenceType() || !kept->getType()->getContainedAutoType()) return false;
        iterators.push_back(kept);
        return true;
    }

    // it lives from its declaration to the end of the statement around it (the rest of a block, or
    // a for statement whose init declares it): nothing there grows l. It is only stepped, compared
    // and dereferenced for a value.
    bool iterator_kept_safely(const VarDecl& it, const std::vector<const Stmt*>& growth) {
        ASTContext& ctx = m_e.context();
        const auto up = ctx.getParents(it);
        const auto* decl = up.size() == 1 ? up[0].get<DeclStmt>() : nullptr;
        const auto above = decl ? ctx.getParents(*decl) : DynTypedNodeList(DynTypedNode());
        const Stmt* scope = decl && above.size() == 1 ? above[0].get<Stmt>() : nullptr;
        if (!scope) return false;
        for (const Stmt* g : growth)
            if (inside(*g, *scope) && (!isa<CompoundStmt>(scope) || m_e.sm().isBeforeInTranslationUnit(decl->getBeginLoc(), g->getBeginLoc())))
                return false;
        const auto* fn = dyn_cast_or_null<FunctionDecl>(it.getParentFunctionOrMethod());
        if (!fn || !fn->getBody()) return false;
        for (const auto& found : match(findAll(declRefExpr(to(varDecl(equalsNode(&it)))).bind("ref")), *fn->getBody(), ctx)) {
            const auto* ref = found.getNodeAs<DeclRefExpr>("ref");
            if (in_lambda(*ref)) return false;
            const auto* op = dyn_cast_or_null<CXXOperatorCallExpr>(parent(*ref));
            if (!op) return false;
            if (is_iterator_operator(*op)) continue;
            if (op->getOperator() == OO_Star && used_up(*op)) continue;
            return false;
        }
        return true;
    }
};

class PostIncrementIterator : public Rule {
public:
    using Rule::Rule;
    static auto matcher() {
        return cxxOperatorCallExpr(hasAnyOverloadedOperatorName("++", "--"), callee(cxxMethodDecl().bind("method"))).bind("op");
    }
    void run(const MatchFinder::MatchResult& r) override {
        const auto* op = r.Nodes.getNodeAs<CXXOperatorCallExpr>("op");
        const auto* method = r.Nodes.getNodeAs<CXXMethodDecl>("method");
        ASTContext& ctx = m_e.context();
        // The postfix form has the dummy int parameter.
        if (method->getNumParams() != 1 || op->getNumArgs() != 2) return;
        const CXXRecordDecl* record = method->getParent();
        // Only the standard library's classes: there ++it is known to do what it++ does.
        if (!record || !ctx.getSourceManager().isInSystemHeader(record->getLocation())) return;
        if (!has_prefix(record, op->getOperator())) return;
        if (!unused(*op)) return;
        const Expr* operand = op->getArg(0);
        if (!m_e.editable(op->getSourceRange()) || !m_e.editable(operand->getSourceRange())) return;
        const std::string spelled = op->getOperator() == OO_PlusPlus ? "++" : "--";
        const std::string text = m_e.text(operand->getSourceRange());
        m_e.emit("post-increment-iterator", op->getBeginLoc(),
                 text + spelled + " copies the iterator for a result nobody reads; use " + spelled + text,
                 {m_e.replace(op->getSourceRange(), spelled + text)});
    }

private:
    static bool has_prefix(const CXXRecordDecl* record, OverloadedOperatorKind kind) {
        for (const CXXMethodDecl* m : record->methods())
            if (m->getOverloadedOperator() == kind && m->getNumParams() == 0) return true;
        return false;
    }
    // The value is discarded: a statement of its own, a for loop's increment, or a side of a
    // discarded comma.
    bool unused(const Stmt& e) {
        const Stmt* p = parent_through_wrappers(m_e.context(), e);
        if (!p) return false;
        if (isa<CompoundStmt>(p)) return true;
        const Stmt* self = &e;
        auto is_self = [&](const Stmt* s) {
            if (!s) return false;
            if (const auto* x = dyn_cast<Expr>(s)) return x->IgnoreImplicit()->IgnoreParens()->IgnoreImplicit() == self;
            return false;
        };
        if (const auto* f = dyn_cast<ForStmt>(p)) return is_self(f->getInc()) || is_self(f->getBody());
        if (const auto* i = dyn_cast<IfStmt>(p)) return is_self(i->getThen()) || is_self(i->getElse());
        if (const auto* w = dyn_cast<WhileStmt>(p)) return is_self(w->getBody());
        if (const auto* d = dyn_cast<DoStmt>(p)) return is_self(d->getBody());
        if (const auto* rf = dyn_cast<CXXForRangeStmt>(p)) return is_self(rf->getBody());
        if (const auto* comma = dyn_cast<BinaryOperator>(p); comma && comma->getOpcode() == BO_Comma) {
            if (is_self(comma->getLHS())) return true;
            return is_self(comma->getRHS()) && unused(*comma);
        }
        return false;
    }
};

std::set<const FunctionDecl*> functions_whose_address_is_taken(ASTContext& ctx, const SourceMap& sources) {
    std::set<const FunctionDecl*> out;
    for (const auto& found : match_in_sources(declRefExpr(to(functionDecl().bind("f")), unless(hasParent(implicitCastExpr(hasParent(callExpr())))),
                                                          unless(hasParent(callExpr())))
                                                  .bind("ref"),
                                              ctx, sources)) {
        out.insert(found.getNodeAs<FunctionDecl>("f")->getCanonicalDecl());
    }
    return out;
}

}  // namespace

void run_rules(ASTContext& context, const SourceMap& sources, const AnalyzeOptions& options, std::vector<Finding>& out) {
    Emitter emitter(context, sources, options, out);
    const UnitFacts facts = gather_facts(context, sources);
    iostream_sync(emitter, facts);

    EndlInLoop endl(emitter, facts);
    ByValueParam by_value(emitter, facts, functions_whose_address_is_taken(context, sources));
    RangeForCopy range_for(emitter, facts);
    StringConcatAssign concat(emitter, facts);
    PowSquare pow_square(emitter, facts);
    PowIntegerExponent pow_integer(emitter, facts);
    SubstrCompare substr(emitter, facts);
    InvariantCallInCondition invariant(emitter, facts);
    VectorReserve reserve(emitter, facts);
    ContainerInLoop container(emitter, facts);
    MapToUnordered map(emitter, facts);
    UnnecessaryCopy copy(emitter, facts);
    StringFindChar find_char(emitter, facts);
    EmplaceBackTemporary emplace(emitter, facts);
    PostIncrementIterator post_increment(emitter, facts);
    MapDoubleLookup double_lookup(emitter, facts);
    SetCountThenInsert count_then_insert(emitter, facts);
    StreamInLoop stream_in_loop(emitter, facts);
    InvariantCallInLoop invariant_in_loop(emitter, facts);
    LoopInterchange interchange(emitter, facts);
    PopcountLoop popcount(emitter, facts);
    VectorAsQueue queue(emitter, facts);
    ModuloInLoop modulo(emitter, facts);
    BranchToSelect select(emitter, facts);
    SetLinearSearch set_search(emitter, facts);
    AtInBounds at_in_bounds(emitter, facts);
    ToStringDigits to_string_digits(emitter, facts);
    FindCharTable find_table(emitter, facts);
    ListToVector list_to_vector(emitter, facts);

    MatchFinder finder;
    auto add = [&](const char* id, const auto& matcher, MatchFinder::MatchCallback* rule) {
        if (emitter.enabled(id)) finder.addMatcher(traverse(TK_IgnoreUnlessSpelledInSource, matcher), rule);
    };
    add("endl-in-loop", EndlInLoop::matcher(), &endl);
    add("by-value-param", ByValueParam::matcher(), &by_value);
    add("range-for-copy", RangeForCopy::matcher(), &range_for);
    add("string-concat-assign", StringConcatAssign::matcher(), &concat);
    add("pow-square", PowSquare::matcher(), &pow_square);
    add("pow-integer-exponent", PowIntegerExponent::matcher(), &pow_integer);
    add("substr-compare", SubstrCompare::matcher(), &substr);
    add("invariant-call-in-condition", InvariantCallInCondition::matcher(), &invariant);
    add("vector-reserve", VectorReserve::matcher(), &reserve);
    add("container-in-loop", ContainerInLoop::matcher(), &container);
    add("map-to-unordered", MapToUnordered::matcher(), &map);
    add("unnecessary-copy", UnnecessaryCopy::matcher(), &copy);
    add("string-find-char", StringFindChar::matcher(), &find_char);
    add("emplace-back-temporary", EmplaceBackTemporary::matcher(), &emplace);
    add("post-increment-iterator", PostIncrementIterator::matcher(), &post_increment);
    add("map-double-lookup", MembershipIfRule::matcher(), &double_lookup);
    add("set-count-then-insert", MembershipIfRule::matcher(), &count_then_insert);
    add("stream-in-loop", StreamInLoop::matcher(), &stream_in_loop);
    add("invariant-call-in-loop", InvariantCallInLoop::matcher(), &invariant_in_loop);
    add("loop-interchange", LoopInterchange::matcher(), &interchange);
    add("popcount-loop", PopcountLoop::matcher(), &popcount);
    add("vector-as-queue", VectorAsQueue::matcher(), &queue);
    add("modulo-in-loop", ModuloInLoop::matcher(), &modulo);
    add("branch-to-select", BranchToSelect::matcher(), &select);
    add("set-linear-search", SetLinearSearch::matcher(), &set_search);
    add("at-in-bounds", AtInBounds::matcher(), &at_in_bounds);
    add("to-string-digits", ToStringDigits::matcher(), &to_string_digits);
    add("find-char-table", FindCharTable::matcher(), &find_table);
    add("list-to-vector", ListToVector::matcher(), &list_to_vector);
    finder.matchAST(context);
}

}  // namespace optiloop::analyzer

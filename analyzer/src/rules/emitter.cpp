#include "rules/emitter.hpp"

#include <clang/Lex/Lexer.h>
#include <clang-tidy/utils/FixItHintUtils.h>

#include <algorithm>

#include "rules/ast_facts.hpp"

namespace optiloop::analyzer::rules {

using namespace clang;

bool Emitter::enabled(const std::string& rule) const {
    return m_options.rules.empty() ||
           std::find(m_options.rules.begin(), m_options.rules.end(), rule) != m_options.rules.end();
}

bool Emitter::editable(SourceLocation loc) const {
    if (loc.isInvalid() || loc.isMacroID()) return false;
    const std::string file = m_sources.relative(m_sm, loc);
    if (file.empty()) return false;
    return std::find(m_options.fixed_files.begin(), m_options.fixed_files.end(), file) == m_options.fixed_files.end();
}

std::string Emitter::text(SourceRange range) const {
    return Lexer::getSourceText(CharSourceRange::getTokenRange(range), m_sm, m_context.getLangOpts()).str();
}

core::Replacement Emitter::replace(SourceRange token_range, std::string with) const {
    const SourceLocation begin = m_sm.getSpellingLoc(token_range.getBegin());
    const SourceLocation end = Lexer::getLocForEndOfToken(m_sm.getSpellingLoc(token_range.getEnd()), 0, m_sm, m_context.getLangOpts());
    const unsigned b = m_sm.getFileOffset(begin), e = m_sm.getFileOffset(end);
    return {m_sources.relative(m_sm, begin), b, e - b, std::move(with)};
}
core::Replacement Emitter::insert_before(SourceLocation loc, std::string text) const {
    loc = m_sm.getSpellingLoc(loc);
    return {m_sources.relative(m_sm, loc), m_sm.getFileOffset(loc), 0, std::move(text)};
}
core::Replacement Emitter::insert_after_token(SourceLocation loc, std::string text) const {
    const SourceLocation end = Lexer::getLocForEndOfToken(m_sm.getSpellingLoc(loc), 0, m_sm, m_context.getLangOpts());
    return {m_sources.relative(m_sm, end), m_sm.getFileOffset(end), 0, std::move(text)};
}

std::optional<core::Replacement> Emitter::from_fixit(const FixItHint& hint) const {
    CharSourceRange range = hint.RemoveRange;
    if (range.isTokenRange()) range = Lexer::getAsCharRange(range, m_sm, m_context.getLangOpts());
    if (range.isInvalid() || !editable(range.getBegin()) || !editable(range.getEnd())) return std::nullopt;
    const unsigned b = m_sm.getFileOffset(range.getBegin()), e = m_sm.getFileOffset(range.getEnd());
    if (e < b || m_sm.getFileID(range.getBegin()) != m_sm.getFileID(range.getEnd())) return std::nullopt;
    return core::Replacement{m_sources.relative(m_sm, range.getBegin()), b, e - b, hint.CodeToInsert};
}

std::optional<core::Replacement> Emitter::remove_statement(const Stmt& s) const {
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

core::Replacement Emitter::insert_after_statement(const Stmt& s, std::string text) const {
    const SourceLocation last = m_sm.getSpellingLoc(s.getEndLoc());
    SourceLocation after = Lexer::findLocationAfterToken(last, tok::semi, m_sm, m_context.getLangOpts(), false);
    if (after.isInvalid()) after = Lexer::getLocForEndOfToken(last, 0, m_sm, m_context.getLangOpts());
    return {m_sources.relative(m_sm, after), m_sm.getFileOffset(after), 0, std::move(text)};
}

std::string Emitter::indent_of(SourceLocation loc) const {
    loc = m_sm.getSpellingLoc(loc);
    const StringRef buffer = m_sm.getBufferData(m_sm.getFileID(loc));
    unsigned offset = m_sm.getFileOffset(loc);
    unsigned start = offset;
    while (start > 0 && buffer[start - 1] != '\n') --start;
    std::string indent;
    for (unsigned i = start; i < offset && (buffer[i] == ' ' || buffer[i] == '\t'); ++i) indent += buffer[i];
    return indent;
}

std::optional<std::pair<core::Replacement, core::Replacement>> Emitter::braces_around(const Stmt& s) {
    const Stmt* parent = parent_stmt(m_context, s);
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

std::optional<core::Replacement> Emitter::include(SourceLocation loc, const std::string& header) const {
    const StringRef file = file_text(loc);
    if (file.contains("<" + header + ">") || file.contains("<bits/stdc++.h>")) return std::nullopt;
    core::Replacement line = insert_before(loc, "#include <" + header + ">\n");
    line.offset = 0;
    return line;
}

StringRef Emitter::file_text(SourceLocation loc) const { return m_sm.getBufferData(m_sm.getFileID(m_sm.getSpellingLoc(loc))); }

void Emitter::emit(const std::string& rule, SourceLocation at, std::string message, std::vector<core::Replacement> fix) {
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

bool Emitter::aliased(const VarDecl* var) {
    const auto* fn = dyn_cast_or_null<FunctionDecl>(var->getParentFunctionOrMethod());
    if (!fn) return true;
    auto it = m_aliased.find(fn);
    if (it == m_aliased.end()) it = m_aliased.emplace(fn, aliased_locals(*fn, m_context)).first;
    return it->second.contains(var);
}

std::optional<unsigned> Emitter::end_offset(const Stmt& s) const {
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

const CompoundStmt* Emitter::compound_parent(const Stmt& s) { return dyn_cast_or_null<CompoundStmt>(parent_stmt(m_context, s)); }

std::vector<core::Replacement> make_const_ref(Emitter& e, const VarDecl& var) {
    namespace fixit = tidy::utils::fixit;
    const TypeSourceInfo* tsi = var.getTypeSourceInfo();
    if (!tsi || !e.editable(tsi->getTypeLoc().getSourceRange()) || !e.editable(var.getLocation())) return {};
    std::vector<FixItHint> hints;
    if (!var.getType().isConstQualified()) {
        auto qualify = fixit::addQualifierToVarDecl(var, e.context(), DeclSpec::TQ_const, fixit::QualifierTarget::Value, fixit::QualifierPolicy::Left);
        if (!qualify) return {};
        hints.push_back(std::move(*qualify));
    }
    hints.push_back(fixit::changeVarDeclToReference(var, e.context()));
    std::vector<core::Replacement> fix;
    for (const FixItHint& hint : hints) {
        auto replacement = e.from_fixit(hint);
        if (!replacement) return {};
        fix.push_back(std::move(*replacement));
    }
    return fix;
}

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

}  // namespace optiloop::analyzer::rules

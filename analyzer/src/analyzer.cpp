// The Clang side of the analyzer: parse in-memory sources with LibTooling, collect functions,
// loops and calls, and run the rewrite rules (rules/, one file per rule) on the AST.

#include <cstring>
#include <clang/AST/ASTConsumer.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/Diagnostic.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/MultiplexConsumer.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include <optiloop/core/files.hpp>
#include <optiloop/analyzer/analyzer.hpp>

#include "rules.hpp"
#include "tidy_run.hpp"

namespace optiloop::analyzer {

namespace {

using namespace clang;

// Collects functions with their loops and calls, for the sources only (not system headers).
class StructureVisitor : public RecursiveASTVisitor<StructureVisitor> {
public:
    StructureVisitor(ASTContext& context, const SourceMap& sources, std::vector<Function>& out)
        : m_context(context), m_sources(sources), m_out(out) {}

    bool TraverseFunctionDecl(FunctionDecl* fn) { return visit_function(fn, [&] { return RecursiveASTVisitor::TraverseFunctionDecl(fn); }); }
    bool TraverseCXXMethodDecl(CXXMethodDecl* fn) { return visit_function(fn, [&] { return RecursiveASTVisitor::TraverseCXXMethodDecl(fn); }); }
    bool TraverseCXXConstructorDecl(CXXConstructorDecl* fn) { return visit_function(fn, [&] { return RecursiveASTVisitor::TraverseCXXConstructorDecl(fn); }); }

    bool TraverseForStmt(ForStmt* s) { return loop(s, "for", [&] { return RecursiveASTVisitor::TraverseForStmt(s); }); }
    bool TraverseWhileStmt(WhileStmt* s) { return loop(s, "while", [&] { return RecursiveASTVisitor::TraverseWhileStmt(s); }); }
    bool TraverseDoStmt(DoStmt* s) { return loop(s, "do", [&] { return RecursiveASTVisitor::TraverseDoStmt(s); }); }
    bool TraverseCXXForRangeStmt(CXXForRangeStmt* s) { return loop(s, "range-for", [&] { return RecursiveASTVisitor::TraverseCXXForRangeStmt(s); }); }

    bool VisitCallExpr(CallExpr* call) {
        if (!m_current) return true;
        if (const FunctionDecl* callee = call->getDirectCallee()) {
            const FunctionDecl* def = callee->getDefinition();
            if (def && m_sources.contains(m_context.getSourceManager(), def->getLocation())) {
                const std::string name = def->getQualifiedNameAsString();
                auto& calls = m_current->calls;
                if (std::find(calls.begin(), calls.end(), name) == calls.end()) calls.push_back(name);
            }
        }
        return true;
    }

private:
    // "Suite.Name" for the body of a GoogleTest TEST, TEST_F, TEST_P, TYPED_TEST or GTEST_TEST:
    // the macro's first two arguments, read at the macro's use in the source.
    static std::string test_name(const SourceManager& sm, const FunctionDecl* fn) {
        const auto* method = dyn_cast<CXXMethodDecl>(fn);
        if (!method || method->getNameAsString() != "TestBody" || !fn->getLocation().isMacroID()) return "";
        bool invalid = false;
        const char* p = sm.getCharacterData(sm.getExpansionLoc(fn->getLocation()), &invalid);
        if (invalid || !p) return "";
        std::string text(p, strnlen(p, 512));
        const std::size_t open = text.find('(');
        if (open == std::string::npos) return "";
        const std::string macro = text.substr(0, open);
        if (macro != "TEST" && macro != "TEST_F" && macro != "TEST_P" && macro != "TYPED_TEST" && macro != "TYPED_TEST_P" && macro != "GTEST_TEST") return "";
        const std::size_t close = text.find(')', open);
        if (close == std::string::npos) return "";
        std::string args = text.substr(open + 1, close - open - 1);
        const std::size_t comma = args.find(',');
        if (comma == std::string::npos) return "";
        auto trim = [](std::string v) {
            v.erase(0, v.find_first_not_of(" \t\n"));
            v.erase(v.find_last_not_of(" \t\n") + 1);
            return v;
        };
        const std::string suite = trim(args.substr(0, comma)), name = trim(args.substr(comma + 1));
        return suite.empty() || name.empty() ? "" : suite + "." + name;
    }

    template <class F>
    bool visit_function(FunctionDecl* fn, F&& traverse) {
        const SourceManager& sm = m_context.getSourceManager();
        // Where the function is in the source as written: a function that starts with a macro
        // (an attribute macro, or a TEST) is where the macro is used, not where it is defined.
        const SourceLocation at = sm.getExpansionLoc(fn->getLocation());
        // A function whose body a library's macro wrote (TEST's constructor, say) is not the user's.
        if (!fn->doesThisDeclarationHaveABody() || !m_sources.contains(sm, at) || !m_sources.contains(sm, fn->getEndLoc()) || m_current)
            return traverse();
        Function f;
        f.name = test_name(sm, fn);
        if (f.name.empty()) f.name = fn->getQualifiedNameAsString();
        f.file = m_sources.relative(sm, at);
        f.begin_line = sm.getExpansionLineNumber(fn->getBeginLoc());
        f.end_line = sm.getSpellingLineNumber(sm.getExpansionRange(fn->getEndLoc()).getEnd());
        m_current = &f;
        m_depth = 0;
        const bool ok = traverse();
        m_current = nullptr;
        m_out.push_back(std::move(f));
        return ok;
    }

    template <class F>
    bool loop(Stmt* s, const char* kind, F&& traverse) {
        if (!m_current) return traverse();
        ++m_depth;
        const SourceManager& sm = m_context.getSourceManager();
        m_current->loops.push_back({sm.getSpellingLineNumber(s->getBeginLoc()), sm.getSpellingLineNumber(s->getEndLoc()), m_depth, kind});
        const bool ok = traverse();
        --m_depth;
        return ok;
    }

    ASTContext& m_context;
    const SourceMap& m_sources;
    std::vector<Function>& m_out;
    Function* m_current = nullptr;
    unsigned m_depth = 0;
};

class Consumer : public ASTConsumer {
public:
    Consumer(const SourceMap& sources, const AnalyzeOptions& options, Analysis& out)
        : m_sources(sources), m_options(options), m_out(out) {}

    void HandleTranslationUnit(ASTContext& context) override {
        if (context.getDiagnostics().hasErrorOccurred()) return;
        StructureVisitor(context, m_sources, m_out.functions).TraverseDecl(context.getTranslationUnitDecl());
        if (m_options.own_rules) run_rules(context, m_sources, m_options, m_out.findings);
    }

private:
    const SourceMap& m_sources;
    const AnalyzeOptions& m_options;
    Analysis& m_out;
};

// The rules' consumer, and beside it on the same AST clang-tidy's checks when asked for.
class Action : public ASTFrontendAction {
public:
    Action(const SourceMap& sources, const AnalyzeOptions& options, Analysis& out, TidyRun* tidy)
        : m_sources(sources), m_options(options), m_out(out), m_tidy(tidy) {}
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& compiler, StringRef file) override {
        auto rules = std::make_unique<Consumer>(m_sources, m_options, m_out);
        if (!m_tidy) return rules;
        std::vector<std::unique_ptr<ASTConsumer>> both;
        both.push_back(std::move(rules));
        both.push_back(m_tidy->consumer(compiler, file.str()));
        return std::make_unique<MultiplexConsumer>(std::move(both));
    }

private:
    const SourceMap& m_sources;
    const AnalyzeOptions& m_options;
    Analysis& m_out;
    TidyRun* m_tidy;
};

}  // namespace

core::Result<Analysis> analyze(const std::vector<core::SourceFile>& sources, const AnalyzeOptions& options) {
    SourceMap map;
    auto overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(llvm::vfs::getRealFileSystem());
    auto memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    overlay->pushOverlay(memory);
    for (const auto& file : sources) {
        memory->addFile(SourceMap::k_root + file.path, 0, llvm::MemoryBuffer::getMemBufferCopy(file.content, file.path));
        map.files.push_back(file.path);
    }

    Analysis analysis;
    for (const auto& file : sources) {
        // Clang does not parse CUDA 13's headers reliably: .cu files get nvcc's report instead.
        if (!core::is_translation_unit(file.path) || file.path.ends_with(".cu")) continue;
        std::vector<std::string> args = {"clang++"};
        for (const auto& flag : options.flags)
            if (flag.rfind("-O", 0) != 0) args.push_back(flag);
        args.insert(args.end(), {"-fsyntax-only", "-w", "-I" + SourceMap::k_root, "-resource-dir=" OPTILOOP_CLANG_RESOURCE_DIR,
                                 "-Wno-unknown-warning-option", SourceMap::k_root + file.path});
        llvm::IntrusiveRefCntPtr<FileManager> files(new FileManager(FileSystemOptions(), overlay));
        std::string diagnostics;
        llvm::raw_string_ostream diagnostics_stream(diagnostics);
        auto diag_options = llvm::makeIntrusiveRefCnt<DiagnosticOptions>();
        TextDiagnosticPrinter printer(diagnostics_stream, diag_options.get());
        std::unique_ptr<TidyRun> tidy = options.tidy_checks.empty() ? nullptr : std::make_unique<TidyRun>(options.tidy_checks);
        tooling::ToolInvocation invocation(args, std::make_unique<Action>(map, options, analysis, tidy.get()), files.get());
        invocation.setDiagnosticConsumer(&printer);
        if (!invocation.run()) {
            diagnostics_stream.flush();
            std::string first = diagnostics.substr(0, diagnostics.find('\n'));
            for (std::size_t at; (at = first.find(SourceMap::k_root)) != std::string::npos;) first.erase(at, SourceMap::k_root.size());
            return core::fail(core::Error::input(file.path + ": does not parse: " + (first.empty() ? "unknown error" : first)));
        }
        if (tidy)
            for (auto& f : tidy->findings(sources, options.fixed_files)) analysis.findings.push_back(std::move(f));
    }
    std::sort(analysis.findings.begin(), analysis.findings.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.file, a.line, a.column, a.rule) < std::tie(b.file, b.line, b.column, b.rule);
    });
    return analysis;
}

}  // namespace optiloop::analyzer

#include <algorithm>

#include <clang-tidy/ClangTidy.h>
#include <clang-tidy/ClangTidyDiagnosticConsumer.h>
#include <clang-tidy/ClangTidyModuleRegistry.h>
#include <clang-tidy/ClangTidyOptions.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <optiloop/analyzer/tidy.hpp>
#include <optiloop/core/files.hpp>

#include "rules.hpp"
#include "tidy_run.hpp"

// The clang-tidy modules register their checks from static objects that a static link drops
// unless something refers to them: these anchors are how clang-tidy's own driver keeps them.
namespace clang::tidy {
extern volatile int PerformanceModuleAnchorSource;
extern volatile int ModernizeModuleAnchorSource;
[[maybe_unused]] static int performance_anchor = PerformanceModuleAnchorSource;
[[maybe_unused]] static int modernize_anchor = ModernizeModuleAnchorSource;
}  // namespace clang::tidy

namespace optiloop::analyzer {

const char* const k_tidy_checks = "-*,performance-*,modernize-use-emplace,modernize-pass-by-value";
const char* const k_tidy_extra_checks =
    "-*,performance-implicit-conversion-in-loop,performance-move-const-arg,performance-move-constructor-init,performance-no-automatic-move,"
    "performance-noexcept-destructor,performance-noexcept-move-constructor,performance-noexcept-swap,performance-trivially-destructible,"
    "performance-type-promotion-in-math-fn,modernize-pass-by-value,modernize-use-emplace";

namespace {

using namespace clang;

std::unique_ptr<tidy::ClangTidyOptionsProvider> options_for(const std::string& checks) {
    tidy::ClangTidyOptions options = tidy::ClangTidyOptions::getDefaults();
    options.Checks = checks;
    options.WarningsAsErrors = "";
    options.HeaderFilterRegex = ".*";
    options.SystemHeaders = false;
    return std::make_unique<tidy::DefaultOptionsProvider>(tidy::ClangTidyGlobalOptions(), options);
}

std::pair<unsigned, unsigned> line_column(const std::string& text, std::size_t offset) {
    unsigned line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

// The action of a stand-alone run: clang-tidy's consumer alone.
class TidyAction : public ASTFrontendAction {
public:
    explicit TidyAction(TidyRun& run) : m_run(run) {}
    std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& compiler, StringRef file) override { return m_run.consumer(compiler, file.str()); }

private:
    TidyRun& m_run;
};

// Compiler diagnostics of a stand-alone run: the first error is kept for the message, nothing printed.
class FirstError : public DiagnosticConsumer {
public:
    void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic& info) override {
        DiagnosticConsumer::HandleDiagnostic(level, info);
        if (level < DiagnosticsEngine::Error || !message.empty()) return;
        SmallString<160> text;
        info.FormatDiagnostic(text);
        message = text.str().str();
    }
    std::string message;
};

}  // namespace

// The context owns the checks' options; its diagnostics engine feeds the consumer that collects
// the checks' findings with their fixes, as clang-tidy's own driver wires them.
struct TidyRun::State {
    tidy::ClangTidyContext context;
    tidy::ClangTidyDiagnosticConsumer diagnostics;
    DiagnosticsEngine engine;
    tidy::ClangTidyASTConsumerFactory factory;
    explicit State(const std::string& checks)
        : context(options_for(checks)),
          diagnostics(context),
          engine(new DiagnosticIDs(), new DiagnosticOptions(), &diagnostics, /*ShouldOwnClient=*/false),
          factory((context.setDiagnosticsEngine(&engine), context)) {}
};

TidyRun::TidyRun(const std::string& checks) : m_state(std::make_unique<State>(checks)) {}
TidyRun::~TidyRun() = default;

std::unique_ptr<ASTConsumer> TidyRun::consumer(CompilerInstance& compiler, const std::string& file) {
    return m_state->factory.createASTConsumer(compiler, file);
}

std::vector<Finding> TidyRun::findings(const std::vector<core::SourceFile>& sources, const std::vector<std::string>& fixed_files) {
    const std::string& root = SourceMap::k_root;
    std::vector<Finding> out;
    for (const auto& error : m_state->diagnostics.take()) {
        if (error.DiagnosticName.rfind("clang-diagnostic", 0) == 0) continue;
        const std::string where = error.Message.FilePath;
        if (where.rfind(root, 0) != 0) continue;  // a system header's
        Finding f;
        f.rule = error.DiagnosticName;
        f.file = where.substr(root.size());
        f.message = error.Message.Message;
        const auto source = std::find_if(sources.begin(), sources.end(), [&](const core::SourceFile& s) { return s.path == f.file; });
        if (source == sources.end()) continue;
        std::tie(f.line, f.column) = line_column(source->content, error.Message.FileOffset);
        bool keep_fix = true;
        for (const auto& [path, replacements] : error.Message.Fix) {
            const std::string p = path.str();
            const std::string relative = p.rfind(root, 0) == 0 ? p.substr(root.size()) : "";
            const bool ours = !relative.empty() && std::any_of(sources.begin(), sources.end(), [&](const core::SourceFile& s) { return s.path == relative; });
            const bool fixed = std::find(fixed_files.begin(), fixed_files.end(), relative) != fixed_files.end();
            if (!ours || fixed) {
                keep_fix = false;
                break;
            }
            for (const auto& r : replacements) f.fix.push_back({relative, r.getOffset(), r.getLength(), r.getReplacementText().str()});
        }
        if (!keep_fix) f.fix.clear();
        const bool again = std::any_of(out.begin(), out.end(), [&](const Finding& g) {
            return g.rule == f.rule && g.file == f.file && g.line == f.line && g.column == f.column;
        });
        if (!again) out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::string> TidyRun::check_names() {
    auto names = m_state->factory.getCheckNames();
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> tidy_check_names(const std::string& checks) { return TidyRun(checks).check_names(); }

core::Result<std::vector<Finding>> tidy(const std::vector<core::SourceFile>& sources, const AnalyzeOptions& options, const std::string& checks) {
    const std::string& root = SourceMap::k_root;
    auto overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(llvm::vfs::getRealFileSystem());
    auto memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
    overlay->pushOverlay(memory);
    for (const auto& file : sources) memory->addFile(root + file.path, 0, llvm::MemoryBuffer::getMemBufferCopy(file.content, file.path));
    std::vector<Finding> out;
    for (const auto& file : sources) {
        if (!core::is_translation_unit(file.path) || file.path.ends_with(".cu")) continue;
        std::vector<std::string> args = {"clang++"};
        for (const auto& flag : options.flags)
            if (flag.rfind("-O", 0) != 0) args.push_back(flag);
        args.insert(args.end(), {"-fsyntax-only", "-w", "-I" + root, "-resource-dir=" OPTILOOP_CLANG_RESOURCE_DIR, "-Wno-unknown-warning-option", root + file.path});
        llvm::IntrusiveRefCntPtr<FileManager> files(new FileManager(FileSystemOptions(), overlay));
        TidyRun run(checks);
        FirstError errors;
        tooling::ToolInvocation invocation(args, std::make_unique<TidyAction>(run), files.get());
        invocation.setDiagnosticConsumer(&errors);
        if (!invocation.run() || !errors.message.empty()) {
            std::string message = errors.message.empty() ? "unknown error" : errors.message;
            for (std::size_t at; (at = message.find(root)) != std::string::npos;) message.erase(at, root.size());
            return core::fail(core::Error::input(file.path + ": does not parse: " + message));
        }
        for (auto& f : run.findings(sources, options.fixed_files)) out.push_back(std::move(f));
    }
    std::sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
        return std::tie(a.file, a.line, a.column, a.rule) < std::tie(b.file, b.line, b.column, b.rule);
    });
    return out;
}

}  // namespace optiloop::analyzer

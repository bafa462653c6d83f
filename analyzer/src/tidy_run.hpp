// One translation unit's clang-tidy run, as an AST consumer: analyze() puts it beside its own
// consumer so that the rules and clang-tidy's checks share one parse; tidy() runs it alone.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <clang/AST/ASTConsumer.h>
#include <clang/Frontend/CompilerInstance.h>

#include <optiloop/analyzer/analyzer.hpp>

namespace optiloop::analyzer {

class TidyRun {
public:
    explicit TidyRun(const std::string& checks);
    ~TidyRun();
    TidyRun(const TidyRun&) = delete;
    TidyRun& operator=(const TidyRun&) = delete;

    // The consumer that runs the checks on `compiler`'s AST; once per run.
    std::unique_ptr<clang::ASTConsumer> consumer(clang::CompilerInstance& compiler, const std::string& file);

    // The names of the checks this run has enabled, sorted.
    std::vector<std::string> check_names();

    // The checks' findings after the parse, in the sources' own paths (k_root taken off). A fix
    // that touches a file outside `sources` or one of `fixed_files` is dropped (the finding stays).
    std::vector<Finding> findings(const std::vector<core::SourceFile>& sources, const std::vector<std::string>& fixed_files);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace optiloop::analyzer

// clang-tidy 19's performance checks (and the modernize checks that change what code costs) as a
// source of findings with fixes, run in process on in-memory sources through the clangTidy
// libraries, against the same clang-cpp the analyzer links. A fix is a proposal like a rule's:
// the runner builds, tests and measures it before anything claims a gain.
#pragma once

#include <string>
#include <vector>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/core/error.hpp>

namespace optiloop::analyzer {

// The checks `--provider clang-tidy` runs: performance-* and modernize-use-emplace, modernize-pass-by-value.
extern const char* const k_tidy_checks;

// The checks the default rules proposer adds to optiloop's own rules: those clang-tidy has and
// optiloop has no rule for, eleven in all. The eight with an own twin (avoid-endl,
// faster-string-find, for-range-copy, inefficient-algorithm, inefficient-string-concatenation,
// inefficient-vector-operation, unnecessary-copy-initialization, unnecessary-value-param) stay
// with the own rule, which proved as much or more (README, "Rules and clang-tidy, measured");
// modernize-use-emplace is here since its twin, emplace-back-temporary, was retired (2026-12-07).
extern const char* const k_tidy_extra_checks;

// Every clang-tidy check in `checks` (a clang-tidy glob) over the translation units of `sources`;
// Finding.rule is the check's name ("performance-avoid-endl"), Finding.fix its fix (empty when the
// check only warns). Fixes that would touch options.fixed_files or a file outside the sources are
// dropped. A source that does not parse is an input error, as for analyze().
core::Result<std::vector<Finding>> tidy(const std::vector<core::SourceFile>& sources, const AnalyzeOptions& options,
                                        const std::string& checks = k_tidy_checks);

// The names of the checks `checks` enables, sorted.
std::vector<std::string> tidy_check_names(const std::string& checks = k_tidy_checks);

}  // namespace optiloop::analyzer

// Output checkers: exact, tokens (whitespace-insensitive), float (absolute and relative
// tolerance per token) and program (an external checker: input, output, expected -> exit 0).
#pragma once

#include <filesystem>
#include <string>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::runner {

struct CheckResult {
    bool accepted = false;
    std::string detail;  // the first difference, e.g. "token 3 (line 2): expected 12, got 13"
};

CheckResult check_exact(const std::string& output, const std::string& expected);
CheckResult check_tokens(const std::string& output, const std::string& expected);
CheckResult check_float(const std::string& output, const std::string& expected, double abs_tolerance,
                        double rel_tolerance);

// Dispatches on the checker; `program` must already be built (see Checker::program) and is run
// in the sandbox with the test's input, the output and the expected output.
core::Result<CheckResult> check(const core::Checker& checker, const std::filesystem::path& checker_binary,
                                const std::filesystem::path& input, const std::string& output,
                                const std::filesystem::path& expected);

}  // namespace optiloop::runner

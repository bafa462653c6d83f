// `optiloop ci` below its command line: the functions a change touched (the diff's line ranges
// mapped onto Clang's function ranges), the rules' findings in them, and with `verify` edits
// proposed and verified with the project's own build, tests and benchmark, in a scratch workspace.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <optiloop/ci/report.hpp>
#include <optiloop/core/error.hpp>
#include <optiloop/core/proposer.hpp>
#include <optiloop/runner/repository.hpp>

namespace optiloop::ci {

struct ReviewOptions {
    std::string base;             // the commit the change is compared with (a ref)
    std::string head = "HEAD";    // the changed commit
    std::string repo = ".";       // the repository
    std::vector<std::string> flags;  // extra parse flags (--flags)
    bool verify = false;
    int samples = 2;
    int rounds = 1;
    double time_budget = 0;  // seconds for all of the verification (0: none)
    // The project's commands (build, test, bench) and -p; `repo` is taken from above.
    runner::RepositoryTarget commands;
    // Makes the proposer for each changed function; its description names it in the report.
    std::function<std::unique_ptr<core::Proposer>()> make_proposer;
    std::string proposer_description;
};

// Resolves base and head, reads `git diff` between them, analyses each changed C/C++ file at
// head and, with `verify`, optimizes each changed function. An unknown ref, a repository that is
// not one, or --verify on a commit that is not checked out is an input error; a file that cannot
// be parsed, or a function that cannot be verified, is a problem in the report (not an error).
// `log` receives progress lines, each ready to print.
core::Result<CiReport> review(const ReviewOptions& options, const std::function<void(const std::string&)>& log);

}  // namespace optiloop::ci

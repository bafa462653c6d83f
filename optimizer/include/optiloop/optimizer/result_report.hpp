// The result of one `optiloop optimize` run as the user sees it: the JSON summary (--json,
// result.json), the --out folder (best version, best.patch, candidates.jsonl, result.json) and
// the text table with its summary lines.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/core/proposer.hpp>
#include <optiloop/optimizer/optimizer.hpp>

namespace optiloop::optimizer {

// How the run was asked for: what the reports name besides the task and its Result.
struct RunDescription {
    std::string provider;  // the provider asked for
    Search search = Search::population;
    bool repository = false;  // a repository target: the project's build and test commands are its tests
    std::string proposer;     // the proposer's description, which names its usage line
    std::optional<core::ProposerUsage> usage;  // requests and tokens, for a proposer that spends them
};

// The best version's sources (the baseline's when nothing was verified).
const std::vector<core::SourceFile>& best_sources(const core::Task& task, const Result& result);

// The summary with one object per candidate under "candidates".
nlohmann::json result_json(const core::Task& task, const Result& result, const RunDescription& run);

// Writes best.EXT (the source's extension; best/ for several files), best.patch (removed when
// nothing was verified), candidates.jsonl and result.json into `folder`, creating it. An input
// error "FOLDER: cannot write there" when something cannot be written.
core::Result<void> write_result_folder(const std::string& folder, const core::Task& task, const Result& result, const RunDescription& run);

// The table of candidates, the contradicted ones, the best with its patch (or that none was
// verified), why the search stopped and the proposer's usage.
std::string result_text(const core::Task& task, const Result& result, const RunDescription& run);

// --apply: writes the best version of a one-file task over `path`; false (and nothing written)
// when no candidate was verified. `keep_original` first copies the file to PATH.orig;
// `require_baseline` refuses a file that is no longer the task's baseline (a repository file with
// uncommitted changes: the best version was made from HEAD's). Input errors name --apply.
struct ApplyTo {
    std::filesystem::path path;
    bool keep_original = true;
    bool require_baseline = false;
};
core::Result<bool> apply_best(const core::Task& task, const Result& result, const ApplyTo& to);

}  // namespace optiloop::optimizer

// `optiloop measure` below its command line: a task's baseline measured, and its reference beside
// it when it has one, with both ratios; rendered as a table with its notes, or as JSON.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/runner/measure.hpp>

namespace optiloop::runner {

struct Comparison {
    core::Measurement baseline;
    std::optional<core::Measurement> reference;
    std::optional<double> speedup;       // by the cost (instructions), the reference over the baseline
    std::optional<double> wall_speedup;  // by wall time
    // Both programs built and passed every test.
    bool ok() const { return baseline.verdict == core::Verdict::ok && (!reference || reference->verdict == core::Verdict::ok); }
};

// Measures the baseline and, unless `with_reference` is false or the task has none, the reference.
core::Result<Comparison> compare_reference(const core::Task& task, const MeasureOptions& options, bool with_reference);

nlohmann::json comparison_json(const core::Task& task, const Comparison& comparison);
// The table (program, verdict, instructions, wall, peak memory, ratios), the first failure of
// each program, and the notes: noisy wall time, a contradicted or disagreeing ratio.
std::string comparison_text(const core::Task& task, const Comparison& comparison);

}  // namespace optiloop::runner

// The report of an eval run (`optiloop report DB`): the database's tasks and candidates, and the
// metrics the analyzer computes from them (PIE, COFFE, KernelBench), rendered as text, Markdown,
// JSON or one self-contained HTML page with inline SVG plots; two runs side by side (--compare).
// Every format shows the same metric rows in the same order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <optiloop/analyzer/metrics.hpp>
#include <optiloop/core/error.hpp>
#include <optiloop/optimizer/results_db.hpp>

namespace optiloop::optimizer {

// A run as the report reads it: the rows of its database and its metrics.
struct EvalReport {
    std::string path;
    std::vector<TaskRow> tasks;
    std::vector<CandidateRow> candidates;
    std::vector<analyzer::ProgramResult> programs;
    analyzer::PieMetrics pie;
    analyzer::CoffeMetrics coffe;
    analyzer::KernelBenchMetrics kb;
    std::map<std::string, int> verdicts;
    // Correct candidates whose claimed gain wall time contradicts (copies: EvalReport is returned by value).
    std::vector<CandidateRow> contradicted;
};

// An input error naming `path` when it is not a results database.
core::Result<EvalReport> load_eval_report(const std::string& path);

nlohmann::json report_json(const EvalReport& report);
std::string report_text(const EvalReport& report);
std::string report_markdown(const EvalReport& report);
std::string report_html(const EvalReport& report);
// "metric  A  B", one row per metric.
std::string compare_text(const EvalReport& a, const EvalReport& b);

}  // namespace optiloop::optimizer

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>

#include <optiloop/core/format.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/optimizer/report.hpp>

namespace optiloop::optimizer {

namespace {

std::string opt(const std::optional<double>& v, const char* suffix = "x") {
    if (!v) return "-";
    std::ostringstream s;
    s << std::fixed << std::setprecision(2) << *v << suffix;
    return s.str();
}

std::string pct(double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(1) << v << "%";
    return s.str();
}

// The metrics of a run, once, in the order every format shows them: the text lines, the
// Markdown and HTML tables and --compare all render this list.
struct MetricRow {
    const char* suite;
    const char* name;
    std::string value;
};

std::vector<MetricRow> metric_rows(const EvalReport& d) {
    return {{"PIE", "mean speedup", opt(d.pie.mean_speedup)},
            {"PIE", "%OPT", pct(d.pie.percent_opt)},
            {"PIE", "%correct", pct(d.pie.percent_correct)},
            {"PIE", "human reference mean speedup", opt(d.pie.reference_mean_speedup)},
            {"COFFE", "efficient@1", pct(100 * d.coffe.efficient_at_1)},
            {"COFFE", "efficient@k", pct(100 * d.coffe.efficient_at_k)},
            {"COFFE", "speedup (ratio of sums)", opt(d.coffe.speedup_ratio_of_sums)},
            {"KernelBench", "fast_0", pct(100 * d.kb.fast_0)},
            {"KernelBench", "fast_1", pct(100 * d.kb.fast_1)},
            {"KernelBench", "fast_1.5", pct(100 * d.kb.fast_1_5)},
            {"KernelBench", "fast_2", pct(100 * d.kb.fast_2)},
            {"KernelBench", "geometric-mean speedup", opt(d.kb.geomean_speedup)}};
}

void print_text(std::ostream& out, const EvalReport& d, bool markdown) {
    const std::size_t failed = std::count_if(d.tasks.begin(), d.tasks.end(), [](const auto& t) { return t.status == "failed"; });
    if (markdown) out << "## optiloop results: " << d.path << "\n\n";
    else out << "optiloop report " << d.path << ": " << d.tasks.size() << " tasks (" << failed << " failed)\n";
    if (markdown) {
        out << "| suite | metric | value |\n|---|---|---|\n";
        for (const MetricRow& m : metric_rows(d)) out << "| " << m.suite << " | " << m.name << " | " << m.value << " |\n";
        out << "\n";
        out << "| task | status | baseline cost | reference | best | speedup | rounds | stopped |\n|---|---|---|---|---|---|---|---|\n";
        for (const auto& t : d.tasks)
            out << "| " << t.task_id << " | " << t.status << " | " << (t.baseline_cost ? core::format_count(*t.baseline_cost) : "-") << " | "
                << (t.reference_cost ? core::format_count(*t.reference_cost) : "-") << " | " << (t.best_candidate.empty() ? "-" : t.best_candidate) << " | "
                << opt(t.best_speedup) << " | " << t.rounds << " | " << (t.stop.empty() ? "-" : t.stop) << " |\n";
        if (!d.contradicted.empty()) {
            out << "\nNot counted as speedups (wall time contradicts the instruction gain):\n\n";
            for (const auto& c : d.contradicted) out << "- " << c.task_id << " " << c.candidate_id << ": " << c.contradiction << "\n";
        }
        return;
    }
    // One line per suite.
    std::string suite;
    for (const MetricRow& m : metric_rows(d)) {
        if (m.suite != suite) {
            out << (suite.empty() ? "" : "\n") << std::left << std::setw(13) << m.suite;
            suite = m.suite;
        } else {
            out << "  ";
        }
        out << m.name << " " << m.value;
    }
    out << "\n";
    out << "verdicts    ";
    for (const auto& [v, n] : d.verdicts) out << " " << v << " " << n;
    if (!d.contradicted.empty())
        out << "\ncontradicted " << d.contradicted.size() << (d.contradicted.size() == 1 ? " candidate" : " candidates")
            << " whose instruction gain wall time contradicts: correct, not counted as speedups";
    core::ProposerUsage total;
    for (const auto& t : d.tasks) total += t.usage;
    if (total.requests || total.cached) out << "\nLLM usage    " << core::usage_line(total);
    out << "\n\n" << std::left << std::setw(34) << "task" << std::setw(8) << "status" << std::right << std::setw(14) << "baseline" << std::setw(14)
        << "reference" << std::setw(8) << "best" << std::setw(10) << "speedup" << "\n";
    for (const auto& t : d.tasks) {
        out << std::left << std::setw(34) << t.task_id << std::setw(8) << t.status << std::right << std::setw(14)
            << (t.baseline_cost ? core::format_count(*t.baseline_cost) : "-") << std::setw(14) << (t.reference_cost ? core::format_count(*t.reference_cost) : "-")
            << std::setw(8) << (t.best_candidate.empty() ? "-" : t.best_candidate) << std::setw(10) << opt(t.best_speedup) << "\n";
        if (t.status == "failed") out << "    " << t.error << "\n";
        if (!t.stop_reason.empty())
            out << "    " << t.rounds << " round" << (t.rounds == 1 ? "" : "s") << ", " << t.answers << " proposals; stopped: " << t.stop_reason
                << (t.population.empty() ? "" : "; population " + t.population) << "\n";
        for (const auto& c : d.contradicted)
            if (c.task_id == t.task_id) out << "    not verified: " << c.candidate_id << ": " << c.contradiction << "\n";
    }
}

// A horizontal bar chart as inline SVG; values on a log scale when they span decades.
std::string bar_chart(const std::string& title, const std::vector<std::pair<std::string, double>>& bars, bool log_scale, const std::string& unit) {
    const int row = 18, label = 230, width = 420;
    double top = 0;
    for (const auto& [_, v] : bars) top = std::max(top, log_scale ? std::log10(std::max(1.0, v)) : v);
    if (top <= 0) top = 1;
    std::ostringstream svg;
    svg << "<h2>" << core::html_escape(title) << "</h2>\n<svg xmlns='http://www.w3.org/2000/svg' width='" << label + width + 80 << "' height='"
        << row * bars.size() + 10 << "' font-family='sans-serif' font-size='12'>\n";
    int y = 5;
    for (const auto& [name, v] : bars) {
        const double len = (log_scale ? std::log10(std::max(1.0, v)) : v) / top * width;
        svg << "<text x='" << label - 6 << "' y='" << y + 12 << "' text-anchor='end'>" << core::html_escape(name) << "</text><rect x='" << label << "' y='" << y + 2
            << "' width='" << std::max(1.0, len) << "' height='" << row - 5 << "' fill='#3b7dd8'/><text x='" << label + len + 4 << "' y='" << y + 12 << "'>"
            << core::html_escape(opt(v, unit.c_str())) << "</text>\n";
        y += row;
    }
    svg << "</svg>\n";
    return svg.str();
}

}  // namespace

core::Result<EvalReport> load_eval_report(const std::string& path) {
    if (!std::ifstream(path)) return core::fail(core::Error::input(path + ": no such results database"));
    auto db = optimizer::ResultsDb::open_existing(path);
    if (!db) return core::fail(db.error());
    EvalReport d;
    d.path = path;
    auto tasks = (*db)->tasks();
    if (!tasks) return core::fail(tasks.error());
    auto candidates = (*db)->candidates();
    if (!candidates) return core::fail(candidates.error());
    d.tasks = *tasks;
    d.candidates = *candidates;
    for (const auto& t : d.tasks) {
        if (t.status != "done" || !t.baseline_cost) continue;
        analyzer::ProgramResult p;
        p.id = t.task_id;
        p.baseline_cost = *t.baseline_cost;
        p.reference_cost = t.reference_cost;
        for (const auto& c : d.candidates)
            if (c.task_id == t.task_id) {
                if (c.verdict == "skipped") continue;
                // A contradicted gain is not an improvement: the metrics credit it with no gain.
                p.samples.push_back({c.verdict == "OK", c.cost, static_cast<std::size_t>(c.change_size), c.contradicted});
            }
        d.programs.push_back(std::move(p));
    }
    for (const auto& c : d.candidates) {
        ++d.verdicts[c.verdict];
        if (c.contradicted) d.contradicted.push_back(c);
    }
    d.pie = analyzer::pie_metrics(d.programs);
    d.coffe = analyzer::coffe_metrics(d.programs);
    d.kb = analyzer::kernelbench_metrics(d.programs);
    return d;
}

nlohmann::json report_json(const EvalReport& d) {
    nlohmann::json j;
    std::size_t failed = std::count_if(d.tasks.begin(), d.tasks.end(), [](const auto& t) { return t.status == "failed"; });
    j["database"] = d.path;
    j["tasks"] = d.tasks.size();
    j["failed_tasks"] = failed;
    j["pie"] = {{"mean_speedup", d.pie.mean_speedup}, {"percent_opt", d.pie.percent_opt}, {"percent_correct", d.pie.percent_correct},
                {"reference_mean_speedup", d.pie.reference_mean_speedup ? nlohmann::json(*d.pie.reference_mean_speedup) : nlohmann::json()}};
    j["coffe"] = {{"efficient_at_1", d.coffe.efficient_at_1}, {"efficient_at_k", d.coffe.efficient_at_k},
                  {"speedup_ratio_of_sums", d.coffe.speedup_ratio_of_sums ? nlohmann::json(*d.coffe.speedup_ratio_of_sums) : nlohmann::json()}};
    j["kernelbench"] = {{"fast_0", d.kb.fast_0}, {"fast_1", d.kb.fast_1}, {"fast_1.5", d.kb.fast_1_5}, {"fast_2", d.kb.fast_2},
                        {"geomean_speedup", d.kb.geomean_speedup ? nlohmann::json(*d.kb.geomean_speedup) : nlohmann::json()}};
    j["verdicts"] = d.verdicts;
    nlohmann::json contradicted = nlohmann::json::array();
    for (const auto& c : d.contradicted)
        contradicted.push_back({{"task", c.task_id}, {"candidate", c.candidate_id}, {"speedup", c.speedup ? nlohmann::json(*c.speedup) : nlohmann::json()},
                                {"wall_speedup", c.wall_speedup ? nlohmann::json(*c.wall_speedup) : nlohmann::json()}, {"contradiction", c.contradiction}});
    j["contradicted"] = contradicted;
    core::ProposerUsage total;
    for (const auto& t : d.tasks) total += t.usage;
    j["usage"] = core::to_json(total);
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& t : d.tasks) {
        rows.push_back({{"task", t.task_id}, {"status", t.status}, {"error", t.error}, {"counter", t.counter},
                        {"baseline_cost", t.baseline_cost ? nlohmann::json(*t.baseline_cost) : nlohmann::json()},
                        {"reference_cost", t.reference_cost ? nlohmann::json(*t.reference_cost) : nlohmann::json()},
                        {"best", t.best_candidate}, {"best_speedup", t.best_speedup ? nlohmann::json(*t.best_speedup) : nlohmann::json()},
                        {"prompt_tokens", t.usage.prompt_tokens}, {"completion_tokens", t.usage.completion_tokens}, {"requests", t.usage.requests},
                        {"contradicted", std::count_if(d.contradicted.begin(), d.contradicted.end(), [&](const auto& c) { return c.task_id == t.task_id; })},
                        {"search", t.search}, {"rounds", t.rounds}, {"stop", t.stop}, {"stop_reason", t.stop_reason}, {"population", t.population},
                        {"answers", t.answers}});
    }
    j["per_task"] = rows;
    return j;
}

std::string report_text(const EvalReport& report) {
    std::ostringstream out;
    print_text(out, report, false);
    return out.str();
}

std::string report_markdown(const EvalReport& report) {
    std::ostringstream out;
    print_text(out, report, true);
    return out.str();
}

std::string report_html(const EvalReport& d) {
    std::ostringstream page;
    page << "<!doctype html><html><head><meta charset='utf-8'><title>optiloop report</title><style>body{font-family:sans-serif;margin:2em}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}"
            "</style></head><body>\n<h1>optiloop report</h1>\n<p>"
         << core::html_escape(d.path) << ": " << d.tasks.size() << " tasks</p>\n";
    page << "<table><tr><th>suite</th><th>metric</th><th>value</th></tr>";
    for (const MetricRow& m : metric_rows(d))
        page << "<tr><td>" << m.suite << "</td><td>" << core::html_escape(m.name) << "</td><td>" << m.value << "</td></tr>";
    page << "</table>\n";
    std::vector<std::pair<std::string, double>> speedups, verdicts, before_after;
    for (const auto& t : d.tasks)
        if (t.best_speedup) speedups.emplace_back(t.task_id, *t.best_speedup);
    std::sort(speedups.begin(), speedups.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    page << bar_chart("Verified speedup per task (log scale)", speedups, true, "x");
    // The distribution: how many tasks fall in each speedup band.
    std::vector<std::pair<std::string, double>> bands = {{"no speedup", 0}, {"1.0x - 1.1x", 0}, {"1.1x - 1.5x", 0}, {"1.5x - 2x", 0}, {"2x - 10x", 0}, {"10x and more", 0}};
    for (const auto& t : d.tasks) {
        if (t.status != "done") continue;
        const double s = t.best_speedup.value_or(1.0);
        const int band = !t.best_speedup ? 0 : s < 1.1 ? 1 : s < 1.5 ? 2 : s < 2 ? 3 : s < 10 ? 4 : 5;
        bands[band].second += 1;
    }
    page << bar_chart("Distribution of speedups (tasks)", bands, false, "");
    for (const auto& [v, n] : d.verdicts) verdicts.emplace_back(v, n);
    page << bar_chart("Candidate verdicts", verdicts, false, "");
    for (const auto& t : d.tasks)
        if (t.baseline_cost && t.best_speedup) {
            before_after.emplace_back(t.task_id + " before", *t.baseline_cost / 1e6);
            before_after.emplace_back(t.task_id + " after", *t.baseline_cost / *t.best_speedup / 1e6);
        }
    page << bar_chart("Cost before and after (million instructions)", before_after, false, "M");
    if (!d.contradicted.empty()) {
        page << "<h2>Not counted as speedups</h2>\n<p>Correct candidates whose instruction gain wall time contradicts:</p>\n<ul>\n";
        for (const auto& c : d.contradicted) page << "<li>" << core::html_escape(c.task_id + " " + c.candidate_id + ": " + c.contradiction) << "</li>\n";
        page << "</ul>\n";
    }
    page << "</body></html>\n";
    return page.str();
}

std::string compare_text(const EvalReport& a, const EvalReport& b) {
    std::ostringstream out;
    auto row = [&](const std::string& name, const std::string& va, const std::string& vb) {
        out << std::left << std::setw(42) << name << std::setw(14) << va << std::setw(14) << vb << "\n";
    };
    row("metric", "A", "B");
    row("tasks", std::to_string(a.tasks.size()), std::to_string(b.tasks.size()));
    const auto rows_a = metric_rows(a), rows_b = metric_rows(b);
    for (std::size_t i = 0; i < rows_a.size(); ++i) row(std::string(rows_a[i].suite) + " " + rows_a[i].name, rows_a[i].value, rows_b[i].value);
    return out.str();
}

}  // namespace optiloop::optimizer

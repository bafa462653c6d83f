#include <algorithm>
#include <iomanip>
#include <sstream>

#include <optiloop/core/format.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/runner/comparison.hpp>
#include <optiloop/runner/verify.hpp>

namespace optiloop::runner {

namespace {

void print_row(std::ostream& out, const std::string& name, const core::Measurement& m, const std::optional<double>& by_count,
               const std::optional<double>& by_time) {
    out << std::left << std::setw(12) << name << std::setw(9) << core::to_string(m.verdict);
    if (m.verdict != core::Verdict::ok) {
        out << "\n";
        return;
    }
    out << std::right << std::setw(16) << (m.total_cost ? core::format_count(*m.total_cost) : "-") << std::setw(12)
        << core::format_seconds(m.wall_seconds) << std::setw(10) << core::format_bytes(m.peak_rss_bytes) << std::setw(12)
        << (by_count ? core::format_ratio(*by_count) : "-") << std::setw(12) << (by_time ? core::format_ratio(*by_time) : "-") << "\n";
}

void print_failure(std::ostream& out, const std::string& name, const core::Measurement& m) {
    if (m.verdict == core::Verdict::compile_error || m.verdict == core::Verdict::security) {
        if (!m.compile_output.empty()) out << name << ": " << m.compile_output;
        return;
    }
    for (const auto& t : m.tests)
        if (t.verdict != core::Verdict::ok) {
            out << name << ": test " << t.name << ": " << core::to_string(t.verdict) << (t.detail.empty() ? "" : ": " + t.detail) << "\n";
            return;
        }
}

}  // namespace

core::Result<Comparison> compare_reference(const core::Task& task, const MeasureOptions& options, bool with_reference) {
    auto base = measure(task, task.baseline, options);
    if (!base) return core::fail(base.error());
    Comparison c{*base, std::nullopt, std::nullopt, std::nullopt};
    if (task.reference.empty() || !with_reference) return c;
    auto ref = measure(task, task.reference, options);
    if (!ref) return core::fail(ref.error());
    c.reference = *ref;
    c.speedup = speedup(c.baseline, *ref);
    c.wall_speedup = wall_speedup(c.baseline, *ref);
    return c;
}

nlohmann::json comparison_json(const core::Task& task, const Comparison& c) {
    nlohmann::json j = {{"task", task.id}, {"counter", core::to_string(c.baseline.counter)}, {"baseline", core::to_json(c.baseline)}};
    if (c.reference) {
        j["reference"] = core::to_json(*c.reference);
        j["speedup"] = c.speedup ? nlohmann::json(*c.speedup) : nlohmann::json();
        j["wall_speedup"] = c.wall_speedup ? nlohmann::json(*c.wall_speedup) : nlohmann::json();
        j["ratios_disagree"] = ratios_disagree(c.baseline, *c.reference);
        const auto contradiction = time_contradiction(c.baseline, *c.reference);
        j["contradicted"] = contradiction.has_value();
        j["contradiction"] = contradiction.value_or("");
    }
    return j;
}

std::string comparison_text(const core::Task& task, const Comparison& c) {
    std::ostringstream out;
    out << "task " << task.id << " (counter: " << core::to_string(c.baseline.counter) << ", cost on "
        << (task.stress.empty() ? "all tests" : "the stress tests") << ")\n";
    out << std::left << std::setw(12) << "program" << std::setw(9) << "verdict" << std::right << std::setw(16) << "instructions" << std::setw(12)
        << "wall" << std::setw(10) << "peak mem" << std::setw(12) << "speedup" << std::setw(12) << "wall ratio" << "\n";
    print_row(out, "baseline", c.baseline, std::nullopt, std::nullopt);
    if (c.reference) print_row(out, "reference", *c.reference, c.speedup, c.wall_speedup);
    print_failure(out, "baseline", c.baseline);
    if (c.reference) print_failure(out, "reference", *c.reference);
    double worst_cv = 0;
    for (const auto* m : {&c.baseline, c.reference ? &*c.reference : nullptr})
        if (m)
            for (const auto& t : m->tests) worst_cv = std::max(worst_cv, t.wall_cv);
    if (worst_cv > 0.05)
        out << "warning: wall time is noisy here (CV up to " << core::format_percent(worst_cv) << "); the instruction count is the number to trust\n";
    if (const auto contradiction = c.reference ? time_contradiction(c.baseline, *c.reference) : std::nullopt)
        out << "not verified: wall time contradicts the reference's instruction gain: " << *contradiction << "\n";
    else if (c.reference && ratios_disagree(c.baseline, *c.reference))
        out << "note: the instruction ratio and the wall-time ratio disagree by more than their noise "
               "(cache misses or system calls the count does not see)\n";
    return out.str();
}

}  // namespace optiloop::runner

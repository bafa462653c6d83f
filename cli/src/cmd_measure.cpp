// `optiloop measure`: build a program, check it on tests and measure its cost. On a task folder
// the baseline is measured, and the reference beside it when the task has one, with speedups.
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <optiloop/core/format.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/runner/measure.hpp>
#include <optiloop/runner/verify.hpp>

#include "commands.hpp"
#include "config.hpp"
#include "target.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

namespace {

struct MeasureArgs {
    TargetArgs target;
    std::string counter = "auto";
    int jobs = 0;
    int repeat = 5;
    bool json = false;
    bool baseline_only = false;
};

void print_row(std::ostream& out, const std::string& name, const core::Measurement& m,
               const std::optional<double>& by_count, const std::optional<double>& by_time) {
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

Action setup_measure(CLI::App& app) {
    auto a = std::make_shared<MeasureArgs>();
    add_target_options(app, a->target);
    add_setting(app, "counter", a->counter);
    add_setting(app, "jobs", a->jobs);
    add_setting(app, "repeat", a->repeat);  // 5 here: measure is the careful look
    app.add_flag("--baseline-only", a->baseline_only, "Do not measure the task's reference");
    app.add_flag("--json", a->json, "Print the full measurements as JSON");
    return [a, &app](Streams& s) {
        // What the user configured (environment, optiloop.toml) for the options not given as
        // flags; measure keeps its own defaults otherwise (5 wall-time repetitions).
        auto settings = Settings::load("");
        if (!settings) {
            s.err << "optiloop measure: " << settings.error().message << "\n";
            return 2;
        }
        apply_settings(app, *settings);
        auto task = load_target(a->target);
        if (!task) {
            s.err << "optiloop measure: " << task.error().message << "\n";
            return static_cast<int>(task.error().exit_code());
        }
        runner::MeasureOptions options;
        options.counter = counter_choice(a->counter);
        options.jobs = a->jobs;
        options.repeats = a->repeat;

        s.err << "measuring " << task->id << ": " << task->tests.size() << " tests, " << task->stress.size() << " stress tests\n";
        if (const std::string note = missing_gpu_note(*task); !note.empty()) s.err << note << "\n";
        auto base = runner::measure(*task, task->baseline, options);
        if (!base) {
            s.err << "optiloop measure: " << base.error().message << "\n";
            return static_cast<int>(base.error().exit_code());
        }
        std::optional<core::Measurement> ref;
        if (!task->reference.empty() && !a->baseline_only) {
            auto r = runner::measure(*task, task->reference, options);
            if (!r) {
                s.err << "optiloop measure: " << r.error().message << "\n";
                return static_cast<int>(r.error().exit_code());
            }
            ref = *r;
        }
        const auto by_count = ref ? runner::speedup(*base, *ref) : std::nullopt;
        const auto by_time = ref ? runner::wall_speedup(*base, *ref) : std::nullopt;
        if (a->json) {
            nlohmann::json j = {{"task", task->id}, {"counter", core::to_string(base->counter)}, {"baseline", core::to_json(*base)}};
            if (ref) {
                j["reference"] = core::to_json(*ref);
                j["speedup"] = by_count ? nlohmann::json(*by_count) : nlohmann::json();
                j["wall_speedup"] = by_time ? nlohmann::json(*by_time) : nlohmann::json();
                j["ratios_disagree"] = runner::ratios_disagree(*base, *ref);
                const auto contradiction = runner::time_contradiction(*base, *ref);
                j["contradicted"] = contradiction.has_value();
                j["contradiction"] = contradiction.value_or("");
            }
            s.out << j.dump(2) << "\n";
        } else {
            s.out << "task " << task->id << " (counter: " << core::to_string(base->counter) << ", cost on "
                  << (task->stress.empty() ? "all tests" : "the stress tests") << ")\n";
            s.out << std::left << std::setw(12) << "program" << std::setw(9) << "verdict" << std::right << std::setw(16)
                  << "instructions" << std::setw(12) << "wall" << std::setw(10) << "peak mem" << std::setw(12)
                  << "speedup" << std::setw(12) << "wall ratio" << "\n";
            print_row(s.out, "baseline", *base, std::nullopt, std::nullopt);
            if (ref) print_row(s.out, "reference", *ref, by_count, by_time);
            print_failure(s.out, "baseline", *base);
            if (ref) print_failure(s.out, "reference", *ref);
            double worst_cv = 0;
            for (const auto* m : {&*base, ref ? &*ref : nullptr})
                if (m) for (const auto& t : m->tests) worst_cv = std::max(worst_cv, t.wall_cv);
            if (worst_cv > 0.05)
                s.out << "warning: wall time is noisy here (CV up to " << core::format_percent(worst_cv)
                      << "); the instruction count is the number to trust\n";
            if (const auto contradiction = ref ? runner::time_contradiction(*base, *ref) : std::nullopt)
                s.out << "not verified: wall time contradicts the reference's instruction gain: " << *contradiction << "\n";
            else if (ref && runner::ratios_disagree(*base, *ref))
                s.out << "note: the instruction ratio and the wall-time ratio disagree by more than their noise "
                         "(cache misses or system calls the count does not see)\n";
        }
        const bool ok = base->verdict == core::Verdict::ok && (!ref || ref->verdict == core::Verdict::ok);
        return ok ? 0 : 1;
    };
}

}  // namespace optiloop::cli

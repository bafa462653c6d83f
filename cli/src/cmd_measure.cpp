// `optiloop measure`: build a program, check it on tests and measure its cost. On a task folder
// the baseline is measured, and the reference beside it when the task has one, with speedups.
#include <ostream>

#include <optiloop/runner/comparison.hpp>

#include "commands.hpp"
#include "config.hpp"
#include "target.hpp"

namespace optiloop::cli {

namespace {

struct MeasureArgs {
    TargetArgs target;
    std::string counter = "auto";
    int jobs = 0;
    int repeat = 5;
    bool json = false;
    bool baseline_only = false;
};

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
        auto compared = runner::compare_reference(*task, options, !a->baseline_only);
        if (!compared) {
            s.err << "optiloop measure: " << compared.error().message << "\n";
            return static_cast<int>(compared.error().exit_code());
        }
        if (a->json) s.out << runner::comparison_json(*task, *compared).dump(2) << "\n";
        else s.out << runner::comparison_text(*task, *compared);
        return compared->ok() ? 0 : 1;
    };
}

}  // namespace optiloop::cli

// `optiloop eval`: --validate and --list inspect a dataset (a folder of task folders, or a PIE
// jsonl file); without them the optimizer runs over it (eval_run.hpp), locally or as Slurm shards.
#include <iomanip>
#include <map>
#include <ostream>

#include <optiloop/datasets/dataset.hpp>

#include "commands.hpp"
#include "eval_run.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

namespace {

void print_list_header(std::ostream& out) {
    out << std::left << std::setw(34) << "task" << std::setw(10) << "kind" << std::setw(7) << "tests" << std::setw(8)
        << "stress" << std::setw(6) << "ref" << "tags\n";
}

void print_list_row(std::ostream& out, const core::Task& task) {
    std::string tags;
    for (const auto& t : task.tags) tags += (tags.empty() ? "" : ",") + t;
    out << std::left << std::setw(34) << task.id << std::setw(10) << core::to_string(task.kind) << std::setw(7)
        << task.tests.size() << std::setw(8) << task.stress.size() << std::setw(6)
        << (task.reference.empty() ? "no" : "yes") << tags << "\n";
}

}  // namespace

Action setup_eval(CLI::App& app) {
    struct Args {
        std::string dataset;
        std::string pie_tests;
        bool validate = false;
        bool list = false;
        EvalRunArgs run;
    };
    auto a = std::make_shared<Args>();
    app.add_option("dataset", a->dataset, "A folder of task folders, or a PIE .jsonl file");
    app.add_option("--pie-tests", a->pie_tests,
                   "PIE test cases, PROBLEM_ID/input.N.txt + output.N.txt (default: tests/ or merged_test_cases/ beside the .jsonl)");
    app.add_flag("--validate", a->validate, "Check every task and report every problem");
    app.add_flag("--list", a->list, "List the tasks with their tags and sizes");
    add_eval_run_options(app, a->run);
    return [a, &app](Streams& s) {
        const auto& r = a->run;
        if (!r.slurm && (r.shards || !r.slurm_options.empty() || !r.slurm_dir.empty() || r.slurm_script_only || r.no_wait)) {
            s.err << "optiloop eval: --shards, --slurm-opt, --slurm-dir, --slurm-script-only and --no-wait go with --slurm\n";
            return 2;
        }
        if (r.slurm && (!r.merge.empty() || a->validate || a->list)) {
            s.err << "optiloop eval: --slurm: not with " << (!r.merge.empty() ? "--merge" : a->validate ? "--validate" : "--list") << "\n";
            return 2;
        }
        if (!a->run.merge.empty()) return merge_command(s, a->run);
        auto settings = Settings::load("");
        if (!settings) {
            s.err << "optiloop eval: " << settings.error().message << "\n";
            return 2;
        }
        note_proposer_sources(app, *settings, a->run.proposer);
        apply_settings(app, *settings);
        if (a->dataset.empty()) {
            s.err << "optiloop eval: give a dataset (a folder of task folders or a PIE .jsonl), or --merge A.db B.db\n";
            return 2;
        }
        auto dataset = datasets::open_dataset(a->dataset, a->pie_tests);
        if (!dataset) {
            s.err << "optiloop eval: " << dataset.error().message << "\n";
            return 2;
        }
        if (a->validate) {
            const auto v = datasets::validate_dataset(*dataset);
            for (const auto& p : v.problems) s.out << p << "\n";
            s.out << v.tasks << " tasks, " << v.tasks_with_problems << " with problems (" << v.problems.size() << " problems)\n";
            return v.problems.empty() ? 0 : 2;
        }
        if (a->list) {
            const auto listing = datasets::list_dataset(*dataset);
            for (const auto& p : listing.file_problems) s.err << p << "\n";
            if (!listing.file_problems.empty()) return 2;
            print_list_header(s.out);
            int failed = 0;
            for (const auto& task : listing.tasks) {
                if (task) {
                    print_list_row(s.out, *task);
                    continue;
                }
                s.err << task.error().message << "\n";
                ++failed;
            }
            return failed ? 2 : 0;
        }
        // The tasks by id, loaded up front: a broken dataset stops here with its first problem.
        auto loaded = datasets::load_dataset(*dataset);
        if (!loaded) {
            s.err << "optiloop eval: " << loaded.error().message << " (optiloop eval " << a->dataset << " --validate lists every problem)\n";
            return 2;
        }
        std::map<std::string, core::Task> tasks;
        for (auto& t : *loaded) tasks.emplace(t.id, std::move(t));
        std::vector<std::string> ids;
        for (const auto& [id, _] : tasks) ids.push_back(id);
        const std::string name = fs::absolute(a->dataset).string();
        if (a->run.slurm) return run_slurm_command(s, app, name, ids, a->run);
        return run_eval_command(s, name, ids, [&](const std::string& id) -> core::Result<core::Task> { return tasks.at(id); }, a->run);
    };
}

}  // namespace optiloop::cli

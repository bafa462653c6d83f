// `optiloop eval`: --validate and --list inspect a dataset (a folder of task folders, or a PIE
// jsonl file); running the optimizer over one is issue #8's.
#include <iomanip>
#include <map>
#include <ostream>

#include <optiloop/datasets/pie.hpp>
#include <optiloop/datasets/task_folder.hpp>

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

// A PIE jsonl file: one task per record, test cases under the tests root.
int eval_pie(Streams& s, const fs::path& jsonl, const std::string& pie_tests, bool validate, bool list) {
    const fs::path tests_root = pie_tests.empty() ? datasets::default_pie_tests_root(jsonl) : fs::path(pie_tests);
    if (!pie_tests.empty() && !fs::is_directory(tests_root)) {
        s.err << "optiloop eval: --pie-tests " << pie_tests << ": not a directory\n";
        return 2;
    }
    const auto file = datasets::read_pie(jsonl, tests_root);
    if (validate) {
        std::size_t bad = 0, problems = file.problems.size();
        for (const auto& p : file.problems) s.out << p << "\n";
        for (const auto& record : file.records) {
            if (!record.problems.empty()) ++bad;
            problems += record.problems.size();
            for (const auto& p : record.problems) s.out << p << "\n";
        }
        s.out << file.records.size() << " tasks, " << bad << " with problems (" << problems << " problems)\n";
        return problems ? 2 : 0;
    }
    if (list) {
        for (const auto& p : file.problems) s.err << p << "\n";
        if (!file.problems.empty()) return 2;
        print_list_header(s.out);
        int failed = 0;
        for (const auto& record : file.records) {
            if (!record.problems.empty()) {
                s.err << record.problems.front() << "\n";
                ++failed;
                continue;
            }
            print_list_row(s.out, record.task);
        }
        return failed ? 2 : 0;
    }
    return -1;
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
        const fs::path dataset(a->dataset);
        std::error_code ec;
        // The tasks by id, loaded up front: a broken dataset stops here with its first problem.
        std::map<std::string, core::Task> tasks;
        auto run = [&]() {
            std::vector<std::string> ids;
            for (const auto& [id, _] : tasks) ids.push_back(id);
            if (a->run.slurm) return run_slurm_command(s, app, fs::absolute(dataset).string(), ids, a->run);
            return run_eval_command(s, fs::absolute(dataset).string(), ids,
                                    [&](const std::string& id) -> core::Result<core::Task> { return tasks.at(id); }, a->run);
        };
        if (fs::is_regular_file(dataset, ec) && datasets::is_pie_file(dataset)) {
            if (a->validate || a->list) return eval_pie(s, dataset, a->pie_tests, a->validate, a->list);
            auto loaded = datasets::load_pie(dataset, a->pie_tests.empty() ? fs::path() : fs::path(a->pie_tests));
            if (!loaded) {
                s.err << "optiloop eval: " << loaded.error().message << " (optiloop eval " << a->dataset << " --validate lists every problem)\n";
                return 2;
            }
            for (auto& t : *loaded) tasks.emplace(t.id, std::move(t));
            return run();
        } else if (!a->pie_tests.empty()) {
            s.err << "optiloop eval: --pie-tests: only for a PIE .jsonl file; " << a->dataset << " is not one\n";
            return 2;
        } else if (!fs::exists(dataset, ec)) {
            s.err << "optiloop eval: " << a->dataset << ": no such file or directory\n";
            return 2;
        } else if (!fs::is_directory(dataset, ec)) {
            s.err << "optiloop eval: " << a->dataset << ": not a directory or a PIE .jsonl file\n";
            return 2;
        } else {
            const auto dirs = datasets::find_task_dirs(a->dataset);
            if (dirs.empty()) {
                s.err << "optiloop eval: " << a->dataset << ": no task folder (a folder with task.json) found\n";
                return 2;
            }
            if (a->validate) {
                std::size_t bad = 0, problems = 0;
                for (const auto& dir : dirs) {
                    const auto found = datasets::validate_task(dir);
                    if (!found.empty()) ++bad;
                    problems += found.size();
                    for (const auto& p : found) s.out << p << "\n";
                }
                s.out << dirs.size() << " tasks, " << bad << " with problems (" << problems << " problems)\n";
                return bad ? 2 : 0;
            }
            if (a->list) {
                print_list_header(s.out);
                int failed = 0;
                for (const auto& dir : dirs) {
                    auto task = datasets::load_task(dir);
                    if (!task) {
                        s.err << task.error().message << "\n";
                        ++failed;
                        continue;
                    }
                    print_list_row(s.out, *task);
                }
                return failed ? 2 : 0;
            }
            for (const auto& dir : dirs) {
                auto task = datasets::load_task(dir);
                if (!task) {
                    s.err << "optiloop eval: " << task.error().message << " (optiloop eval " << a->dataset << " --validate lists every problem)\n";
                    return 2;
                }
                if (tasks.count(task->id)) {
                    s.err << "optiloop eval: " << dir.string() << ": task id " << task->id << " is used twice in the dataset\n";
                    return 2;
                }
                tasks.emplace(task->id, std::move(*task));
            }
            return run();
        }
    };
}

}  // namespace optiloop::cli

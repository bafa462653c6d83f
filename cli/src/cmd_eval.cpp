// `optiloop eval`: --validate and --list inspect a dataset; running the optimizer over one is
// issue #8's.
#include <iomanip>
#include <ostream>

#include <optiloop/datasets/task_folder.hpp>

#include "commands.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

Action setup_eval(CLI::App& app) {
    struct Args {
        std::string dataset;
        bool validate = false;
        bool list = false;
    };
    auto a = std::make_shared<Args>();
    app.add_option("dataset", a->dataset, "A folder of task folders")->required();
    app.add_flag("--validate", a->validate, "Check every task and report every problem");
    app.add_flag("--list", a->list, "List the tasks with their tags and sizes");
    return [a](Streams& s) {
        if (!fs::is_directory(a->dataset)) {
            s.err << "optiloop eval: " << a->dataset << ": not a directory\n";
            return 2;
        }
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
            s.out << std::left << std::setw(34) << "task" << std::setw(10) << "kind" << std::setw(7) << "tests"
                  << std::setw(8) << "stress" << std::setw(6) << "ref" << "tags\n";
            int failed = 0;
            for (const auto& dir : dirs) {
                auto task = datasets::load_task(dir);
                if (!task) {
                    s.err << task.error().message << "\n";
                    ++failed;
                    continue;
                }
                std::string tags;
                for (const auto& t : task->tags) tags += (tags.empty() ? "" : ",") + t;
                s.out << std::left << std::setw(34) << task->id << std::setw(10) << core::to_string(task->kind)
                      << std::setw(7) << task->tests.size() << std::setw(8) << task->stress.size() << std::setw(6)
                      << (task->reference.empty() ? "no" : "yes") << tags << "\n";
            }
            return failed ? 2 : 0;
        }
        s.err << "optiloop eval: running the optimizer over a dataset is not built yet (issue #8); --validate and --list work\n";
        return 2;
    };
}

}  // namespace optiloop::cli

#include <set>

#include <optiloop/datasets/dataset.hpp>
#include <optiloop/datasets/pie.hpp>
#include <optiloop/datasets/task_folder.hpp>

namespace optiloop::datasets {

namespace fs = std::filesystem;

core::Result<Dataset> open_dataset(const fs::path& path, const std::string& pie_tests) {
    Dataset dataset;
    dataset.path = path;
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && is_pie_file(path)) {
        dataset.pie = true;
        dataset.pie_tests = pie_tests;
        if (!pie_tests.empty() && !fs::is_directory(dataset.pie_tests, ec))
            return core::fail(core::Error::input("--pie-tests " + pie_tests + ": not a directory"));
        return dataset;
    }
    if (!pie_tests.empty()) return core::fail(core::Error::input("--pie-tests: only for a PIE .jsonl file; " + path.string() + " is not one"));
    if (!fs::exists(path, ec)) return core::fail(core::Error::input(path.string() + ": no such file or directory"));
    if (!fs::is_directory(path, ec)) return core::fail(core::Error::input(path.string() + ": not a directory or a PIE .jsonl file"));
    dataset.task_dirs = find_task_dirs(path);
    if (dataset.task_dirs.empty()) return core::fail(core::Error::input(path.string() + ": no task folder (a folder with task.json) found"));
    return dataset;
}

Validation validate_dataset(const Dataset& dataset) {
    Validation v;
    auto add = [&](const std::vector<std::string>& problems) {
        ++v.tasks;
        if (!problems.empty()) ++v.tasks_with_problems;
        v.problems.insert(v.problems.end(), problems.begin(), problems.end());
    };
    if (dataset.pie) {
        const PieFile file = read_pie(dataset.path, dataset.pie_tests);
        v.problems = file.problems;
        for (const auto& record : file.records) add(record.problems);
    } else {
        for (const auto& dir : dataset.task_dirs) add(validate_task(dir));
    }
    return v;
}

Listing list_dataset(const Dataset& dataset) {
    Listing listing;
    if (dataset.pie) {
        PieFile file = read_pie(dataset.path, dataset.pie_tests);
        listing.file_problems = file.problems;
        if (!listing.file_problems.empty()) return listing;
        for (auto& record : file.records)
            if (record.problems.empty()) listing.tasks.push_back(std::move(record.task));
            else listing.tasks.push_back(core::fail(core::Error::input(record.problems.front())));
    } else {
        for (const auto& dir : dataset.task_dirs) listing.tasks.push_back(load_task(dir));
    }
    return listing;
}

core::Result<std::vector<core::Task>> load_dataset(const Dataset& dataset) {
    if (dataset.pie) return load_pie(dataset.path, dataset.pie_tests);
    std::vector<core::Task> tasks;
    std::set<std::string> ids;
    for (const auto& dir : dataset.task_dirs) {
        auto task = load_task(dir);
        if (!task) return core::fail(task.error());
        if (!ids.insert(task->id).second) return core::fail(core::Error::input(dir.string() + ": task id " + task->id + " is used twice in the dataset"));
        tasks.push_back(std::move(*task));
    }
    return tasks;
}

}  // namespace optiloop::datasets

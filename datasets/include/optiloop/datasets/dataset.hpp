// A dataset as `optiloop eval` reads it: a folder of task folders, or a PIE .jsonl file with its
// test cases. Opening one checks what the path is; then it is validated (every problem),
// listed (each task, or why it does not load) or loaded (every task; the first problem stops).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::datasets {

struct Dataset {
    std::filesystem::path path;
    bool pie = false;
    std::filesystem::path pie_tests;               // a PIE file's test cases; empty: the default beside it
    std::vector<std::filesystem::path> task_dirs;  // a folder's task folders
};

// An input error naming the path (or --pie-tests) when it is not a dataset: missing, neither a
// folder nor a .jsonl file, a folder without a task folder, test cases given for a folder.
core::Result<Dataset> open_dataset(const std::filesystem::path& path, const std::string& pie_tests);

struct Validation {
    std::vector<std::string> problems;  // every problem, one line each
    std::size_t tasks = 0;
    std::size_t tasks_with_problems = 0;
};
Validation validate_dataset(const Dataset& dataset);

struct Listing {
    std::vector<std::string> file_problems;        // a PIE file's own problems: then no task is listed
    std::vector<core::Result<core::Task>> tasks;  // each task, or the first problem of it
};
Listing list_dataset(const Dataset& dataset);

// Every task; an id used twice is an error.
core::Result<std::vector<core::Task>> load_dataset(const Dataset& dataset);

}  // namespace optiloop::datasets

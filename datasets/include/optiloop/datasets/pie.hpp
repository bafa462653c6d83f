// The PIE dataset format ("Learning Performance-Improving Code Edits", Shypula et al.): a jsonl
// file of slow/fast program pairs and a separate folder of test cases per problem. Each record
// becomes one stdio task; every problem is one line naming FILE:LINE and the field.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::datasets {

// The largest jsonl file read (into memory, whole): room for PIE's splits, not for a runaway
// file. Its test files are held to the task folder's k_max_test_file_bytes.
inline constexpr std::uintmax_t k_max_pie_file_bytes = std::uintmax_t{2} << 30;  // 2 GiB

// Where the test cases of a PIE file are when the caller names no folder: `tests/` beside the
// jsonl, else `merged_test_cases/` (PIE's own name for it) beside it; `tests/` when neither exists.
std::filesystem::path default_pie_tests_root(const std::filesystem::path& jsonl);

// Loads every record of a PIE jsonl file as a task, its tests from
// `{tests_root}/{problem_id}/input.N.txt` + `output.N.txt`. The first problem found is the error.
core::Result<std::vector<core::Task>> load_pie(const std::filesystem::path& jsonl,
                                               const std::filesystem::path& tests_root);

// Every problem of a PIE jsonl file (not just the first), each a full line
// `FILE:LINE: field: what was expected` (or `FILE: ...` for the file as a whole).
std::vector<std::string> validate_pie(const std::filesystem::path& jsonl, const std::filesystem::path& tests_root);

// The records of a PIE file as tasks, with the problems of each (empty when the record loads).
// Lets a caller report per task, as `optiloop eval --validate` does.
struct PieRecord {
    std::size_t line = 0;  // 1-based line in the jsonl file
    core::Task task;       // as much as could be read; usable only when `problems` is empty
    std::vector<std::string> problems;
};

struct PieFile {
    std::vector<std::string> problems;  // about the file as a whole (unreadable, no test folder)
    std::vector<PieRecord> records;     // one per non-blank line
};

PieFile read_pie(const std::filesystem::path& jsonl, const std::filesystem::path& tests_root);

// True when the path names a PIE jsonl file (by its extension: .jsonl).
bool is_pie_file(const std::filesystem::path& path);

}  // namespace optiloop::datasets

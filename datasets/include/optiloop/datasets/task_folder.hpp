// The native task folder (datasets/README.md): task.json, baseline/, reference/, harness/,
// tests/NAME.in+out, stress/NAME.in+out. Loading validates everything and names the path and
// the problem in one line. A task folder may come from anyone: every file it reads or hands to
// a program must be a regular file inside the folder (a symlink only when its target is), and
// no larger than the limits below.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::datasets {

// Test inputs and expected outputs (tests/, stress/): handed to programs and checkers whole.
inline constexpr std::uintmax_t k_max_test_file_bytes = std::uintmax_t{1} << 30;  // 1 GiB
inline constexpr std::uintmax_t k_max_task_json_bytes = std::uintmax_t{1} << 20;  // 1 MiB

// Loads one task folder; the first problem found is the error.
core::Result<core::Task> load_task(const std::filesystem::path& dir);

// Every problem of one task folder (not just the first), each a full line.
std::vector<std::string> validate_task(const std::filesystem::path& dir);

// The NAME.in / NAME.out pairs of one folder (a source file's --tests), held to the same rules as
// a task folder's tests with the folder itself as the root; the first problem is the error.
core::Result<std::vector<core::TestCase>> load_test_folder(const std::filesystem::path& dir);

// The task folders under root (root itself when it holds a task.json), sorted by path.
std::vector<std::filesystem::path> find_task_dirs(const std::filesystem::path& root);

}  // namespace optiloop::datasets

// The native task folder (datasets/README.md): task.json, baseline/, reference/, harness/,
// tests/NAME.in+out, stress/NAME.in+out. Loading validates everything and names the path and
// the problem in one line.
#pragma once

#include <filesystem>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::datasets {

// Loads one task folder; the first problem found is the error.
core::Result<core::Task> load_task(const std::filesystem::path& dir);

// Every problem of one task folder (not just the first), each a full line.
std::vector<std::string> validate_task(const std::filesystem::path& dir);

// The task folders under root (root itself when it holds a task.json), sorted by path.
std::vector<std::filesystem::path> find_task_dirs(const std::filesystem::path& root);

// True when the bytes are valid UTF-8.
bool is_utf8(std::string_view bytes);

}  // namespace optiloop::datasets

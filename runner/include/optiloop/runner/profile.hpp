// Per-line instruction profiles with callgrind, for the analyzer's hot spots: which lines of the
// program's own sources the instructions of a run go to.
#pragma once

#include <set>
#include <string>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::runner {

// The test a profile says most about: the largest input among the stress tests when there are
// any, else among all tests (a tiny first test says where start-up goes, not the work); null for
// a task without tests. The optimizer's prompt and `optiloop analyze TASK_DIR` both profile it.
const core::TestCase* largest_test(const core::Task& task);

// Builds the sources with debug information and runs them under callgrind on one test.
core::Result<core::LineProfile> profile(const core::Task& task, const std::vector<core::SourceFile>& sources, const core::TestCase& test);

// Parses callgrind output files. Lines of files whose name ends with one of `source_names` are
// kept; the inclusive cost of a call from such a line into any other file is added to the line.
core::LineProfile parse_callgrind(const std::vector<std::string>& outputs, const std::set<std::string>& source_names);

}  // namespace optiloop::runner

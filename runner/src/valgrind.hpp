// The sandbox spec of a run under a valgrind tool, shared by the instruction counter and the
// profiler. Private to the runner.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <optiloop/core/model.hpp>
#include <optiloop/sandbox/sandbox.hpp>

namespace optiloop::runner {

// `tool_args` come between valgrind's common options and the program; the tool writes one
// output file per process to /work/<output_prefix>.<pid>, read back as scratch files.
inline sandbox::Spec valgrind_spec(const core::Task& task, const std::filesystem::path& binary, const core::TestCase& test,
                                   const std::vector<std::string>& tool_args, const std::string& output_prefix) {
    sandbox::Spec spec;
    spec.argv = {"/usr/bin/valgrind", "-q", "--vgdb=no", "--trace-children=yes"};
    spec.argv.insert(spec.argv.end(), tool_args.begin(), tool_args.end());
    spec.argv.push_back("/box/prog");
    spec.binds.push_back({binary, "/box/prog", false});
    spec.stdin_file = test.input;
    spec.scratch_outputs = {output_prefix + ".*"};
    // valgrind runs the program 10-50x slower and reserves address space it never touches.
    spec.limits.cpu_seconds = task.limits.time_seconds * 60 + 30;
    spec.limits.wall_seconds = spec.limits.cpu_seconds * 2;
    spec.limits.memory_bytes = task.limits.memory_bytes * 2 + (std::int64_t{512} << 20);
    spec.limits.output_bytes = task.limits.output_bytes;
    spec.limits.address_space_fallback = false;
    spec.limits.open_files = 1024;
    return spec;
}

}  // namespace optiloop::runner

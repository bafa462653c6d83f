// The sandbox spec of a run under a valgrind tool, shared by the instruction counter and the
// profiler. Private to the runner.
//
// Valgrind counts inside the program's own process, so everything about the run is arranged so
// that the program cannot steer the count (README, "What a candidate can and cannot do"):
// - valgrind's tool binary is started directly with --command-line-only=yes: VALGRIND_OPTS and
//   .valgrindrc files are ignored, and the launcher valgrind would re-execute for an exec'd child
//   is a path that does not exist, so an exec ends the run instead of starting a process whose
//   instructions (or whose predecessor's) go uncounted;
// - the run is one process (seccomp refuses fork, vfork and clone without CLONE_THREAD);
// - the record goes to a private output the program can write but not create, replace, remove or
//   link, and valgrind writes it at exit, after the program's last instruction.
#pragma once

#include <sys/utsname.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/sandbox/sandbox.hpp>

namespace optiloop::runner {

// The private output a counted run's record is read back from.
inline constexpr const char* k_count_record = "count.out";

// Where valgrind keeps its tools: VALGRIND_LIB for the tool binary run directly.
inline core::Result<std::filesystem::path> valgrind_tool_binary(const std::string& tool) {
    utsname machine{};
    ::uname(&machine);
    const std::string arch = std::string(machine.machine) == "aarch64" ? "arm64" : std::string(machine.machine) == "x86_64" ? "amd64" : machine.machine;
    for (const char* dir : {"/usr/libexec/valgrind", "/usr/lib/x86_64-linux-gnu/valgrind", "/usr/lib/aarch64-linux-gnu/valgrind",
                            "/usr/lib/valgrind", "/usr/local/libexec/valgrind"}) {
        const std::filesystem::path binary = std::filesystem::path(dir) / (tool + "-" + arch + "-linux");
        if (::access(binary.c_str(), X_OK) == 0) return binary;
    }
    return core::fail(core::Error::infrastructure("valgrind's " + tool + " tool for " + arch + " was not found under /usr/libexec/valgrind (apt-get install valgrind)"));
}

// `tool` is cachegrind or callgrind; `tool_args` come between valgrind's own options and the
// program. The tool writes its record to /optiloop/count.out (Result::private_files).
inline core::Result<sandbox::Spec> valgrind_spec(const core::Task& task, const std::filesystem::path& binary, const core::TestCase& test,
                                                 const std::string& tool, const std::vector<std::string>& tool_args) {
    auto tool_binary = valgrind_tool_binary(tool);
    if (!tool_binary) return core::fail(tool_binary.error());
    sandbox::Spec spec;
    // The launcher passes its own name as argv[0] and keeps --tool; the tool expects both.
    spec.argv = {tool_binary->string(), "--tool=" + tool, "-q", "--command-line-only=yes", "--vgdb=no", "--trace-children=yes",
                 "--" + tool + "-out-file=" + std::string(sandbox::k_private_dir) + "/" + k_count_record};
    spec.argv.insert(spec.argv.end(), tool_args.begin(), tool_args.end());
    spec.argv.push_back("/box/prog");
    spec.env = {"VALGRIND_LIB=" + tool_binary->parent_path().string(), "VALGRIND_LAUNCHER=/optiloop-refuses-exec-while-counting"};
    spec.binds.push_back({binary, "/box/prog", false});
    spec.stdin_file = test.input;
    spec.private_outputs = {k_count_record};
    spec.single_process = true;
    // valgrind runs the program 10-50x slower and reserves address space it never touches.
    spec.limits.cpu_seconds = task.limits.time_seconds * 60 + 30;
    spec.limits.wall_seconds = spec.limits.cpu_seconds * 2;
    spec.limits.memory_bytes = task.limits.memory_bytes * 2 + (std::int64_t{512} << 20);
    spec.limits.output_bytes = task.limits.output_bytes;
    spec.limits.address_space_fallback = false;
    spec.limits.open_files = 1024;
    return spec;
}

// Why a counted run that did not end well failed, in words for the candidate's author: valgrind
// dies with this line when an exec cannot start the (absent) launcher.
struct CountFailure {
    core::Verdict verdict;
    std::string detail;
};
inline CountFailure counted_run_failure(const sandbox::Result& run, const std::string& tool) {
    if (run.verdict == core::Verdict::security)
        return {run.verdict, "under " + tool + ": " + run.detail + "; a counted run is one process (fork, vfork and clone without CLONE_THREAD are refused)"};
    if (run.stderr_data.find("EXEC FAILED: I can't recover from execve() failing") != std::string::npos)
        return {core::Verdict::security, "under " + tool + ": the program called exec; a counted run is one program (exec is refused, so no instruction goes uncounted)"};
    return {run.verdict, "under " + tool + ": " + std::string(core::to_string(run.verdict)) + " " + run.detail};
}

}  // namespace optiloop::runner

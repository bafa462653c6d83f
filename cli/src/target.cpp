#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <optiloop/core/files.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/sandbox/sandbox.hpp>

#include "commands.hpp"
#include "target.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

bool TargetArgs::is_task_folder() const { return fs::is_directory(target); }

void add_target_options(CLI::App& app, TargetArgs& a) {
    app.add_option("target", a.target, "A task folder, or a C++ source file (with --tests)");
    app.add_option("--tests", a.tests, "Folder of NAME.in / NAME.out pairs (for a source file)");
    app.add_option("--checker", a.checker, "Output checker for a source file: tokens, exact, float")->check(CLI::IsMember({"tokens", "exact", "float"}));
    app.add_option("--flags", a.flags, "Compiler flags for a source file (default -std=c++17 -O3)")->delimiter(' ');
    app.add_option("--time-limit", a.time_limit, "Seconds per test for a source file")->check(positive_up_to(3600));
}

std::optional<core::CounterKind> counter_choice(const std::string& counter) {
    return counter == "auto" ? std::nullopt : core::counter_from_string(counter);
}

core::Result<core::Task> load_target(const TargetArgs& a) {
    if (a.target.empty()) return core::fail(core::Error::input("give a task folder or a source file (with --tests)"));
    const fs::path target(a.target);
    if (fs::is_directory(target)) {
        if (!a.tests.empty()) return core::fail(core::Error::input("--tests: only for a source file; a task folder has its own tests"));
        return datasets::load_task(target);
    }
    if (!fs::exists(target)) return core::fail(core::Error::input(a.target + ": no such file or directory"));
    if (!core::is_translation_unit(a.target))
        return core::fail(core::Error::input(a.target + ": expected a task folder or a source file (.cpp .cc .cxx .c .cu)"));
    if (a.tests.empty()) return core::fail(core::Error::input("--tests DIR is required when measuring a source file"));
    // A source the user named: its links are theirs to follow, but a FIFO must not block and a
    // huge file must not be read whole.
    auto opened = core::open_regular_file(target, core::k_max_source_file_bytes);
    if (!opened) return core::fail(core::Error::input(opened.error().message + "; expected a C++ or CUDA source file"));
    auto text = opened->read();
    if (!text) return core::fail(text.error());
    if (!core::is_utf8(*text)) return core::fail(core::Error::input(a.target + ": not valid UTF-8"));
    core::Task task;
    task.id = target.stem().string();
    task.baseline = {{target.filename().string(), *text}};
    task.root = fs::absolute(target).parent_path();
    task.limits.time_seconds = a.time_limit;
    if (!a.flags.empty()) task.build.flags = a.flags;
    nlohmann::json checker = {{"type", a.checker}};
    auto parsed = core::task_from_json({{"id", "x"}, {"language", "cpp"}, {"kind", "stdio"}, {"checker", checker}});
    if (!parsed) return core::fail(core::Error::input("--checker: " + parsed.error().message));
    task.checker = parsed->checker;
    // Tests: NAME.in with NAME.out in DIR, held to a task folder's rules (regular files inside
    // DIR, bounded), since a tests folder can come from anywhere.
    if (!fs::is_directory(a.tests)) return core::fail(core::Error::input("--tests " + a.tests + ": not a directory"));
    auto tests = datasets::load_test_folder(a.tests);
    if (!tests) return core::fail(core::Error::input("--tests: " + tests.error().message));
    task.tests = std::move(*tests);
    if (task.tests.empty()) return core::fail(core::Error::input("--tests " + a.tests + ": no NAME.in / NAME.out pairs"));
    return task;
}

std::string missing_gpu_note(const core::Task& task) {
    if (task.language != core::Language::cuda || !sandbox::gpu_devices().empty()) return "";
    return "note: " + task.id + " is CUDA and this machine has no GPU (no /dev/nvidia* device): its programs build "
           "but every run fails (RE); run it on a GPU machine";
}

}  // namespace optiloop::cli

#include <algorithm>
#include <set>
#include <string_view>

#include <optiloop/core/files.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/datasets/task_folder.hpp>

namespace optiloop::datasets {

namespace fs = std::filesystem;

namespace {

// What each kind of file must be, to follow a refusal "PATH: why; ...".
constexpr std::string_view k_source_rule = "sources must be regular files inside the task folder";
constexpr std::string_view k_folder_rule = "a task's folders must be inside the task folder";

bool is_source(const fs::path& p) {
    static const std::set<std::string> exts = {".cpp", ".cc", ".cxx", ".c", ".h", ".hpp", ".hh", ".cu", ".cuh", ".inc"};
    return exts.count(p.extension().string()) > 0;
}

// Whether anything, even a dangling symlink, is at path (fs::exists follows the link).
bool is_present(const fs::path& path) {
    std::error_code ec;
    return fs::exists(fs::symlink_status(path, ec));
}

void refuse(const core::Error& error, std::string_view rule, std::vector<std::string>& problems) {
    problems.push_back(error.message + "; " + std::string(rule));
}

// Whether a folder of the task that is there may be walked: inside the task, even through
// symlinks, so that a walk never wanders off (baseline -> /) before each file is refused.
bool is_inside_folder(const fs::path& dir, const fs::path& root, std::vector<std::string>& problems) {
    auto resolved = core::resolve_within(dir, root);
    if (!resolved) refuse(resolved.error(), k_folder_rule, problems);
    return resolved.has_value();
}

// Reads the source files of a folder into `files`; problems go to `problems`. Returns how many
// files (or the folder) it refused as no regular file inside the task.
std::size_t read_sources(const fs::path& dir, const fs::path& root, std::vector<core::SourceFile>& files,
                         std::vector<std::string>& problems) {
    if (!is_inside_folder(dir, root, problems)) return 1;
    std::size_t refused = 0;
    std::error_code ec;
    std::vector<fs::path> paths;
    // Folders below are walked, not followed when they are symlinks; any other entry named as a
    // source (a symlink, a FIFO) is a file to read and must pass open_file_within.
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec))
        if (is_source(entry.path()) && entry.symlink_status(ec).type() != fs::file_type::directory) paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        auto file = core::open_file_within(path, root, core::k_max_source_file_bytes);
        if (!file) {
            refuse(file.error(), k_source_rule, problems);
            ++refused;
            continue;
        }
        auto text = file->read();
        if (!text) {
            problems.push_back(text.error().message);
            continue;
        }
        if (!core::is_utf8(*text)) {
            problems.push_back(path.string() + ": not valid UTF-8 (sources must be UTF-8 text)");
            continue;
        }
        // Lexically: fs::relative would resolve a symlinked source and name its target instead.
        files.push_back({path.lexically_relative(dir).string(), std::move(*text)});
    }
    return refused;
}

// A file a program will read (opened to check it, not read): a problem unless it is a regular
// file inside the task of at most k_max_test_file_bytes.
bool is_usable_test_file(const fs::path& path, const fs::path& root, std::string_view rule, std::vector<std::string>& problems) {
    auto file = core::open_file_within(path, root, k_max_test_file_bytes);
    if (!file) refuse(file.error(), rule, problems);
    return file.has_value();
}

// `place` names root in the rule a refused file's line ends with: "the task folder". Returns how
// many files (or the folder) it refused as no regular file inside root.
std::size_t read_tests(const fs::path& dir, const fs::path& root, std::string_view place, std::vector<core::TestCase>& tests,
                       std::vector<std::string>& problems) {
    const std::string input_rule = "test inputs must be regular files inside " + std::string(place);
    const std::string output_rule = "expected outputs must be regular files inside " + std::string(place);
    std::error_code ec;
    if (!is_present(dir)) return 0;
    if (!is_inside_folder(dir, root, problems)) return 1;
    if (!fs::is_directory(dir, ec)) return 0;
    std::size_t refused = 0;
    std::vector<fs::path> inputs;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const fs::path& p = entry.path();
        if (p.extension() == ".in") inputs.push_back(p);
        else if (p.extension() == ".out") {
            fs::path in = p;
            in.replace_extension(".in");
            if (!is_present(in)) problems.push_back(p.string() + ": expected output without its input " + in.filename().string());
        }
    }
    std::sort(inputs.begin(), inputs.end());
    for (const auto& in : inputs) {
        fs::path out = in;
        out.replace_extension(".out");
        if (!is_present(out)) {
            problems.push_back(in.string() + ": test input without its expected output " + out.filename().string());
            continue;
        }
        // Both checked, so that validation names every bad file.
        const bool input_ok = is_usable_test_file(in, root, input_rule, problems);
        const bool output_ok = is_usable_test_file(out, root, output_rule, problems);
        if (input_ok && output_ok) tests.push_back({in.stem().string(), fs::absolute(in), fs::absolute(out)});
        refused += (input_ok ? 0 : 1) + (output_ok ? 0 : 1);
    }
    return refused;
}

// Loads what it can and records every problem; the task is usable only without problems.
core::Task load(const fs::path& dir, std::vector<std::string>& problems) {
    core::Task task;
    const fs::path json_path = dir / "task.json";
    if (!is_present(json_path)) {
        problems.push_back(json_path.string() + ": missing (every task folder needs a task.json)");
        return task;
    }
    auto file = core::open_file_within(json_path, dir, k_max_task_json_bytes);
    if (!file) {
        refuse(file.error(), "task.json must be a regular file inside the task folder", problems);
        return task;
    }
    auto text = file->read();
    if (!text) {
        problems.push_back(text.error().message);
        return task;
    }
    auto json = core::parse_json(*text, json_path.string());
    if (!json) {
        problems.push_back(json.error().message);
        return task;
    }
    // The files come from the folders, not from task.json.
    for (const char* key : {"baseline", "reference", "harness", "tests", "stress", "root"}) json->erase(key);
    auto parsed = core::task_from_json(*json);
    if (!parsed) {
        problems.push_back(json_path.string() + ": " + parsed.error().message);
        return task;
    }
    task = std::move(*parsed);
    task.root = fs::absolute(dir);

    std::error_code ec;
    const auto is_folder = [&](const char* name) { return fs::is_directory(dir / name, ec); };
    // A folder left empty because its files were refused has its problems already, not another.
    std::size_t refused = 0;
    if (!is_folder("baseline")) problems.push_back((dir / "baseline").string() + ": missing (the program to optimize)");
    else refused = read_sources(dir / "baseline", dir, task.baseline, problems);
    if (is_folder("baseline") && task.baseline.empty() && refused == 0)
        problems.push_back((dir / "baseline").string() + ": holds no source file");
    if (is_folder("reference")) read_sources(dir / "reference", dir, task.reference, problems);
    refused = is_folder("harness") ? read_sources(dir / "harness", dir, task.harness, problems) : 0;
    if (task.kind == core::TaskKind::function && task.harness.empty() && refused == 0)
        problems.push_back((dir / "harness").string() + ": missing (a function task needs a harness with main())");
    refused = read_tests(dir / "tests", dir, "the task folder", task.tests, problems);
    refused += read_tests(dir / "stress", dir, "the task folder", task.stress, problems);
    if (task.tests.empty() && task.stress.empty() && refused == 0)
        problems.push_back((dir / "tests").string() + ": no test cases (expected NAME.in with NAME.out)");
    if (task.checker.type == core::CheckerType::program) {
        const fs::path checker = dir / task.checker.program;
        if (!is_present(checker))
            problems.push_back(json_path.string() + ": checker.program " + task.checker.program + " does not exist");
        else if (auto opened = core::open_file_within(checker, dir, core::k_max_source_file_bytes); !opened)
            refuse(opened.error(), "checker.program must name a regular file inside the task folder", problems);
    }
    return task;
}

}  // namespace

core::Result<core::Task> load_task(const fs::path& dir) {
    std::vector<std::string> problems;
    core::Task task = load(dir, problems);
    if (!problems.empty()) return core::fail(core::Error::input(problems.front()));
    return task;
}

std::vector<std::string> validate_task(const fs::path& dir) {
    std::vector<std::string> problems;
    load(dir, problems);
    return problems;
}

core::Result<std::vector<core::TestCase>> load_test_folder(const fs::path& dir) {
    std::vector<core::TestCase> tests;
    std::vector<std::string> problems;
    read_tests(dir, dir, "the test folder", tests, problems);
    if (!problems.empty()) return core::fail(core::Error::input(problems.front()));
    return tests;
}

std::vector<fs::path> find_task_dirs(const fs::path& root) {
    std::vector<fs::path> dirs;
    std::error_code ec;
    if (fs::exists(root / "task.json")) return {root};
    for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_directory() && fs::exists(it->path() / "task.json")) {
            dirs.push_back(it->path());
            it.disable_recursion_pending();
        }
    }
    std::sort(dirs.begin(), dirs.end());
    return dirs;
}

}  // namespace optiloop::datasets

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <optiloop/core/files.hpp>
#include <optiloop/core/json.hpp>
#include <optiloop/datasets/task_folder.hpp>

namespace optiloop::datasets {

namespace fs = std::filesystem;

namespace {


bool is_source(const fs::path& p) {
    static const std::set<std::string> exts = {".cpp", ".cc", ".cxx", ".c", ".h", ".hpp", ".hh", ".cu", ".cuh", ".inc"};
    return exts.count(p.extension().string()) > 0;
}

// Reads the source files of a folder into `files`; problems go to `problems`.
void read_sources(const fs::path& dir, std::vector<core::SourceFile>& files, std::vector<std::string>& problems) {
    std::error_code ec;
    std::vector<fs::path> paths;
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec))
        if (entry.is_regular_file() && is_source(entry.path())) paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        auto text = core::read_file(path);
        if (!text) {
            problems.push_back(path.string() + ": cannot be read");
            continue;
        }
        if (!is_utf8(*text)) {
            problems.push_back(path.string() + ": not valid UTF-8 (sources must be UTF-8 text)");
            continue;
        }
        files.push_back({fs::relative(path, dir).string(), std::move(*text)});
    }
}

void read_tests(const fs::path& dir, std::vector<core::TestCase>& tests, std::vector<std::string>& problems) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return;
    std::vector<fs::path> inputs;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const fs::path& p = entry.path();
        if (p.extension() == ".in") inputs.push_back(p);
        else if (p.extension() == ".out") {
            fs::path in = p;
            in.replace_extension(".in");
            if (!fs::exists(in)) problems.push_back(p.string() + ": expected output without its input " + in.filename().string());
        }
    }
    std::sort(inputs.begin(), inputs.end());
    for (const auto& in : inputs) {
        fs::path out = in;
        out.replace_extension(".out");
        if (!fs::exists(out)) {
            problems.push_back(in.string() + ": test input without its expected output " + out.filename().string());
            continue;
        }
        tests.push_back({in.stem().string(), fs::absolute(in), fs::absolute(out)});
    }
}

// Loads what it can and records every problem; the task is usable only without problems.
core::Task load(const fs::path& dir, std::vector<std::string>& problems) {
    core::Task task;
    const fs::path json_path = dir / "task.json";
    auto text = core::read_file(json_path);
    if (!text) {
        problems.push_back(json_path.string() + ": missing (every task folder needs a task.json)");
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

    if (!fs::is_directory(dir / "baseline")) problems.push_back((dir / "baseline").string() + ": missing (the program to optimize)");
    else read_sources(dir / "baseline", task.baseline, problems);
    if (fs::is_directory(dir / "baseline") && task.baseline.empty())
        problems.push_back((dir / "baseline").string() + ": holds no source file");
    if (fs::is_directory(dir / "reference")) read_sources(dir / "reference", task.reference, problems);
    if (fs::is_directory(dir / "harness")) read_sources(dir / "harness", task.harness, problems);
    if (task.kind == core::TaskKind::function && task.harness.empty())
        problems.push_back((dir / "harness").string() + ": missing (a function task needs a harness with main())");
    read_tests(dir / "tests", task.tests, problems);
    read_tests(dir / "stress", task.stress, problems);
    if (task.tests.empty() && task.stress.empty())
        problems.push_back((dir / "tests").string() + ": no test cases (expected NAME.in with NAME.out)");
    if (task.checker.type == core::CheckerType::program && !fs::exists(dir / task.checker.program))
        problems.push_back(json_path.string() + ": checker.program " + task.checker.program + " does not exist");
    return task;
}

}  // namespace

bool is_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        if (c < 0x80) extra = 0;
        else if (c >= 0xc2 && c <= 0xdf) extra = 1;
        else if ((c & 0xf0) == 0xe0) extra = 2;
        else if (c >= 0xf0 && c <= 0xf4) extra = 3;
        else return false;
        if (i + extra >= s.size()) return false;
        for (std::size_t k = 1; k <= extra; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
        i += extra + 1;
    }
    return true;
}

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

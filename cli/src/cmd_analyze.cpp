// `optiloop analyze FILE...`: functions with their lines, loops with nesting depth, calls, and
// what the rules find (with the fix each would make).
#include <algorithm>
#include <iomanip>
#include <optional>
#include <ostream>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/render.hpp>
#include <optiloop/analyzer/tidy.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/runner/profile.hpp>
#include <optiloop/runner/repository.hpp>

#include "commands.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

namespace {

// The headers (by extension) in `folder`, so that quoted includes of a file there resolve.
std::vector<core::SourceFile> headers_in(const fs::path& folder, const std::vector<std::string>& extensions) {
    std::vector<core::SourceFile> headers;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(folder.empty() ? "." : folder, ec)) {
        const auto ext = e.path().extension().string();
        if (std::find(extensions.begin(), extensions.end(), ext) != extensions.end() && e.is_regular_file())
            headers.push_back({e.path().filename().string(), core::read_file(e.path()).value_or("")});
    }
    return headers;
}

const std::vector<std::string> k_cuda_headers = {".cuh", ".h", ".hpp"};

// nvcc's resource report of each input, printed.
int cuda_command(Streams& s, const std::vector<analyzer::CudaInput>& inputs, int block_size, bool json) {
    auto kernels = analyzer::cuda_reports(inputs, block_size);
    if (!kernels) {
        s.err << "optiloop analyze: " << kernels.error().message << "\n";
        return static_cast<int>(kernels.error().exit_code());
    }
    if (json) s.out << analyzer::kernels_json(*kernels).dump(2) << "\n";
    else s.out << analyzer::kernels_text(*kernels);
    return 0;
}

}  // namespace

Action setup_analyze(CLI::App& app) {
    struct Args {
        std::vector<std::string> files;
        std::vector<std::string> flags;
        std::vector<std::string> rules;
        bool json = false;
        bool list_rules = false;
        bool tidy = false;
        int block_size = 256;
        std::string compile_commands;
    };
    auto a = std::make_shared<Args>();
    app.add_option("files", a->files, "C++ sources (headers they include from the same folder are found), .cu files, or one task folder");
    // One argument each (split at the delimiter), so that a file after them stays a file.
    app.add_option("--flags", a->flags, "Compile flags (default -std=c++17); for .cu files, -I DIR adds DIR's headers")
        ->delimiter(' ')
        ->allow_extra_args(false);
    app.add_option("--rules", a->rules, "Only these rules (comma-separated)")->delimiter(',')->allow_extra_args(false);
    app.add_flag("--json", a->json, "Print JSON");
    app.add_flag("--list-rules", a->list_rules, "List the rule catalogue");
    app.add_flag("--tidy", a->tidy, "Also run clang-tidy's performance checks (findings named by their check, e.g. performance-avoid-endl)");
    app.add_option("-p,--compile-commands", a->compile_commands,
                   "The build folder holding compile_commands.json: parse the first file with its entry's flags (default: ./build/ or ./ when one is there)");
    app.add_option("--block-size", a->block_size, "Threads per block for CUDA occupancy when a launch does not say")->check(CLI::Range(1, 1024));
    return [a](Streams& s) {
        if (a->list_rules) {
            for (const auto& r : analyzer::rule_catalogue())
                s.out << std::left << std::setw(30) << r.id << std::setw(17) << r.category << r.rationale << "\n";
            return 0;
        }
        if (a->files.empty()) {
            s.err << "optiloop analyze: give one or more source files (or --list-rules)\n";
            return 2;
        }
        for (const auto& rule : a->rules) {
            const auto& catalogue = analyzer::rule_catalogue();
            if (std::none_of(catalogue.begin(), catalogue.end(), [&](const auto& r) { return rule == r.id; })) {
                s.err << "optiloop analyze: --rules: unknown rule '" << rule << "' (see --list-rules)\n";
                return 2;
            }
        }
        // CUDA files get nvcc's resource report instead of a Clang parse.
        if (std::all_of(a->files.begin(), a->files.end(), [](const std::string& f) { return fs::path(f).extension() == ".cu"; })) {
            std::vector<analyzer::CudaInput> inputs;
            for (const auto& file : a->files) {
                const auto text = core::read_file(file);
                if (!text) {
                    s.err << "optiloop analyze: " << file << ": cannot be read\n";
                    return 2;
                }
                inputs.push_back({file, {fs::path(file).filename().string(), *text}, headers_in(fs::path(file).parent_path(), k_cuda_headers)});
                // and those of the folders --flags names with -I (nvcc sees them all in one folder)
                for (std::size_t i = 0; i < a->flags.size(); ++i) {
                    const std::string& flag = a->flags[i];
                    const std::string dir = flag == "-I" && i + 1 < a->flags.size() ? a->flags[++i]
                                            : flag.starts_with("-I")                 ? flag.substr(2)
                                                                                     : "";
                    if (dir.empty()) continue;
                    for (auto& header : headers_in(dir, k_cuda_headers))
                        inputs.back().headers.push_back(std::move(header));
                }
            }
            return cuda_command(s, inputs, a->block_size, a->json);
        }
        if (std::any_of(a->files.begin(), a->files.end(), [](const std::string& f) { return fs::path(f).extension() == ".cu"; })) {
            s.err << "optiloop analyze: give .cu files and C++ files in separate runs\n";
            return 2;
        }
        std::vector<core::SourceFile> sources;
        analyzer::AnalyzeOptions options;
        // A task folder: its baseline (the harness fixed), and where a run's instructions go.
        std::optional<core::Task> task;
        if (a->files.size() == 1 && fs::is_directory(a->files[0])) {
            auto loaded = datasets::load_task(a->files[0]);
            if (!loaded) {
                s.err << "optiloop analyze: " << loaded.error().message << "\n";
                return 2;
            }
            task = *loaded;
            if (task->language == core::Language::cuda) {
                // A CUDA task: the report of each .cu file of its baseline, with the harness's
                // headers (and the baseline's other files) beside it.
                std::vector<analyzer::CudaInput> inputs;
                for (const auto& file : task->baseline) {
                    if (fs::path(file.path).extension() != ".cu") continue;
                    std::vector<core::SourceFile> headers = task->harness;
                    headers.insert(headers.end(), task->baseline.begin(), task->baseline.end());
                    inputs.push_back({(fs::path(a->files[0]) / "baseline" / file.path).string(), file, headers});
                }
                return cuda_command(s, inputs, a->block_size, a->json);
            }
            sources = task->baseline;
            for (const auto& h : task->harness) {
                sources.push_back(h);
                options.fixed_files.push_back(h.path);
            }
            options.flags = task->build.flags;
        }
        for (const auto& file : task ? std::vector<std::string>{} : a->files) {
            if (!core::is_cpp_source(file)) {
                s.err << "optiloop analyze: " << file << ": expected a C or C++ source or header (.cpp .cc .cxx .c++ .c "
                         ".hpp .hh .hxx .h .ipp .inl), .cu files or one task folder\n";
                return 2;
            }
            const auto text = core::read_file(file);
            if (!text) {
                s.err << "optiloop analyze: " << file << ": cannot be read\n";
                return 2;
            }
            if (!core::is_utf8(*text)) {
                s.err << "optiloop analyze: " << file << ": not valid UTF-8\n";
                return 2;
            }
            sources.push_back({fs::path(file).filename().string(), *text});
            // Headers beside the file, so its quoted includes resolve.
            for (auto& header : headers_in(fs::path(file).parent_path(), {".h", ".hpp", ".hh"}))
                if (std::none_of(sources.begin(), sources.end(), [&](const auto& f) { return f.path == header.path; }))
                    sources.push_back(std::move(header));
        }
        // A compilation database (given, or in ./build/ or ./) parses the files as the build does.
        const fs::path here = fs::current_path();
        if (!task && (!a->compile_commands.empty() || fs::exists(here / "build" / "compile_commands.json") || fs::exists(here / "compile_commands.json"))) {
            const std::string first = fs::absolute(a->files.front()).lexically_normal().lexically_relative(here).string();
            auto flags = runner::project_parse_flags(here, first, a->flags, here, a->compile_commands);
            if (!flags) {
                s.err << "optiloop analyze: " << flags.error().message << "\n";
                return static_cast<int>(flags.error().exit_code());
            }
            options.flags = *flags;
        } else if (!a->flags.empty()) {
            options.flags = a->flags;
        }
        options.rules = a->rules;
        if (a->tidy) options.tidy_checks = analyzer::k_tidy_checks;
        auto result = analyzer::analyze(sources, options);
        if (!result) {
            s.err << "optiloop analyze: " << result.error().message << "\n";
            return static_cast<int>(result.error().exit_code());
        }
        std::vector<analyzer::HotSpot> spots;
        std::string profiled;  // the test the hot spots come from
        if (const core::TestCase* test = task ? runner::largest_test(*task) : nullptr) {
            auto profile = runner::profile(*task, task->baseline, *test);
            if (!profile) {
                s.err << "optiloop analyze: " << profile.error().message << "\n";
                return static_cast<int>(profile.error().exit_code());
            }
            spots = analyzer::hot_spots(*result, *profile);
            profiled = test->name;
        }
        if (a->json) s.out << analyzer::analysis_json(*result, spots).dump(2) << "\n";
        else s.out << analyzer::analysis_text(*result, spots, profiled);
        return 0;
    };
}

}  // namespace optiloop::cli

#include <algorithm>
#include <optional>

#include <optiloop/analyzer/tidy.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/optimizer/analysis.hpp>
#include <optiloop/runner/profile.hpp>
#include <optiloop/runner/repository.hpp>

namespace optiloop::optimizer {

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

core::Result<AnalyzeReport> kernels_of(const std::vector<analyzer::CudaInput>& inputs, int block_size) {
    auto kernels = analyzer::cuda_reports(inputs, block_size);
    if (!kernels) return core::fail(kernels.error());
    AnalyzeReport report;
    report.cuda = true;
    report.kernels = std::move(*kernels);
    return report;
}

}  // namespace

core::Result<AnalyzeReport> analyze_files(const AnalyzeRequest& request) {
    for (const auto& rule : request.rules) {
        const auto& catalogue = analyzer::rule_catalogue();
        if (std::none_of(catalogue.begin(), catalogue.end(), [&](const auto& r) { return rule == r.id; }))
            return core::fail(core::Error::input("--rules: unknown rule '" + rule + "' (see --list-rules)"));
    }
    // CUDA files get nvcc's resource report instead of a Clang parse.
    if (std::all_of(request.files.begin(), request.files.end(), [](const std::string& f) { return fs::path(f).extension() == ".cu"; })) {
        std::vector<analyzer::CudaInput> inputs;
        for (const auto& file : request.files) {
            const auto text = core::read_file(file);
            if (!text) return core::fail(core::Error::input(file + ": cannot be read"));
            inputs.push_back({file, {fs::path(file).filename().string(), *text}, headers_in(fs::path(file).parent_path(), k_cuda_headers)});
            // and those of the folders --flags names with -I (nvcc sees them all in one folder)
            for (std::size_t i = 0; i < request.flags.size(); ++i) {
                const std::string& flag = request.flags[i];
                const std::string dir = flag == "-I" && i + 1 < request.flags.size() ? request.flags[++i]
                                        : flag.starts_with("-I")                      ? flag.substr(2)
                                                                                      : "";
                if (dir.empty()) continue;
                for (auto& header : headers_in(dir, k_cuda_headers))
                    inputs.back().headers.push_back(std::move(header));
            }
        }
        return kernels_of(inputs, request.block_size);
    }
    if (std::any_of(request.files.begin(), request.files.end(), [](const std::string& f) { return fs::path(f).extension() == ".cu"; }))
        return core::fail(core::Error::input("give .cu files and C++ files in separate runs"));
    std::vector<core::SourceFile> sources;
    analyzer::AnalyzeOptions options;
    // A task folder: its baseline (the harness fixed), and where a run's instructions go.
    std::optional<core::Task> task;
    if (request.files.size() == 1 && fs::is_directory(request.files[0])) {
        auto loaded = datasets::load_task(request.files[0]);
        if (!loaded) return core::fail(core::Error::input(loaded.error().message));
        task = *loaded;
        if (task->language == core::Language::cuda) {
            // A CUDA task: the report of each .cu file of its baseline, with the harness's
            // headers (and the baseline's other files) beside it.
            std::vector<analyzer::CudaInput> inputs;
            for (const auto& file : task->baseline) {
                if (fs::path(file.path).extension() != ".cu") continue;
                std::vector<core::SourceFile> headers = task->harness;
                headers.insert(headers.end(), task->baseline.begin(), task->baseline.end());
                inputs.push_back({(fs::path(request.files[0]) / "baseline" / file.path).string(), file, headers});
            }
            return kernels_of(inputs, request.block_size);
        }
        sources = task->baseline;
        for (const auto& h : task->harness) {
            sources.push_back(h);
            options.fixed_files.push_back(h.path);
        }
        options.flags = task->build.flags;
    }
    for (const auto& file : task ? std::vector<std::string>{} : request.files) {
        if (!core::is_cpp_source(file))
            return core::fail(core::Error::input(file + ": expected a C or C++ source or header (.cpp .cc .cxx .c++ .c "
                                                 ".hpp .hh .hxx .h .ipp .inl), .cu files or one task folder"));
        const auto text = core::read_file(file);
        if (!text) return core::fail(core::Error::input(file + ": cannot be read"));
        if (!core::is_utf8(*text)) return core::fail(core::Error::input(file + ": not valid UTF-8"));
        sources.push_back({fs::path(file).filename().string(), *text});
        // Headers beside the file, so its quoted includes resolve.
        for (auto& header : headers_in(fs::path(file).parent_path(), {".h", ".hpp", ".hh"}))
            if (std::none_of(sources.begin(), sources.end(), [&](const auto& f) { return f.path == header.path; }))
                sources.push_back(std::move(header));
    }
    // A compilation database (given, or in ./build/ or ./) parses the files as the build does.
    const fs::path here = fs::current_path();
    if (!task && (!request.compile_commands.empty() || fs::exists(here / "build" / "compile_commands.json") || fs::exists(here / "compile_commands.json"))) {
        const std::string first = fs::absolute(request.files.front()).lexically_normal().lexically_relative(here).string();
        auto flags = runner::project_parse_flags(here, first, request.flags, here, request.compile_commands);
        if (!flags) return core::fail(flags.error());
        options.flags = *flags;
    } else if (!request.flags.empty()) {
        options.flags = request.flags;
    }
    options.rules = request.rules;
    if (request.tidy) options.tidy_checks = analyzer::k_tidy_checks;
    auto result = analyzer::analyze(sources, options);
    if (!result) return core::fail(result.error());
    std::vector<analyzer::HotSpot> spots;
    std::string profiled;  // the test the hot spots come from
    if (const core::TestCase* test = task ? runner::largest_test(*task) : nullptr) {
        auto profile = runner::profile(*task, task->baseline, *test);
        if (!profile) return core::fail(profile.error());
        spots = analyzer::hot_spots(*result, *profile);
        profiled = test->name;
    }
    AnalyzeReport report;
    report.analysis = std::move(*result);
    report.spots = std::move(spots);
    report.profiled_test = std::move(profiled);
    return report;
}

}  // namespace optiloop::optimizer

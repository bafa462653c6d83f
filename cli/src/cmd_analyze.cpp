// `optiloop analyze FILE...`: functions with their lines, loops with nesting depth, calls, and
// what the rules find (with the fix each would make).
#include <iomanip>
#include <ostream>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/render.hpp>
#include <optiloop/optimizer/analysis.hpp>

#include "commands.hpp"

namespace optiloop::cli {

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
        optimizer::AnalyzeRequest request{a->files, a->flags, a->rules, a->tidy, a->block_size, a->compile_commands};
        auto report = optimizer::analyze_files(request);
        if (!report) {
            s.err << "optiloop analyze: " << report.error().message << "\n";
            return static_cast<int>(report.error().exit_code());
        }
        if (report->cuda && a->json) s.out << analyzer::kernels_json(report->kernels).dump(2) << "\n";
        else if (report->cuda) s.out << analyzer::kernels_text(report->kernels);
        else if (a->json) s.out << analyzer::analysis_json(report->analysis, report->spots).dump(2) << "\n";
        else s.out << analyzer::analysis_text(report->analysis, report->spots, report->profiled_test);
        return 0;
    };
}

}  // namespace optiloop::cli

// `optiloop analyze` below its command line: what it was given (C++ sources with the headers
// beside them, .cu files, or one task folder) read, parsed with the project's flags where a
// compilation database gives them, analysed by the rules (and clang-tidy's checks on request),
// and for a task folder profiled on its largest test; .cu files and CUDA tasks get nvcc's
// resource report instead.
#pragma once

#include <string>
#include <vector>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/render.hpp>
#include <optiloop/core/error.hpp>

namespace optiloop::optimizer {

struct AnalyzeRequest {
    std::vector<std::string> files;  // sources, .cu files, or one task folder
    std::vector<std::string> flags;  // compile flags; for .cu files, -I DIR adds DIR's headers
    std::vector<std::string> rules;  // only these rules (empty: all)
    bool tidy = false;               // clang-tidy's performance checks too
    int block_size = 256;            // threads per block for occupancy when a launch does not say
    std::string compile_commands;    // the folder of compile_commands.json (default: ./build/ or ./ when there)
};

struct AnalyzeReport {
    bool cuda = false;
    std::vector<analyzer::LabelledKernel> kernels;  // CUDA: nvcc's report per kernel
    analyzer::Analysis analysis;                    // C++: functions, loops, calls, findings
    std::vector<analyzer::HotSpot> spots;
    std::string profiled_test;                      // the test the hot spots come from; empty: none
};

// Input errors name the file or flag (an unknown rule, an unreadable or non-UTF-8 file, .cu files
// mixed with C++ ones, a file that is no C or C++ source).
core::Result<AnalyzeReport> analyze_files(const AnalyzeRequest& request);

}  // namespace optiloop::optimizer

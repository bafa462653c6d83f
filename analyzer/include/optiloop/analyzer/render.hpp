// What `optiloop analyze` prints: an analysis (functions, loops, calls, findings) with its hot
// spots, and nvcc's resource reports of CUDA files, as text or JSON.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/cuda_report.hpp>

namespace optiloop::analyzer {

// `profiled_test` names the test the hot spots were measured on; empty: no profile was taken,
// and the text has no hot-spot section.
nlohmann::json analysis_json(const Analysis& analysis, const std::vector<HotSpot>& spots);
std::string analysis_text(const Analysis& analysis, const std::vector<HotSpot>& spots, const std::string& profiled_test);

// One .cu file for nvcc's resource report: how it is named in the output, its text, and the
// headers it may include.
struct CudaInput {
    std::string label;
    core::SourceFile file;
    std::vector<core::SourceFile> headers;
};
struct LabelledKernel {
    std::string label;
    KernelResources kernel;
};
// The kernels of every input, in order; the first input nvcc rejects is the error.
core::Result<std::vector<LabelledKernel>> cuda_reports(const std::vector<CudaInput>& inputs, int default_block_size);
nlohmann::json kernels_json(const std::vector<LabelledKernel>& kernels);
std::string kernels_text(const std::vector<LabelledKernel>& kernels);

}  // namespace optiloop::analyzer

// CUDA resource reports: nvcc's --resource-usage per kernel (registers, shared memory, stack,
// spills) and the theoretical occupancy at the launch's block size, with hints for spills and
// low occupancy. nvcc runs in the sandbox; Clang is not used for .cu files.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::analyzer {

struct KernelResources {
    std::string name;          // demangled, e.g. "scale(float*, float, int)"
    std::string mangled;
    int registers = 0;
    int barriers = 0;
    int shared_bytes = 0;      // static shared memory per block
    int stack_bytes = 0;
    int spill_store_bytes = 0;
    int spill_load_bytes = 0;
    int block_size = 0;        // threads per block used for the occupancy
    bool block_size_from_launch = false;  // found as a literal in a <<<grid, block>>> launch
    double occupancy = 0;      // active warps / max warps per SM, 0..1
    std::string limited_by;    // threads, blocks, registers or shared memory
    std::vector<std::string> hints;
};

// Parses ptxas's --resource-usage lines (the text nvcc prints on stderr).
std::vector<KernelResources> parse_resource_usage(const std::string& ptxas_output);

// Theoretical occupancy on sm_90 (H100/H200): 64 warps, 32 blocks, 65536 registers and 228 KiB
// of shared memory per SM, registers allocated per warp in units of 256, 1 KiB reserved per block.
void compute_occupancy_sm90(KernelResources& kernel, int block_size);

// Block sizes written as integer literals in launches: kernel name -> threads per block.
std::vector<std::pair<std::string, int>> launch_block_sizes(const std::string& source);

// Compiles `source` (a .cu file's text) with nvcc for sm_90 in the sandbox and reports every
// kernel; default_block_size is used for kernels whose launch block size is not a literal.
// `headers` are written beside it, so its quoted includes resolve (a task's harness headers).
core::Result<std::vector<KernelResources>> cuda_report(const std::string& file_name, const std::string& source,
                                                       int default_block_size,
                                                       const std::vector<core::SourceFile>& headers = {});

}  // namespace optiloop::analyzer

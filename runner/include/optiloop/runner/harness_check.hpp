// The static check of a CUDA kernel task's candidate. The candidate is linked into the harness's
// process, so whatever it holds runs beside the code that times it and writes the cost: the check
// lets through what a kernel and its launch code need and refuses every construct that could
// write, redirect or distort that cost (README.md, "Harness-reported costs (CUDA tasks)").
#pragma once

#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::runner {

// Ok, or the first construct refused, as one line: "FILE:LINE: 'WHAT' is not allowed in a kernel
// task's candidate (WHY)". `harness` holds the task's fixed files: a candidate may include them
// with quotes ("api.cuh") and may not name a file of its own like one of them. Every candidate
// file must be a .cu or .cuh file; each .cu file is checked as the compiler will read it, the
// candidate's headers and macros expanded in place.
core::Result<void> check_kernel_sources(const std::vector<core::SourceFile>& candidate_sources,
                                        const std::vector<core::SourceFile>& harness = {});

}  // namespace optiloop::runner

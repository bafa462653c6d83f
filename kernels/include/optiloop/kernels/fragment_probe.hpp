// The fragment probe behind `optiloop-kernels probe`: one warp of ldmatrix.x4, ldmatrix.x4.trans
// and mma.sync m16n8k16 on index-coded data, every lane's registers compared with the PTX ISA's
// fragment formulas, then one-tile prefills with one-hot Q and K and index-coded V whose output
// says which key and dimension every element used. On a GPU it tells whether the lane layouts the
// kernels assume are the hardware's; on the SIMT emulator, whether its stand-ins follow the ISA.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace optiloop::kernels {

// One value that is not where the PTX ISA's formula puts it.
struct ProbeMismatch {
    std::string where;     // "lane 5 r[2].hi", "row 17 dim 3 (warp 1 lane 6 d[1])"
    std::string expected;  // "(9,11)", "A(9,11)", "key 5 dim 3"
    std::string got;
};

struct ProbeResult {
    std::string name;  // "ldmatrix.x4.trans", "mma.m16n8k16 bf16 A", "prefill f16 d=128 64x64/4w"
    std::size_t checked = 0;     // values compared
    std::size_t mismatched = 0;  // of them, not where the formula puts them
    std::vector<ProbeMismatch> first_mismatches;  // the first k_probe_mismatches_kept
    std::string error;  // why the probe could not run (a CUDA or kernel error); "" when it ran
    [[nodiscard]] bool passed() const { return error.empty() && checked > 0 && mismatched == 0; }
};

constexpr std::size_t k_probe_mismatches_kept = 4;

// Every probe, in order: ldmatrix.x4 and .x4.trans; mma.m16n8k16 A, then B and C, for f16 and
// bf16; prefill at head_dim 64 and 128, every tile shape, f16 and bf16; `each` (when given) is
// called with every result as soon as it is known. Needs cuda_device_available().
std::vector<ProbeResult> run_fragment_probes(const std::function<void(const ProbeResult&)>& each = {});

}  // namespace optiloop::kernels

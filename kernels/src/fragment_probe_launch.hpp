// The device half of the fragment probe (fragment_probe.cu): one warp runs the attention kernels'
// own ldmatrix and mma.sync wrappers (cuda_common.cuh) on registers given and returned as plain
// words, so that the PTX ISA formulas and the comparison (fragment_probe.cpp) stay host code.
#pragma once

#include <cstdint>
#include <string>

#include <optiloop/kernels/attention_cuda.hpp>

namespace optiloop::kernels::probe {

constexpr int k_lanes = 32;
constexpr int k_tile = 16;  // the ldmatrix tile: 16x16 b16 elements, rows of 32 bytes

// ldmatrix.x4 (or .x4.trans) from `tile` (row-major) copied into shared memory, lane l giving the
// address of element row_offsets[l] of the tile; registers[4 l + i] receives lane l's register i.
[[nodiscard]] std::string run_ldmatrix(bool transposed, const std::uint16_t (&tile)[k_tile * k_tile],
                                       const std::uint32_t (&row_offsets)[k_lanes],
                                       std::uint32_t (&registers)[k_lanes * 4]);

// D = A B + C by mma.sync m16n8k16 (A and B of dtype, C and D f32): lane l holds a[4 l .. 4 l + 3],
// b[2 l], b[2 l + 1], c[4 l .. 4 l + 3] and receives d[4 l .. 4 l + 3].
[[nodiscard]] std::string run_mma(DType dtype, const std::uint32_t (&a)[k_lanes * 4],
                                  const std::uint32_t (&b)[k_lanes * 2], const float (&c)[k_lanes * 4],
                                  float (&d)[k_lanes * 4]);

}  // namespace optiloop::kernels::probe

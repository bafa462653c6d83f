// CUDA's <cuda_bf16.h> for code built against the SIMT emulator: see ../simt.hpp.
#pragma once
#include "../simt.hpp"

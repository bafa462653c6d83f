// CUDA's <cuda_fp16.h> for code built against the SIMT emulator: see ../simt.hpp.
#pragma once
#include "../simt.hpp"

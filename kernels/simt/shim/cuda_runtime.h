// CUDA's <cuda_runtime.h> for code built against the SIMT emulator: see ../simt.hpp.
#pragma once
#include "../simt.hpp"

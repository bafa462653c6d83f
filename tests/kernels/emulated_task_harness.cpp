// A cuda-kernel task's harness (OPTILOOP_TASK_HARNESS, a main.cu) compiled for the SIMT emulator;
// nvcc would include the runtime API by itself.
#include "simt.hpp"

#include OPTILOOP_TASK_HARNESS

// A cuda-kernel task's kernel source (OPTILOOP_TASK_KERNEL) compiled for the SIMT emulator.
#include "simt.hpp"

#include OPTILOOP_TASK_KERNEL

// The CPU kernel's tiles for x86-64-v4: AVX-512 F/BW/CD/DQ/VL (compiled with -march=x86-64-v4).
#define OPTILOOP_CPU_PATH x86_64_v4
#include "attention_cpu_tiles.inc"

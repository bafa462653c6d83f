// The CPU kernel's tiles for x86-64-v3: AVX2, FMA, BMI2 (compiled with -march=x86-64-v3).
#define OPTILOOP_CPU_PATH x86_64_v3
#include "attention_cpu_tiles.inc"

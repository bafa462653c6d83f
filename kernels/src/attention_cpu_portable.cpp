// The CPU kernel's tiles for the baseline x86-64 (SSE2) or whatever the build's flags allow.
#define OPTILOOP_CPU_PATH portable
#include "attention_cpu_tiles.inc"

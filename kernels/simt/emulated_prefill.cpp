// attention_prefill.cu compiled as C++ for the SIMT emulator (see simt.hpp).
#include "attention_prefill.cu"

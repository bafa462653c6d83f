// attention_decode.cu compiled as C++ for the SIMT emulator (see simt.hpp).
#include "attention_decode.cu"

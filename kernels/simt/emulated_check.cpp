// attention_check.cpp (the correctness cases and their float64 check) against emulated kernels.
#include "attention_check.cpp"

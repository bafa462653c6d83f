// What the emulator does not run: the cuBLAS baseline (cuBLAS is a GPU library; the emulator runs
// only optiloop's own kernels). attention_check.cpp refers to it, and says this when asked.
#include <optiloop/kernels/attention_cuda.hpp>

namespace optiloop::kernels {

std::size_t attention_naive_workspace_bytes(const AttentionShape&) { return 0; }

std::string attention_naive(const AttentionShape&, DType, const void*, const void*, const void*, void*, float*, float,
                            void*, std::size_t, void*) {
    return "attention_naive: the cuBLAS baseline does not run in the SIMT emulator";
}

}  // namespace optiloop::kernels

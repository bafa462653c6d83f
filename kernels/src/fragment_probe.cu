// One warp of the kernels' own ldmatrix and mma.sync wrappers, for the fragment probe: nothing here
// knows which element a lane should hold (fragment_probe.cpp does, from the PTX ISA), so what
// comes back is what the instruction, or on the emulator its stand-in, really did.
#include <cstddef>
#include <cstdint>
#include <string>

#include <optiloop/kernels/attention_check.hpp>

#include "cuda_common.cuh"
#include "fragment_probe_launch.hpp"

namespace optiloop::kernels::probe {

namespace {

template <bool transposed>
__global__ void ldmatrix_probe_kernel(const std::uint16_t* tile, const std::uint32_t* row_offsets,
                                      std::uint32_t* registers) {
    extern __shared__ __align__(16) unsigned char probe_shared[];
    auto* const shared_tile = reinterpret_cast<std::uint16_t*>(probe_shared);
    const int lane = static_cast<int>(threadIdx.x);
    for (int i = lane; i < k_tile * k_tile; i += k_lanes) shared_tile[i] = tile[i];
    __syncthreads();
    std::uint32_t r[4];
    if constexpr (transposed)
        detail::ldmatrix_x4_trans(r, shared_tile + row_offsets[lane]);
    else
        detail::ldmatrix_x4(r, shared_tile + row_offsets[lane]);
    for (int i = 0; i < 4; ++i) registers[4 * lane + i] = r[i];
}

template <typename T>
__global__ void mma_probe_kernel(const std::uint32_t* a, const std::uint32_t* b, const float* c, float* d) {
    const int lane = static_cast<int>(threadIdx.x);
    std::uint32_t a_registers[4];
    float accumulators[4];
    for (int i = 0; i < 4; ++i) {
        a_registers[i] = a[4 * lane + i];
        accumulators[i] = c[4 * lane + i];
    }
    detail::DTypeOps<T>::mma(accumulators, a_registers, b[2 * lane], b[2 * lane + 1]);
    for (int i = 0; i < 4; ++i) d[4 * lane + i] = accumulators[i];
}

std::string cuda_check(cudaError_t error, const char* what) {
    return error == cudaSuccess ? "" : detail::cuda_error(what, error);
}

// The host array in a new device buffer; "" or what failed.
template <typename T, std::size_t n>
std::string upload(DeviceBuffer& buffer, const T (&host)[n]) {
    if (!buffer.ok() || buffer.bytes() != sizeof host) return "cudaMalloc failed";
    return cuda_check(cudaMemcpy(buffer.get(), host, sizeof host, cudaMemcpyHostToDevice), "copy probe input");
}

// Waits for the launch, then copies the result back; the result buffer was poisoned with 0xFF
// bytes, so a lane that writes nothing shows as such.
template <typename T, std::size_t n>
std::string download(T (&host)[n], const DeviceBuffer& buffer, const char* what) {
    std::string error = cuda_check(cudaGetLastError(), what);
    if (error.empty()) error = cuda_check(cudaDeviceSynchronize(), what);
    if (error.empty())
        error = cuda_check(cudaMemcpy(host, buffer.get(), sizeof host, cudaMemcpyDeviceToHost), "copy probe output");
    return error;
}

}  // namespace

std::string run_ldmatrix(bool transposed, const std::uint16_t (&tile)[k_tile * k_tile],
                         const std::uint32_t (&row_offsets)[k_lanes], std::uint32_t (&registers)[k_lanes * 4]) {
    DeviceBuffer tile_device(sizeof tile), offsets_device(sizeof row_offsets), registers_device(sizeof registers);
    std::string error = upload(tile_device, tile);
    if (error.empty()) error = upload(offsets_device, row_offsets);
    if (error.empty() && !registers_device.ok()) error = "cudaMalloc failed";
    if (error.empty())
        error = cuda_check(cudaMemset(registers_device.get(), 0xFF, sizeof registers), "poison probe output");
    if (!error.empty()) return error;
    const auto* tile_pointer = static_cast<const std::uint16_t*>(tile_device.get());
    const auto* offsets_pointer = static_cast<const std::uint32_t*>(offsets_device.get());
    auto* registers_pointer = static_cast<std::uint32_t*>(registers_device.get());
    constexpr unsigned shared_bytes = k_tile * k_tile * sizeof(std::uint16_t);
    if (transposed) {
        auto* kernel = &ldmatrix_probe_kernel<true>;
        kernel<<<1, k_lanes, shared_bytes, nullptr>>>(tile_pointer, offsets_pointer, registers_pointer);
    } else {
        auto* kernel = &ldmatrix_probe_kernel<false>;
        kernel<<<1, k_lanes, shared_bytes, nullptr>>>(tile_pointer, offsets_pointer, registers_pointer);
    }
    return download(registers, registers_device, "ldmatrix probe kernel");
}

std::string run_mma(DType dtype, const std::uint32_t (&a)[k_lanes * 4], const std::uint32_t (&b)[k_lanes * 2],
                    const float (&c)[k_lanes * 4], float (&d)[k_lanes * 4]) {
    DeviceBuffer a_device(sizeof a), b_device(sizeof b), c_device(sizeof c), d_device(sizeof d);
    std::string error = upload(a_device, a);
    if (error.empty()) error = upload(b_device, b);
    if (error.empty()) error = upload(c_device, c);
    if (error.empty() && !d_device.ok()) error = "cudaMalloc failed";
    if (error.empty()) error = cuda_check(cudaMemset(d_device.get(), 0xFF, sizeof d), "poison probe output");
    if (!error.empty()) return error;
    const auto* a_pointer = static_cast<const std::uint32_t*>(a_device.get());
    const auto* b_pointer = static_cast<const std::uint32_t*>(b_device.get());
    const auto* c_pointer = static_cast<const float*>(c_device.get());
    auto* d_pointer = static_cast<float*>(d_device.get());
    if (dtype == DType::f16) {
        auto* kernel = &mma_probe_kernel<__half>;
        kernel<<<1, k_lanes, 0, nullptr>>>(a_pointer, b_pointer, c_pointer, d_pointer);
    } else {
        auto* kernel = &mma_probe_kernel<__nv_bfloat16>;
        kernel<<<1, k_lanes, 0, nullptr>>>(a_pointer, b_pointer, c_pointer, d_pointer);
    }
    return download(d, d_device, "mma probe kernel");
}

}  // namespace optiloop::kernels::probe

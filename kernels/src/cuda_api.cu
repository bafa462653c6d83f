// Device queries and input generation shared by the kernels, the tool and the tests.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include <optiloop/kernels/attention_cuda.hpp>

#include "cuda_common.cuh"

namespace optiloop::kernels {

namespace {

// splitmix64: a cheap, well-mixed hash, so every element is independent of the launch shape.
__device__ __forceinline__ std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

template <typename T>
__global__ void fill_uniform_kernel(T* data, std::size_t count, std::uint64_t seed) {
    const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < count; i += stride) {
        const auto bits = static_cast<std::uint32_t>(mix(seed ^ mix(i)) >> 40);  // 24 random bits
        data[i] = detail::DTypeOps<T>::from_float(static_cast<float>(bits) * (2.f / 16777216.f) - 1.f);
    }
}

}  // namespace

const char* dtype_name(DType dtype) { return dtype == DType::f16 ? "f16" : "bf16"; }

bool cuda_device_available(std::string* why) {
    auto fail = [why](std::string reason) {
        if (why != nullptr) *why = std::move(reason);
        return false;
    };
    int count = 0;
    const cudaError_t error = cudaGetDeviceCount(&count);
    if (error != cudaSuccess) return fail(detail::cuda_error("no usable CUDA device: cudaGetDeviceCount", error));
    if (count == 0) return fail("no CUDA device is present");
    int device = 0;
    int major = 0;
    int minor = 0;
    if (cudaGetDevice(&device) != cudaSuccess ||
        cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device) != cudaSuccess ||
        cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device) != cudaSuccess)
        return fail("cannot query the CUDA device's compute capability");
    if (major < 8)
        return fail("CUDA device has compute capability " + std::to_string(major) + "." + std::to_string(minor) +
                    "; the kernels need 8.0 or newer (bf16 mma.sync, cp.async)");
    if (why != nullptr) why->clear();
    return true;
}

int cuda_sm_count() {
    int device = 0;
    int sms = 0;
    if (cudaGetDevice(&device) != cudaSuccess ||
        cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device) != cudaSuccess)
        return 0;
    return sms;
}

std::string fill_uniform(DType dtype, void* data, std::size_t count, std::uint64_t seed, void* stream) {
    if (count == 0) return "";
    const auto cuda_stream = static_cast<cudaStream_t>(stream);
    constexpr unsigned threads = 256;
    const auto blocks = static_cast<unsigned>(std::min<std::size_t>((count + threads - 1) / threads, 65536));
    if (dtype == DType::f16)
        fill_uniform_kernel<__half><<<blocks, threads, 0, cuda_stream>>>(static_cast<__half*>(data), count, seed);
    else
        fill_uniform_kernel<__nv_bfloat16><<<blocks, threads, 0, cuda_stream>>>(static_cast<__nv_bfloat16*>(data), count, seed);
    const cudaError_t error = cudaGetLastError();
    return error == cudaSuccess ? "" : detail::cuda_error("fill_uniform launch", error);
}

}  // namespace optiloop::kernels

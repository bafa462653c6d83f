// optiloop's SIMT emulator: runs CUDA kernels on the CPU, so the indexing, masking, tiling and
// lane mappings of mma.sync / ldmatrix of optiloop's kernels and of the kernel tasks are tested on
// machines without a GPU (CI). CUDA sources build with g++ after translate.py has rewritten their
// <<<>>> launches and extern __shared__ arrays; shim/ stands in for CUDA's headers and includes
// this one, which supplies CUDA's qualifiers, types, intrinsics and the runtime API calls the
// kernels, their checker and the task harnesses make. Code with its own inline PTX takes it from
// here under OPTILOOP_SIMT_EMULATION (kernels/src/cuda_common.cuh does).
//
// Model: every CUDA thread of a block is a fiber with its own stack, scheduled cooperatively on
// the calling thread; blocks run one after another. A thread runs until it reaches a warp
// collective (shuffle, __syncwarp, ldmatrix, mma) or __syncthreads, where it waits until every
// lane of its warp (every thread of the block) has arrived at the same operation. What the
// emulator checks, beyond the arithmetic:
// - all 32 lanes of a warp reach each warp collective, the same kind with the same modifiers;
// - every thread reaches each __syncthreads, and no thread exits while others wait there;
// - cp.async copies land when their group is waited for, or (Device::copies) as they are
//   issued: the two ends of what the hardware may do, so reading a tile before its wait and
//   barrier, or overwriting a stage other warps still read, gives wrong values; addresses are
//   16-byte aligned and the destination is dynamic shared memory;
// - shared memory starts as 0xFF bytes (NaN in fp16, bf16 and fp32) in every block: dynamic,
//   and static __shared__ variables declared in a kernel's body (translate.py marks them);
// - launches respect the device's limits (threads, grid, and dynamic shared memory above 48 KiB
//   only after cudaFuncSetAttribute);
// - device allocations end at a guard page, so reading past the end of a buffer faults.
// It does not model timing, memory coalescing, bank conflicts, registers or the exact rounding
// of the tensor cores (products are summed in fp32 in k order).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

// ---- CUDA's qualifiers --------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __align__(n) alignas(n)
// Static shared arrays: one per OS thread, shared by every fiber of the block running there.
#define __shared__ static thread_local

// ---- vector types -------------------------------------------------------------------------
struct dim3 {
    unsigned x = 1, y = 1, z = 1;
    constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};
using uint3 = dim3;
struct alignas(16) uint4 {
    unsigned x, y, z, w;
};
struct alignas(8) float2 {
    float x, y;
};
inline uint4 make_uint4(unsigned x, unsigned y, unsigned z, unsigned w) { return uint4{x, y, z, w}; }
inline float2 make_float2(float x, float y) { return float2{x, y}; }

// ---- fp16 / bf16 --------------------------------------------------------------------------
struct alignas(2) __half {
    unsigned short bits;
};
struct alignas(2) __nv_bfloat16 {
    unsigned short bits;
};

namespace optiloop::simt {
float half_to_float(unsigned short bits);
unsigned short float_to_half(float x);  // round to nearest even
float bf16_to_float(unsigned short bits);
unsigned short float_to_bf16(float x);  // round to nearest even
}  // namespace optiloop::simt

inline unsigned short __half_as_ushort(__half h) { return h.bits; }
inline __half __ushort_as_half(unsigned short bits) { return __half{bits}; }
inline __half __float2half_rn(float x) { return __half{optiloop::simt::float_to_half(x)}; }
inline float __half2float(__half h) { return optiloop::simt::half_to_float(h.bits); }
inline unsigned short __bfloat16_as_ushort(__nv_bfloat16 h) { return h.bits; }
inline __nv_bfloat16 __float2bfloat16_rn(float x) { return __nv_bfloat16{optiloop::simt::float_to_bf16(x)}; }
inline float __bfloat162float(__nv_bfloat16 h) { return optiloop::simt::bf16_to_float(h.bits); }
inline float __uint_as_float(unsigned bits) {
    float x = 0;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

// ---- integer and fast-math intrinsics -------------------------------------------------------
// The fast-math ones compute what they approximate, with the C library's accuracy: a kernel that
// depends on the hardware's approximation error passes here and may not on a GPU.
inline int __popc(unsigned x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
inline int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll(static_cast<unsigned long long>(x)); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __ffsll(long long x) { return __builtin_ffsll(x); }
inline unsigned __brev(unsigned x) {
    unsigned r = 0;
    for (int i = 0; i < 32; ++i, x >>= 1) r = (r << 1) | (x & 1u);
    return r;
}
inline unsigned long long __brevll(unsigned long long x) {
    return (static_cast<unsigned long long>(__brev(static_cast<unsigned>(x))) << 32) | __brev(static_cast<unsigned>(x >> 32));
}
inline int __mulhi(int a, int b) { return static_cast<int>((static_cast<long long>(a) * b) >> 32); }
inline unsigned __umulhi(unsigned a, unsigned b) {
    return static_cast<unsigned>((static_cast<unsigned long long>(a) * b) >> 32);
}
namespace optiloop::simt::detail {
__extension__ typedef __int128 int128;  // GCC's, for the 64-bit high products
__extension__ typedef unsigned __int128 uint128;
}  // namespace optiloop::simt::detail
inline long long __mul64hi(long long a, long long b) {
    return static_cast<long long>((static_cast<optiloop::simt::detail::int128>(a) * b) >> 64);
}
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
    return static_cast<unsigned long long>((static_cast<optiloop::simt::detail::uint128>(a) * b) >> 64);
}
inline unsigned __float_as_uint(float x) {
    unsigned bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
}
inline int __float_as_int(float x) { return static_cast<int>(__float_as_uint(x)); }
inline float __int_as_float(int bits) { return __uint_as_float(static_cast<unsigned>(bits)); }
inline float __expf(float x) { return std::exp(x); }
inline float __exp10f(float x) { return std::pow(10.f, x); }
inline float exp10f(float x) { return std::pow(10.f, x); }
inline float __logf(float x) { return std::log(x); }
inline float __log2f(float x) { return std::log2(x); }
inline float __log10f(float x) { return std::log10(x); }
inline float __powf(float x, float y) { return std::pow(x, y); }
inline float __sinf(float x) { return std::sin(x); }
inline float __cosf(float x) { return std::cos(x); }
inline float __tanf(float x) { return std::tan(x); }
inline void __sincosf(float x, float* s, float* c) { *s = std::sin(x), *c = std::cos(x); }
inline void sincosf(float x, float* s, float* c) { *s = std::sin(x), *c = std::cos(x); }
inline float __fdividef(float a, float b) { return a / b; }
inline float __saturatef(float x) { return x > 0.f ? (x < 1.f ? x : 1.f) : 0.f; }  // NaN -> 0
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }
inline float __frsqrt_rn(float x) { return 1.f / std::sqrt(x); }
inline float __fsqrt_rn(float x) { return std::sqrt(x); }
inline float __frcp_rn(float x) { return 1.f / x; }
inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }

// CUDA's min and max for mixed integer types.
template <typename A, typename B>
inline std::common_type_t<A, B> min(A a, B b) {
    using C = std::common_type_t<A, B>;
    return static_cast<C>(a) < static_cast<C>(b) ? static_cast<C>(a) : static_cast<C>(b);
}
template <typename A, typename B>
inline std::common_type_t<A, B> max(A a, B b) {
    using C = std::common_type_t<A, B>;
    return static_cast<C>(a) < static_cast<C>(b) ? static_cast<C>(b) : static_cast<C>(a);
}

// ---- the runtime API the kernels and their checker use -------------------------------------
enum cudaError_t {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorLaunchFailure = 719,
};
enum cudaMemcpyKind { cudaMemcpyHostToHost, cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice };
enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize = 8 };
enum cudaDeviceAttr {
    cudaDevAttrMultiProcessorCount = 16,
    cudaDevAttrComputeCapabilityMajor = 75,
    cudaDevAttrComputeCapabilityMinor = 76,
    cudaDevAttrL2CacheSize = 89,
};
// The fields of CUDA's cudaDeviceProp that optiloop's tools read (others do not compile here).
struct cudaDeviceProp {
    char name[256];
    std::size_t totalGlobalMem;
    int multiProcessorCount;
    int major;
    int minor;
    int l2CacheSize;
};
struct CUstream_st;
using cudaStream_t = CUstream_st*;
struct CUevent_st;
using cudaEvent_t = CUevent_st*;
struct CUmemPoolHandle_st;
using cudaMemPool_t = CUmemPoolHandle_st*;
enum cudaMemPoolAttr { cudaMemPoolAttrReleaseThreshold = 4 };

namespace optiloop::simt {

// The emulated device. Tests change it between launches to exercise other grid sizes.
struct Device {
    int sm_count = 4;
    int blocks_per_sm = 2;      // what cudaOccupancyMaxActiveBlocksPerMultiprocessor answers
    int max_shared_optin = 232448;  // H100 / H200: 227 KiB of dynamic shared memory per block
    // 0: threads run in order, each until it waits; otherwise the seed of a random order.
    std::uint64_t schedule_seed = 0;
    // When a cp.async lands: at the cp.async.wait_group that waits for it, the latest the hardware
    // allows (catches reading a tile before its wait and barrier), or as it is issued, the earliest
    // (catches overwriting a stage that other warps still read).
    enum class Copies { land_at_wait, land_at_issue };
    Copies copies = Copies::land_at_wait;
    // What cudaMemGetInfo and cudaGetDeviceProperties report; cudaMalloc refuses to go past it.
    std::size_t memory_bytes = std::size_t{16} << 30;
    int l2_bytes = 4 << 20;
    // Test-only fault: the results of lanes `lanes[0]` and `lanes[1]` of every ldmatrix (or every
    // mma) are exchanged, a wrong fragment layout on purpose, so that a test can show that
    // `optiloop-kernels probe` and `check` catch one (optiloop-kernels-emulated sets it from
    // OPTILOOP_SIMT_SWAP_LANES; nothing else does).
    struct LaneSwap {
        enum class Operation { none, ldmatrix, mma };
        Operation operation = Operation::none;
        int lanes[2] = {0, 0};
    };
    LaneSwap swap_lanes;
};
Device& device();

// What made the last failed launch fail, in one line (empty when none did).
const std::string& last_failure();

cudaError_t set_max_dynamic_shared(const void* kernel, int bytes);
cudaError_t launch(const void* kernel, dim3 grid, dim3 block, std::size_t dynamic_shared, void (*body)(void*),
                   void* context);

namespace detail {

struct ThreadState {
    dim3 thread_idx;
    dim3 block_idx;
    dim3 block_dim;
    dim3 grid_dim;
};
ThreadState& current();

void syncthreads();
void syncwarp();
enum class Shuffle { xor_lanes, index, up, down };
std::uint32_t shuffle(Shuffle kind, unsigned mask, std::uint32_t value, int operand);
std::uint32_t ballot(unsigned mask, bool predicate);
// __match_any_sync / __match_all_sync on a value of `bytes` bytes (4 or 8): the lanes holding
// the same value as this lane; for all, the full mask when every lane holds it, else 0.
std::uint32_t match(unsigned mask, std::uint64_t value, int bytes, bool all);
enum class Reduce { add, min_unsigned, max_unsigned, min_signed, max_signed, bit_and, bit_or, bit_xor };
std::uint32_t reduce(unsigned mask, std::uint32_t value, Reduce op);
enum class Element { f16, bf16 };
void mma_m16n8k16(float (&d)[4], const std::uint32_t (&a)[4], std::uint32_t b0, std::uint32_t b1, Element element);
void ldmatrix_x4(std::uint32_t (&r)[4], const void* row_address, bool transposed);
void cp_async_16(void* shared_destination, const void* global_source, bool in_bounds);
void cp_async_commit();
void cp_async_wait(int pending);
unsigned char* dynamic_shared();
// Called by translate.py after each static __shared__ declaration: the first thread of a block to
// reach it fills the variable with 0xFF bytes, as dynamic shared memory is.
void static_shared(void* variable, std::size_t bytes);
[[noreturn]] void misaligned(const char* operation, const void* address);
[[noreturn]] void fail_unsupported(const char* what);

}  // namespace detail

// kernel<<<grid, block, shared, stream>>>(arguments) is launcher(kernel, grid, block, shared,
// stream)(arguments): runs kernel over the grid, the arguments copied once, as a launch does.
template <typename... Parameters>
struct Launcher {
    void (*kernel)(Parameters...);
    dim3 grid;
    dim3 block;
    std::size_t shared;
    template <typename... Arguments>
    void operator()(Arguments&&... arguments) const {
        struct Frame {
            void (*kernel)(Parameters...);
            std::tuple<std::decay_t<Parameters>...> values;
        };
        Frame frame{kernel, std::tuple<std::decay_t<Parameters>...>(std::forward<Arguments>(arguments)...)};
        launch(reinterpret_cast<const void*>(kernel), grid, block, shared,
               [](void* context) {
                   auto* f = static_cast<Frame*>(context);
                   std::apply(f->kernel, f->values);
               },
               &frame);
    }
};
template <typename... Parameters>
Launcher<Parameters...> launcher(void (*kernel)(Parameters...), dim3 grid, dim3 block, std::size_t shared,
                                 cudaStream_t) {
    return Launcher<Parameters...>{kernel, grid, block, shared};
}

}  // namespace optiloop::simt

#define threadIdx (::optiloop::simt::detail::current().thread_idx)
#define blockIdx (::optiloop::simt::detail::current().block_idx)
#define blockDim (::optiloop::simt::detail::current().block_dim)
#define gridDim (::optiloop::simt::detail::current().grid_dim)

inline void __syncthreads() { ::optiloop::simt::detail::syncthreads(); }
// Only full-warp masks are emulated (a partial one is a launch failure); __syncwarp ignores its
// mask, which optiloop's kernels never narrow.
inline void __syncwarp(unsigned = 0xffffffffu) { ::optiloop::simt::detail::syncwarp(); }

constexpr int warpSize = 32;

namespace optiloop::simt::detail {
template <typename T>
inline T shuffle_value(Shuffle kind, unsigned mask, T value, int operand, int width) {
    static_assert(sizeof(T) == 4, "the emulator shuffles 32-bit values");
    if (width != 32) {
        fail_unsupported("a shuffle width other than 32");
    }
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    bits = shuffle(kind, mask, bits, operand);
    std::memcpy(&value, &bits, sizeof bits);
    return value;
}
}  // namespace optiloop::simt::detail

template <typename T>
inline T __shfl_xor_sync(unsigned mask, T value, int lane_mask, int width = 32) {
    return ::optiloop::simt::detail::shuffle_value(::optiloop::simt::detail::Shuffle::xor_lanes, mask, value, lane_mask, width);
}
template <typename T>
inline T __shfl_sync(unsigned mask, T value, int source_lane, int width = 32) {
    return ::optiloop::simt::detail::shuffle_value(::optiloop::simt::detail::Shuffle::index, mask, value, source_lane, width);
}
template <typename T>
inline T __shfl_up_sync(unsigned mask, T value, unsigned delta, int width = 32) {
    return ::optiloop::simt::detail::shuffle_value(::optiloop::simt::detail::Shuffle::up, mask, value,
                                                   static_cast<int>(delta), width);
}
template <typename T>
inline T __shfl_down_sync(unsigned mask, T value, unsigned delta, int width = 32) {
    return ::optiloop::simt::detail::shuffle_value(::optiloop::simt::detail::Shuffle::down, mask, value,
                                                   static_cast<int>(delta), width);
}
inline unsigned __ballot_sync(unsigned mask, int predicate) { return ::optiloop::simt::detail::ballot(mask, predicate != 0); }
inline int __any_sync(unsigned mask, int predicate) { return __ballot_sync(mask, predicate) != 0 ? 1 : 0; }
inline int __all_sync(unsigned mask, int predicate) { return __ballot_sync(mask, predicate) == 0xffffffffu ? 1 : 0; }
template <typename T>
inline unsigned __match_any_sync(unsigned mask, T value) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "__match_any_sync takes 32- or 64-bit values");
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof value);
    return ::optiloop::simt::detail::match(mask, bits, sizeof value, false);
}
template <typename T>
inline unsigned __match_all_sync(unsigned mask, T value, int* predicate) {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8, "__match_all_sync takes 32- or 64-bit values");
    std::uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof value);
    const unsigned lanes = ::optiloop::simt::detail::match(mask, bits, sizeof value, true);
    *predicate = lanes != 0 ? 1 : 0;
    return lanes;
}
// sm_80's warp reductions: add, min and max of unsigned or int, and, or, xor of unsigned.
inline unsigned __reduce_add_sync(unsigned mask, unsigned value) {
    return ::optiloop::simt::detail::reduce(mask, value, ::optiloop::simt::detail::Reduce::add);
}
inline int __reduce_add_sync(unsigned mask, int value) {
    return static_cast<int>(__reduce_add_sync(mask, static_cast<unsigned>(value)));
}
inline unsigned __reduce_min_sync(unsigned mask, unsigned value) {
    return ::optiloop::simt::detail::reduce(mask, value, ::optiloop::simt::detail::Reduce::min_unsigned);
}
inline int __reduce_min_sync(unsigned mask, int value) {
    return static_cast<int>(::optiloop::simt::detail::reduce(mask, static_cast<unsigned>(value),
                                                              ::optiloop::simt::detail::Reduce::min_signed));
}
inline unsigned __reduce_max_sync(unsigned mask, unsigned value) {
    return ::optiloop::simt::detail::reduce(mask, value, ::optiloop::simt::detail::Reduce::max_unsigned);
}
inline int __reduce_max_sync(unsigned mask, int value) {
    return static_cast<int>(::optiloop::simt::detail::reduce(mask, static_cast<unsigned>(value),
                                                              ::optiloop::simt::detail::Reduce::max_signed));
}
inline unsigned __reduce_and_sync(unsigned mask, unsigned value) {
    return ::optiloop::simt::detail::reduce(mask, value, ::optiloop::simt::detail::Reduce::bit_and);
}
inline unsigned __reduce_or_sync(unsigned mask, unsigned value) {
    return ::optiloop::simt::detail::reduce(mask, value, ::optiloop::simt::detail::Reduce::bit_or);
}
inline unsigned __reduce_xor_sync(unsigned mask, unsigned value) {
    return ::optiloop::simt::detail::reduce(mask, value, ::optiloop::simt::detail::Reduce::bit_xor);
}

// Threads run one at a time, between collectives only, so a read-modify-write is atomic.
template <typename T>
inline T atomicAdd(T* address, T value) {
    const T old = *address;
    *address = old + value;
    return old;
}
template <typename T>
inline T atomicMax(T* address, T value) {
    const T old = *address;
    if (old < value) *address = value;
    return old;
}
template <typename T>
inline T atomicMin(T* address, T value) {
    const T old = *address;
    if (value < old) *address = value;
    return old;
}
template <typename T>
inline T atomicExch(T* address, T value) {
    const T old = *address;
    *address = value;
    return old;
}
template <typename T>
inline T atomicCAS(T* address, T compare, T value) {
    const T old = *address;
    if (old == compare) *address = value;
    return old;
}

template <typename T>
inline T __ldg(const T* pointer) {
    return *pointer;
}

template <typename T>
inline T __ldcs(const T* pointer) {
    // A vector load from a misaligned address faults on the GPU.
    if (reinterpret_cast<std::uintptr_t>(pointer) % alignof(T) != 0) ::optiloop::simt::detail::misaligned("__ldcs", pointer);
    return *pointer;
}

cudaError_t cudaMalloc(void** pointer, std::size_t bytes);
// cuda_runtime.h's typed convenience overload.
template <typename T>
cudaError_t cudaMalloc(T** pointer, std::size_t bytes) {
    return cudaMalloc(reinterpret_cast<void**>(pointer), bytes);
}
cudaError_t cudaFree(void* pointer);
cudaError_t cudaMemcpy(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind);
cudaError_t cudaMemset(void* destination, int value, std::size_t bytes);
// Streams are not modelled: the asynchronous forms complete before they return.
cudaError_t cudaMemcpyAsync(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t stream = nullptr);
cudaError_t cudaMemsetAsync(void* destination, int value, std::size_t bytes, cudaStream_t stream = nullptr);
// Stream-ordered allocation: how a kernel task's launch code gets a workspace on every call (its
// candidates may keep nothing between calls). The memory pool is not modelled: its attributes are
// accepted and change nothing.
cudaError_t cudaMallocAsync(void** pointer, std::size_t bytes, cudaStream_t stream);
template <typename T>
cudaError_t cudaMallocAsync(T** pointer, std::size_t bytes, cudaStream_t stream) {
    return cudaMallocAsync(reinterpret_cast<void**>(pointer), bytes, stream);
}
cudaError_t cudaFreeAsync(void* pointer, cudaStream_t stream);
cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t* pool, int device);
cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t pool, cudaMemPoolAttr attribute, void* value);
cudaError_t cudaMemGetInfo(std::size_t* free_bytes, std::size_t* total_bytes);
cudaError_t cudaGetDeviceProperties(cudaDeviceProp* properties, int device);
cudaError_t cudaDeviceSynchronize();
cudaError_t cudaGetLastError();
const char* cudaGetErrorName(cudaError_t error);
const char* cudaGetErrorString(cudaError_t error);
cudaError_t cudaGetDeviceCount(int* count);
cudaError_t cudaGetDevice(int* device);
cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attribute, int device);
// Events hold host clock readings: launches run synchronously, so their differences are the
// emulator's time, which says nothing about a GPU's.
cudaError_t cudaEventCreate(cudaEvent_t* event);
cudaError_t cudaEventDestroy(cudaEvent_t event);
cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = nullptr);
cudaError_t cudaEventSynchronize(cudaEvent_t event);
cudaError_t cudaEventElapsedTime(float* milliseconds, cudaEvent_t begin, cudaEvent_t end);

template <typename... Parameters>
cudaError_t cudaFuncSetAttribute(void (*kernel)(Parameters...), cudaFuncAttribute attribute, int value) {
    if (attribute != cudaFuncAttributeMaxDynamicSharedMemorySize) return cudaErrorInvalidValue;
    return ::optiloop::simt::set_max_dynamic_shared(reinterpret_cast<const void*>(kernel), value);
}

template <typename... Parameters>
cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* blocks, void (*)(Parameters...), int, std::size_t) {
    *blocks = ::optiloop::simt::device().blocks_per_sm;
    return cudaSuccess;
}

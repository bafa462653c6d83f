// Device helpers shared by the attention kernels: the PTX wrappers (cp.async, ldmatrix,
// mma.sync m16n8k16) and the per-dtype conversions, so each kernel reads as its algorithm. With
// OPTILOOP_SIMT_EMULATION (kernels/simt, the CPU emulator the tests run the kernels in) the PTX
// comes from the emulator instead.
#pragma once

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>

namespace optiloop::kernels::detail {

constexpr float k_log2e = 1.4426950408889634f;
constexpr float k_ln2 = 0.6931471805599453f;

inline std::string cuda_error(const char* what, cudaError_t error) {
    return std::string(what) + ": " + cudaGetErrorName(error) + " (" + cudaGetErrorString(error) + ")";
}

// Per-dtype operations. The mma instruction string differs only in the operand type, and a pair
// of values packs into one .b32 register with the lower column in the low 16 bits, which is the
// order both mma fragments and memory use.
template <typename T>
struct DTypeOps;

template <>
struct DTypeOps<__half> {
    static __device__ __forceinline__ uint32_t pack(float lo, float hi) {
        return static_cast<uint32_t>(__half_as_ushort(__float2half_rn(lo))) |
               (static_cast<uint32_t>(__half_as_ushort(__float2half_rn(hi))) << 16);
    }
    static __device__ __forceinline__ float2 unpack(uint32_t bits) {
        return make_float2(__half2float(__ushort_as_half(static_cast<unsigned short>(bits & 0xffffu))),
                           __half2float(__ushort_as_half(static_cast<unsigned short>(bits >> 16))));
    }
    static __device__ __forceinline__ __half from_float(float x) { return __float2half_rn(x); }
    static __device__ __forceinline__ float to_float(__half x) { return __half2float(x); }
    // D = A * B + D, A 16x16 row-major, B 16x8 column-major, fp32 accumulators.
    static __device__ __forceinline__ void mma(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
#if defined(OPTILOOP_SIMT_EMULATION)
        simt::detail::mma_m16n8k16(d, a, b0, b1, simt::detail::Element::f16);
#else
        asm("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
            "{%0,%1,%2,%3};\n"
            : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
            : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#endif
    }
};

template <>
struct DTypeOps<__nv_bfloat16> {
    static __device__ __forceinline__ uint32_t pack(float lo, float hi) {
        return static_cast<uint32_t>(__bfloat16_as_ushort(__float2bfloat16_rn(lo))) |
               (static_cast<uint32_t>(__bfloat16_as_ushort(__float2bfloat16_rn(hi))) << 16);
    }
    // bf16 is the top half of an fp32, so widening is a shift.
    static __device__ __forceinline__ float2 unpack(uint32_t bits) {
        return make_float2(__uint_as_float(bits << 16), __uint_as_float(bits & 0xffff0000u));
    }
    static __device__ __forceinline__ __nv_bfloat16 from_float(float x) { return __float2bfloat16_rn(x); }
    static __device__ __forceinline__ float to_float(__nv_bfloat16 x) { return __bfloat162float(x); }
    static __device__ __forceinline__ void mma(float (&d)[4], const uint32_t (&a)[4], uint32_t b0, uint32_t b1) {
#if defined(OPTILOOP_SIMT_EMULATION)
        simt::detail::mma_m16n8k16(d, a, b0, b1, simt::detail::Element::bf16);
#else
        asm("mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
            "{%0,%1,%2,%3};\n"
            : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
            : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
#endif
    }
};

#if defined(OPTILOOP_SIMT_EMULATION)
inline void cp_async_16(void* shared_destination, const void* global_source, bool in_bounds) {
    simt::detail::cp_async_16(shared_destination, global_source, in_bounds);
}
inline void cp_async_commit() { simt::detail::cp_async_commit(); }
template <int pending>
inline void cp_async_wait() {
    simt::detail::cp_async_wait(pending);
}
inline void ldmatrix_x4(uint32_t (&r)[4], const void* row_address) { simt::detail::ldmatrix_x4(r, row_address, false); }
inline void ldmatrix_x4_trans(uint32_t (&r)[4], const void* row_address) {
    simt::detail::ldmatrix_x4(r, row_address, true);
}
#else
__device__ __forceinline__ uint32_t shared_address(const void* pointer) {
    return static_cast<uint32_t>(__cvta_generic_to_shared(pointer));
}

// 16-byte global -> shared copy that bypasses L1; with in_bounds false it reads nothing and
// writes 16 zero bytes (src-size 0), which is how ragged tiles get their zero padding.
__device__ __forceinline__ void cp_async_16(void* shared_destination, const void* global_source, bool in_bounds) {
    const int source_bytes = in_bounds ? 16 : 0;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(shared_address(shared_destination)),
                 "l"(global_source), "r"(source_bytes)
                 : "memory");
}

__device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\n" ::: "memory"); }

template <int pending>
__device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(pending) : "memory");
}

// Four 8x8 b16 matrices; lanes 8i..8i+7 give the row addresses of matrix i, and register i of
// every lane receives row lane/4, columns 2*(lane%4) and +1 of matrix i.
__device__ __forceinline__ void ldmatrix_x4(uint32_t (&r)[4], const void* row_address) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(shared_address(row_address))
                 : "memory");
}

// The same with each matrix transposed: register i receives rows 2*(lane%4) and +1, column lane/4.
__device__ __forceinline__ void ldmatrix_x4_trans(uint32_t (&r)[4], const void* row_address) {
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\n"
                 : "=r"(r[0]), "=r"(r[1]), "=r"(r[2]), "=r"(r[3])
                 : "r"(shared_address(row_address))
                 : "memory");
}
#endif  // OPTILOOP_SIMT_EMULATION

}  // namespace optiloop::kernels::detail

// The correctness cases of the CUDA attention kernels and how one is checked: random inputs from a
// fixed seed, output poisoned with NaN, compared in float64 with attention_reference. Shared by
// `optiloop-kernels check` and tests/kernels/test_attention_cuda.cpp so both run the same cases.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <optiloop/kernels/attention_cuda.hpp>
#include <optiloop/kernels/attention_reference.hpp>

namespace optiloop::kernels {

enum class AttentionKernel { prefill, decode, naive };

[[nodiscard]] const char* kernel_name(AttentionKernel kernel);

struct CheckCase {
    CheckCase() = default;
    CheckCase(AttentionKernel kernel_, DType dtype_, const AttentionShape& shape_, PrefillTuning tuning_ = {})
        : kernel(kernel_), dtype(dtype_), shape(shape_), tuning(tuning_) {}
    AttentionKernel kernel = AttentionKernel::prefill;
    DType dtype = DType::f16;
    AttentionShape shape;
    PrefillTuning tuning;  // prefill only
    DecodeTuning decode;   // decode only
};

// The error of a set of output elements.
struct ErrorBucket {
    double squared_error = 0;  // sum of (got - expected)^2, NaN elements left out
    double max_error = 0;      // largest |got - expected|, NaN elements left out
    std::size_t elements = 0;
    std::size_t nan = 0;  // elements whose output is NaN
};

// One sampled query row of a failed case.
struct RowError {
    std::size_t batch = 0, head = 0, position = 0;  // position: the query's index in q_len
    double max_error = 0;     // largest |got - expected| of the row (infinite for a NaN)
    std::size_t dimension = 0;  // where it is
    double got = 0, expected = 0;
    double relative_l2 = 0;  // of the row
    double lse_error = 0;
};

// Where the error of a failed case lies, so that a wrong lane mapping shows as a pattern: the
// sampled rows with the largest error, and the error summed by query position mod 16 and dimension
// mod 8 (an mma fragment's row and column), and by the key tile that holds the row's last visible
// key (under causal masking, where its diagonal falls; rows that see no key apart).
struct CheckDiagnosis {
    std::vector<RowError> worst_rows;  // largest max_error or lse_error first, at most k_worst_rows
    std::array<ErrorBucket, 16> by_row_mod_16;
    std::array<ErrorBucket, 8> by_column_mod_8;
    std::size_t key_tile_keys = 64;
    std::vector<ErrorBucket> by_key_tile;
    ErrorBucket rows_without_keys;
    double total_squared_error = 0;
};
constexpr std::size_t k_worst_rows = 5;

struct CheckResult {
    bool passed = false;
    double output_error = 0;  // relative L2 error of the output over the sampled rows
    double lse_error = 0;     // max |lse - reference| over the sampled rows
    std::size_t rows_checked = 0;
    std::string message;  // why it failed (a kernel or CUDA error, NaN, tolerance)
    // Filled when the case ran and its output or lse is wrong (NaN or beyond the tolerances).
    std::optional<CheckDiagnosis> diagnosis;
};

// Output tolerances: relative L2 of the output, absolute error of the natural-log lse.
constexpr double k_output_tolerance = 1e-2;
constexpr double k_lse_tolerance = 1e-2;

[[nodiscard]] AttentionShape make_shape(std::size_t batch, std::size_t heads, std::size_t kv_heads, std::size_t q_len,
                                        std::size_t kv_len, std::size_t head_dim, bool causal);

// One line naming the kernel, dtype and shape, e.g. "prefill f16 d=64 B=1 H=8/2 q=17 kv=17 causal"
// (and " tile=128x64/4w" for a prefill tile shape other than the default, " prefetch" for the
// decode variant).
[[nodiscard]] std::string describe(const CheckCase& check);

[[nodiscard]] std::vector<CheckCase> check_cases();

// Runs one case on the current device; needs cuda_device_available().
[[nodiscard]] CheckResult run_check(const CheckCase& check);

// cudaMalloc'd bytes freed on destruction; ok() is false when the allocation failed.
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(std::size_t bytes);
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer();
    [[nodiscard]] void* get() const { return m_data; }
    [[nodiscard]] bool ok() const { return m_data != nullptr || m_bytes == 0; }
    [[nodiscard]] std::size_t bytes() const { return m_bytes; }

private:
    void* m_data = nullptr;
    std::size_t m_bytes = 0;
};

}  // namespace optiloop::kernels

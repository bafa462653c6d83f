// How one correctness case runs: inputs drawn on the host, converted to fp16/bf16 there (no CUDA
// header needed), the output poisoned, the kernel run, and a sample of rows compared in float64.
#include <cuda_runtime_api.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <optiloop/kernels/attention_check.hpp>

namespace optiloop::kernels {

namespace {

// Host fp16 / bf16 conversion, round to nearest even.

std::uint32_t float_bits(float x) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
}

float bits_float(std::uint32_t bits) {
    float x = 0;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

std::uint16_t float_to_bf16(float x) {
    const std::uint32_t bits = float_bits(x);
    if (std::isnan(x)) return 0x7fc0;
    const std::uint32_t rounding = 0x7fffu + ((bits >> 16) & 1u);
    return static_cast<std::uint16_t>((bits + rounding) >> 16);
}

float bf16_to_float(std::uint16_t h) { return bits_float(static_cast<std::uint32_t>(h) << 16); }

std::uint16_t float_to_f16(float x) {
    const std::uint32_t bits = float_bits(x);
    const std::uint32_t sign = (bits >> 16) & 0x8000u;
    const float magnitude = std::fabs(x);
    if (std::isnan(x)) return static_cast<std::uint16_t>(sign | 0x7e00u);
    if (magnitude >= 65520.f) return static_cast<std::uint16_t>(sign | 0x7c00u);
    if (magnitude < 6.103515625e-05f) {
        // Subnormal: a multiple of 2^-24; nearbyint rounds half to even.
        return static_cast<std::uint16_t>(sign | static_cast<std::uint32_t>(std::nearbyint(magnitude * 16777216.f)));
    }
    const std::uint32_t m = float_bits(magnitude);
    const std::uint32_t rounded = m + 0xfffu + ((m >> 13) & 1u);  // round the 13 dropped bits to even
    return static_cast<std::uint16_t>(sign | (((rounded >> 13) - (112u << 10)) & 0x7fffu));
}

float f16_to_float(std::uint16_t h) {
    const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
    const std::uint32_t exponent = (h >> 10) & 0x1fu;
    const std::uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0) {
        const float value = static_cast<float>(mantissa) / 16777216.f;
        return sign != 0 ? -value : value;
    }
    if (exponent == 31) return bits_float(sign | 0x7f800000u | (mantissa << 13));
    return bits_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

std::uint16_t to_dtype(DType dtype, float x) { return dtype == DType::f16 ? float_to_f16(x) : float_to_bf16(x); }
double from_dtype(DType dtype, std::uint16_t h) {
    return dtype == DType::f16 ? f16_to_float(h) : bf16_to_float(h);
}

std::string cuda_check(cudaError_t error, const char* what) {
    return error == cudaSuccess ? "" : std::string(what) + ": " + cudaGetErrorString(error);
}

std::vector<std::uint16_t> random_values(DType dtype, std::size_t count, std::mt19937& rng) {
    std::vector<std::uint16_t> values(count);
    // 24 bits of one draw per value: uniform on [-1, 1), far faster than a distribution object.
    for (auto& value : values) value = to_dtype(dtype, static_cast<float>(rng() >> 8) * (2.f / 16777216.f) - 1.f);
    return values;
}

// A sampled row of a case, for the diagnosis; its d outputs are the next d of `got` and `expected`.
struct SampledRow {
    std::size_t batch, head, position;
    std::size_t visible;  // keys the row sees
    double lse_error;     // infinite for a NaN
};

void add(ErrorBucket& bucket, double got, double expected) {
    ++bucket.elements;
    if (std::isnan(got)) {
        ++bucket.nan;
        return;
    }
    const double error = std::fabs(got - expected);
    bucket.squared_error += error * error;
    bucket.max_error = std::max(bucket.max_error, error);
}

CheckDiagnosis diagnose(const std::vector<SampledRow>& sampled, const std::vector<double>& got,
                        const std::vector<double>& expected, std::size_t d, std::size_t key_tile_keys) {
    CheckDiagnosis diagnosis;
    diagnosis.key_tile_keys = key_tile_keys;
    std::vector<RowError> rows;
    for (std::size_t n = 0; n < sampled.size(); ++n) {
        const SampledRow& row = sampled[n];
        RowError row_error;
        row_error.batch = row.batch;
        row_error.head = row.head;
        row_error.position = row.position;
        row_error.lse_error = row.lse_error;
        ErrorBucket* tile = &diagnosis.rows_without_keys;
        if (row.visible > 0) {
            const std::size_t index = (row.visible - 1) / key_tile_keys;
            if (diagnosis.by_key_tile.size() <= index) diagnosis.by_key_tile.resize(index + 1);
            tile = &diagnosis.by_key_tile[index];
        }
        double row_squared = 0;
        double row_norm = 0;
        for (std::size_t x = 0; x < d; ++x) {
            const double g = got[n * d + x];
            const double e = expected[n * d + x];
            add(diagnosis.by_row_mod_16[row.position % 16], g, e);
            add(diagnosis.by_column_mod_8[x % 8], g, e);
            add(*tile, g, e);
            const double error = std::isnan(g) ? std::numeric_limits<double>::infinity() : std::fabs(g - e);
            if (x == 0 || error > row_error.max_error) {
                row_error.max_error = error;
                row_error.dimension = x;
                row_error.got = g;
                row_error.expected = e;
            }
            row_squared += error * error;
            row_norm += e * e;
            if (!std::isnan(g)) diagnosis.total_squared_error += (g - e) * (g - e);
        }
        row_error.relative_l2 = row_norm > 0 ? std::sqrt(row_squared / row_norm) : std::sqrt(row_squared);
        rows.push_back(row_error);
    }
    const std::size_t kept = std::min(rows.size(), k_worst_rows);
    std::partial_sort(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(kept), rows.end(),
                      [](const RowError& a, const RowError& b) {
                          return std::max(a.max_error, a.lse_error) > std::max(b.max_error, b.lse_error);
                      });
    rows.resize(kept);
    diagnosis.worst_rows = std::move(rows);
    return diagnosis;
}

}  // namespace

DeviceBuffer::DeviceBuffer(std::size_t bytes) : m_bytes(bytes) {
    // m_bytes keeps the request, so ok() reports a failed allocation.
    if (bytes > 0 && cudaMalloc(&m_data, bytes) != cudaSuccess) m_data = nullptr;
}

DeviceBuffer::~DeviceBuffer() {
    if (m_data != nullptr) cudaFree(m_data);
}

const char* kernel_name(AttentionKernel kernel) {
    switch (kernel) {
        case AttentionKernel::prefill: return "prefill";
        case AttentionKernel::decode: return "decode";
        case AttentionKernel::naive: return "naive";
    }
    return "?";
}

std::string describe(const CheckCase& c) {
    std::ostringstream text;
    const AttentionShape& s = c.shape;
    text << kernel_name(c.kernel) << ' ' << dtype_name(c.dtype) << " d=" << s.head_dim << " B=" << s.batch
         << " H=" << s.heads << "/" << s.kv_heads << " q=" << s.q_len << " kv=" << s.kv_len
         << (s.causal ? " causal" : "");
    if (c.tuning.query_rows != 0) text << " tile=" << tile_shape_name(c.tuning);
    if (c.decode.prefetch) text << " prefetch";
    return text.str();
}

AttentionShape make_shape(std::size_t batch, std::size_t heads, std::size_t kv_heads, std::size_t q_len,
                          std::size_t kv_len, std::size_t head_dim, bool causal) {
    AttentionShape shape;
    shape.batch = batch;
    shape.heads = heads;
    shape.kv_heads = kv_heads;
    shape.q_len = q_len;
    shape.kv_len = kv_len;
    shape.head_dim = head_dim;
    shape.causal = causal;
    return shape;
}

// The cases of `check` and of test_attention_cuda.cpp.
std::vector<CheckCase> check_cases() {
    std::vector<CheckCase> cases;
    struct Heads {
        std::size_t batch, heads, kv_heads;
    };
    const Heads configs[] = {{1, 8, 2}, {2, 4, 4}, {4, 2, 1}};
    std::size_t index = 0;
    for (std::size_t d : {64u, 128u})
        for (std::size_t n : {1u, 17u, 64u, 127u, 128u, 255u, 1000u, 4096u})
            for (bool causal : {false, true})
                for (DType dtype : {DType::f16, DType::bf16}) {
                    const Heads& h = configs[index++ % 3];
                    cases.push_back({AttentionKernel::prefill, dtype, make_shape(h.batch, h.heads, h.kv_heads, n, n, d, causal)});
                }
    // q_len != kv_len: end-aligned causal masking, including rows that see no key at all.
    const std::size_t ragged[][2] = {{17, 1000}, {128, 4096}, {1000, 255}, {1, 4096}};
    for (std::size_t d : {64u, 128u})
        for (const auto& lengths : ragged)
            for (bool causal : {false, true})
                cases.push_back({AttentionKernel::prefill, DType::f16, make_shape(1, 8, 2, lengths[0], lengths[1], d, causal)});
    // The other tile shapes, which `bench` times beside the default.
    for (std::size_t d : {64u, 128u}) {
        const std::vector<PrefillTuning> tiles = prefill_tile_shapes(d);
        for (auto tile = tiles.begin() + 1; tile != tiles.end(); ++tile) {
            for (std::size_t n : {1u, 127u, 255u, 1000u, 4096u})
                for (bool causal : {false, true})
                    cases.push_back({AttentionKernel::prefill, causal ? DType::bf16 : DType::f16,
                                     make_shape(1, 8, 2, n, n, d, causal), *tile});
            for (const auto& lengths : ragged)
                cases.push_back({AttentionKernel::prefill, DType::f16,
                                 make_shape(1, 8, 2, lengths[0], lengths[1], d, true), *tile});
        }
    }

    for (std::size_t kv : {1u, 1000u, 65537u, 131072u})
        for (std::size_t batch : {1u, 8u})
            cases.push_back({AttentionKernel::decode, batch == 1 ? DType::f16 : DType::bf16, make_shape(batch, 8, 2, 1, kv, 128, false)});
    for (std::size_t kv : {1000u, 65537u})
        cases.push_back({AttentionKernel::decode, DType::f16, make_shape(2, 8, 2, 1, kv, 64, false)});
    // Group sizes 1, 3 (padded to 4), 6 (padded to 8) and 16 (two chunks of 8), causal as a no-op.
    cases.push_back({AttentionKernel::decode, DType::bf16, make_shape(2, 8, 8, 1, 4097, 128, false)});
    cases.push_back({AttentionKernel::decode, DType::f16, make_shape(3, 6, 2, 1, 1000, 64, true)});
    cases.push_back({AttentionKernel::decode, DType::f16, make_shape(1, 12, 2, 1, 4097, 128, false)});
    cases.push_back({AttentionKernel::decode, DType::bf16, make_shape(2, 32, 2, 1, 3000, 128, true)});
    // The prefetching variant, which `bench` times beside the default, on the same cases.
    const std::size_t decode_cases = cases.size();
    for (std::size_t i = 0; i < decode_cases; ++i)
        if (cases[i].kernel == AttentionKernel::decode) {
            CheckCase prefetching = cases[i];
            prefetching.decode.prefetch = true;
            cases.push_back(prefetching);
        }

    for (std::size_t d : {64u, 128u})
        for (std::size_t n : {17u, 255u, 1000u})
            for (bool causal : {false, true})
                for (DType dtype : {DType::f16, DType::bf16})
                    cases.push_back({AttentionKernel::naive, dtype, make_shape(1, 8, 2, n, n, d, causal)});
    cases.push_back({AttentionKernel::naive, DType::f16, make_shape(1, 4, 2, 1000, 255, 64, true)});
    return cases;
}

CheckResult run_check(const CheckCase& c) {
    CheckResult result;
    const AttentionShape& s = c.shape;
    const DType dtype = c.dtype;
    std::mt19937 rng(20261128u);
    const auto q = random_values(dtype, s.q_elements(), rng);
    const auto k = random_values(dtype, s.kv_elements(), rng);
    const auto v = random_values(dtype, s.kv_elements(), rng);
    const std::size_t rows = s.batch * s.heads * s.q_len;

    DeviceBuffer q_device(q.size() * 2), k_device(k.size() * 2), v_device(v.size() * 2), out_device(q.size() * 2),
        lse_device(rows * sizeof(float));
    std::size_t workspace_bytes = 0;
    if (c.kernel == AttentionKernel::decode) workspace_bytes = attention_decode_workspace_bytes(s, cuda_sm_count());
    if (c.kernel == AttentionKernel::naive) workspace_bytes = attention_naive_workspace_bytes(s);
    DeviceBuffer workspace(workspace_bytes);
    if (!q_device.ok() || !k_device.ok() || !v_device.ok() || !out_device.ok() || !lse_device.ok() || !workspace.ok()) {
        result.message = "cudaMalloc failed";
        return result;
    }
    std::string error = cuda_check(cudaMemcpy(q_device.get(), q.data(), q.size() * 2, cudaMemcpyHostToDevice), "copy q");
    if (error.empty()) error = cuda_check(cudaMemcpy(k_device.get(), k.data(), k.size() * 2, cudaMemcpyHostToDevice), "copy k");
    if (error.empty()) error = cuda_check(cudaMemcpy(v_device.get(), v.data(), v.size() * 2, cudaMemcpyHostToDevice), "copy v");
    // Poison: 0xFFFF is NaN in fp16 and bf16, 0xFFFFFFFF in fp32, so an unwritten element fails.
    if (error.empty()) error = cuda_check(cudaMemset(out_device.get(), 0xFF, out_device.bytes()), "poison out");
    if (error.empty()) error = cuda_check(cudaMemset(lse_device.get(), 0xFF, lse_device.bytes()), "poison lse");
    if (!error.empty()) {
        result.message = error;
        return result;
    }
    auto* lse = static_cast<float*>(lse_device.get());
    switch (c.kernel) {
        case AttentionKernel::prefill:
            error = attention_prefill(s, dtype, q_device.get(), k_device.get(), v_device.get(), out_device.get(), lse, 0,
                                      nullptr, c.tuning);
            break;
        case AttentionKernel::decode:
            error = attention_decode(s, dtype, q_device.get(), k_device.get(), v_device.get(), out_device.get(), lse, 0,
                                     workspace.get(), workspace_bytes, nullptr, c.decode);
            break;
        case AttentionKernel::naive:
            error = attention_naive(s, dtype, q_device.get(), k_device.get(), v_device.get(), out_device.get(), lse, 0,
                                    workspace.get(), workspace_bytes, nullptr);
            break;
    }
    if (error.empty()) error = cuda_check(cudaDeviceSynchronize(), "kernel execution");
    std::vector<std::uint16_t> out(q.size());
    std::vector<float> lse_host(rows);
    if (error.empty()) error = cuda_check(cudaMemcpy(out.data(), out_device.get(), out.size() * 2, cudaMemcpyDeviceToHost), "copy out");
    if (error.empty())
        error = cuda_check(cudaMemcpy(lse_host.data(), lse_device.get(), rows * sizeof(float), cudaMemcpyDeviceToHost), "copy lse");
    if (!error.empty()) {
        result.message = error;
        return result;
    }

    // A NaN anywhere fails the case; the sampled rows are still compared, for the diagnosis.
    std::string nan_message;
    for (std::size_t i = 0; i < out.size() && nan_message.empty(); ++i)
        if (std::isnan(from_dtype(dtype, out[i]))) nan_message = "NaN in output at element " + std::to_string(i);
    for (std::size_t i = 0; i < rows && nan_message.empty(); ++i)
        if (std::isnan(lse_host[i])) nan_message = "NaN in lse at row " + std::to_string(i);

    // float64 reference on a sample of rows, sized so no case costs more than about a GFLOP.
    const std::size_t d = s.head_dim;
    const std::size_t budget = std::clamp<std::size_t>(200'000'000 / (s.kv_len * d), 8, 2048);
    const std::size_t sample = std::min(rows, budget);
    const std::size_t group = s.heads / s.kv_heads;
    std::vector<double> got, expected, k_head, v_head, q_row(d), o_row(d);
    std::vector<SampledRow> sampled;
    std::size_t cached_kv = std::numeric_limits<std::size_t>::max();
    for (std::size_t n = 0; n < sample; ++n) {
        const std::size_t row = sample == 1 ? 0 : n * (rows - 1) / (sample - 1);
        const std::size_t i = row % s.q_len;
        const std::size_t head = (row / s.q_len) % s.heads;
        const std::size_t b = row / (s.q_len * s.heads);
        const std::size_t kv_index = b * s.kv_heads + head / group;
        if (kv_index != cached_kv) {
            k_head.resize(s.kv_len * d);
            v_head.resize(s.kv_len * d);
            for (std::size_t x = 0; x < s.kv_len * d; ++x) {
                k_head[x] = from_dtype(dtype, k[kv_index * s.kv_len * d + x]);
                v_head[x] = from_dtype(dtype, v[kv_index * s.kv_len * d + x]);
            }
            cached_kv = kv_index;
        }
        const long long visible_signed =
            s.causal ? std::min<long long>(static_cast<long long>(s.kv_len),
                                           static_cast<long long>(i + 1 + s.kv_len) - static_cast<long long>(s.q_len))
                     : static_cast<long long>(s.kv_len);
        const auto visible = static_cast<std::size_t>(std::max<long long>(0, visible_signed));
        double expected_lse = -std::numeric_limits<double>::infinity();
        std::fill(o_row.begin(), o_row.end(), 0.0);
        if (visible > 0) {
            for (std::size_t x = 0; x < d; ++x) q_row[x] = from_dtype(dtype, q[row * d + x]);
            // One row against its visible keys is the same problem without the mask.
            attention_reference(make_shape(1, 1, 1, 1, visible, d, false), q_row.data(), k_head.data(), v_head.data(),
                                o_row.data(), &expected_lse, 1.0 / std::sqrt(static_cast<double>(d)));
        }
        for (std::size_t x = 0; x < d; ++x) {
            got.push_back(from_dtype(dtype, out[row * d + x]));
            expected.push_back(o_row[x]);
        }
        const double lse_got = lse_host[row];
        double lse_difference = 0;
        if (std::isinf(expected_lse) || std::isinf(lse_got))
            lse_difference = (std::isinf(expected_lse) && std::isinf(lse_got) && (expected_lse < 0) == (lse_got < 0))
                                 ? 0
                                 : std::numeric_limits<double>::infinity();
        else
            lse_difference = std::fabs(lse_got - expected_lse);
        result.lse_error = std::max(result.lse_error, lse_difference);
        sampled.push_back({b, head, i, visible, std::isnan(lse_got) ? std::numeric_limits<double>::infinity() : lse_difference});
    }
    result.rows_checked = sample;
    result.output_error = relative_l2_error(got, expected);
    // An all-masked output is exactly 0 in both, which relative_l2_error reports as 0.
    const bool output_ok = result.output_error < k_output_tolerance;
    const bool lse_ok = result.lse_error < k_lse_tolerance;
    result.passed = output_ok && lse_ok && nan_message.empty();
    if (!nan_message.empty()) {
        result.message = nan_message;
    } else {
        if (!output_ok) result.message = "relative L2 error above 1e-2";
        if (!lse_ok) result.message += std::string(result.message.empty() ? "" : "; ") + "lse differs by more than 1e-2";
    }
    if (!result.passed) {
        const int key_rows = c.kernel == AttentionKernel::prefill && c.tuning.key_rows != 0 ? c.tuning.key_rows : 64;
        result.diagnosis = diagnose(sampled, got, expected, d, static_cast<std::size_t>(key_rows));
    }
    return result;
}

}  // namespace optiloop::kernels

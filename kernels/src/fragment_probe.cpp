// The fragment probe's host half: the PTX ISA's fragment formulas, the index-coded inputs laid out
// by them, and the value-by-value comparison of what fragment_probe.cu's warp and the prefill
// kernel gave back.
#include <cuda_runtime_api.h>

#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <optiloop/kernels/attention_check.hpp>
#include <optiloop/kernels/attention_cuda.hpp>
#include <optiloop/kernels/fragment_probe.hpp>

#include "fragment_probe_launch.hpp"

namespace optiloop::kernels {

namespace {

using probe::k_lanes;
using probe::k_tile;

// ---- the PTX ISA's fragment formulas ----
// Written out from the PTX ISA ("Matrix Fragments for mma.m16n8k16 with floating point type";
// "Warp-level matrix load instruction: ldmatrix"), not taken from the kernels' helpers or from the
// emulator, so that a disagreement with either shows. groupID = lane >> 2, threadID_in_group =
// lane % 4; a .b32 register holds its lower-numbered element in its low 16 bits.

struct Position {
    int row = 0;
    int col = 0;
};

int group_id(int lane) { return lane >> 2; }
int thread_in_group(int lane) { return lane % 4; }

// Element a_i (i = 0..7, register i / 2) of the 16x16 A that `lane` holds.
Position mma_a(int lane, int i) {
    const int row = i < 2 || (i >= 4 && i < 6) ? group_id(lane) : group_id(lane) + 8;
    const int col = thread_in_group(lane) * 2 + (i & 1) + (i >= 4 ? 8 : 0);
    return {row, col};
}

// Element b_i (i = 0..3, register i / 2) of the 16x8 B (row k, column n) that `lane` holds.
Position mma_b(int lane, int i) {
    return {thread_in_group(lane) * 2 + (i & 1) + (i >= 2 ? 8 : 0), group_id(lane)};
}

// Element c_i (d_i), i = 0..3, one f32 register each, of the 16x8 C (D) that `lane` holds.
Position mma_c(int lane, int i) {
    return {i < 2 ? group_id(lane) : group_id(lane) + 8, thread_in_group(lane) * 2 + (i & 1)};
}

// ldmatrix .m8n8 .x4 .b16: lanes 8m..8m+7 give the addresses of the 8 stored rows of matrix m, and
// register m of `lane` receives element j (j = 0 in the low half) of matrix m at row lane >> 2,
// column (lane % 4) * 2 + j; with .trans the matrix is read column-major, so of the matrix as
// stored that is row (lane % 4) * 2 + j, column lane >> 2.
Position ldmatrix_element(int lane, int j, bool transposed) {
    const int across = lane >> 2;
    const int along = (lane % 4) * 2 + j;
    return transposed ? Position{along, across} : Position{across, along};
}

// ---- values ----

// The fp16 / bf16 bits of a whole number from 0 to 256 (exact in both).
std::uint16_t whole_number_bits(DType dtype, int n) {
    if (n == 0) return 0;
    const auto x = static_cast<float>(n);
    std::uint32_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    if (dtype == DType::bf16) return static_cast<std::uint16_t>(bits >> 16);
    const auto exponent = static_cast<std::uint32_t>(static_cast<int>((bits >> 23) & 0xffu) - 127 + 15);
    return static_cast<std::uint16_t>((exponent << 10) | ((bits >> 13) & 0x3ffu));
}

// The value of any fp16 / bf16 bits (what a kernel wrote may be anything).
double element_value(DType dtype, std::uint16_t h) {
    if (dtype == DType::bf16) {
        const std::uint32_t bits = static_cast<std::uint32_t>(h) << 16;
        float x = 0;
        std::memcpy(&x, &bits, sizeof x);
        return x;
    }
    const int exponent = (h >> 10) & 0x1f;
    const int mantissa = h & 0x3ff;
    double magnitude = 0;
    if (exponent == 0)
        magnitude = std::ldexp(mantissa, -24);
    else if (exponent == 31)
        magnitude = mantissa != 0 ? std::nan("") : INFINITY;
    else
        magnitude = std::ldexp(1024 + mantissa, exponent - 25);
    return (h & 0x8000u) != 0 ? -magnitude : magnitude;
}

// The whole number 1..largest that `value` is, or 0 when it is none (a blend, poison, NaN).
int whole_number(double value, int largest) {
    if (!(value >= 1 && value <= largest) || value != std::floor(value)) return 0;
    return static_cast<int>(value);
}

[[gnu::format(printf, 1, 2)]] std::string text(const char* format, ...) {
    char buffer[160];
    va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(buffer, sizeof buffer, format, arguments);
    va_end(arguments);
    return buffer;
}

std::string position_text(const char* matrix, Position p) { return text("%s(%d,%d)", matrix, p.row, p.col); }

// Counts one comparison of `result`, keeping the first mismatches (described only when needed).
template <typename Describe>
void compare(ProbeResult& result, bool same, Describe&& describe) {
    ++result.checked;
    if (same) return;
    if (result.mismatched++ < k_probe_mismatches_kept) result.first_mismatches.push_back(describe());
}

// ---- ldmatrix ----

// Element (r, c) of the 16x16 tile holds 0x5000 | r << 4 | c: a lane's register says which element it got.
std::uint16_t tile_code(Position p) { return static_cast<std::uint16_t>(0x5000 | (p.row << 4) | p.col); }
std::string tile_code_text(std::uint16_t bits) {
    if ((bits >> 8) != 0x50) return text("0x%04x", bits);
    return position_text("", {(bits >> 4) & 15, bits & 15});
}

ProbeResult probe_ldmatrix(bool transposed) {
    ProbeResult result;
    result.name = transposed ? "ldmatrix.x4.trans" : "ldmatrix.x4";
    std::uint16_t tile[k_tile * k_tile];
    for (int row = 0; row < k_tile; ++row)
        for (int col = 0; col < k_tile; ++col) tile[row * k_tile + col] = tile_code({row, col});
    // Matrix m is the 8x8 block at rows 8 (m % 2), columns 8 (m / 2): rows 0-7 then 8-15 of columns
    // 0-7, then of columns 8-15, the order in which the kernels load the A operand.
    auto origin = [](int m) { return Position{8 * (m % 2), 8 * (m / 2)}; };
    std::uint32_t row_offsets[k_lanes];
    for (int lane = 0; lane < k_lanes; ++lane) {
        const Position block = origin(lane / 8);
        row_offsets[lane] = static_cast<std::uint32_t>((block.row + lane % 8) * k_tile + block.col);
    }
    std::uint32_t registers[k_lanes * 4];
    result.error = probe::run_ldmatrix(transposed, tile, row_offsets, registers);
    if (!result.error.empty()) return result;
    for (int lane = 0; lane < k_lanes; ++lane)
        for (int m = 0; m < 4; ++m)
            for (int j = 0; j < 2; ++j) {
                const Position within = ldmatrix_element(lane, j, transposed);
                const Position expected{origin(m).row + within.row, origin(m).col + within.col};
                const auto bits = static_cast<std::uint16_t>(registers[4 * lane + m] >> (16 * j));
                compare(result, bits == tile_code(expected), [&] {
                    return ProbeMismatch{text("lane %d r[%d].%s", lane, m, j == 0 ? "lo" : "hi"),
                                         position_text("", expected), tile_code_text(bits)};
                });
            }
    return result;
}

// ---- mma.sync m16n8k16 ----

// Every lane's A, B and C registers, each element the whole number that a_code, b_code and c_code
// give for its position (by the formulas above).
struct MmaOperands {
    std::uint32_t a[k_lanes * 4] = {};
    std::uint32_t b[k_lanes * 2] = {};
    float c[k_lanes * 4] = {};
};

template <typename ACode, typename BCode, typename CCode>
MmaOperands mma_operands(DType dtype, ACode&& a_code, BCode&& b_code, CCode&& c_code) {
    MmaOperands operands;
    for (int lane = 0; lane < k_lanes; ++lane) {
        for (int i = 0; i < 8; ++i)
            operands.a[4 * lane + i / 2] |= static_cast<std::uint32_t>(whole_number_bits(dtype, a_code(mma_a(lane, i))))
                                            << (16 * (i % 2));
        for (int i = 0; i < 4; ++i)
            operands.b[2 * lane + i / 2] |= static_cast<std::uint32_t>(whole_number_bits(dtype, b_code(mma_b(lane, i))))
                                            << (16 * (i % 2));
        for (int i = 0; i < 4; ++i) operands.c[4 * lane + i] = static_cast<float>(c_code(mma_c(lane, i)));
    }
    return operands;
}

std::string value_text(double value) { return text("value %.6g", value); }

// A coded by position (A(m, k) = 16 m + k + 1) times a B that selects column k = n + 8 s of A into
// column n of D, for s = 0 and 1: each D element says which A element reached it, and the two runs
// see every element of A once.
ProbeResult probe_mma_a(DType dtype) {
    ProbeResult result;
    result.name = std::string("mma.m16n8k16 ") + dtype_name(dtype) + " A";
    for (int s = 0; s < 2; ++s) {
        const MmaOperands operands = mma_operands(
            dtype, [](Position p) { return 16 * p.row + p.col + 1; },
            [s](Position p) { return p.row == p.col + 8 * s ? 1 : 0; }, [](Position) { return 0; });
        float d[k_lanes * 4];
        result.error = probe::run_mma(dtype, operands.a, operands.b, operands.c, d);
        if (!result.error.empty()) return result;
        for (int lane = 0; lane < k_lanes; ++lane)
            for (int i = 0; i < 4; ++i) {
                const Position at = mma_c(lane, i);
                const Position expected{at.row, at.col + 8 * s};
                const int code = whole_number(d[4 * lane + i], 256);
                compare(result, code == 16 * expected.row + expected.col + 1, [&] {
                    return ProbeMismatch{text("lane %d d[%d] (k = n%s)", lane, i, s == 0 ? "" : " + 8"),
                                         position_text("A", expected),
                                         code == 0 ? value_text(d[4 * lane + i])
                                                   : position_text("A", {(code - 1) / 16, (code - 1) % 16})};
                });
            }
    }
    return result;
}

// The identity times B coded by position (B(k, n) = 8 k + n + 1), plus C coded the same way times
// 256: each D element says which B element and which C element reached it.
ProbeResult probe_mma_b_c(DType dtype) {
    ProbeResult result;
    result.name = std::string("mma.m16n8k16 ") + dtype_name(dtype) + " B+C";
    auto code_of = [](Position p) { return 8 * p.row + p.col + 1; };
    const MmaOperands operands = mma_operands(
        dtype, [](Position p) { return p.row == p.col ? 1 : 0; }, code_of, [&](Position p) { return 256 * code_of(p); });
    float d[k_lanes * 4];
    result.error = probe::run_mma(dtype, operands.a, operands.b, operands.c, d);
    if (!result.error.empty()) return result;
    auto decode = [](int code) { return Position{(code - 1) / 8, (code - 1) % 8}; };
    for (int lane = 0; lane < k_lanes; ++lane)
        for (int i = 0; i < 4; ++i) {
            const Position at = mma_c(lane, i);
            const int sum = whole_number(d[4 * lane + i], 256 * 128 + 128);
            const int b_code = sum % 256;
            const int c_code = sum / 256;
            const bool decodable = b_code >= 1 && b_code <= 128 && c_code >= 1 && c_code <= 128;
            compare(result, b_code == code_of(at) && c_code == code_of(at), [&] {
                return ProbeMismatch{text("lane %d d[%d]", lane, i), position_text("B", at) + "+" + position_text("C", at),
                                     decodable ? position_text("B", decode(b_code)) + "+" + position_text("C", decode(c_code))
                                               : value_text(d[4 * lane + i])};
            });
        }
    return result;
}

// ---- one tile through the prefill kernel ----

std::string cuda_check(cudaError_t error, const char* what) {
    return error == cudaSuccess ? "" : std::string(what) + ": " + cudaGetErrorString(error);
}

// Query row i of the tile matches key `key_of_row(i)` only: Q row i is 32 at dimension
// `key_dimension(j)` of that key, K row j is 1 there. With scale 1 every other key weighs e^-32 of
// it, below what fp16 or bf16 resolve, so output row i is V row key_of_row(i) exactly. V is coded
// by key (j + 1) in one run and by dimension (c + 1) in another: each output element says which key
// and which dimension it took.
ProbeResult probe_prefill(DType dtype, std::size_t head_dim, const PrefillTuning& tile) {
    ProbeResult result;
    result.name = std::string("prefill ") + dtype_name(dtype) + " d=" + std::to_string(head_dim) + " " +
                  tile_shape_name(tile);
    constexpr int keys = 64;  // one K/V tile (two of the 32-key shape)
    constexpr float score = 32;
    const int rows = tile.query_rows;
    const int d = static_cast<int>(head_dim);
    auto key_of_row = [](int i) { return (21 * i + 5) % keys; };
    auto key_dimension = [d](int j) { return (37 * j + 11) % d; };
    const AttentionShape shape = make_shape(1, 1, 1, static_cast<std::size_t>(rows), keys, head_dim, false);

    std::vector<std::uint16_t> q(shape.q_elements(), 0), k(shape.kv_elements(), 0), v_by_key(shape.kv_elements()),
        v_by_dimension(shape.kv_elements());
    for (int i = 0; i < rows; ++i) q[i * d + key_dimension(key_of_row(i))] = whole_number_bits(dtype, static_cast<int>(score));
    for (int j = 0; j < keys; ++j) {
        k[j * d + key_dimension(j)] = whole_number_bits(dtype, 1);
        for (int c = 0; c < d; ++c) {
            v_by_key[j * d + c] = whole_number_bits(dtype, j + 1);
            v_by_dimension[j * d + c] = whole_number_bits(dtype, c + 1);
        }
    }
    const std::size_t bytes = q.size() * 2;
    DeviceBuffer q_device(bytes), k_device(k.size() * 2), v_device(k.size() * 2), out_device(bytes),
        lse_device(static_cast<std::size_t>(rows) * sizeof(float));
    if (!q_device.ok() || !k_device.ok() || !v_device.ok() || !out_device.ok() || !lse_device.ok()) {
        result.error = "cudaMalloc failed";
        return result;
    }
    std::string& error = result.error;
    error = cuda_check(cudaMemcpy(q_device.get(), q.data(), bytes, cudaMemcpyHostToDevice), "copy q");
    if (error.empty()) error = cuda_check(cudaMemcpy(k_device.get(), k.data(), k.size() * 2, cudaMemcpyHostToDevice), "copy k");
    std::vector<std::uint16_t> out_by_key(q.size()), out_by_dimension(q.size());
    std::vector<float> lse(static_cast<std::size_t>(rows));
    for (auto [v, out] : {std::pair{&v_by_key, &out_by_key}, std::pair{&v_by_dimension, &out_by_dimension}}) {
        if (error.empty()) error = cuda_check(cudaMemcpy(v_device.get(), v->data(), v->size() * 2, cudaMemcpyHostToDevice), "copy v");
        if (error.empty()) error = cuda_check(cudaMemset(out_device.get(), 0xFF, bytes), "poison out");
        if (error.empty()) error = cuda_check(cudaMemset(lse_device.get(), 0xFF, lse_device.bytes()), "poison lse");
        if (error.empty())
            error = attention_prefill(shape, dtype, q_device.get(), k_device.get(), v_device.get(), out_device.get(),
                                      static_cast<float*>(lse_device.get()), 1.f, nullptr, tile);
        if (error.empty()) error = cuda_check(cudaDeviceSynchronize(), "prefill kernel");
        if (error.empty()) error = cuda_check(cudaMemcpy(out->data(), out_device.get(), bytes, cudaMemcpyDeviceToHost), "copy out");
    }
    if (error.empty())
        error = cuda_check(cudaMemcpy(lse.data(), lse_device.get(), lse_device.bytes(), cudaMemcpyDeviceToHost), "copy lse");
    if (!error.empty()) return result;

    // Where the element was accumulated, for the report: the warp of its row, and the lane and
    // accumulator register that hold (row % 16, dim % 8) of an m16n8 D fragment.
    const int warp_rows = rows / tile.warps;
    auto holder = [&](int row, int dim) {
        for (int lane = 0; lane < k_lanes; ++lane)
            for (int i = 0; i < 4; ++i) {
                const Position at = mma_c(lane, i);
                if (at.row == row % 16 && at.col == dim % 8)
                    return text("row %d dim %d (warp %d lane %d d[%d])", row, dim, row / warp_rows, lane, i);
            }
        return text("row %d dim %d", row, dim);
    };
    for (int i = 0; i < rows; ++i) {
        for (int c = 0; c < d; ++c) {
            const double by_key = element_value(dtype, out_by_key[i * d + c]);
            const double by_dimension = element_value(dtype, out_by_dimension[i * d + c]);
            const int key = whole_number(by_key, keys);
            const int dimension = whole_number(by_dimension, d);
            compare(result, key == key_of_row(i) + 1 && dimension == c + 1, [&] {
                return ProbeMismatch{holder(i, c), text("key %d dim %d", key_of_row(i), c),
                                     (key != 0 ? text("key %d", key - 1) : "key ? (" + value_text(by_key) + ")") +
                                         (dimension != 0 ? text(" dim %d", dimension - 1)
                                                         : " dim ? (" + value_text(by_dimension) + ")")};
            });
        }
        // The row's log-sum-exp: its one key's score (the others add e^-32 of it).
        const float row_lse = lse[static_cast<std::size_t>(i)];
        compare(result, std::fabs(row_lse - score) <= 1e-3f, [&] {
            return ProbeMismatch{text("row %d lse", i), text("%g", static_cast<double>(score)),
                                 text("%g", static_cast<double>(row_lse))};
        });
    }
    return result;
}

}  // namespace

std::vector<ProbeResult> run_fragment_probes(const std::function<void(const ProbeResult&)>& each) {
    std::vector<ProbeResult> results;
    auto add = [&](ProbeResult result) {
        if (each) each(result);
        results.push_back(std::move(result));
    };
    for (bool transposed : {false, true}) add(probe_ldmatrix(transposed));
    for (DType dtype : {DType::f16, DType::bf16}) {
        add(probe_mma_a(dtype));
        add(probe_mma_b_c(dtype));
    }
    for (std::size_t head_dim : {64u, 128u})
        for (const PrefillTuning& tile : prefill_tile_shapes(head_dim))
            for (DType dtype : {DType::f16, DType::bf16}) add(probe_prefill(dtype, head_dim, tile));
    return results;
}

}  // namespace optiloop::kernels

// optiloop's CUDA kernels run by the SIMT emulator (kernels/simt) on the CPU: the same cases and
// float64 check as on a GPU (attention_check.cpp), so indexing, masking, tiling, the split-KV
// partition and the mma/ldmatrix lane mappings are tested on every machine. Also: the emulator
// itself, and that it catches the mistakes it claims to catch.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <optiloop/kernels/attention_check.hpp>
#include <optiloop/kernels/attention_cuda.hpp>

#include "simt.hpp"
#include "support/test_name.hpp"

namespace optiloop::kernels {

namespace {

// Restores the emulated device after a test changes it.
class DeviceSettings {
public:
    DeviceSettings() : m_saved(simt::device()) {}
    DeviceSettings(const DeviceSettings&) = delete;
    DeviceSettings& operator=(const DeviceSettings&) = delete;
    ~DeviceSettings() { simt::device() = m_saved; }

private:
    simt::Device m_saved;
};

using Copies = simt::Device::Copies;

struct EmulatedCase {
    CheckCase check;
    int sm_count = 4;
    std::uint64_t schedule_seed = 0;
    Copies copies = Copies::land_at_wait;
};

std::string describe_case(const EmulatedCase& c) {
    return describe(c.check) + " sms=" + std::to_string(c.sm_count) +
           (c.schedule_seed != 0 ? " seed=" + std::to_string(c.schedule_seed) : "") +
           (c.copies == Copies::land_at_issue ? " early copies" : "");
}

// How GoogleTest prints a case (instead of its bytes).
void PrintTo(const EmulatedCase& c, std::ostream* out) { *out << describe_case(c); }

// What the emulator can afford: the check cases whose kernels do at most about 2e8 multiply-adds
// (a few seconds each), plus shapes and devices chosen to reach every branch of the kernels.
std::vector<EmulatedCase> emulated_cases() {
    std::vector<EmulatedCase> cases;
    for (const CheckCase& c : check_cases()) {
        if (c.kernel == AttentionKernel::naive) continue;  // cuBLAS: not emulated
        const AttentionShape& s = c.shape;
        const double work = static_cast<double>(s.batch * s.heads) * s.q_len * s.kv_len * s.head_dim;
        if (work <= 2e8) cases.push_back({c, 4, 0});
    }
    // Decode: the stream-K partition over 1, 3, 7 and 132 SMs (a CTA inside one unit, a CTA
    // spanning units, more CTAs than blocks), group sizes 1, 3, 6 and 16.
    for (int sms : {1, 3, 7, 132}) {
        CheckCase gqa3{AttentionKernel::decode, DType::f16, make_shape(3, 6, 2, 1, 1000, 64, false)};
        cases.push_back({gqa3, sms, 0});
        gqa3.decode.prefetch = true;
        cases.push_back({gqa3, sms, 0, Copies::land_at_issue});
        cases.push_back({{AttentionKernel::decode, DType::bf16, make_shape(2, 8, 8, 1, 333, 128, false)}, sms, 0});
    }
    cases.push_back({{AttentionKernel::decode, DType::bf16, make_shape(1, 32, 2, 1, 700, 128, false)}, 5, 0});
    cases.push_back({{AttentionKernel::decode, DType::f16, make_shape(2, 12, 2, 1, 129, 64, false)}, 2, 0});
    // Random thread orders, and copies landing as early as they may: a missing barrier shows as
    // poison or as a stage overwritten while another warp reads it.
    for (Copies copies : {Copies::land_at_wait, Copies::land_at_issue}) {
        cases.push_back({{AttentionKernel::prefill, DType::f16, make_shape(1, 2, 1, 130, 130, 128, true)}, 4, 7, copies});
        cases.push_back({{AttentionKernel::prefill, DType::bf16, make_shape(1, 2, 2, 70, 200, 64, false)}, 4, 11, copies});
        for (const PrefillTuning& tile : prefill_tile_shapes(128))
            cases.push_back({{AttentionKernel::prefill, DType::bf16, make_shape(1, 2, 1, 200, 200, 128, true), tile}, 4,
                             13, copies});
        cases.push_back({{AttentionKernel::prefill, DType::f16, make_shape(1, 2, 1, 150, 260, 64, true),
                          prefill_tile_shapes(64).back()},
                         4, 17, copies});
        for (std::uint64_t seed : {0u, 3u, 5u})
            cases.push_back({{AttentionKernel::prefill, DType::f16, make_shape(1, 1, 1, 300, 300, 64, false)}, 4, seed, copies});
    }
    cases.push_back({{AttentionKernel::decode, DType::f16, make_shape(1, 8, 2, 1, 1000, 128, false)}, 3, 5});
    // Random shapes from a fixed seed (the same cases on every run and machine): GQA groups up to
    // 16, ragged lengths, every tile shape, decode with and without prefetch, 1 to 140 SMs, random
    // thread orders and copy timings; each at most 3e7 multiply-adds.
    std::mt19937_64 random(20261129);
    auto pick = [&random](int low, int high) {
        return low + static_cast<int>(random() % static_cast<std::uint64_t>(high - low + 1));
    };
    for (int added = 0; added < 48;) {
        const bool decode = pick(0, 2) == 0;
        const std::size_t head_dim = pick(0, 1) != 0 ? 128 : 64;
        const auto kv_heads = static_cast<std::size_t>(pick(1, 4));
        const auto group = static_cast<std::size_t>(pick(1, 16));
        const auto batch = static_cast<std::size_t>(pick(1, 3));
        const auto kv_len = static_cast<std::size_t>(decode ? pick(1, 9000) : pick(1, 700));
        const auto q_len = static_cast<std::size_t>(decode ? 1 : pick(1, 700));
        const bool causal = !decode && pick(0, 1) != 0;
        CheckCase check(decode ? AttentionKernel::decode : AttentionKernel::prefill, pick(0, 1) != 0 ? DType::f16 : DType::bf16,
                        make_shape(batch, kv_heads * group, kv_heads, q_len, kv_len, head_dim, causal));
        if (!decode) {
            const std::vector<PrefillTuning> tiles = prefill_tile_shapes(head_dim);
            check.tuning = tiles[static_cast<std::size_t>(pick(0, static_cast<int>(tiles.size()) - 1))];
        } else {
            check.decode.prefetch = pick(0, 1) != 0;
        }
        const int sms = pick(1, 140);
        const auto seed = static_cast<std::uint64_t>(pick(0, 1) != 0 ? pick(1, 1000000) : 0);
        const Copies copies = pick(0, 1) != 0 ? Copies::land_at_issue : Copies::land_at_wait;
        if (static_cast<double>(batch * kv_heads * group) * static_cast<double>(q_len * kv_len * head_dim) > 3e7) continue;
        cases.push_back({check, sms, seed, copies});
        ++added;
    }
    return cases;
}

class EmulatedAttention : public ::testing::TestWithParam<EmulatedCase> {};

TEST_P(EmulatedAttention, MatchesReference) {
    DeviceSettings restore;
    simt::device().sm_count = GetParam().sm_count;
    simt::device().schedule_seed = GetParam().schedule_seed;
    simt::device().copies = GetParam().copies;
    const CheckResult result = run_check(GetParam().check);
    EXPECT_TRUE(result.passed) << describe_case(GetParam()) << ": " << result.message << " (relative L2 "
                               << result.output_error << ", lse error " << result.lse_error << ")";
    EXPECT_GT(result.rows_checked, 0u);
}

std::string case_name(const ::testing::TestParamInfo<EmulatedCase>& info) {
    return test_support::test_name(std::to_string(info.index) + "_" + describe_case(info.param));
}

INSTANTIATE_TEST_SUITE_P(Kernels, EmulatedAttention, ::testing::ValuesIn(emulated_cases()), case_name);

TEST(EmulatedAttentionApi, PrefillTileShapesAreCheckedBeforeAnyLaunch) {
    const AttentionShape d64 = make_shape(1, 1, 1, 16, 16, 64, false);
    const AttentionShape d128 = make_shape(1, 1, 1, 16, 16, 128, false);
    // Unset warps mean 16 rows each, unset key rows 64.
    const std::pair<PrefillTuning, const char*> unavailable[] = {
        {{32}, "32x64/2w"}, {{64}, "64x64/4w"}, {{256}, "256x64/16w"}, {{128, 4, 32}, "128x32/4w"}};
    for (const auto& [tile, name] : unavailable) {
        const std::string error =
            attention_prefill(d64, DType::f16, nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr, tile);
        EXPECT_EQ(error, std::string("attention_prefill: tile shape ") + name +
                             " is not available for head_dim 64 (128x64/8w, 128x64/4w)");
    }
    const std::string error =
        attention_prefill(d128, DType::f16, nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr, PrefillTuning{128, 2});
    EXPECT_EQ(error, "attention_prefill: tile shape 128x64/2w is not available for head_dim 128 (64x64/4w, 128x64/8w, "
                     "128x64/4w, 128x32/4w)");
    EXPECT_TRUE(prefill_tile_shapes(96).empty());
}

// ---- the emulator itself ------------------------------------------------------------------

float h2f(unsigned short bits) { return simt::half_to_float(bits); }
unsigned short f2h(float x) { return simt::float_to_half(x); }
std::uint32_t pack(float lo, float hi) { return f2h(lo) | (static_cast<std::uint32_t>(f2h(hi)) << 16); }

// mma.sync m16n8k16 with fragments built by the PTX ISA's per-lane formulas (not by ldmatrix):
// with g = lane/4, t = lane%4, a_i holds A[g + 8(i%2)][2t + 8(i/2) + {0,1}], b_j holds
// B[2t + 8j + {0,1}][g], d_i is D[g + 8(i/2)][2t + i%2].
__global__ void mma_by_formula(const float* a, const float* b, float* d) {
    const int lane = static_cast<int>(threadIdx.x);
    const int g = lane / 4;
    const int t = lane % 4;
    std::uint32_t fa[4];
    for (int i = 0; i < 4; ++i) {
        const int row = g + 8 * (i % 2);
        const int col = 2 * t + 8 * (i / 2);
        fa[i] = pack(a[row * 16 + col], a[row * 16 + col + 1]);
    }
    const std::uint32_t b0 = pack(b[(2 * t) * 8 + g], b[(2 * t + 1) * 8 + g]);
    const std::uint32_t b1 = pack(b[(2 * t + 8) * 8 + g], b[(2 * t + 9) * 8 + g]);
    float acc[4] = {1.f, 1.f, 1.f, 1.f};  // C = 1 everywhere
    simt::detail::mma_m16n8k16(acc, fa, b0, b1, simt::detail::Element::f16);
    for (int i = 0; i < 4; ++i) d[(g + 8 * (i / 2)) * 8 + 2 * t + i % 2] = acc[i];
}

TEST(Simt, MmaFollowsThePtxFragmentLayout) {
    std::vector<float> a(16 * 16), b(16 * 8), d(16 * 8, -1.f);
    for (int i = 0; i < 256; ++i) a[i] = h2f(f2h(static_cast<float>((i * 7) % 13) / 8.f - 0.75f));
    for (int i = 0; i < 128; ++i) b[i] = h2f(f2h(static_cast<float>((i * 5) % 11) / 4.f - 1.25f));
    auto* kernel = &mma_by_formula;
    simt::launcher(kernel, 1, 32, 0, nullptr)(a.data(), b.data(), d.data());
    ASSERT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
    for (int row = 0; row < 16; ++row)
        for (int col = 0; col < 8; ++col) {
            double expected = 1;
            for (int k = 0; k < 16; ++k) expected += static_cast<double>(a[row * 16 + k]) * b[k * 8 + col];
            EXPECT_NEAR(d[row * 8 + col], expected, 1e-4) << "D[" << row << "][" << col << "]";
        }
}

// ldmatrix x4 of a 32x8 matrix whose element (r, c) is r * 8 + c: lane l addresses row l, so
// matrix m is rows 8m..8m+7.
__global__ void ldmatrix_rows(unsigned* out, bool transposed) {
    auto* shared = reinterpret_cast<unsigned short*>(simt::detail::dynamic_shared());
    const int lane = static_cast<int>(threadIdx.x);
    for (int c = 0; c < 8; ++c) shared[lane * 8 + c] = static_cast<unsigned short>(lane * 8 + c);
    __syncwarp();
    std::uint32_t r[4];
    simt::detail::ldmatrix_x4(r, shared + lane * 8, transposed);
    for (int m = 0; m < 4; ++m) out[lane * 4 + m] = r[m];
}

TEST(Simt, LdmatrixFollowsThePtxFragmentLayout) {
    for (bool transposed : {false, true}) {
        std::vector<unsigned> out(128, 0);
        auto* kernel = &ldmatrix_rows;
        simt::launcher(kernel, 1, 32, 32 * 8 * 2, nullptr)(out.data(), transposed);
        ASSERT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
        for (int lane = 0; lane < 32; ++lane)
            for (int m = 0; m < 4; ++m) {
                // Plain: row lane/4, columns 2(lane%4) and +1. Transposed: rows 2(lane%4) and +1,
                // column lane/4.
                const unsigned lo = transposed ? (8 * m + 2 * (lane % 4)) * 8 + lane / 4 : (8 * m + lane / 4) * 8 + 2 * (lane % 4);
                const unsigned hi = transposed ? lo + 8 : lo + 1;
                EXPECT_EQ(out[lane * 4 + m], lo | (hi << 16)) << (transposed ? "trans " : "") << "lane " << lane << " matrix " << m;
            }
    }
}

__global__ void shuffle_sum(float* out) {
    float v = static_cast<float>(threadIdx.x);
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
    out[threadIdx.x + blockIdx.x * blockDim.x] = v;
}

TEST(Simt, ShufflesReduceEachWarpInEveryOrder) {
    DeviceSettings restore;
    for (std::uint64_t seed : {0u, 1u, 99u}) {
        simt::device().schedule_seed = seed;
        std::vector<float> out(2 * 64, -1.f);
        auto* kernel = &shuffle_sum;
        simt::launcher(kernel, 2, 64, 0, nullptr)(out.data());
        ASSERT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
        for (int i = 0; i < 128; ++i) EXPECT_EQ(out[i], (i % 64) / 32 == 0 ? 496.f : 1520.f) << "thread " << i;
    }
}

// Every shuffle form and vote, checked lane by lane against what CUDA documents.
__global__ void shuffles_and_votes(int* out) {
    const int lane = static_cast<int>(threadIdx.x);
    out[0 * 32 + lane] = __shfl_sync(0xffffffffu, lane * 10, 31 - lane);
    out[1 * 32 + lane] = __shfl_sync(0xffffffffu, lane * 10, 3);  // broadcast
    out[2 * 32 + lane] = __shfl_up_sync(0xffffffffu, lane * 10, 2u);
    out[3 * 32 + lane] = __shfl_down_sync(0xffffffffu, lane * 10, 5u);
    out[4 * 32 + lane] = __shfl_xor_sync(0xffffffffu, lane * 10, 6);
    out[5 * 32 + lane] = static_cast<int>(__ballot_sync(0xffffffffu, lane % 3 == 0));
    out[6 * 32 + lane] = __any_sync(0xffffffffu, lane == 17) + 2 * __all_sync(0xffffffffu, lane < 31);
    int* counter = out + 7 * 32;
    atomicAdd(counter, lane);
    atomicMax(counter + 1, lane * 3 % 29);
}

TEST(Simt, ShuffleFormsVotesAndAtomicsFollowCuda) {
    std::vector<int> out(8 * 32, 0);
    simt::launcher(shuffles_and_votes, 2, 32, 0, nullptr)(out.data());
    ASSERT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
    unsigned every_third = 0;
    for (int l = 0; l < 32; l += 3) every_third |= 1u << l;
    for (int l = 0; l < 32; ++l) {
        EXPECT_EQ(out[0 * 32 + l], (31 - l) * 10) << "shfl idx, lane " << l;
        EXPECT_EQ(out[1 * 32 + l], 30) << "shfl broadcast, lane " << l;
        EXPECT_EQ(out[2 * 32 + l], (l >= 2 ? l - 2 : l) * 10) << "shfl up, lane " << l;
        EXPECT_EQ(out[3 * 32 + l], (l + 5 < 32 ? l + 5 : l) * 10) << "shfl down, lane " << l;
        EXPECT_EQ(out[4 * 32 + l], (l ^ 6) * 10) << "shfl xor, lane " << l;
        EXPECT_EQ(static_cast<unsigned>(out[5 * 32 + l]), every_third) << "ballot, lane " << l;
        EXPECT_EQ(out[6 * 32 + l], 1) << "any true, all false, lane " << l;
    }
    EXPECT_EQ(out[7 * 32], 2 * 496);  // two blocks, each adding 0 + 1 + ... + 31
    EXPECT_EQ(out[7 * 32 + 1], 28);
}

// __match_*_sync and __reduce_*_sync, lane by lane against what CUDA documents.
__global__ void matches_and_reductions(unsigned* out) {
    const int lane = static_cast<int>(threadIdx.x);
    out[0 * 32 + lane] = __match_any_sync(0xffffffffu, lane % 3);                    // 32-bit
    out[1 * 32 + lane] = __match_any_sync(0xffffffffu, static_cast<long long>(lane / 8) << 40);  // 64-bit
    int predicate = -1;
    out[2 * 32 + lane] = __match_all_sync(0xffffffffu, 7.5f, &predicate) + static_cast<unsigned>(predicate);
    out[3 * 32 + lane] = __match_all_sync(0xffffffffu, lane == 9 ? 1 : 0, &predicate) + static_cast<unsigned>(predicate);
    out[4 * 32 + lane] = __reduce_add_sync(0xffffffffu, static_cast<unsigned>(lane));
    out[5 * 32 + lane] = static_cast<unsigned>(__reduce_min_sync(0xffffffffu, lane - 3));  // signed: -3
    out[6 * 32 + lane] = __reduce_min_sync(0xffffffffu, static_cast<unsigned>(lane - 3));  // unsigned: 0
    out[7 * 32 + lane] = static_cast<unsigned>(__reduce_max_sync(0xffffffffu, lane == 4 ? -1 : lane % 7));
    out[8 * 32 + lane] = __reduce_xor_sync(0xffffffffu, 1u << (lane % 4)) | __reduce_or_sync(0xffffffffu, lane == 31 ? 256u : 0u);
}

TEST(Simt, MatchesAndWarpReductionsFollowCuda) {
    std::vector<unsigned> out(9 * 32, 0);
    simt::launcher(matches_and_reductions, 1, 32, 0, nullptr)(out.data());
    ASSERT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
    for (int l = 0; l < 32; ++l) {
        unsigned same_residue = 0, same_eighth = 0;
        for (int o = 0; o < 32; ++o) {
            if (o % 3 == l % 3) same_residue |= 1u << o;
            if (o / 8 == l / 8) same_eighth |= 1u << o;
        }
        EXPECT_EQ(out[0 * 32 + l], same_residue) << "match_any, lane " << l;
        EXPECT_EQ(out[1 * 32 + l], same_eighth) << "match_any 64-bit, lane " << l;
        EXPECT_EQ(out[2 * 32 + l], 0xffffffffu + 1u) << "match_all true: full mask and predicate 1, lane " << l;
        EXPECT_EQ(out[3 * 32 + l], 0u) << "match_all false: 0 and predicate 0, lane " << l;
        EXPECT_EQ(out[4 * 32 + l], 496u) << "reduce add, lane " << l;
        EXPECT_EQ(static_cast<int>(out[5 * 32 + l]), -3) << "reduce min signed, lane " << l;
        EXPECT_EQ(out[6 * 32 + l], 0u) << "reduce min unsigned, lane " << l;
        EXPECT_EQ(out[7 * 32 + l], 6u) << "reduce max signed, lane " << l;
        EXPECT_EQ(out[8 * 32 + l], 256u) << "reduce xor (each bit 8 times) | or, lane " << l;
    }
}

TEST(Simt, IntegerAndFastMathIntrinsics) {
    EXPECT_EQ(__popc(0xf0f0u), 8);
    EXPECT_EQ(__popcll(0xffffffffffull), 40);
    EXPECT_EQ(__clz(1), 31);
    EXPECT_EQ(__clz(0), 32);
    EXPECT_EQ(__clzll(1), 63);
    EXPECT_EQ(__ffs(0), 0);
    EXPECT_EQ(__ffs(0x50), 5);
    EXPECT_EQ(__ffsll(1ll << 40), 41);
    EXPECT_EQ(__brev(1u), 0x80000000u);
    EXPECT_EQ(__brevll(1ull), 0x8000000000000000ull);
    EXPECT_EQ(__umulhi(0x80000000u, 4u), 2u);
    EXPECT_EQ(__mulhi(-2, 0x40000000), -1);
    EXPECT_EQ(__umul64hi(1ull << 63, 4ull), 2ull);
    EXPECT_EQ(__float_as_uint(1.f), 0x3f800000u);
    EXPECT_EQ(__int_as_float(0x40000000), 2.f);
    EXPECT_FLOAT_EQ(__expf(1.f), 2.7182817f);
    EXPECT_FLOAT_EQ(rsqrtf(4.f), 0.5f);
    EXPECT_EQ(__saturatef(-1.f), 0.f);
    EXPECT_EQ(__saturatef(2.f), 1.f);
    EXPECT_EQ(__saturatef(std::nanf("")), 0.f);
    EXPECT_FLOAT_EQ(__fdividef(1.f, 8.f), 0.125f);
}

__global__ void partial_mask_shuffle(int* out) {
    out[threadIdx.x] = __shfl_sync(0x0000ffffu, 1, 0);
}

__global__ void divergent_shuffle(float* out) {
    float v = 1.f;
    if (threadIdx.x < 16)
        v = __shfl_xor_sync(0xffffffffu, v, 1);
    else
        __syncwarp();
    out[threadIdx.x] = v;
}

__global__ void early_exit_before_barrier(float* out) {
    if (threadIdx.x == 5) return;
    __syncthreads();
    out[threadIdx.x] = 1.f;
}

__global__ void read_past_the_end(const float* in, float* out) { out[threadIdx.x] = in[threadIdx.x + 64]; }

__global__ void misaligned_vector_load(const float* in, float* out) {
    out[threadIdx.x] = __uint_as_float(__ldcs(reinterpret_cast<const uint4*>(in + 1)).x);
}

TEST(Simt, ReportsDivergenceBarriersAndStrayAccessesAsLaunchFailures) {
    float* out = nullptr;
    float* in = nullptr;
    ASSERT_EQ(cudaMalloc(reinterpret_cast<void**>(&out), 64 * sizeof(float)), cudaSuccess);
    ASSERT_EQ(cudaMalloc(reinterpret_cast<void**>(&in), 64 * sizeof(float)), cudaSuccess);

    auto* divergent = &divergent_shuffle;
    simt::launcher(divergent, 1, 32, 0, nullptr)(out);
    EXPECT_EQ(cudaDeviceSynchronize(), cudaErrorLaunchFailure);
    EXPECT_NE(simt::last_failure().find("divergent warp"), std::string::npos) << simt::last_failure();
    (void)cudaGetLastError();

    auto* early = &early_exit_before_barrier;
    simt::launcher(early, 1, 64, 0, nullptr)(out);
    EXPECT_EQ(cudaGetLastError(), cudaErrorLaunchFailure);
    EXPECT_NE(simt::last_failure().find("__syncthreads"), std::string::npos) << simt::last_failure();
    (void)cudaDeviceSynchronize();

    auto* stray = &read_past_the_end;
    simt::launcher(stray, 1, 64, 0, nullptr)(in, out);
    EXPECT_EQ(cudaGetLastError(), cudaErrorLaunchFailure);
    EXPECT_NE(simt::last_failure().find("outside every buffer"), std::string::npos) << simt::last_failure();
    (void)cudaDeviceSynchronize();

    auto* misaligned = &misaligned_vector_load;
    simt::launcher(misaligned, 1, 32, 0, nullptr)(in, out);
    EXPECT_EQ(cudaGetLastError(), cudaErrorLaunchFailure);
    EXPECT_NE(simt::last_failure().find("misaligned"), std::string::npos) << simt::last_failure();
    (void)cudaDeviceSynchronize();

    std::vector<int> ints(32);
    simt::launcher(partial_mask_shuffle, 1, 32, 0, nullptr)(ints.data());
    EXPECT_EQ(cudaGetLastError(), cudaErrorLaunchFailure);
    EXPECT_NE(simt::last_failure().find("full-warp masks only"), std::string::npos) << simt::last_failure();
    (void)cudaDeviceSynchronize();

    // The emulator goes on working after a failed launch.
    auto* sum = &shuffle_sum;
    simt::launcher(sum, 1, 64, 0, nullptr)(out);
    EXPECT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
    EXPECT_EQ(out[0], 496.f);
    EXPECT_EQ(cudaFree(out), cudaSuccess);
    EXPECT_EQ(cudaFree(in), cudaSuccess);
}

// Each thread copies 16 bytes into shared memory and reads them back before and after waiting.
__global__ void copy_then_read(const std::uint32_t* in, std::uint32_t* before, std::uint32_t* after) {
    auto* shared = reinterpret_cast<std::uint32_t*>(simt::detail::dynamic_shared());
    const int i = static_cast<int>(threadIdx.x);
    simt::detail::cp_async_16(shared + 4 * i, in + 4 * i, true);
    simt::detail::cp_async_commit();
    before[i] = shared[4 * i];
    simt::detail::cp_async_wait(0);
    after[i] = shared[4 * i];
}

TEST(Simt, SharedMemoryStartsPoisonedAndCopiesLandByTheirWait) {
    DeviceSettings restore;
    std::vector<std::uint32_t> in(32 * 4);
    for (std::size_t i = 0; i < in.size(); ++i) in[i] = static_cast<std::uint32_t>(i * 3 + 1);
    for (Copies copies : {Copies::land_at_wait, Copies::land_at_issue}) {
        simt::device().copies = copies;
        std::vector<std::uint32_t> before(32), after(32);
        auto* kernel = &copy_then_read;
        simt::launcher(kernel, 1, 32, 32 * 16, nullptr)(in.data(), before.data(), after.data());
        ASSERT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
        for (int i = 0; i < 32; ++i) {
            EXPECT_EQ(after[i], in[4 * i]);
            EXPECT_EQ(before[i], copies == Copies::land_at_wait ? 0xffffffffu : in[4 * i]) << "thread " << i;
        }
    }
}

__global__ void touch_shared(float* out) {
    out[threadIdx.x] = static_cast<float>(simt::detail::dynamic_shared()[threadIdx.x]);
}

TEST(Simt, LargeSharedMemoryNeedsTheAttributeAsOnTheDevice) {
    std::vector<float> out(32);
    auto* kernel = &touch_shared;
    simt::launcher(kernel, 1, 32, 64 * 1024, nullptr)(out.data());
    EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidValue);
    EXPECT_NE(simt::last_failure().find("cudaFuncSetAttribute"), std::string::npos) << simt::last_failure();
    ASSERT_EQ(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 64 * 1024), cudaSuccess);
    simt::launcher(kernel, 1, 32, 64 * 1024, nullptr)(out.data());
    EXPECT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
    EXPECT_EQ(out[3], 255.f);  // poison
    EXPECT_NE(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 300 * 1024), cudaSuccess);
    simt::launcher(kernel, 1, 2048, 0, nullptr)(out.data());
    EXPECT_EQ(cudaGetLastError(), cudaErrorInvalidConfiguration);
}

// What translate.py adds after a static __shared__ declaration, then a read before any write.
__global__ void read_static_shared_first(std::uint32_t* out) {
    __shared__ std::uint32_t slots[32];
    simt::detail::static_shared(&slots, sizeof slots);
    out[blockIdx.x * 32 + threadIdx.x] = slots[threadIdx.x];
    __syncthreads();
    slots[threadIdx.x] = 1;
}

TEST(Simt, StaticSharedMemoryStartsPoisonedInEveryBlock) {
    std::vector<std::uint32_t> out(3 * 32);
    simt::launcher(&read_static_shared_first, 3, 32, 0, nullptr)(out.data());
    ASSERT_EQ(cudaGetLastError(), cudaSuccess) << simt::last_failure();
    for (std::size_t i = 0; i < out.size(); ++i) EXPECT_EQ(out[i], 0xffffffffu) << i;  // not block 0's 1s
}

TEST(Simt, AllocationsCountAgainstTheDevicesMemory) {
    DeviceSettings restore;
    std::size_t free_before = 0;
    std::size_t total = 0;
    ASSERT_EQ(cudaMemGetInfo(&free_before, &total), cudaSuccess);
    simt::device().memory_bytes = total - free_before + (1 << 20);  // 1 MiB left
    void* first = nullptr;
    void* second = nullptr;
    ASSERT_EQ(cudaMalloc(&first, 600 << 10), cudaSuccess);
    std::size_t free_now = 0;
    ASSERT_EQ(cudaMemGetInfo(&free_now, &total), cudaSuccess);
    EXPECT_EQ(free_now, std::size_t{(1 << 20) - (600 << 10)});
    EXPECT_EQ(cudaMalloc(&second, 600 << 10), cudaErrorMemoryAllocation);
    ASSERT_EQ(cudaFree(first), cudaSuccess);
    EXPECT_EQ(cudaFree(first), cudaErrorInvalidValue);  // not twice
    ASSERT_EQ(cudaMalloc(&second, 600 << 10), cudaSuccess);
    EXPECT_EQ(cudaFree(second), cudaSuccess);
    cudaDeviceProp properties{};
    ASSERT_EQ(cudaGetDeviceProperties(&properties, 0), cudaSuccess);
    EXPECT_EQ(properties.totalGlobalMem, simt::device().memory_bytes);
    EXPECT_EQ(properties.multiProcessorCount, simt::device().sm_count);
    EXPECT_NE(std::string(properties.name).find("emulator"), std::string::npos);
}

}  // namespace
}  // namespace optiloop::kernels

// The float32 CPU attention kernel against the float64 reference on fresh random inputs, over
// shapes that hit every tile edge: ragged query and key tails, odd head sizes, decode (one
// query), causal masking with more or fewer keys than queries, grouped-query heads, batches.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <optiloop/kernels/attention_cpu.hpp>
#include <optiloop/kernels/attention_reference.hpp>

using namespace optiloop::kernels;

namespace {

struct Case {
    AttentionShape shape;
    float scale = 0;
};

std::string case_name(const Case& c) {
    const AttentionShape& s = c.shape;
    std::string name = "b" + std::to_string(s.batch) + "_h" + std::to_string(s.heads) + "_kvh" +
                       std::to_string(s.kv_heads) + "_q" + std::to_string(s.q_len) + "_kv" +
                       std::to_string(s.kv_len) + "_d" + std::to_string(s.head_dim) +
                       (s.causal ? "_causal" : "_full");
    if (c.scale > 0) name += "_scaled";
    return name;
}

// Uniform in [-range, range] and never exactly 0, so that no product vanishes by accident.
std::vector<float> random_values(std::size_t n, std::mt19937& rng, float range = 1.0f) {
    std::uniform_real_distribution<float> uniform(-range, range);
    std::vector<float> values(n);
    for (auto& value : values) {
        do value = uniform(rng);
        while (value == 0.0f);
    }
    return values;
}

std::vector<double> widen(const std::vector<float>& values) {
    return {values.begin(), values.end()};
}

// A seed per shape, so that each case draws its own inputs and a rerun draws the same ones.
unsigned seed_of(const AttentionShape& s) {
    return static_cast<unsigned>(s.batch * 1000003 + s.heads * 10007 + s.kv_heads * 1009 +
                                 s.q_len * 101 + s.kv_len * 13 + s.head_dim * 7 +
                                 (s.causal ? 1 : 0));
}

struct Result {
    std::vector<float> out;
    std::vector<float> lse;
};

// Output and lse start as NaN, so that any element the kernel fails to write shows up. An empty
// path is attention_cpu's own choice.
Result run_cpu(const AttentionShape& s, const std::vector<float>& q, const std::vector<float>& k,
               const std::vector<float>& v, float scale, int threads,
               const std::string& path = "") {
    Result result{
        std::vector<float>(s.q_elements(), std::numeric_limits<float>::quiet_NaN()),
        std::vector<float>(s.batch * s.heads * s.q_len, std::numeric_limits<float>::quiet_NaN())};
    if (path.empty())
        attention_cpu(s, q.data(), k.data(), v.data(), result.out.data(), result.lse.data(), scale,
                      threads);
    else
        attention_cpu_on(path, s, q.data(), k.data(), v.data(), result.out.data(),
                         result.lse.data(), scale, threads);
    return result;
}

// Rows that see no key: only under causal masking with fewer keys than queries.
bool row_is_masked(const AttentionShape& s, std::size_t row) {
    return s.causal && row + s.kv_len < s.q_len;
}

class AttentionCpuMatchesReference : public testing::TestWithParam<Case> {};

TEST_P(AttentionCpuMatchesReference, OutputAndLse) {
    const AttentionShape& s = GetParam().shape;
    const float scale = GetParam().scale;
    std::mt19937 rng(seed_of(s));
    const auto q = random_values(s.q_elements(), rng);
    const auto k = random_values(s.kv_elements(), rng);
    const auto v = random_values(s.kv_elements(), rng);
    std::vector<double> expected(s.q_elements()), expected_lse(s.batch * s.heads * s.q_len);
    attention_reference(s, widen(q).data(), widen(k).data(), widen(v).data(), expected.data(),
                        expected_lse.data(), scale);

    // Every instruction-set path this CPU runs, each against the reference.
    for (const std::string& path : attention_cpu_paths()) {
        SCOPED_TRACE("path " + path);
        const Result threaded = run_cpu(s, q, k, v, scale, 3, path);
        // The reference does not special-case rows that see no key, so those are checked apart:
        // zeros and lse -inf. The rest are compared as one vector.
        std::vector<double> got_visible, expected_visible;
        for (std::size_t row = 0; row < s.batch * s.heads * s.q_len; ++row) {
            const bool masked = row_is_masked(s, row % s.q_len);
            for (std::size_t x = 0; x < s.head_dim; ++x) {
                const float value = threaded.out[row * s.head_dim + x];
                if (masked) {
                    ASSERT_EQ(value, 0.0f) << "row " << row;
                    continue;
                }
                got_visible.push_back(value);
                expected_visible.push_back(expected[row * s.head_dim + x]);
            }
            if (masked) {
                EXPECT_EQ(threaded.lse[row], -std::numeric_limits<float>::infinity())
                    << "row " << row;
                continue;
            }
            EXPECT_NEAR(threaded.lse[row], expected_lse[row],
                        2e-6 * (1 + std::abs(expected_lse[row])))
                << "row " << row;
        }
        EXPECT_LT(relative_l2_error(got_visible, expected_visible), 1e-5);

        // Each work item runs whole on one thread, so the thread count must not change a bit.
        const Result single = run_cpu(s, q, k, v, scale, 1, path);
        ASSERT_EQ(single.out.size(), threaded.out.size());
        EXPECT_EQ(
            std::memcmp(single.out.data(), threaded.out.data(), single.out.size() * sizeof(float)),
            0);
        EXPECT_EQ(
            std::memcmp(single.lse.data(), threaded.lse.data(), single.lse.size() * sizeof(float)),
            0);
    }
}

std::vector<Case> all_cases() {
    std::vector<Case> cases;
    const std::size_t lengths[] = {1, 7, 63, 64, 65, 200, 513};
    // Every pair of lengths for the common head size, causal and not.
    for (std::size_t q_len : lengths)
        for (std::size_t kv_len : lengths)
            for (bool causal : {false, true})
                cases.push_back({{1, 2, 2, q_len, kv_len, 64, causal}});
    // The other head sizes (128 fast, 80 and 1 padded to whole lanes) on a spread of pairs.
    const std::pair<std::size_t, std::size_t> pairs[] = {
        {1, 1},   {1, 513}, {7, 200},   {63, 65},   {64, 64},
        {65, 63}, {200, 7}, {513, 513}, {200, 513}, {513, 200}};
    for (std::size_t head_dim : {128, 80, 1})
        for (auto [q_len, kv_len] : pairs)
            for (bool causal : {false, true})
                cases.push_back({{1, 2, 2, q_len, kv_len, head_dim, causal}});
    // Grouped-query heads and batches: a query head must read its own KV head in its own batch.
    for (auto [q_len, kv_len] :
         {std::pair<std::size_t, std::size_t>{1, 200}, {65, 65}, {200, 513}, {63, 7}})
        for (bool causal : {false, true}) {
            cases.push_back({{2, 8, 2, q_len, kv_len, 64, causal}});
            cases.push_back({{2, 8, 2, q_len, kv_len, 80, causal}});
        }
    // An explicit scale replaces 1 / sqrt(head_dim).
    cases.push_back({{1, 2, 1, 65, 130, 64, true}, 0.3f});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Shapes, AttentionCpuMatchesReference, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<Case>& info) {
                             return case_name(info.param);
                         });

TEST(AttentionCpu, LargeInputsStayFinite) {
    // Scores reach thousands here; without subtracting the running max, exp would overflow.
    for (bool causal : {false, true}) {
        const AttentionShape s{1, 2, 1, 130, 200, 64, causal};
        std::mt19937 rng(seed_of(s) + 1);
        const auto q = random_values(s.q_elements(), rng, 30.0f);
        const auto k = random_values(s.kv_elements(), rng, 30.0f);
        const auto v = random_values(s.kv_elements(), rng, 30.0f);
        const Result result = run_cpu(s, q, k, v, 0, 2);
        for (float value : result.out) ASSERT_TRUE(std::isfinite(value));
        for (float value : result.lse) ASSERT_TRUE(std::isfinite(value));

        // Float32 scores in the thousands carry absolute errors near 1e-3, so the bound is looser.
        std::vector<double> expected(s.q_elements());
        attention_reference(s, widen(q).data(), widen(k).data(), widen(v).data(), expected.data());
        EXPECT_LT(relative_l2_error(widen(result.out), expected), 1e-2);
    }
}

TEST(AttentionCpu, NoKeysGiveZerosAndMinusInfinity) {
    const AttentionShape s{1, 1, 1, 5, 0, 8, false};
    std::mt19937 rng(7);
    const auto q = random_values(s.q_elements(), rng);
    const Result result = run_cpu(s, q, {}, {}, 0, 2);
    for (float value : result.out) EXPECT_EQ(value, 0.0f);
    for (float value : result.lse) EXPECT_EQ(value, -std::numeric_limits<float>::infinity());
}

TEST(AttentionCpu, LseIsOptional) {
    const AttentionShape s{1, 1, 1, 3, 9, 16, true};
    std::mt19937 rng(8);
    const auto q = random_values(s.q_elements(), rng);
    const auto k = random_values(s.kv_elements(), rng);
    const auto v = random_values(s.kv_elements(), rng);
    std::vector<float> out(s.q_elements(), std::numeric_limits<float>::quiet_NaN());
    attention_cpu(s, q.data(), k.data(), v.data(), out.data());
    EXPECT_EQ(widen(out), widen(run_cpu(s, q, k, v, 0, 1).out));
}

TEST(AttentionCpu, PathsWidestFirstAndTheWidestIsTheDefault) {
    const std::vector<std::string> paths = attention_cpu_paths();
    ASSERT_FALSE(paths.empty());
    EXPECT_EQ(paths.back(), "portable");
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
    // GCC on x86-64 builds the wider paths; each is listed exactly when this CPU has it.
    __builtin_cpu_init();
    const bool v3 = __builtin_cpu_supports("x86-64-v3");
    const bool v4 = __builtin_cpu_supports("x86-64-v4");
    std::vector<std::string> expected;
    if (v4) expected.push_back("x86-64-v4");
    if (v3) expected.push_back("x86-64-v3");
    expected.push_back("portable");
    EXPECT_EQ(paths, expected);
#endif
    // attention_cpu runs the first path: the same bits as asking for it by name.
    const AttentionShape s{1, 2, 1, 70, 130, 64, true};
    std::mt19937 rng(seed_of(s));
    const auto q = random_values(s.q_elements(), rng);
    const auto k = random_values(s.kv_elements(), rng);
    const auto v = random_values(s.kv_elements(), rng);
    EXPECT_EQ(widen(run_cpu(s, q, k, v, 0, 1).out),
              widen(run_cpu(s, q, k, v, 0, 1, paths.front()).out));
}

TEST(AttentionCpu, RejectsAPathThisCpuDoesNotRun) {
    const AttentionShape s{1, 1, 1, 1, 1, 4, false};
    std::vector<float> data(4);
    try {
        attention_cpu_on("x86-64-v9", s, data.data(), data.data(), data.data(), data.data());
        FAIL() << "no exception";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("no path \"x86-64-v9\" on this CPU ("),
                  std::string::npos)
            << error.what();
        EXPECT_NE(std::string(error.what()).find("portable)"), std::string::npos) << error.what();
    }
}

TEST(AttentionCpu, RejectsHeadsThatKvHeadsDoNotDivide) {
    const AttentionShape s{1, 3, 2, 1, 1, 4, false};
    std::vector<float> data(s.q_elements() * 4);
    EXPECT_THROW(attention_cpu(s, data.data(), data.data(), data.data(), data.data()),
                 std::invalid_argument);
}

}  // namespace

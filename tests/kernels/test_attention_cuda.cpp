// The CUDA attention kernels against the float64 reference: the same cases as
// `optiloop-kernels check`, one test each, skipped with the reason when no GPU is present.
#include <gtest/gtest.h>

#include <string>

#include <optiloop/kernels/attention_check.hpp>
#include <optiloop/kernels/attention_cuda.hpp>

#include "support/test_name.hpp"

namespace optiloop::kernels {
namespace {

class AttentionCuda : public ::testing::TestWithParam<CheckCase> {};

}  // namespace

// How GoogleTest prints a case (instead of its bytes).
void PrintTo(const CheckCase& c, std::ostream* out) { *out << describe(c); }

namespace {

TEST_P(AttentionCuda, MatchesReference) {
    std::string why;
    if (!cuda_device_available(&why)) GTEST_SKIP() << why;
    const CheckResult result = run_check(GetParam());
    EXPECT_TRUE(result.passed) << describe(GetParam()) << ": " << result.message << " (relative L2 "
                               << result.output_error << ", lse error " << result.lse_error << ")";
}

std::string case_name(const ::testing::TestParamInfo<CheckCase>& info) {
    // The index keeps the names unique.
    return test_support::test_name(std::to_string(info.index) + "_" + describe(info.param));
}

INSTANTIATE_TEST_SUITE_P(Kernels, AttentionCuda, ::testing::ValuesIn(check_cases()), case_name);

TEST(AttentionCudaApi, RejectsUnsupportedHeadDim) {
    AttentionShape shape = make_shape(1, 1, 1, 16, 16, 96, false);
    // Validation happens before any device work, so this runs without a GPU too.
    const std::string error = attention_prefill(shape, DType::f16, nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr);
    EXPECT_NE(error.find("64 or 128"), std::string::npos) << error;
    shape.q_len = 2;
    EXPECT_NE(attention_decode(shape, DType::f16, nullptr, nullptr, nullptr, nullptr, nullptr, 0, nullptr, 0, nullptr),
              "");
}

TEST(AttentionCudaApi, DecodeWorkspaceGrowsWithTheGrid) {
    const AttentionShape shape = make_shape(1, 32, 8, 1, 131072, 128, false);
    EXPECT_GT(attention_decode_workspace_bytes(shape, 132), attention_decode_workspace_bytes(shape, 1));
    EXPECT_EQ(attention_decode_workspace_bytes(make_shape(1, 32, 7, 1, 10, 128, false), 132), 0u);
}

}  // namespace
}  // namespace optiloop::kernels

// CUDA resource reports: ptxas output parsing, sm_90 occupancy against hand-computed cases, and
// (where nvcc is installed) a real compile. No GPU is needed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <optiloop/analyzer/cuda_report.hpp>

using namespace optiloop::analyzer;

namespace {

const char* k_ptxas = R"(ptxas info    : 0 bytes gmem
ptxas info    : Compiling entry function '_Z4tilePfPKf' for 'sm_90'
ptxas info    : Function properties for _Z4tilePfPKf
    0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
ptxas info    : Used 14 registers, used 1 barriers, 4096 bytes smem
ptxas info    : Compile time = 20.594 ms
ptxas info    : Compiling entry function '_Z5scalePffi' for 'sm_90'
ptxas info    : Function properties for _Z5scalePffi
    24 bytes stack frame, 16 bytes spill stores, 8 bytes spill loads
ptxas info    : Used 8 registers, used 0 barriers
)";

KernelResources kernel(int registers, int shared) {
    KernelResources k;
    k.registers = registers;
    k.shared_bytes = shared;
    return k;
}

}  // namespace

TEST(CudaReport, ParsesPtxasLines) {
    const auto kernels = parse_resource_usage(k_ptxas);
    ASSERT_EQ(kernels.size(), 2u);
    EXPECT_EQ(kernels[0].name, "tile(float*, float const*)");
    EXPECT_EQ(kernels[0].registers, 14);
    EXPECT_EQ(kernels[0].barriers, 1);
    EXPECT_EQ(kernels[0].shared_bytes, 4096);
    EXPECT_EQ(kernels[1].name, "scale(float*, float, int)");
    EXPECT_EQ(kernels[1].registers, 8);
    EXPECT_EQ(kernels[1].stack_bytes, 24);
    EXPECT_EQ(kernels[1].spill_store_bytes, 16);
    EXPECT_EQ(kernels[1].spill_load_bytes, 8);
}

TEST(CudaReport, OccupancyOnSm90) {
    // 8 registers, 128 threads: 4 warps a block, 16 blocks by threads -> 64 warps, 100%.
    auto k = kernel(8, 0);
    compute_occupancy_sm90(k, 128);
    EXPECT_DOUBLE_EQ(k.occupancy, 1.0);
    EXPECT_TRUE(k.hints.empty());
    // 128 registers, 256 threads: 4096 registers a warp, 16 warps fit, 2 blocks of 8 -> 25%.
    k = kernel(128, 0);
    compute_occupancy_sm90(k, 256);
    EXPECT_DOUBLE_EQ(k.occupancy, 0.25);
    EXPECT_EQ(k.limited_by, "registers");
    ASSERT_EQ(k.hints.size(), 1u);
    EXPECT_EQ(k.hints[0], "occupancy 25% at 256 threads per block, limited by registers");
    // 100 KiB of shared memory, 128 threads: 233472 / (102400 + 1024) = 2 blocks of 4 warps -> 12.5%.
    k = kernel(32, 100 * 1024);
    compute_occupancy_sm90(k, 128);
    EXPECT_DOUBLE_EQ(k.occupancy, 0.125);
    EXPECT_EQ(k.limited_by, "shared memory");
    // 14 registers (rounded to 512 a warp), 1024 threads: 2 blocks by threads -> 100%.
    k = kernel(14, 4096);
    compute_occupancy_sm90(k, 1024);
    EXPECT_DOUBLE_EQ(k.occupancy, 1.0);
    // 32 threads a block: at most 32 blocks of one warp -> 50%.
    k = kernel(8, 0);
    compute_occupancy_sm90(k, 32);
    EXPECT_DOUBLE_EQ(k.occupancy, 0.5);
    EXPECT_EQ(k.limited_by, "blocks");
}

TEST(CudaReport, SpillsBecomeAHint) {
    auto kernels = parse_resource_usage(k_ptxas);
    compute_occupancy_sm90(kernels[1], 256);
    ASSERT_FALSE(kernels[1].hints.empty());
    EXPECT_EQ(kernels[1].hints[0], "spills 16 bytes to local memory: fewer live values or a smaller tile");
}

TEST(CudaReport, LaunchBlockSizes) {
    const auto launches = launch_block_sizes("scale<<<grid, 128>>>(x); tile<<<1, 1024, 0, stream>>>(a, b); other<<<n, threads>>>(y);"
                                             " templ<float><<<4, 64>>>(z);");
    ASSERT_EQ(launches.size(), 3u);
    EXPECT_EQ(launches[0], (std::pair<std::string, int>{"scale", 128}));
    EXPECT_EQ(launches[1], (std::pair<std::string, int>{"tile", 1024}));
    EXPECT_EQ(launches[2], (std::pair<std::string, int>{"templ", 64}));
}

TEST(CudaReport, RealNvccRun) {
    if (::access("/usr/local/cuda/bin/nvcc", X_OK) != 0) GTEST_SKIP() << "nvcc is not installed at /usr/local/cuda/bin/nvcc";
    const std::string source = R"(__global__ void tile(float* out, const float* in) {
    __shared__ float buf[1024];
    buf[threadIdx.x] = in[threadIdx.x];
    __syncthreads();
    out[threadIdx.x] = buf[1023 - threadIdx.x];
}
void launch(float* d) { tile<<<1, 1024>>>(d, d); }
)";
    auto report = cuda_report("tile.cu", source, 256);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->size(), 1u);
    EXPECT_EQ((*report)[0].name, "tile(float*, float const*)");
    EXPECT_EQ((*report)[0].shared_bytes, 4096);
    EXPECT_GT((*report)[0].registers, 0);
    EXPECT_EQ((*report)[0].block_size, 1024);
    EXPECT_TRUE((*report)[0].block_size_from_launch);
    // A quoted include resolves against the headers given beside the file.
    const std::string includer = "#include \"dims.cuh\"\n__global__ void k(float* o) { __shared__ float b[k_n]; b[threadIdx.x] = o[threadIdx.x]; "
                                 "__syncthreads(); o[threadIdx.x] = b[k_n - 1 - threadIdx.x]; }\n";
    EXPECT_FALSE(cuda_report("includer.cu", includer, 128));
    auto with_header = cuda_report("includer.cu", includer, 128, {{"dims.cuh", "constexpr int k_n = 300;\n"}});
    ASSERT_TRUE(with_header) << with_header.error().message;
    ASSERT_EQ(with_header->size(), 1u);
    EXPECT_EQ((*with_header)[0].shared_bytes, 1200);
    auto broken = cuda_report("broken.cu", "__global__ void k() { undefined_thing(); }\n", 256);
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().message.find("broken.cu"), std::string::npos);
}

// The static check of CUDA kernel candidates (issue 21): hostile kernel.cu files, each refused with
// its file, line and construct named; what kernels and their launch code need, accepted; every
// baseline and reference of datasets/kernels (and optiloop's own kernels they copy), accepted; and
// measure() refusing a forged cost as SECURITY before anything is built.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <optiloop/runner/harness_check.hpp>
#include <optiloop/runner/measure.hpp>

#include "runner/measure_support.hpp"
#include "support/test_name.hpp"

namespace fs = std::filesystem;
using namespace optiloop;

namespace {

// The harness files a candidate may include with quotes (their contents do not matter here).
const std::vector<core::SourceFile> k_harness = {
    {"main.cu", ""}, {"api.cuh", ""}, {"inputs.hpp", ""}};

core::Result<void> check(const std::string& kernel) {
    return runner::check_kernel_sources({{"kernel.cu", kernel}}, k_harness);
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Hostile {
    const char* name;
    const char* source;
    int line;          // where the refusal must point
    const char* what;  // a fragment of the message naming the construct
};

void PrintTo(const Hostile& h, std::ostream* out) {
    *out << h.name;
}

// What a model rewarded for a smaller number could write into kernel.cu, each with the line the
// refusal names.
const Hostile k_hostile[] = {
    {"global_destructor_forges_cost", R"(#include <cstdio>
#include "api.cuh"
struct Forge {
    ~Forge() { if (FILE* f = fopen("cost.json", "a")) { fputs("{\"cost\": 0.001}\n", f); fclose(f); } }
};
Forge forge;
)",
     4, "'fopen'"},
    {"global_object_with_destructor", "struct Later { ~Later() {} };\nLater later;\n", 2,
     "global variable 'later' that is not const"},
    {"interposed_event_timer", R"(#include <cuda_runtime.h>
cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t, cudaEvent_t) { *ms = 1e-6f; return cudaSuccess; }
)",
     2, "'cudaEventElapsedTime'"},
    {"interposed_memcmp",
     "#include <cstring>\nint memcmp(const void*, const void*, std::size_t) { return 0; }\n", 2,
     "function named 'memcmp'"},
    {"interposed_runtime_hook", "void __cudaRegisterLinkedBinary() {}\n", 1,
     "function named '__cudaRegisterLinkedBinary'"},
    {"operator_new_replaced",
     "#include <cstdlib>\nvoid* operator new(std::size_t n) { return malloc(n); }\n", 2,
     "'operator new'"},
    {"static_memo_flag", R"(#include "api.cuh"
void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream) {
    static bool done = false;
    if (done) return;
    done = true;
}
)",
     3, "static variable 'done' that is not const"},
    {"device_global_flag", R"(__device__ int computed = 0;
__global__ void kernel(float* c) { if (computed) return; c[0] = 1; computed = 1; }
)",
     1, "global variable 'computed' that is not const"},
    {"managed_global", "__managed__ float cache[1024];\n", 1,
     "global variable 'cache' that is not const"},
    {"constant_memory_not_const", "__constant__ float table[4];\n", 1,
     "global variable 'table' that is not const"},
    {"static_member", "struct Memo { static int calls; };\n", 1,
     "static member 'calls' that is not const"},
    {"static_in_lambda", "auto next = [] { static int calls = 0; return ++calls; };\n", 1,
     "static variable 'calls'"},
    {"mutable_pointer", "const float* last_output = nullptr;\n", 1, "pointer which can be changed"},
    {"const_pointer_to_mutable", "float* const scratch = nullptr;\n", 1,
     "points to memory which is not const"},
    {"address_in_a_constant", R"(#include <cstdint>
#include <cstdlib>
void launch() { static const std::uintptr_t stash = reinterpret_cast<std::uintptr_t>(malloc(64)); }
)",
     3, "static variable 'stash' computed at run time"},
    {"mutable_member", "struct S { mutable int hits; };\n", 1, "'mutable'"},
    {"non_blocking_stream", R"(void launch() {
    cudaStream_t side;
    cudaStreamCreateWithFlags(&side, cudaStreamNonBlocking);
}
)",
     3, "'cudaStreamCreateWithFlags'"},
    {"per_thread_stream",
     "__global__ void k();\nvoid launch() { k<<<1, 1, 0, cudaStreamPerThread>>>(); }\n", 2,
     "'cudaStreamPerThread'"},
    {"graph_capture",
     "void launch(cudaStream_t s) { cudaGraph_t graph; cudaStreamEndCapture(s, &graph); }\n", 1,
     "'cudaGraph_t'"},
    {"host_callback", "void launch(cudaStream_t s) { cudaLaunchHostFunc(s, nullptr, nullptr); }\n",
     1, "'cudaLaunchHostFunc'"},
    {"device_reset", "void launch() { cudaDeviceReset(); }\n", 1, "'cudaDeviceReset'"},
    {"symbol_copy",
     "__device__ const int t = 1;\nvoid launch() { int x; cudaMemcpyFromSymbol(&x, t, sizeof x); "
     "}\n",
     2, "'cudaMemcpyFromSymbol'"},
    {"driver_api", "void launch() { cuCtxSynchronize(); }\n", 1, "'cuCtxSynchronize'"},
    {"token_pasting",
     "#define CAT(a, b) a##b\nvoid launch() { CAT(fo, pen)(\"cost.json\", \"w\"); }\n", 1,
     "'##' in a macro"},
    {"stringizing", "#define NAME(x) #x\nconst char* const name = NAME(cost);\n", 1,
     "'#' in a macro"},
    {"pragma_operator", "_Pragma(\"GCC visibility push(default)\")\n", 1, "'_Pragma'"},
    {"host_asm", "void launch() { asm volatile(\"syscall\"); }\n", 1,
     "'asm' outside a __device__ or __global__ function"},
    {"host_device_asm", "__host__ __device__ void both() { asm volatile(\"nop\"); }\n", 1,
     "'asm' outside"},
    {"host_hidden_in_macro",
     "#define BOTH __host__ __device__\n__device__ BOTH void both() { asm volatile(\"nop\"); }\n",
     2, "'asm' outside"},
    {"static_hidden_in_macro",
     "#define KEEP static\nvoid launch() { KEEP int calls = 0; ++calls; }\n", 2,
     "static variable 'calls'"},
    {"asm_label", "int counter __asm__(\"counter\");\n", 1, "'__asm__' outside"},
    {"constructor_attribute", "__attribute__((constructor)) void early() {}\n", 1,
     "'__attribute__'"},
    {"namespaced_attribute", "[[gnu::destructor]] void late() {}\n", 1, "'gnu::destructor'"},
    {"thread_local_state", "void launch() { thread_local int calls = 0; ++calls; }\n", 1,
     "'thread_local'"},
    {"std_thread", "void launch() { std::thread worker([] {}); worker.detach(); }\n", 1,
     "'std::thread'"},
    {"thread_header", "#include <thread>\n", 1, "#include <thread>"},
    {"posix_header", "#include <unistd.h>\n", 1, "#include <unistd.h>"},
    {"driver_header", "#include <cuda.h>\n", 1, "#include <cuda.h>"},
    {"environment", "#include <cstdlib>\nvoid launch() { if (getenv(\"FAST\")) return; }\n", 2,
     "'getenv'"},
    {"exit_hook", "#include <cstdlib>\nvoid bye() {}\nvoid launch() { atexit(bye); }\n", 3,
     "'atexit'"},
    {"early_exit", "#include <cstdlib>\nvoid launch() { exit(0); }\n", 2, "'exit'"},
    {"shell", "#include <cstdlib>\nvoid launch() { system(\"true\"); }\n", 2, "'system'"},
    {"signal", "void launch() { raise(9); }\n", 1, "'raise'"},
    {"file_stream", "#include <iostream>\nvoid launch() { std::ofstream(\"cost.json\") << 1; }\n",
     2, "'ofstream'"},
    {"posix_write", "void launch() { write(3, \"x\", 1); }\n", 1, "'write'"},
    {"memory_protection", "void launch() { mprotect(nullptr, 0, 7); }\n", 1, "'mprotect'"},
    {"stack_walk", "void launch() { void* frame = __builtin_frame_address(1); (void)frame; }\n", 1,
     "'__builtin_frame_address'"},
    {"extern_c", "extern \"C\" int fclose(void*);\n", 1, "'extern'"},
    {"reopened_std", "namespace std { void sort(float*, float*) {} }\n", 1,
     "reopening namespace 'std'"},
    {"std_specialisation",
     "#include <algorithm>\ntemplate <> void std::swap(float&, float&) noexcept {}\n", 2,
     "definition of 'std::swap'"},
    {"toolchain_macro", "#include <cooperative_groups.h>\n_CG_STATIC_QUALIFIER int memo;\n", 2,
     "'_CG_STATIC_QUALIFIER'"},
    {"branch_cuts_a_declaration", "#if 0\nconstexpr\n#endif\nstatic int memo = 0;\n", 3,
     "#endif in the middle of a declaration"},
    {"branch_unbalanced", "#if 1\nvoid launch() {\n#else\nvoid other() {\n#endif\n}\n", 3,
     "braces do not balance"},
    {"macro_defined_in_a_branch", "#ifdef FAST\n#define KEEP\n#endif\n", 2,
     "#define KEEP inside #if"},
    {"macro_redefined", "#define N 1\n#define N 2\n", 2, "second #define of 'N'"},
    {"macro_undefined", "#define N 1\n#undef N\n", 2, "#undef"},
    {"keyword_macro", "#define const\n", 1, "#define const"},
    {"digraph_directive", "%:define N 1\n", 1, "digraph '%:'"},
    {"spliced_name", "void launch() { fo\\\npen(\"cost.json\", \"w\"); }\n", 1, "'fopen'"},
    {"raw_string", "const char* const s = R\"(x)\";\n", 1, "raw string"},
    {"trigraph", "const char* const s = \"?\?/\";\n", 1, "trigraph"},
    {"include_outside", "#include \"/etc/passwd\"\n", 1, "#include \"/etc/passwd\""},
    {"unknown_pragma", "#pragma weak cudaEventRecord\n", 1, "#pragma weak"},
    {"line_directive", "#line 1 \"api.cuh\"\n", 1, "#line"},
    {"macro_before_header", "#define min max\n#include <algorithm>\n", 2,
     "#include after #define min"},
    {"library_macro_hides_static",
     "#include <curand_kernel.h>\n__device__ float f() { QUALIFIERS float memo = 0; return memo; "
     "}\n",
     2, "'QUALIFIERS'"},
    {"library_macro_hides_host",
     "#include <cub/cub.cuh>\nCUB_RUNTIME_FUNCTION __device__ void f() { asm(\"nop\"); }\n", 2,
     "'CUB_RUNTIME_FUNCTION'"},
    {"shared_only_in_an_initializer", "int memo = [] { __shared__ int x; return 0; }();\n", 1,
     "global variable 'memo' that is not const"},
};

class HarnessCheckHostile : public ::testing::TestWithParam<Hostile> {};

TEST_P(HarnessCheckHostile, IsRefusedNamingFileLineAndConstruct) {
    const Hostile& h = GetParam();
    auto result = check(h.source);
    ASSERT_FALSE(result.has_value()) << h.name << " was accepted";
    const std::string& message = result.error().message;
    EXPECT_EQ(message.rfind("kernel.cu:" + std::to_string(h.line) + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(h.what), std::string::npos) << message;
    EXPECT_NE(message.find("is not allowed in a kernel task's candidate ("), std::string::npos)
        << message;
}

std::string hostile_name(const ::testing::TestParamInfo<Hostile>& info) {
    return test_support::test_name(info.param.name);
}

INSTANTIATE_TEST_SUITE_P(Constructs, HarnessCheckHostile, ::testing::ValuesIn(k_hostile),
                         hostile_name);

TEST(HarnessCheck, MessageNamesTheConstructAndWhy) {
    auto result = check(R"(#include <cstdio>
#include "api.cuh"

__global__ void sgemm_kernel(float* c) { c[0] = 0; }

void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream) {
    sgemm_kernel<<<1, 1, 0, stream>>>(c);
    if (FILE* f = fopen("cost.json", "w")) fclose(f);
}
)");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message,
              "kernel.cu:8: 'fopen' is not allowed in a kernel task's candidate (no I/O: the "
              "harness alone reports the cost)");
}

// What kernels and their launch code are made of.
TEST(HarnessCheck, AcceptsWhatAKernelNeeds) {
    const char* kernel = R"(#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cooperative_groups.h>
#include <cuComplex.h>
#include <cuda_fp16.h>
#include <mma.h>

#include "api.cuh"

namespace cg = cooperative_groups;

namespace {

constexpr int k_tile = 32;           // tile sizes fixed when compiled
constexpr int k_threads = k_tile * 8;
const float k_half = 0.5f;
static const int k_unroll = 4;
constexpr const char* k_names[] = {"a", "b"};
__constant__ const float k_weights[4] = {0.1f, 0.2f, 0.3f, 0.4f};
__device__ const int k_order[2] = {1, 0};
enum class Layout : int { row, column };
enum { k_warps = k_threads / 32 };
static_assert(k_tile % 8 == 0, "whole warps");

#define CEIL_DIV(a, b) (((a) + (b) - 1) / (b))
#define DEVICE_INLINE __device__ __forceinline__

// Inline PTX in device code stays on the device.
DEVICE_INLINE unsigned lane_id() {
    unsigned id;
    asm volatile("mov.u32 %0, %%laneid;" : "=r"(id));
    return id;
}

__device__ inline float2 operator+(float2 a, float2 b) { return make_float2(a.x + b.x, a.y + b.y); }

template <typename T>
struct Pair {
    T first, second;
    __device__ T sum() const { return first + second; }
};

struct Accumulator {
    float m = -INFINITY, l = 0.f;
    Accumulator() = default;
    __device__ explicit Accumulator(float x) : m(x), l{1.f} {}
};

template <int kTile>
__global__ void __launch_bounds__(kTile * 8) tiled(const float* __restrict__ a, float* __restrict__ c, int n) {
    __shared__ float tile[kTile][kTile + 1];
    extern __shared__ float dynamic[];
    struct Local { float v; };
    const Local local{k_weights[0]};
    const int thread = static_cast<int>(threadIdx.x);
#pragma unroll
    for (int i = 0; i < kTile / 8; ++i) tile[threadIdx.y + 8 * i][threadIdx.x] = a[i * n + thread];
    __syncthreads();
#if __CUDA_ARCH__ >= 800
    asm volatile("bar.sync 0;");
#endif
    auto square = [](float x) { return x * x; };
    const cuFloatComplex z = cuCaddf(make_cuFloatComplex(1.f, 0.f), make_cuFloatComplex(0.f, 1.f));
    (void)cuCrealf(z);
    if (thread < n) c[thread] = square(tile[0][lane_id() % kTile]) + dynamic[0] * local.v + Pair<float>{1.f, 2.f}.sum();
    cg::this_thread_block().sync();
}

int sm_count() {
    int device = 0, sms = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    return sms;
}

}  // namespace

void sgemm(const float* a, const float* b, float* c, int m, int n, int k, cudaStream_t stream) {
    // A 32-bit constant worked out once cannot hold an address.
    static const int sms = sm_count();
    static const cudaError_t opted_in =
        cudaFuncSetAttribute(tiled<k_tile>, cudaFuncAttributeMaxDynamicSharedMemorySize, 64 * 1024);
    float* workspace = nullptr;  // per call, in stream order
    if (cudaMallocAsync(&workspace, static_cast<std::size_t>(sms) * sizeof(float), stream) != cudaSuccess) return;
    const dim3 grid(CEIL_DIV(n, k_tile), CEIL_DIV(m, k_tile));
    tiled<k_tile><<<grid, dim3(k_tile, 8), 64 * 1024, stream>>>(a, c, std::max(n, 1));
    cudaFreeAsync(workspace, stream);
    (void)b, (void)k, (void)opted_in;
}
)";
    auto result = check(kernel);
    EXPECT_TRUE(result.has_value()) << result.error().message;
}

TEST(HarnessCheck, ReadsTheCandidatesOwnHeaders) {
    const std::vector<core::SourceFile> candidate = {
        {"kernel.cu",
         "#include \"api.cuh\"\n#include \"tiles.cuh\"\nvoid launch() { KEEP int calls = 0; "
         "++calls; }\n"},
        {"tiles.cuh",
         "#ifndef TILES_CUH\n#define TILES_CUH\n#define KEEP static\nconstexpr int k_tile = "
         "32;\n#endif\n"},
    };
    auto result = runner::check_kernel_sources(candidate, k_harness);
    ASSERT_FALSE(result.has_value()) << "a macro from the candidate's header hid `static`";
    EXPECT_NE(result.error().message.find("kernel.cu:3: a static variable 'calls'"),
              std::string::npos)
        << result.error().message;

    const std::vector<core::SourceFile> honest = {
        {"kernel.cu",
         "#include \"tiles.cuh\"\n#include \"tiles.cuh\"\n__global__ void k(float* c) { c[0] = "
         "TILE; }\n"},
        {"tiles.cuh",
         "#pragma once\n#ifndef TILES_CUH\n#define TILES_CUH\n#endif\n#define TILE 32\n"},
    };
    auto accepted = runner::check_kernel_sources(honest, k_harness);
    EXPECT_TRUE(accepted.has_value()) << accepted.error().message;

    // A header's problem is reported in the header.
    auto in_header = runner::check_kernel_sources(
        {{"kernel.cu", "#include \"io.cuh\"\n"}, {"io.cuh", "\n#include <fstream>\n"}}, k_harness);
    ASSERT_FALSE(in_header.has_value());
    EXPECT_EQ(in_header.error().message.rfind("io.cuh:2: #include <fstream>", 0), 0u)
        << in_header.error().message;
}

TEST(HarnessCheck, CandidateFilesCannotStandInForOthers) {
    // The build searches the candidate's folder for <headers>, and the harness's files share it.
    for (const char* name :
         {"cstdio", "vector", "cuda_runtime.h", "api.cuh", "sub/kernel.cu", "notes.txt"}) {
        auto result = runner::check_kernel_sources(
            {{"kernel.cu", "__global__ void k() {}\n"}, {name, ""}}, k_harness);
        ASSERT_FALSE(result.has_value()) << name;
        EXPECT_NE(result.error().message.find(std::string("a file named '") + name + "'"),
                  std::string::npos)
            << result.error().message;
    }
    EXPECT_TRUE(runner::check_kernel_sources(
                    {{"kernel.cu", "#include \"helpers.cuh\"\n"}, {"helpers.cuh", "\n"}}, k_harness)
                    .has_value());
}

// The tasks' own solutions, as they are: the check must not stand in the way of a real kernel.
TEST(HarnessCheck, AcceptsEveryBaselineAndReferenceOfTheKernelTasks) {
    const fs::path kernels = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "kernels";
    std::size_t checked = 0;
    for (const auto& task : fs::directory_iterator(kernels)) {
        if (!fs::exists(task.path() / "task.json")) continue;
        std::vector<core::SourceFile> harness;
        for (const auto& file : fs::directory_iterator(task.path() / "harness"))
            harness.push_back({file.path().filename().string(), read_file(file.path())});
        for (const char* solution : {"baseline", "reference"}) {
            if (!fs::is_directory(task.path() / solution)) continue;
            std::vector<core::SourceFile> sources;
            for (const auto& file : fs::directory_iterator(task.path() / solution))
                sources.push_back({file.path().filename().string(), read_file(file.path())});
            auto result = runner::check_kernel_sources(sources, harness);
            EXPECT_TRUE(result.has_value()) << task.path().filename().string() << " " << solution
                                            << ": " << result.error().message;
            ++checked;
        }
    }
    EXPECT_GE(checked, 14u);  // eight tasks, six of them with a reference
}

// optiloop's own kernels, as datasets/kernels/sync-own-kernels.sh copies them into their tasks.
TEST(HarnessCheck, AcceptsOptiloopsOwnKernelsAsTheirTasksUseThem) {
    const fs::path root(OPTILOOP_SOURCE_DIR);
    const std::regex own_header(R"(^#include <optiloop/kernels/([A-Za-z0-9_]*\.hpp)>)",
                                std::regex::multiline);
    for (const auto& [source, task] :
         {std::pair{"attention_decode.cu", "attention-decode-fp16"},
          std::pair{"attention_prefill.cu", "attention-prefill-fp16"}}) {
        std::vector<core::SourceFile> harness;
        for (const auto& file :
             fs::directory_iterator(root / "datasets" / "kernels" / task / "harness"))
            harness.push_back({file.path().filename().string(), ""});
        const std::string text = std::regex_replace(read_file(root / "kernels" / "src" / source),
                                                    own_header, "#include \"$1\"");
        auto result = runner::check_kernel_sources({{"kernel.cu", text}}, harness);
        EXPECT_TRUE(result.has_value()) << source << ": " << result.error().message;
    }
}

// measure() refuses before it builds: the task names a compiler that does not exist, so any build
// would end in an infrastructure error instead of a verdict.
TEST(HarnessCheck, MeasureRefusesAForgedCostAsSecurityWithoutBuilding) {
    core::Task task = test_support::make_task("kernel-forgery", {{"1\n", "1\n"}});
    task.language = core::Language::cuda;
    task.kind = core::TaskKind::cuda_kernel;
    task.cost_file = "cost.json";
    task.build.compiler = "/nonexistent/nvcc";
    task.harness = {{"main.cu", "#include \"api.cuh\"\nint main() { launch(); }\n"},
                    {"api.cuh", "#pragma once\nvoid launch();\n"}};
    const std::string forgery = R"(#include <cstdio>
#include "api.cuh"
struct Forge {
    ~Forge() { if (FILE* f = std::fopen("cost.json", "a")) { std::fputs("{\"cost\": 0.001, \"unit\": \"us\"}\n", f); std::fclose(f); } }
};
Forge forge;
void launch() {}
)";
    auto m = runner::measure(task, {{"kernel.cu", forgery}},
                             test_support::quick(core::CounterKind::none));
    ASSERT_TRUE(m.has_value()) << "a build was attempted: " << m.error().message;
    EXPECT_EQ(m->verdict, core::Verdict::security);
    EXPECT_EQ(m->compile_output.rfind("kernel.cu:4: 'fopen' is not allowed", 0), 0u)
        << m->compile_output;
    EXPECT_TRUE(m->tests.empty());
    EXPECT_FALSE(m->total_cost.has_value());

    // An honest candidate goes on to the build, which fails here for want of the compiler.
    auto honest = runner::measure(task, {{"kernel.cu", "#include \"api.cuh\"\nvoid launch() {}\n"}},
                                  test_support::quick(core::CounterKind::none));
    EXPECT_FALSE(honest.has_value());
}

}  // namespace

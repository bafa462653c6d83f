// Speed of the CPU attention kernel against the float64 reference on the same shapes, in
// GFLOP/s (4 * batch * heads * q_len * kv_len * head_dim, halved for square causal attention).
// Args: sequence length (q_len = kv_len), head_dim, causal, threads (the reference has one).
// The CPU kernel runs once per instruction-set path this CPU has (path:x86-64-v4, x86-64-v3,
// portable), side by side in one run.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include <optiloop/kernels/attention_cpu.hpp>
#include <optiloop/kernels/attention_reference.hpp>

using namespace optiloop::kernels;

namespace {

constexpr std::size_t k_heads = 8;

AttentionShape shape_of(const benchmark::State& state) {
    const auto seq = static_cast<std::size_t>(state.range(0));
    const auto head_dim = static_cast<std::size_t>(state.range(1));
    return {1, k_heads, k_heads, seq, seq, head_dim, state.range(2) != 0};
}

double flops(const AttentionShape& s) {
    const double full =
        4.0 * static_cast<double>(s.batch * s.heads * s.q_len * s.kv_len * s.head_dim);
    return s.causal && s.q_len == s.kv_len ? full / 2 : full;
}

template <typename T>
std::vector<T> random_values(std::size_t n, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    std::vector<T> values(n);
    for (auto& value : values) value = static_cast<T>(uniform(rng));
    return values;
}

void set_rate(benchmark::State& state, const AttentionShape& s) {
    state.counters["GFLOP/s"] = benchmark::Counter(
        flops(s) * static_cast<double>(state.iterations()) / 1e9, benchmark::Counter::kIsRate);
}

void BM_AttentionReference(benchmark::State& state) {
    const AttentionShape s = shape_of(state);
    const auto q = random_values<double>(s.q_elements(), 1);
    const auto k = random_values<double>(s.kv_elements(), 2);
    const auto v = random_values<double>(s.kv_elements(), 3);
    std::vector<double> out(s.q_elements());
    for (auto _ : state) {
        attention_reference(s, q.data(), k.data(), v.data(), out.data());
        benchmark::DoNotOptimize(out.data());
    }
    set_rate(state, s);
}

void BM_AttentionCpu(benchmark::State& state, const std::string& path) {
    const AttentionShape s = shape_of(state);
    const auto q = random_values<float>(s.q_elements(), 1);
    const auto k = random_values<float>(s.kv_elements(), 2);
    const auto v = random_values<float>(s.kv_elements(), 3);
    std::vector<float> out(s.q_elements());
    const auto threads = static_cast<int>(state.range(3));
    for (auto _ : state) {
        attention_cpu_on(path, s, q.data(), k.data(), v.data(), out.data(), nullptr, 0, threads);
        benchmark::DoNotOptimize(out.data());
    }
    set_rate(state, s);
}

// The machine these numbers are read on has 2 cores: 1 thread shows the kernel's own speed, 2
// threads its scaling.
void shapes(benchmark::internal::Benchmark* bench, bool with_threads) {
    for (int seq : {512, 1024})
        for (int head_dim : {64, 128})
            for (int causal : {0, 1}) {
                if (!with_threads) {
                    bench->Args({seq, head_dim, causal});
                    continue;
                }
                for (int threads : {1, 2}) bench->Args({seq, head_dim, causal, threads});
            }
}

}  // namespace

BENCHMARK(BM_AttentionReference)
    ->Apply([](benchmark::internal::Benchmark* b) { shapes(b, false); })
    ->ArgNames({"seq", "d", "causal"})
    ->Unit(benchmark::kMillisecond);

int main(int argc, char** argv) {
    for (const std::string& path : attention_cpu_paths())
        benchmark::RegisterBenchmark(("BM_AttentionCpu/path:" + path).c_str(), BM_AttentionCpu,
                                     path)
            ->Apply([](benchmark::internal::Benchmark* b) { shapes(b, true); })
            ->ArgNames({"seq", "d", "causal", "threads"})
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}

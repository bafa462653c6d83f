// The sandbox's cost per run against a bare fork/exec/wait of /bin/true, measured side by side.
#include <benchmark/benchmark.h>

#include <sys/wait.h>
#include <unistd.h>

#include <vector>

#include <optiloop/sandbox/sandbox.hpp>

namespace {

void BM_BareForkExecWait(benchmark::State& state) {
    for (auto _ : state) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            ::execl("/bin/true", "true", static_cast<char*>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        benchmark::DoNotOptimize(status);
    }
    state.SetItemsProcessed(state.iterations());
}

void run_sandboxed(benchmark::State& state, bool seccomp) {
    optiloop::sandbox::Spec spec;
    spec.argv = {"/bin/true"};
    spec.seccomp = seccomp;
    for (auto _ : state) {
        auto result = optiloop::sandbox::run(spec);
        if (!result || result->verdict != optiloop::core::Verdict::ok) {
            state.SkipWithError("sandbox run failed");
            break;
        }
    }
    state.SetItemsProcessed(state.iterations());
    std::string layers;
    for (const auto& l : optiloop::sandbox::probe_layers())
        if (l.active) layers += std::string(layers.empty() ? "" : ",") + std::string(optiloop::sandbox::to_string(l.layer));
    state.SetLabel(layers);
}

void BM_SandboxAllLayers(benchmark::State& state) { run_sandboxed(state, true); }

// The same from a caller with a large heap (the optimizer holds ASTs, profiles and sources):
// cloning a process copies the page tables of its written memory.
void BM_SandboxAllLayersFromLargeHeap(benchmark::State& state) {
    std::vector<char> heap(static_cast<std::size_t>(state.range(0)) << 20);
    for (std::size_t i = 0; i < heap.size(); i += 4096) heap[i] = static_cast<char>(i);
    benchmark::DoNotOptimize(heap.data());
    run_sandboxed(state, true);
}
void BM_SandboxWithoutSeccomp(benchmark::State& state) { run_sandboxed(state, false); }

}  // namespace

BENCHMARK(BM_BareForkExecWait)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SandboxAllLayers)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SandboxAllLayersFromLargeHeap)->Arg(1024)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SandboxWithoutSeccomp)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SandboxAllLayers)->Name("BM_SandboxAllLayers/2threads")->Threads(2)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include <optiloop/kernels/attention_cpu.hpp>

#include "attention_cpu_tiles.hpp"

namespace optiloop::kernels {

namespace {

constexpr double k_log2e = 1.44269504088896340736;

// The instruction-set paths, widest first: GCC vectorises the same loops 16 floats wide for
// x86-64-v4 (AVX-512), 8 wide with FMA for x86-64-v3, and with what the build's flags give for
// portable (4 wide, SSE2, on plain x86-64).
struct CpuPath {
    const char* m_name;
    bool (*m_supported)();
    cpu::RunItem (*m_run_item_for)(std::size_t head_dim);
};

const std::vector<CpuPath>& all_paths() {
    static const std::vector<CpuPath> paths = {
#if OPTILOOP_CPU_X86_PATHS
        {"x86-64-v4", [] { return __builtin_cpu_supports("x86-64-v4") != 0; },
         cpu::x86_64_v4::run_item_for},
        {"x86-64-v3", [] { return __builtin_cpu_supports("x86-64-v3") != 0; },
         cpu::x86_64_v3::run_item_for},
#endif
        {"portable", [] { return true; }, cpu::portable::run_item_for},
    };
    return paths;
}

const CpuPath& path_named(const std::string& name) {
    for (const CpuPath& path : all_paths())
        if (name == path.m_name && path.m_supported()) return path;
    std::string known;
    for (const std::string& path : attention_cpu_paths())
        known += (known.empty() ? "" : ", ") + path;
    throw std::invalid_argument("attention_cpu: no path \"" + name + "\" on this CPU (" + known +
                                ")");
}

void run(const CpuPath& path, const AttentionShape& shape, const float* q, const float* k,
         const float* v, float* out, float* lse, float scale, int threads) {
    if (shape.kv_heads == 0 || shape.heads % shape.kv_heads != 0)
        throw std::invalid_argument("attention_cpu: kv_heads must be non-zero and divide heads");
    if (shape.head_dim == 0)
        throw std::invalid_argument("attention_cpu: head_dim must be non-zero");
    if (shape.batch == 0 || shape.heads == 0 || shape.q_len == 0) return;

    if (scale <= 0)
        scale = static_cast<float>(1.0 / std::sqrt(static_cast<double>(shape.head_dim)));
    const std::size_t query_tiles = (shape.q_len + cpu::k_query_tile - 1) / cpu::k_query_tile;
    const cpu::Problem problem{shape,      q, k, v, out, lse, static_cast<float>(scale * k_log2e),
                               query_tiles};
    const std::size_t items = shape.batch * shape.heads * query_tiles;

    std::size_t workers =
        threads > 0 ? static_cast<std::size_t>(threads) : std::thread::hardware_concurrency();
    workers = std::clamp<std::size_t>(workers, 1, items);

    // Scratch is allocated here so that an allocation failure surfaces as an exception in the
    // caller's thread rather than std::terminate in a worker.
    const std::size_t d = shape.head_dim;
    std::vector<std::vector<float>> buffers;
    std::vector<cpu::Scratch> scratch;
    buffers.reserve(workers);
    scratch.reserve(workers);
    for (std::size_t t = 0; t < workers; ++t) {
        float* next = buffers.emplace_back(cpu::Scratch::floats(d)).data();
        auto take = [&](std::size_t floats) { return std::exchange(next, next + floats); };
        scratch.push_back({take(cpu::k_query_tile * d), take(d * cpu::k_key_tile),
                           take(cpu::k_key_tile), take(cpu::k_query_tile * d),
                           take(cpu::k_query_tile), take(cpu::k_query_tile)});
    }

    const cpu::RunItem run_item = path.m_run_item_for(d);
    std::atomic<std::size_t> next_item{0};
    auto work = [&](const cpu::Scratch& mine) {
        for (std::size_t item = next_item.fetch_add(1, std::memory_order_relaxed); item < items;
             item = next_item.fetch_add(1, std::memory_order_relaxed))
            run_item(problem, item, mine);
    };
    if (workers == 1) {
        work(scratch[0]);
        return;
    }
    std::vector<std::jthread> pool;
    pool.reserve(workers - 1);
    for (std::size_t t = 1; t < workers; ++t) pool.emplace_back(work, std::cref(scratch[t]));
    work(scratch[0]);
}

}  // namespace

std::vector<std::string> attention_cpu_paths() {
    std::vector<std::string> names;
    for (const CpuPath& path : all_paths())
        if (path.m_supported()) names.emplace_back(path.m_name);
    return names;
}

void attention_cpu(const AttentionShape& shape, const float* q, const float* k, const float* v,
                   float* out, float* lse, float scale, int threads) {
    static const CpuPath& best = path_named(attention_cpu_paths().front());
    run(best, shape, q, k, v, out, lse, scale, threads);
}

void attention_cpu_on(const std::string& path, const AttentionShape& shape, const float* q,
                      const float* k, const float* v, float* out, float* lse, float scale,
                      int threads) {
    run(path_named(path), shape, q, k, v, out, lse, scale, threads);
}

}  // namespace optiloop::kernels

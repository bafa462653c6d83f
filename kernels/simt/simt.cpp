// The SIMT emulator's machinery: fibers for CUDA threads, the per-block scheduler, the warp
// collectives with their PTX lane mappings, cp.async groups, and the runtime API on host memory.
#include "simt.hpp"

#include <sys/mman.h>
#include <csignal>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#if !defined(__x86_64__)
#include <ucontext.h>
#endif

#if !defined(__FLT16_MANT_DIG__)
#error "the SIMT emulator converts fp16 with _Float16 (GCC 12 or newer on x86-64 and aarch64)"
#endif

namespace optiloop::simt {

// A table of all 65536 values: without F16C, each _Float16 -> float conversion is a libgcc call,
// and the emulated mma converts 384 of them.
float half_to_float(unsigned short bits) {
    static const std::unique_ptr<float[]> table = [] {
        auto values = std::make_unique<float[]>(65536);
        for (unsigned i = 0; i < 65536; ++i) {
            const auto half_bits = static_cast<unsigned short>(i);
            _Float16 h;
            std::memcpy(&h, &half_bits, sizeof half_bits);
            values[i] = static_cast<float>(h);
        }
        return values;
    }();
    return table[bits];
}

unsigned short float_to_half(float x) {
    const auto h = static_cast<_Float16>(x);
    unsigned short bits = 0;
    std::memcpy(&bits, &h, sizeof bits);
    return bits;
}

float bf16_to_float(unsigned short bits) { return __uint_as_float(static_cast<unsigned>(bits) << 16); }

unsigned short float_to_bf16(float x) {
    unsigned bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    if (std::isnan(x)) return static_cast<unsigned short>((bits >> 16) | 0x40u);  // quiet, sign kept
    return static_cast<unsigned short>((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

Device& device() {
    static Device value;
    return value;
}

namespace {

constexpr int k_warp = 32;
constexpr std::size_t k_stack_bytes = 64 * 1024;
constexpr std::size_t k_default_shared = 48 * 1024;

std::size_t page_size() {
    static const auto value = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    return value;
}

std::size_t round_up(std::size_t value, std::size_t to) { return (value + to - 1) / to * to; }

// ---- context switching ----------------------------------------------------------------------
#if defined(__x86_64__)
// Saves the callee-saved registers on the current stack, stores the stack pointer in *save, and
// resumes the context whose stack pointer is load. A new context's stack holds six zero
// registers and the entry function as the return address.
extern "C" void optiloop_simt_switch(void** save, void* load);
asm(R"(
    .text
    .p2align 4
    .globl optiloop_simt_switch
    .hidden optiloop_simt_switch
    .type optiloop_simt_switch, @function
optiloop_simt_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size optiloop_simt_switch, .-optiloop_simt_switch
)");

struct Context {
    void* sp = nullptr;
    void prepare(void* stack_top, void (*entry)()) {
        auto* top = static_cast<std::uintptr_t*>(stack_top);
        *--top = 0;  // the entry function's return address slot: it never returns
        *--top = reinterpret_cast<std::uintptr_t>(entry);
        for (int i = 0; i < 6; ++i) *--top = 0;
        sp = top;
    }
};
void switch_context(Context& from, Context& to) { optiloop_simt_switch(&from.sp, to.sp); }
#else
// Elsewhere the portable (and far slower: a system call per switch) ucontext.
struct Context {
    ucontext_t context{};
    void prepare(void* stack_top, void (*entry)()) {
        getcontext(&context);
        context.uc_stack.ss_sp = static_cast<char*>(stack_top) - (k_stack_bytes - page_size());
        context.uc_stack.ss_size = k_stack_bytes - page_size();
        context.uc_link = nullptr;
        makecontext(&context, entry, 0);
    }
};
void switch_context(Context& from, Context& to) { swapcontext(&from.context, &to.context); }
#endif

// ---- memory with guard pages ----------------------------------------------------------------
// A mapping whose usable bytes end where an inaccessible page begins.
class GuardedMemory {
public:
    GuardedMemory() = default;
    explicit GuardedMemory(std::size_t bytes) {
        const std::size_t usable = round_up(std::max<std::size_t>(bytes, 1), page_size());
        m_length = usable + page_size();
        void* base = mmap(nullptr, m_length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (base == MAP_FAILED) {
            m_length = 0;
            return;
        }
        m_base = static_cast<unsigned char*>(base);
        mprotect(m_base + usable, page_size(), PROT_NONE);
        m_end = m_base + usable;
    }
    GuardedMemory(const GuardedMemory&) = delete;
    GuardedMemory& operator=(const GuardedMemory&) = delete;
    GuardedMemory(GuardedMemory&& other) noexcept { *this = std::move(other); }
    GuardedMemory& operator=(GuardedMemory&& other) noexcept {
        std::swap(m_base, other.m_base);
        std::swap(m_end, other.m_end);
        std::swap(m_length, other.m_length);
        return *this;
    }
    ~GuardedMemory() {
        if (m_base != nullptr) munmap(m_base, m_length);
    }
    [[nodiscard]] bool ok() const { return m_base != nullptr; }
    // The first byte of the last `bytes` (rounded up to 16) before the guard page.
    [[nodiscard]] unsigned char* tail(std::size_t bytes) const { return m_end - round_up(bytes, 16); }
    [[nodiscard]] unsigned char* base() const { return m_base; }
    [[nodiscard]] unsigned char* end() const { return m_end; }

private:
    unsigned char* m_base = nullptr;
    unsigned char* m_end = nullptr;
    std::size_t m_length = 0;
};

// ---- one block's threads -------------------------------------------------------------------
enum class Kind { none, shuffle, syncwarp, vote, match, reduce, ldmatrix, mma };

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::none: return "nothing";
        case Kind::shuffle: return "__shfl_*_sync";
        case Kind::vote: return "__ballot_sync";
        case Kind::match: return "__match_*_sync";
        case Kind::reduce: return "__reduce_*_sync";
        case Kind::syncwarp: return "__syncwarp";
        case Kind::ldmatrix: return "ldmatrix";
        case Kind::mma: return "mma.sync";
    }
    return "?";
}

struct Copy {
    void* destination;
    const void* source;  // null: zero fill
};

struct Fiber {
    Context context;
    detail::ThreadState state;
    int index = 0;
    int warp = 0;
    int lane = 0;
    std::vector<Copy> open_group;               // cp.async not yet committed
    std::vector<std::vector<Copy>> committed;  // oldest first
};

struct Warp {
    int lanes = 0;
    int arrived = 0;
    int exited = 0;
    Kind kind = Kind::none;
    std::uint32_t modifier = 0;  // what must match across lanes: xor mask, transpose, element type
    std::uint32_t in[k_warp][10] = {};
    const void* address[k_warp] = {};
    std::uint32_t out[k_warp][4] = {};
};

struct Block {
    Context scheduler;
    char fault[160] = {};  // what a memory fault in a thread hit, written by the signal handler
    std::vector<Fiber> fibers;
    std::vector<Warp> warps;
    std::vector<int> ready;
    std::size_t ready_head = 0;
    int barrier_arrived = 0;
    int exited = 0;  // threads that have finished
    unsigned char* shared = nullptr;
    std::size_t shared_bytes = 0;
    std::vector<const void*> static_shared;  // the static __shared__ variables poisoned in this block
    std::uint64_t random = 0;
    std::string failure;
    void (*body)(void*) = nullptr;
    void* context = nullptr;
};

thread_local Block* t_block = nullptr;
thread_local Fiber* t_fiber = nullptr;
thread_local std::string t_last_failure;

void push_ready(Block& block, int index) { block.ready.push_back(index); }

// The next thread to run, or -1: in order (first come, first served) or at random.
int pop_ready(Block& block) {
    const std::size_t waiting = block.ready.size() - block.ready_head;
    if (waiting == 0) return -1;
    if (device().schedule_seed != 0) {
        block.random ^= block.random << 13;
        block.random ^= block.random >> 7;
        block.random ^= block.random << 17;
        std::swap(block.ready[block.ready_head], block.ready[block.ready_head + block.random % waiting]);
    }
    const int index = block.ready[block.ready_head++];
    if (block.ready_head > 4096 && block.ready_head * 2 > block.ready.size()) {
        block.ready.erase(block.ready.begin(), block.ready.begin() + static_cast<std::ptrdiff_t>(block.ready_head));
        block.ready_head = 0;
    }
    return index;
}

void yield_to_scheduler() {
    Fiber& fiber = *t_fiber;
    switch_context(fiber.context, t_block->scheduler);
}

// A thread that waits (or has finished) hands the CPU straight to the next ready thread, which
// halves the switches of going through the scheduler; the scheduler takes over only when none is
// ready. Whoever switches to a thread sets t_fiber first.
void run_next() {
    Block& block = *t_block;
    Fiber& fiber = *t_fiber;
    const int next = pop_ready(block);
    if (next < 0) {
        switch_context(fiber.context, block.scheduler);
        return;
    }
    t_fiber = &block.fibers[next];
    switch_context(fiber.context, t_fiber->context);
}

std::string thread_name(const Fiber& fiber) {
    return "thread " + std::to_string(fiber.index) + " (warp " + std::to_string(fiber.warp) + ", lane " +
           std::to_string(fiber.lane) + ")";
}

[[noreturn]] void fail(const std::string& message) {
    Block& block = *t_block;
    if (block.failure.empty()) block.failure = message;
    yield_to_scheduler();
    std::abort();  // a failed thread is never resumed
}

// A thread that touches memory outside its buffers (a guard page, or anything unmapped) ends
// its launch with a failure naming the thread and address instead of killing the process. The
// handler runs on its own stack and switches straight to the scheduler; the faulting thread is
// never resumed.
void on_fault(int signal, siginfo_t* info, void*) {
    Block* block = t_block;
    Fiber* fiber = t_fiber;
    if (block == nullptr || fiber == nullptr) {
        std::signal(signal, SIG_DFL);  // not the emulator's: fault again, the default way
        return;
    }
    std::snprintf(block->fault, sizeof block->fault, "thread %d (warp %d, lane %d) accessed %p, outside every buffer",
                  fiber->index, fiber->warp, fiber->lane, info->si_addr);
    switch_context(fiber->context, block->scheduler);
}

class FaultHandler {
public:
    FaultHandler() : m_stack(64 * 1024) {
        stack_t stack{};
        stack.ss_sp = m_stack.base();
        stack.ss_size = 64 * 1024;
        sigaltstack(&stack, &m_old_stack);
        struct sigaction action {};
        action.sa_sigaction = &on_fault;
        action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
        sigemptyset(&action.sa_mask);
        sigaction(SIGSEGV, &action, &m_old_segv);
        sigaction(SIGBUS, &action, &m_old_bus);
    }
    FaultHandler(const FaultHandler&) = delete;
    FaultHandler& operator=(const FaultHandler&) = delete;
    ~FaultHandler() {
        sigaction(SIGSEGV, &m_old_segv, nullptr);
        sigaction(SIGBUS, &m_old_bus, nullptr);
        sigaltstack(&m_old_stack, nullptr);
    }

private:
    GuardedMemory m_stack;
    stack_t m_old_stack{};
    struct sigaction m_old_segv {};
    struct sigaction m_old_bus {};
};

void perform(const Copy& copy) {
    if (copy.source == nullptr)
        std::memset(copy.destination, 0, 16);
    else
        std::memcpy(copy.destination, copy.source, 16);
}

bool in_dynamic_shared(const Block& block, const void* pointer, std::size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(pointer);
    return block.shared != nullptr && p >= block.shared && p + bytes <= block.shared + block.shared_bytes;
}

void fiber_entry() {
    Block& block = *t_block;
    Fiber& fiber = *t_fiber;
    block.body(block.context);
    // Outstanding copies land eventually; a thread that exits without waiting still wrote them.
    for (auto& group : fiber.committed)
        for (const Copy& copy : group) perform(copy);
    for (const Copy& copy : fiber.open_group) perform(copy);
    fiber.committed.clear();
    fiber.open_group.clear();
    Warp& warp = block.warps[fiber.warp];
    if (block.barrier_arrived > 0)
        fail(thread_name(fiber) + " exited while " + std::to_string(block.barrier_arrived) +
             " threads wait at __syncthreads");
    if (warp.arrived > 0)
        fail(thread_name(fiber) + " exited while its warp waits at " + kind_name(warp.kind));
    ++block.exited;
    ++warp.exited;
    run_next();
    std::abort();  // a finished thread is never resumed
}

// Device::swap_lanes, the test-only fault: two lanes' results of `operation` exchanged.
void swap_lanes_if_asked(Warp& warp, Device::LaneSwap::Operation operation) {
    const Device::LaneSwap& swap = device().swap_lanes;
    if (swap.operation != operation) return;
    for (int i = 0; i < 4; ++i) std::swap(warp.out[swap.lanes[0]][i], warp.out[swap.lanes[1]][i]);
}

// Lane side of a warp collective: check, deposit, wait; returns when the warp has computed.
template <typename Compute>
void collective(Kind kind, std::uint32_t modifier, Compute&& compute) {
    Block& block = *t_block;
    Fiber& fiber = *t_fiber;
    Warp& warp = block.warps[fiber.warp];
    if (warp.lanes != k_warp)
        fail(std::string(kind_name(kind)) + " in a partial warp of " + std::to_string(warp.lanes) + " threads");
    if (warp.exited > 0)
        fail(thread_name(fiber) + " reached " + kind_name(kind) + " after other lanes of its warp exited");
    if (warp.arrived == 0) {
        warp.kind = kind;
        warp.modifier = modifier;
    } else if (warp.kind != kind || warp.modifier != modifier) {
        fail("divergent warp: " + thread_name(fiber) + " reached " + kind_name(kind) + " while other lanes wait at " +
             kind_name(warp.kind) + (warp.kind == kind ? " with other operands" : ""));
    }
    if (++warp.arrived < k_warp) {
        run_next();
        return;
    }
    compute(warp);
    warp.arrived = 0;
    warp.kind = Kind::none;
    const int first = fiber.warp * k_warp;
    for (int lane = 0; lane < k_warp; ++lane)
        if (first + lane != fiber.index) push_ready(block, first + lane);
}

float element_to_float(std::uint16_t bits, detail::Element element) {
    return element == detail::Element::f16 ? half_to_float(bits) : bf16_to_float(bits);
}

// ---- the grid --------------------------------------------------------------------------------
struct Runtime {
    std::mutex mutex;
    std::map<const void*, int> max_dynamic_shared;
    struct Allocation {
        GuardedMemory memory;
        std::size_t bytes = 0;  // as asked for, counted against Device::memory_bytes
    };
    std::map<void*, Allocation> allocations;
    std::size_t allocated_bytes = 0;
    cudaError_t last_error = cudaSuccess;       // returned (and cleared) by cudaGetLastError
    cudaError_t execution_error = cudaSuccess;  // returned (and cleared) by cudaDeviceSynchronize
};

Runtime& runtime() {
    static Runtime value;
    return value;
}

cudaError_t launch_failed(cudaError_t error, std::string message, bool execution) {
    t_last_failure = std::move(message);
    Runtime& rt = runtime();
    rt.last_error = error;
    if (execution) rt.execution_error = error;
    return error;
}

// Runs every thread of one block to completion; the failure, if any, in one line.
std::string run_block(Block& block, GuardedMemory& stacks, std::size_t threads) {
    block.ready.clear();
    block.ready_head = 0;
    block.barrier_arrived = 0;
    block.exited = 0;
    block.failure.clear();
    block.fault[0] = '\0';
    for (std::size_t i = 0; i < threads; ++i) {
        Fiber& fiber = block.fibers[i];
        fiber.open_group.clear();
        fiber.committed.clear();
        fiber.context.prepare(stacks.base() + (i + 1) * k_stack_bytes, &fiber_entry);
        block.ready.push_back(static_cast<int>(i));
    }
    for (Warp& warp : block.warps) {
        warp.arrived = 0;
        warp.exited = 0;
        warp.kind = Kind::none;
    }
    if (block.shared != nullptr) std::memset(block.shared, 0xff, block.shared_bytes);
    block.static_shared.clear();

    while (block.failure.empty() && block.fault[0] == '\0') {
        const int next = pop_ready(block);
        if (next < 0) break;
        t_fiber = &block.fibers[next];
        switch_context(block.scheduler, t_fiber->context);
    }
    t_fiber = nullptr;
    if (block.fault[0] != '\0') return block.fault;
    if (!block.failure.empty()) return block.failure;
    if (block.exited == static_cast<int>(threads)) return "";
    // Nobody can run and not everyone has finished.
    std::string message = "deadlock: ";
    if (block.barrier_arrived > 0) message += std::to_string(block.barrier_arrived) + " threads wait at __syncthreads";
    for (std::size_t w = 0; w < block.warps.size(); ++w)
        if (block.warps[w].arrived > 0)
            message += std::string(message.size() > 10 ? "; " : "") + std::to_string(block.warps[w].arrived) +
                       " lanes of warp " + std::to_string(w) + " wait at " + kind_name(block.warps[w].kind);
    return message;
}

}  // namespace

const std::string& last_failure() { return t_last_failure; }

cudaError_t set_max_dynamic_shared(const void* kernel, int bytes) {
    if (bytes < 0 || bytes > device().max_shared_optin)
        return launch_failed(cudaErrorInvalidValue,
                             "cudaFuncSetAttribute: " + std::to_string(bytes) + " bytes of dynamic shared memory is more than the device's " +
                                 std::to_string(device().max_shared_optin),
                             false);
    std::lock_guard lock(runtime().mutex);
    runtime().max_dynamic_shared[kernel] = bytes;
    return cudaSuccess;
}

cudaError_t launch(const void* kernel, dim3 grid, dim3 block_dim, std::size_t dynamic_shared, void (*body)(void*),
                   void* context) {
    const std::size_t threads = static_cast<std::size_t>(block_dim.x) * block_dim.y * block_dim.z;
    if (threads == 0 || threads > 1024 || block_dim.z > 64)
        return launch_failed(cudaErrorInvalidConfiguration,
                             "launch: a block of " + std::to_string(threads) + " threads (1 to 1024 allowed)", false);
    if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.x > 2147483647u || grid.y > 65535 || grid.z > 65535)
        return launch_failed(cudaErrorInvalidConfiguration,
                             "launch: grid " + std::to_string(grid.x) + "x" + std::to_string(grid.y) + "x" +
                                 std::to_string(grid.z) + " is outside the device's limits",
                             false);
    if (dynamic_shared > k_default_shared) {
        int allowed = 0;
        {
            std::lock_guard lock(runtime().mutex);
            const auto found = runtime().max_dynamic_shared.find(kernel);
            if (found != runtime().max_dynamic_shared.end()) allowed = found->second;
        }
        if (static_cast<std::size_t>(allowed) < dynamic_shared)
            return launch_failed(cudaErrorInvalidValue,
                                 "launch: " + std::to_string(dynamic_shared) +
                                     " bytes of dynamic shared memory without cudaFuncSetAttribute allowing them",
                                 false);
    }
    if (t_block != nullptr) return launch_failed(cudaErrorLaunchFailure, "launch: from inside a kernel", false);

    GuardedMemory stacks(threads * k_stack_bytes);
    GuardedMemory shared(dynamic_shared);
    if (!stacks.ok() || !shared.ok()) return launch_failed(cudaErrorMemoryAllocation, "launch: out of host memory", true);
    // Each stack's lowest page is inaccessible, so an overflow faults instead of corrupting.
    for (std::size_t i = 0; i < threads; ++i) mprotect(stacks.base() + i * k_stack_bytes, page_size(), PROT_NONE);

    auto block = std::make_unique<Block>();
    block->fibers.resize(threads);
    block->warps.resize((threads + k_warp - 1) / k_warp);
    for (std::size_t i = 0; i < threads; ++i) {
        Fiber& fiber = block->fibers[i];
        fiber.index = static_cast<int>(i);
        fiber.warp = static_cast<int>(i / k_warp);
        fiber.lane = static_cast<int>(i % k_warp);
        fiber.state.thread_idx = dim3(static_cast<unsigned>(i % block_dim.x),
                                      static_cast<unsigned>(i / block_dim.x % block_dim.y),
                                      static_cast<unsigned>(i / (block_dim.x * block_dim.y)));
        fiber.state.block_dim = block_dim;
        fiber.state.grid_dim = grid;
    }
    for (std::size_t w = 0; w < block->warps.size(); ++w)
        block->warps[w].lanes = static_cast<int>(std::min<std::size_t>(k_warp, threads - w * k_warp));
    block->shared = dynamic_shared > 0 ? shared.tail(dynamic_shared) : nullptr;
    block->shared_bytes = dynamic_shared;
    block->body = body;
    block->context = context;
    block->random = device().schedule_seed * 0x9e3779b97f4a7c15ull + 1;

    const FaultHandler fault_handler;
    t_block = block.get();
    std::string failure;
    for (unsigned z = 0; z < grid.z && failure.empty(); ++z)
        for (unsigned y = 0; y < grid.y && failure.empty(); ++y)
            for (unsigned x = 0; x < grid.x && failure.empty(); ++x) {
                for (Fiber& fiber : block->fibers) fiber.state.block_idx = dim3(x, y, z);
                failure = run_block(*block, stacks, threads);
                if (!failure.empty())
                    failure = "block (" + std::to_string(x) + "," + std::to_string(y) + "," + std::to_string(z) +
                              "): " + failure;
            }
    t_block = nullptr;
    if (!failure.empty()) return launch_failed(cudaErrorLaunchFailure, failure, true);
    return cudaSuccess;
}

namespace detail {

ThreadState& current() {
    if (t_fiber == nullptr) {
        std::fputs("simt: threadIdx or blockIdx read outside a kernel\n", stderr);
        std::abort();
    }
    return t_fiber->state;
}

unsigned char* dynamic_shared() { return t_block == nullptr ? nullptr : t_block->shared; }

void static_shared(void* variable, std::size_t bytes) {
    if (t_block == nullptr) return;
    std::vector<const void*>& poisoned = t_block->static_shared;
    if (std::find(poisoned.begin(), poisoned.end(), variable) != poisoned.end()) return;
    std::memset(variable, 0xff, bytes);
    poisoned.push_back(variable);
}

void fail_unsupported(const char* what) { fail(std::string("not emulated: ") + what); }

void misaligned(const char* operation, const void* address) {
    char text[64];
    std::snprintf(text, sizeof text, "%p", address);
    fail(std::string(operation) + ": " + thread_name(*t_fiber) + " read the misaligned address " + text);
}

void syncthreads() {
    Block& block = *t_block;
    Fiber& fiber = *t_fiber;
    if (block.exited > 0)
        fail(thread_name(fiber) + " reached __syncthreads after " + std::to_string(block.exited) +
             " threads of its block exited");
    if (++block.barrier_arrived < static_cast<int>(block.fibers.size())) {
        run_next();
        return;
    }
    block.barrier_arrived = 0;
    for (const Fiber& other : block.fibers)
        if (other.index != fiber.index) push_ready(block, other.index);
}

void syncwarp() {
    collective(Kind::syncwarp, 0, [](Warp&) {});
}

void full_mask(unsigned mask, const char* operation) {
    if (mask != 0xffffffffu) {
        char text[16];
        std::snprintf(text, sizeof text, "%#x", mask);
        fail(std::string(operation) + " with mask " + text + ": the emulator runs full-warp masks only");
    }
}

// Each lane reads `value` of the lane its own operand names (width 32): shfl.sync.bfly, .idx,
// .up and .down. For .up and .down a lane whose source is outside the warp keeps its own value.
// The operation must be the same in every lane; the operand may differ (an .idx lane index).
std::uint32_t shuffle(Shuffle kind, unsigned mask, std::uint32_t value, int operand) {
    static const char* const names[] = {"__shfl_xor_sync", "__shfl_sync", "__shfl_up_sync", "__shfl_down_sync"};
    const auto index = static_cast<int>(kind);
    full_mask(mask, names[index]);
    const int lane = t_fiber->lane;
    Warp& warp = t_block->warps[t_fiber->warp];
    warp.in[lane][0] = value;
    warp.in[lane][1] = static_cast<std::uint32_t>(operand);
    collective(Kind::shuffle, static_cast<std::uint32_t>(index), [kind](Warp& w) {
        for (int l = 0; l < k_warp; ++l) {
            const auto operand_l = static_cast<int>(w.in[l][1]);
            int source = l;
            switch (kind) {
                case Shuffle::xor_lanes: source = (l ^ operand_l) < k_warp ? l ^ operand_l : l; break;
                case Shuffle::index: source = operand_l & (k_warp - 1); break;
                case Shuffle::up: source = l - operand_l >= 0 ? l - operand_l : l; break;
                case Shuffle::down: source = l + operand_l < k_warp ? l + operand_l : l; break;
            }
            w.out[l][0] = w.in[source][0];
        }
    });
    return warp.out[lane][0];
}

std::uint32_t ballot(unsigned mask, bool predicate) {
    full_mask(mask, "__ballot_sync");
    const int lane = t_fiber->lane;
    Warp& warp = t_block->warps[t_fiber->warp];
    warp.in[lane][0] = predicate ? 1u : 0u;
    collective(Kind::vote, 0, [](Warp& w) {
        std::uint32_t bits = 0;
        for (int l = 0; l < k_warp; ++l) bits |= w.in[l][0] << l;
        for (int l = 0; l < k_warp; ++l) w.out[l][0] = bits;
    });
    return warp.out[lane][0];
}

std::uint32_t match(unsigned mask, std::uint64_t value, int bytes, bool all) {
    full_mask(mask, all ? "__match_all_sync" : "__match_any_sync");
    const int lane = t_fiber->lane;
    Warp& warp = t_block->warps[t_fiber->warp];
    warp.in[lane][0] = static_cast<std::uint32_t>(value);
    warp.in[lane][1] = static_cast<std::uint32_t>(value >> 32);
    // The value's width and any/all must agree across the warp.
    collective(Kind::match, static_cast<std::uint32_t>(bytes) * 2 + (all ? 1u : 0u), [all](Warp& w) {
        bool every = true;
        for (int l = 0; l < k_warp; ++l) {
            std::uint32_t same = 0;
            for (int o = 0; o < k_warp; ++o)
                if (w.in[o][0] == w.in[l][0] && w.in[o][1] == w.in[l][1]) same |= 1u << o;
            w.out[l][0] = same;
            every = every && same == 0xffffffffu;
        }
        if (all)
            for (int l = 0; l < k_warp; ++l) w.out[l][0] = every ? 0xffffffffu : 0u;
    });
    return warp.out[lane][0];
}

std::uint32_t reduce(unsigned mask, std::uint32_t value, Reduce op) {
    full_mask(mask, "__reduce_*_sync");
    const int lane = t_fiber->lane;
    Warp& warp = t_block->warps[t_fiber->warp];
    warp.in[lane][0] = value;
    collective(Kind::reduce, static_cast<std::uint32_t>(op), [op](Warp& w) {
        std::uint32_t r = w.in[0][0];
        for (int l = 1; l < k_warp; ++l) {
            const std::uint32_t v = w.in[l][0];
            switch (op) {
                case Reduce::add: r += v; break;
                case Reduce::min_unsigned: r = v < r ? v : r; break;
                case Reduce::max_unsigned: r = v > r ? v : r; break;
                case Reduce::min_signed:
                    r = static_cast<std::int32_t>(v) < static_cast<std::int32_t>(r) ? v : r;
                    break;
                case Reduce::max_signed:
                    r = static_cast<std::int32_t>(v) > static_cast<std::int32_t>(r) ? v : r;
                    break;
                case Reduce::bit_and: r &= v; break;
                case Reduce::bit_or: r |= v; break;
                case Reduce::bit_xor: r ^= v; break;
            }
        }
        for (int l = 0; l < k_warp; ++l) w.out[l][0] = r;
    });
    return warp.out[lane][0];
}

// ldmatrix.sync.aligned.m8n8.x4[.trans].shared.b16: lanes 8i..8i+7 give the addresses of the
// eight 16-byte rows of matrix i. Without .trans, register i of lane l holds row l/4, elements
// 2(l%4) and 2(l%4)+1 of matrix i; with .trans, elements (2(l%4), l/4) and (2(l%4)+1, l/4).
void ldmatrix_x4(std::uint32_t (&r)[4], const void* row_address, bool transposed) {
    Block& block = *t_block;
    const int lane = t_fiber->lane;
    if (reinterpret_cast<std::uintptr_t>(row_address) % 16 != 0 || !in_dynamic_shared(block, row_address, 16))
        fail("ldmatrix: " + thread_name(*t_fiber) + " gave a row address that is not 16 aligned bytes of dynamic shared memory");
    block.warps[t_fiber->warp].address[lane] = row_address;
    collective(Kind::ldmatrix, transposed ? 1u : 0u, [transposed](Warp& warp) {
        auto element = [&warp](int matrix, int row, int column) {
            std::uint16_t value = 0;
            std::memcpy(&value, static_cast<const unsigned char*>(warp.address[8 * matrix + row]) + 2 * column, 2);
            return static_cast<std::uint32_t>(value);
        };
        for (int l = 0; l < k_warp; ++l)
            for (int m = 0; m < 4; ++m) {
                const int a = l / 4;
                const int b = 2 * (l % 4);
                warp.out[l][m] = transposed ? element(m, b, a) | (element(m, b + 1, a) << 16)
                                            : element(m, a, b) | (element(m, a, b + 1) << 16);
            }
        swap_lanes_if_asked(warp, Device::LaneSwap::Operation::ldmatrix);
    });
    for (int m = 0; m < 4; ++m) r[m] = block.warps[t_fiber->warp].out[lane][m];
}

// mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}: with g = lane/4 and t = lane%4,
// A (16x16): a0 = (g, 2t..2t+1), a1 = (g+8, 2t..), a2 = (g, 2t+8..), a3 = (g+8, 2t+8..);
// B (16x8, k x n): b0 = (k 2t..2t+1, n g), b1 = (k 2t+8..2t+9, n g);
// C, D (16x8 fp32): d0, d1 = (g, 2t..2t+1), d2, d3 = (g+8, 2t..2t+1).
// Each 32-bit register holds its lower-indexed element in the low 16 bits.
void mma_m16n8k16(float (&d)[4], const std::uint32_t (&a)[4], std::uint32_t b0, std::uint32_t b1, Element element) {
    Block& block = *t_block;
    const int lane = t_fiber->lane;
    std::uint32_t* in = block.warps[t_fiber->warp].in[lane];
    for (int i = 0; i < 4; ++i) in[i] = a[i];
    in[4] = b0;
    in[5] = b1;
    for (int i = 0; i < 4; ++i) std::memcpy(&in[6 + i], &d[i], 4);
    collective(Kind::mma, static_cast<std::uint32_t>(element), [element](Warp& warp) {
        float A[16][16];
        float B[16][8];
        float C[16][8];
        auto low = [element](std::uint32_t bits) { return element_to_float(static_cast<std::uint16_t>(bits & 0xffffu), element); };
        auto high = [element](std::uint32_t bits) { return element_to_float(static_cast<std::uint16_t>(bits >> 16), element); };
        for (int l = 0; l < k_warp; ++l) {
            const int g = l / 4;
            const int t = l % 4;
            const std::uint32_t* x = warp.in[l];
            for (int half = 0; half < 2; ++half) {
                const int row = g + 8 * half;
                A[row][2 * t] = low(x[half]);
                A[row][2 * t + 1] = high(x[half]);
                A[row][2 * t + 8] = low(x[2 + half]);
                A[row][2 * t + 9] = high(x[2 + half]);
                std::memcpy(&C[row][2 * t], &x[6 + 2 * half], 4);
                std::memcpy(&C[row][2 * t + 1], &x[7 + 2 * half], 4);
            }
            B[2 * t][g] = low(x[4]);
            B[2 * t + 1][g] = high(x[4]);
            B[2 * t + 8][g] = low(x[5]);
            B[2 * t + 9][g] = high(x[5]);
        }
        for (int l = 0; l < k_warp; ++l) {
            const int g = l / 4;
            const int t = l % 4;
            for (int i = 0; i < 4; ++i) {
                const int row = g + 8 * (i / 2);
                const int column = 2 * t + i % 2;
                float sum = C[row][column];
                for (int k = 0; k < 16; ++k) sum += A[row][k] * B[k][column];
                std::memcpy(&warp.out[l][i], &sum, 4);
            }
        }
        swap_lanes_if_asked(warp, Device::LaneSwap::Operation::mma);
    });
    for (int i = 0; i < 4; ++i) std::memcpy(&d[i], &block.warps[t_fiber->warp].out[lane][i], 4);
}

void cp_async_16(void* shared_destination, const void* global_source, bool in_bounds) {
    Block& block = *t_block;
    if (reinterpret_cast<std::uintptr_t>(shared_destination) % 16 != 0 ||
        !in_dynamic_shared(block, shared_destination, 16))
        fail("cp.async: " + thread_name(*t_fiber) + " wrote outside 16 aligned bytes of dynamic shared memory");
    if (in_bounds && reinterpret_cast<std::uintptr_t>(global_source) % 16 != 0)
        fail("cp.async: " + thread_name(*t_fiber) + " read a global address that is not 16-byte aligned");
    const Copy copy{shared_destination, in_bounds ? global_source : nullptr};
    if (device().copies == Device::Copies::land_at_issue)
        perform(copy);
    else
        t_fiber->open_group.push_back(copy);
}

void cp_async_commit() {
    Fiber& fiber = *t_fiber;
    fiber.committed.push_back(std::move(fiber.open_group));
    fiber.open_group.clear();
}

void cp_async_wait(int pending) {
    Fiber& fiber = *t_fiber;
    const auto keep = static_cast<std::size_t>(std::max(pending, 0));
    while (fiber.committed.size() > keep) {
        for (const Copy& copy : fiber.committed.front()) perform(copy);
        fiber.committed.erase(fiber.committed.begin());
    }
}

}  // namespace detail
}  // namespace optiloop::simt

// ---- runtime API ---------------------------------------------------------------------------
using optiloop::simt::runtime;

cudaError_t cudaMalloc(void** pointer, std::size_t bytes) {
    auto& rt = runtime();
    std::lock_guard lock(rt.mutex);
    const std::size_t total = optiloop::simt::device().memory_bytes;
    if (bytes > total - std::min(rt.allocated_bytes, total)) return cudaErrorMemoryAllocation;
    optiloop::simt::GuardedMemory memory(bytes);
    if (!memory.ok()) return cudaErrorMemoryAllocation;
    void* data = memory.tail(bytes);
    auto& allocation = rt.allocations[data];
    allocation.memory = std::move(memory);
    allocation.bytes = bytes;
    rt.allocated_bytes += bytes;
    *pointer = data;
    return cudaSuccess;
}

cudaError_t cudaFree(void* pointer) {
    if (pointer == nullptr) return cudaSuccess;
    auto& rt = runtime();
    std::lock_guard lock(rt.mutex);
    const auto found = rt.allocations.find(pointer);
    if (found == rt.allocations.end()) return cudaErrorInvalidValue;
    rt.allocated_bytes -= found->second.bytes;
    rt.allocations.erase(found);
    return cudaSuccess;
}

cudaError_t cudaMemGetInfo(std::size_t* free_bytes, std::size_t* total_bytes) {
    auto& rt = runtime();
    std::lock_guard lock(rt.mutex);
    const std::size_t total = optiloop::simt::device().memory_bytes;
    *total_bytes = total;
    *free_bytes = total - std::min(rt.allocated_bytes, total);
    return cudaSuccess;
}

cudaError_t cudaMemcpy(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind) {
    if (bytes > 0) std::memmove(destination, source, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemset(void* destination, int value, std::size_t bytes) {
    if (bytes > 0) std::memset(destination, value, bytes);
    return cudaSuccess;
}

cudaError_t cudaMemcpyAsync(void* destination, const void* source, std::size_t bytes, cudaMemcpyKind kind,
                            cudaStream_t) {
    return cudaMemcpy(destination, source, bytes, kind);
}

cudaError_t cudaMemsetAsync(void* destination, int value, std::size_t bytes, cudaStream_t) {
    return cudaMemset(destination, value, bytes);
}

cudaError_t cudaMallocAsync(void** pointer, std::size_t bytes, cudaStream_t) { return cudaMalloc(pointer, bytes); }

cudaError_t cudaFreeAsync(void* pointer, cudaStream_t) { return cudaFree(pointer); }

cudaError_t cudaDeviceGetDefaultMemPool(cudaMemPool_t* pool, int device) {
    if (device != 0) return cudaErrorInvalidValue;
    *pool = nullptr;  // the one pool, which is not modelled
    return cudaSuccess;
}

cudaError_t cudaMemPoolSetAttribute(cudaMemPool_t, cudaMemPoolAttr, void* value) { return value ? cudaSuccess : cudaErrorInvalidValue; }

cudaError_t cudaDeviceSynchronize() {
    return std::exchange(runtime().execution_error, cudaSuccess);
}

cudaError_t cudaGetLastError() { return std::exchange(runtime().last_error, cudaSuccess); }

const char* cudaGetErrorName(cudaError_t error) {
    switch (error) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
        case cudaErrorLaunchFailure: return "cudaErrorLaunchFailure";
    }
    return "cudaErrorUnknown";
}

// The emulator's own account of the last failure, which says far more than CUDA's text would.
const char* cudaGetErrorString(cudaError_t error) {
    if (error == cudaSuccess) return "no error";
    const std::string& failure = optiloop::simt::last_failure();
    return failure.empty() ? cudaGetErrorName(error) : failure.c_str();
}

cudaError_t cudaGetDeviceCount(int* count) {
    *count = 1;
    return cudaSuccess;
}

cudaError_t cudaGetDevice(int* device) {
    *device = 0;
    return cudaSuccess;
}

cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attribute, int) {
    switch (attribute) {
        case cudaDevAttrMultiProcessorCount: *value = optiloop::simt::device().sm_count; return cudaSuccess;
        case cudaDevAttrComputeCapabilityMajor: *value = 9; return cudaSuccess;
        case cudaDevAttrComputeCapabilityMinor: *value = 0; return cudaSuccess;
        case cudaDevAttrL2CacheSize: *value = optiloop::simt::device().l2_bytes; return cudaSuccess;
    }
    return cudaErrorInvalidValue;
}

cudaError_t cudaGetDeviceProperties(cudaDeviceProp* properties, int) {
    const optiloop::simt::Device& device = optiloop::simt::device();
    *properties = cudaDeviceProp{};
    std::snprintf(properties->name, sizeof properties->name, "optiloop SIMT emulator (CPU; its times are not a GPU's)");
    properties->totalGlobalMem = device.memory_bytes;
    properties->multiProcessorCount = device.sm_count;
    properties->major = 9;
    properties->minor = 0;
    properties->l2CacheSize = device.l2_bytes;
    return cudaSuccess;
}

struct CUevent_st {
    std::chrono::steady_clock::time_point at{};
    bool recorded = false;
};

cudaError_t cudaEventCreate(cudaEvent_t* event) {
    *event = new CUevent_st;
    return cudaSuccess;
}

cudaError_t cudaEventDestroy(cudaEvent_t event) {
    delete event;
    return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t) {
    if (event == nullptr) return cudaErrorInvalidValue;
    event->at = std::chrono::steady_clock::now();
    event->recorded = true;
    return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t event) { return event == nullptr ? cudaErrorInvalidValue : cudaSuccess; }

cudaError_t cudaEventElapsedTime(float* milliseconds, cudaEvent_t begin, cudaEvent_t end) {
    if (begin == nullptr || end == nullptr || !begin->recorded || !end->recorded) return cudaErrorInvalidValue;
    *milliseconds = std::chrono::duration<float, std::milli>(end->at - begin->at).count();
    return cudaSuccess;
}

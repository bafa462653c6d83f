#include <array>
#include <utility>

#include <optiloop/core/model.hpp>

namespace optiloop::core {
namespace {

template <class Enum, std::size_t N>
std::optional<Enum> lookup(const std::array<std::pair<Enum, std::string_view>, N>& table,
                           std::string_view text) {
    for (const auto& [value, name] : table) {
        if (name == text) return value;
    }
    return std::nullopt;
}

template <class Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
    for (const auto& [v, name] : table) {
        if (v == value) return name;
    }
    return "?";
}

constexpr std::array<std::pair<Verdict, std::string_view>, 8> k_verdicts{{
    {Verdict::ok, "OK"},
    {Verdict::wrong_answer, "WA"},
    {Verdict::compile_error, "CE"},
    {Verdict::runtime_error, "RE"},
    {Verdict::time_limit, "TLE"},
    {Verdict::memory_limit, "MLE"},
    {Verdict::output_limit, "OLE"},
    {Verdict::security, "SECURITY"},
}};

constexpr std::array<std::pair<CounterKind, std::string_view>, 5> k_counters{{
    {CounterKind::perf, "perf"},
    {CounterKind::cachegrind, "cachegrind"},
    {CounterKind::callgrind, "callgrind"},
    {CounterKind::harness, "harness"},
    {CounterKind::none, "none"},
}};

}  // namespace

std::string_view to_string(Verdict verdict) { return name_of(k_verdicts, verdict); }
std::optional<Verdict> verdict_from_string(std::string_view text) { return lookup(k_verdicts, text); }
std::string_view to_string(CounterKind kind) { return name_of(k_counters, kind); }
std::optional<CounterKind> counter_from_string(std::string_view text) {
    return lookup(k_counters, text);
}

std::string_view to_string(Language language) {
    return language == Language::cpp ? "cpp" : "cuda";
}

std::string_view to_string(TaskKind kind) {
    switch (kind) {
        case TaskKind::stdio: return "stdio";
        case TaskKind::function: return "function";
        case TaskKind::cuda_kernel: return "cuda-kernel";
        case TaskKind::repository: return "repository";
    }
    return "?";
}

std::string_view to_string(CheckerType type) {
    switch (type) {
        case CheckerType::exact: return "exact";
        case CheckerType::tokens: return "tokens";
        case CheckerType::floating: return "float";
        case CheckerType::program: return "program";
    }
    return "?";
}

}  // namespace optiloop::core

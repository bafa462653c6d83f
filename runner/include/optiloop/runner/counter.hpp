// Instruction counters. perf_event (user-space instructions, event named through libpfm4) when
// the machine really has hardware counters, found by opening one on a calibration child;
// otherwise valgrind's cachegrind with no cache simulation, summed over every process of the
// run. Counts from different counters are never compared.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::runner {

struct CounterProbe {
    core::CounterKind kind = core::CounterKind::none;  // the best that works here
    bool perf = false;
    bool valgrind = false;
    std::string perf_reason;      // why perf_event cannot count here
    std::string valgrind_reason;  // why valgrind cannot
    std::string perf_event;       // the event libpfm4 chose
};

// Probes once and caches.
const CounterProbe& probe_counters();

// Resolves "auto" (nullopt) to the best counter; an error when a forced one is unavailable.
core::Result<core::CounterKind> choose_counter(std::optional<core::CounterKind> forced);

// The instruction count of one cachegrind or callgrind record, read strictly: it must end with a
// newline, name the event Ir once, give its total once ("summary:" or "totals:", equal when both)
// on its last line as plain digits, and, when `program` is given, name that command once. Anything
// else is an error whose message says what is wrong (the program may have written the record).
core::Result<std::uint64_t> parse_valgrind_count(std::string_view record, std::string_view program = {});

// Sums the records of several processes (repository commands), each read as above; an overflow of
// the sum is an error too.
core::Result<std::uint64_t> sum_valgrind_totals(const std::vector<std::pair<std::string, std::string>>& files);

// Opens a user-space instruction counter on `pid` (inherited by its children, enabled when one
// of them execs) and returns its file descriptor, or -1.
int open_perf_counter(int pid);
std::optional<std::uint64_t> read_perf_counter(int fd);

// True when the binary contains valgrind's client-request preamble: a program that could
// toggle collection or test RUNNING_ON_VALGRIND is refused rather than trusted.
bool uses_valgrind_client_requests(const std::string& binary_bytes);

}  // namespace optiloop::runner

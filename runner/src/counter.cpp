#include <fcntl.h>
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <limits>
#include <optional>
#include <cstring>

#include <perfmon/pfmlib_perf_event.h>

#include <optiloop/runner/counter.hpp>

namespace optiloop::runner {

namespace {

std::optional<perf_event_attr> instruction_event(std::string& name, std::string& reason) {
    if (pfm_initialize() != PFM_SUCCESS) {
        reason = "libpfm4 could not initialise";
        return std::nullopt;
    }
    perf_event_attr attr{};
    pfm_perf_encode_arg_t arg{};
    arg.attr = &attr;
    arg.size = sizeof arg;
    char* fstr = nullptr;
    arg.fstr = &fstr;
    // User-space instructions retired, as libpfm4 names them for this PMU.
    const int rc = pfm_get_os_event_encoding("instructions", PFM_PLM3, PFM_OS_PERF_EVENT, &arg);
    if (rc != PFM_SUCCESS) {
        reason = std::string("libpfm4 has no instructions event: ") + pfm_strerror(rc);
        return std::nullopt;
    }
    if (fstr) {
        name = fstr;
        std::free(fstr);
    }
    attr.size = sizeof attr;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    attr.disabled = 1;
    attr.enable_on_exec = 1;
    attr.inherit = 1;
    return attr;
}

// Opens a counter on a child that execs /bin/true: libpfm4 names an event even on machines
// (like VMs without a virtual PMU) where opening it fails, so only a real count proves it.
bool calibrate(const perf_event_attr& base, std::string& reason) {
    int go[2];
    if (::pipe2(go, O_CLOEXEC) != 0) {
        reason = "pipe failed";
        return false;
    }
    const pid_t child = ::fork();
    if (child == 0) {
        char byte;
        if (::read(go[0], &byte, 1) != 1) ::_exit(1);
        ::execl("/bin/true", "true", static_cast<char*>(nullptr));
        ::_exit(1);
    }
    ::close(go[0]);
    perf_event_attr attr = base;
    const int fd = static_cast<int>(::syscall(SYS_perf_event_open, &attr, child, -1, -1, PERF_FLAG_FD_CLOEXEC));
    const int open_errno = errno;
    [[maybe_unused]] auto n = ::write(go[1], "x", 1);
    ::close(go[1]);
    ::waitpid(child, nullptr, 0);
    if (fd < 0) {
        reason = std::string("perf_event_open failed: ") + std::strerror(open_errno) +
                 (open_errno == ENOENT || open_errno == EOPNOTSUPP ? " (no hardware counters on this machine)" : "");
        return false;
    }
    std::uint64_t count = 0;
    const bool read_ok = ::read(fd, &count, sizeof count) == static_cast<ssize_t>(sizeof count);
    ::close(fd);
    if (!read_ok || count == 0) {
        reason = "the counter opened but counted nothing (no running time)";
        return false;
    }
    return true;
}

}  // namespace

const CounterProbe& probe_counters() {
    static const CounterProbe probe = [] {
        CounterProbe p;
        if (auto attr = instruction_event(p.perf_event, p.perf_reason)) p.perf = calibrate(*attr, p.perf_reason);
        p.valgrind = ::access("/usr/bin/valgrind", X_OK) == 0;
        if (!p.valgrind) p.valgrind_reason = "valgrind is not installed (apt-get install valgrind)";
        p.kind = p.perf ? core::CounterKind::perf : p.valgrind ? core::CounterKind::cachegrind : core::CounterKind::none;
        return p;
    }();
    return probe;
}

core::Result<core::CounterKind> choose_counter(std::optional<core::CounterKind> forced) {
    const CounterProbe& p = probe_counters();
    if (!forced) return p.kind;
    switch (*forced) {
        case core::CounterKind::perf:
            if (!p.perf) return core::fail(core::Error::infrastructure("--counter=perf: " + p.perf_reason));
            break;
        case core::CounterKind::cachegrind:
        case core::CounterKind::callgrind:
            if (!p.valgrind) return core::fail(core::Error::infrastructure("--counter=" + std::string(core::to_string(*forced)) + ": " + p.valgrind_reason));
            break;
        case core::CounterKind::harness:
        case core::CounterKind::none: break;
    }
    return *forced;
}

core::Result<std::uint64_t> parse_valgrind_count(std::string_view record, std::string_view program) {
    auto bad = [](const std::string& why) { return core::fail(core::Error::input("count record " + why)); };
    if (record.empty()) return bad("is missing: valgrind did not write it (the program ended abnormally or kept valgrind from writing)");
    if (record.back() != '\n') return bad("does not end with a newline (cut short)");
    auto trim = [](std::string_view v) {
        while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.remove_suffix(1);
        return v;
    };
    std::optional<std::uint64_t> summary, totals;
    int commands = 0, events = 0;
    bool total_last = false;
    std::size_t at = 0;
    while (at < record.size()) {
        const std::size_t end = record.find('\n', at);
        const std::string_view line = record.substr(at, end - at);
        at = end + 1;
        total_last = false;
        auto field = [&](std::string_view key) { return line.substr(0, key.size()) == key; };
        if (field("cmd:")) {
            ++commands;
            if (!program.empty() && trim(line.substr(4)) != program) return bad("names another command (" + std::string(trim(line.substr(4)).substr(0, 80)) + "), not " + std::string(program));
        } else if (field("events:")) {
            ++events;
            if (trim(line.substr(7)) != "Ir") return bad("counts events other than Ir alone");
        } else if (field("summary:") || field("totals:")) {
            std::optional<std::uint64_t>& slot = field("summary:") ? summary : totals;
            if (slot) return bad("has more than one " + std::string(field("summary:") ? "summary" : "totals") + " line");
            const std::string_view digits = trim(line.substr(field("summary:") ? 8 : 7));
            std::uint64_t value = 0;
            const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
            if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
                return bad("has a total that is not a whole number of instructions: '" + std::string(digits.substr(0, 40)) + "'");
            slot = value;
            total_last = true;
        }
    }
    if (events != 1) return bad("does not name its event exactly once");
    if (!program.empty() && commands != 1) return bad("does not name its command exactly once");
    if (!summary && !totals) return bad("has no total");
    if (summary && totals && *summary != *totals) return bad("has a summary and a totals line that differ");
    if (!total_last) return bad("does not end with its total (cut short or appended to)");
    return summary ? *summary : *totals;
}

core::Result<std::uint64_t> sum_valgrind_totals(const std::vector<std::pair<std::string, std::string>>& files) {
    std::uint64_t total = 0;
    for (const auto& [name, text] : files) {
        auto count = parse_valgrind_count(text);
        if (!count) return core::fail(core::Error::input(name + ": " + count.error().message));
        if (total > std::numeric_limits<std::uint64_t>::max() - *count) return core::fail(core::Error::input(name + ": the counts add up past 2^64"));
        total += *count;
    }
    if (files.empty()) return core::fail(core::Error::input("valgrind wrote no count record"));
    return total;
}

int open_perf_counter(int pid) {
    std::string name, reason;
    auto attr = instruction_event(name, reason);
    if (!attr) return -1;
    return static_cast<int>(::syscall(SYS_perf_event_open, &*attr, pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
}

std::optional<std::uint64_t> read_perf_counter(int fd) {
    std::uint64_t count = 0;
    if (::read(fd, &count, sizeof count) != static_cast<ssize_t>(sizeof count)) return std::nullopt;
    return count;
}

bool uses_valgrind_client_requests(const std::string& binary_bytes) {
    // The "special instruction preamble" of valgrind.h on amd64: rol $3,$13,$61,$51 of %rdi.
    static const std::string preamble("\x48\xc1\xc7\x03\x48\xc1\xc7\x0d\x48\xc1\xc7\x3d\x48\xc1\xc7\x33", 16);
    return binary_bytes.find(preamble) != std::string::npos;
}

}  // namespace optiloop::runner

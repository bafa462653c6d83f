#include "cgroup.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <optiloop/core/files.hpp>

namespace optiloop::sandbox {

namespace fs = std::filesystem;

namespace {

std::string slurp(const std::string& path) { return core::read_file(path).value_or(""); }

bool write_value(const std::string& path, const std::string& value) {
    std::ofstream out(path);
    out << value;
    out.flush();
    return static_cast<bool>(out);
}

// The cgroup this process is in, for a v1 controller ("memory") or v2 ("").
std::string own_path(const std::string& controller) {
    std::ifstream in("/proc/self/cgroup");
    std::string line;
    while (std::getline(in, line)) {
        const auto first = line.find(':');
        const auto second = line.find(':', first + 1);
        if (first == std::string::npos || second == std::string::npos) continue;
        const std::string list = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        if (controller.empty() ? list.empty() : ("," + list + ",").find("," + controller + ",") != std::string::npos)
            return path == "/" ? "" : path;
    }
    return "";
}

// Makes and removes a probe cgroup under base, checking that `file` appears in it.
bool probe(const std::string& base, const std::string& file, std::string& reason) {
    if (!fs::is_directory(base)) {
        reason = base + " does not exist";
        return false;
    }
    const std::string dir = base + "/optiloop-probe-" + std::to_string(::getpid());
    std::error_code ec;
    fs::create_directory(dir, ec);
    if (ec) {
        reason = "cannot create a cgroup under " + base + ": " + ec.message();
        return false;
    }
    const bool ok = fs::exists(dir + "/" + file);
    fs::remove(dir, ec);
    if (!ok) reason = "no " + file + " in a new cgroup under " + base;
    return ok;
}

std::string read_key(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    std::string k, v;
    while (in >> k >> v)
        if (k == key) return v;
    return "";
}

}  // namespace

const CgroupSupport& cgroup_support() {
    static const CgroupSupport support = [] {
        CgroupSupport s;
        const std::string controllers = slurp("/sys/fs/cgroup/cgroup.controllers");
        if (controllers.find("memory") != std::string::npos && controllers.find("pids") != std::string::npos) {
            s.v2 = true;
            s.memory_base = s.pids_base = "/sys/fs/cgroup" + own_path("");
            s.memory = probe(s.memory_base, "memory.max", s.memory_reason);
            s.pids = probe(s.pids_base, "pids.max", s.pids_reason);
            return s;
        }
        s.memory_base = "/sys/fs/cgroup/memory" + own_path("memory");
        s.pids_base = "/sys/fs/cgroup/pids" + own_path("pids");
        s.memory = probe(s.memory_base, "memory.limit_in_bytes", s.memory_reason);
        s.pids = probe(s.pids_base, "pids.max", s.pids_reason);
        return s;
    }();
    return support;
}

Cgroup::Cgroup(std::string name, bool memory, bool pids) {
    const CgroupSupport& s = cgroup_support();
    if (memory && s.memory) m_memory_dir = s.memory_base + "/" + name;
    if (pids && s.pids) m_pids_dir = s.v2 ? m_memory_dir.empty() ? s.pids_base + "/" + name : m_memory_dir
                                          : s.pids_base + "/" + name;
}

Cgroup::~Cgroup() { finish(); }

core::Result<void> Cgroup::create(std::int64_t memory_bytes, int processes) {
    const bool v2 = cgroup_support().v2;
    std::error_code ec;
    for (const std::string* dir : {&m_memory_dir, &m_pids_dir}) {
        if (dir->empty()) continue;
        fs::create_directory(*dir, ec);
        if (ec) return core::fail(core::Error::infrastructure("sandbox: cannot create cgroup " + *dir + ": " + ec.message()));
    }
    const std::string bytes = std::to_string(memory_bytes);
    if (!m_memory_dir.empty()) {
        const bool ok = v2 ? write_value(m_memory_dir + "/memory.max", bytes) &&
                                 (!fs::exists(m_memory_dir + "/memory.swap.max") ||
                                  write_value(m_memory_dir + "/memory.swap.max", "0"))
                           : write_value(m_memory_dir + "/memory.limit_in_bytes", bytes) &&
                                 (!fs::exists(m_memory_dir + "/memory.memsw.limit_in_bytes") ||
                                  write_value(m_memory_dir + "/memory.memsw.limit_in_bytes", bytes));
        if (!ok) return core::fail(core::Error::infrastructure("sandbox: cannot set the memory limit of " + m_memory_dir));
    }
    if (!m_pids_dir.empty() && !write_value(m_pids_dir + "/pids.max", std::to_string(processes)))
        return core::fail(core::Error::infrastructure("sandbox: cannot set pids.max of " + m_pids_dir));
    return {};
}

core::Result<void> Cgroup::add(pid_t pid, bool without_memory) {
    const bool v2 = cgroup_support().v2;
    if (without_memory && (v2 || m_pids_dir.empty())) return {};
    for (const std::string* dir : {&m_memory_dir, &m_pids_dir}) {
        if (dir->empty() || (without_memory && dir == &m_memory_dir)) continue;
        if (!write_value(*dir + "/cgroup.procs", std::to_string(pid)))
            return core::fail(core::Error::infrastructure("sandbox: cannot move the program into " + *dir));
        if (v2) break;  // one directory holds both controllers
    }
    return {};
}

core::Result<int> Cgroup::open_memory_procs() const {
    if (m_memory_dir.empty()) return -1;
    const std::string path = m_memory_dir + "/cgroup.procs";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return core::fail(core::Error::infrastructure("sandbox: cannot open " + path + ": " + std::strerror(errno)));
    return fd;
}

void Cgroup::kill_all() {
    for (const std::string* dir : {&m_memory_dir, &m_pids_dir}) {
        if (dir->empty()) continue;
        if (cgroup_support().v2 && fs::exists(*dir + "/cgroup.kill")) {
            write_value(*dir + "/cgroup.kill", "1");
            continue;
        }
        std::istringstream procs(slurp(*dir + "/cgroup.procs"));
        pid_t pid = 0;
        while (procs >> pid) ::kill(pid, SIGKILL);
    }
}

CgroupStats Cgroup::finish() {
    CgroupStats stats;
    if (m_finished) return stats;
    m_finished = true;
    const bool v2 = cgroup_support().v2;
    if (!m_memory_dir.empty()) {
        const std::string peak = slurp(m_memory_dir + (v2 ? "/memory.peak" : "/memory.max_usage_in_bytes"));
        if (!peak.empty()) stats.peak_memory_bytes = std::stoll(peak);
        const std::string events = slurp(m_memory_dir + (v2 ? "/memory.events" : "/memory.oom_control"));
        const std::string oom = read_key(events, "oom_kill");
        stats.oom_killed = !oom.empty() && oom != "0";
    }
    // Every process must be gone before the directory can go; nothing is left behind. Usually
    // they are (the PID namespace died with its init), and the directories go at once.
    bool removed = true;
    for (const std::string* dir : {&m_memory_dir, &m_pids_dir})
        if (!dir->empty() && ::rmdir(dir->c_str()) != 0 && errno != ENOENT) removed = false;
    if (removed) return stats;
    for (int attempt = 0; attempt < 500; ++attempt) {
        bool empty = true;
        for (const std::string* dir : {&m_memory_dir, &m_pids_dir})
            if (!dir->empty() && fs::exists(*dir) && !slurp(*dir + "/cgroup.procs").empty()) empty = false;
        if (empty) break;
        kill_all();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::error_code ec;
    for (const std::string* dir : {&m_memory_dir, &m_pids_dir}) {
        if (dir->empty()) continue;
        for (int attempt = 0; attempt < 100 && fs::exists(*dir); ++attempt) {
            if (::rmdir(dir->c_str()) == 0) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    return stats;
}

}  // namespace optiloop::sandbox

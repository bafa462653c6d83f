// Memory and process-count limits through cgroups: v2 where the machine delegates controllers,
// v1 (memory and pids hierarchies) where it has them, nothing otherwise (the caller falls back
// to rlimits). Private to the sandbox.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include <optiloop/core/error.hpp>

namespace optiloop::sandbox {

struct CgroupSupport {
    bool v2 = false;
    bool memory = false;
    bool pids = false;
    std::string memory_reason, pids_reason;
    std::string memory_base, pids_base;  // directories new cgroups are made under
};

const CgroupSupport& cgroup_support();

struct CgroupStats {
    std::int64_t peak_memory_bytes = 0;
    bool oom_killed = false;
};

// One run's cgroup(s). Removed by finish() or the destructor, after every process in them died.
class Cgroup {
public:
    Cgroup(std::string name, bool memory, bool pids);
    ~Cgroup();
    Cgroup(const Cgroup&) = delete;
    Cgroup& operator=(const Cgroup&) = delete;

    core::Result<void> create(std::int64_t memory_bytes, int processes);
    // Moves pid into the cgroups; without_memory leaves out the memory one (and on cgroup v2,
    // where one directory holds both controllers, everything): the process that joins it by
    // itself through open_memory_procs().
    core::Result<void> add(pid_t pid, bool without_memory = false);
    // The memory cgroup's cgroup.procs opened for writing (close-on-exec), -1 without one.
    // Writing "0" to it moves the writer.
    core::Result<int> open_memory_procs() const;
    void kill_all();
    CgroupStats finish();

private:
    std::string m_memory_dir, m_pids_dir;
    bool m_finished = false;
};

}  // namespace optiloop::sandbox

// Runs one untrusted program so that nothing it does can hurt the host, other runs or the
// numbers: PID/mount/network/IPC/UTS namespaces, a fresh tmpfs root, cgroup memory and pids
// limits, rlimits, a seccomp filter, an unprivileged uid, a clean environment and a wall clock
// enforced by the parent. Layers the machine lacks are skipped and reported, never faked.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>

namespace optiloop::sandbox {

enum class Layer {
    process_group,    // own process group; a timeout kills every descendant
    rlimits,          // CPU, file size, open files, core; address space only as a last resort
    pid_namespace,    // the death of the namespace's init takes every descendant
    mount_namespace,  // fresh tmpfs root, read-only system binds, private /tmp
    net_namespace,    // no network (loopback down)
    ipc_namespace,    // IPC and UTS
    user_namespace,   // only when not root
    cgroup_memory,    // memory limit, peak and OOM detection
    cgroup_pids,      // process count limit
    seccomp,          // syscall filter, architecture checked
    no_new_privs,
    unprivileged_uid,  // the program runs as nobody
};

std::string_view to_string(Layer layer);
std::optional<Layer> layer_from_string(std::string_view text);
const std::vector<Layer>& all_layers();

struct LayerStatus {
    Layer layer;
    bool active = false;
    std::string reason;  // why not, when inactive
};

// Which layers work on this machine (cached after the first call).
const std::vector<LayerStatus>& probe_layers();

struct Limits {
    double cpu_seconds = 10.0;
    double wall_seconds = 20.0;
    std::int64_t memory_bytes = std::int64_t{1} << 30;
    std::int64_t output_bytes = std::int64_t{64} << 20;  // stdout cap; past it the run is OLE
    std::int64_t stderr_bytes = std::int64_t{1} << 20;   // stderr kept; more is drained and dropped
    std::int64_t file_size_bytes = std::int64_t{64} << 20;
    std::int64_t tmp_bytes = std::int64_t{128} << 20;    // size of the private /tmp
    int processes = 64;
    int open_files = 64;
    // RLIMIT_AS is wrong for valgrind and CUDA (huge virtual reservations); they set this false.
    bool address_space_fallback = true;
};

struct Bind {
    std::filesystem::path host;     // file or directory on the host
    std::filesystem::path inside;   // where it appears in the sandbox (default: same path)
    bool writable = false;
};

// Where private outputs appear inside the sandbox: /optiloop/<name>.
inline constexpr const char* k_private_dir = "/optiloop";

struct Spec {
    std::vector<std::string> argv;  // argv[0] is an absolute path as seen inside the sandbox
    // The program reads a private, sealed copy of this file (never a descriptor of the host file,
    // which it could reopen for writing through /proc/self/fd/0); a regular file only.
    std::optional<std::filesystem::path> stdin_file;
    std::string stdin_data;          // used when stdin_file is empty
    Limits limits;
    std::vector<std::string> env;    // "NAME=value"; nothing of the caller's is passed
    std::vector<Bind> binds;         // extra read-only (or writable) paths
    // Files copied into the fresh scratch directory (/work) before the run, and files read back
    // from it afterwards (e.g. valgrind's output). The scratch directory is always removed.
    std::vector<std::pair<std::filesystem::path, std::string>> scratch_inputs;  // host file, name in /work
    std::vector<std::pair<std::string, std::string>> scratch_data;              // name in /work, content
    std::vector<std::string> scratch_outputs;  // names in /work; "prefix*" reads every match
    std::size_t max_output_files = 64;          // files read back at most (a cap, see output_problem)
    // Files the program may write but never create, remove, rename, replace or link: each starts
    // empty, is a mount point of its own at /optiloop/<name> in a read-only directory, and is read
    // back (bounded, no links followed) into Result::private_files. For a counter's record, which
    // valgrind writes at the program's exit, after the program's last instruction.
    std::vector<std::string> private_outputs;
    // No process but the first: fork, vfork and clone without CLONE_THREAD end the run by seccomp
    // (SIGSYS, verdict SECURITY). Counted runs use it: a count covers one process.
    bool single_process = false;
    // Called with the host pid of the sandbox's init once it is in its cgroups and before the
    // program starts (the runner opens its instruction counter there).
    std::function<void(int)> on_started;
    bool network = false;
    bool seccomp = true;
    bool gpu = false;                // bind the NVIDIA device nodes (CUDA programs)
    std::vector<Layer> required;     // refuse to run when one of these is unavailable
};

struct Result {
    core::Verdict verdict = core::Verdict::ok;
    int exit_code = 0;  // when the program exited
    int signal = 0;     // when it was killed by a signal
    bool wall_timeout = false;
    double cpu_user_seconds = 0;
    double cpu_sys_seconds = 0;
    double wall_seconds = 0;     // the program's own, from its start to its end
    double sandbox_seconds = 0;  // the whole run, sandbox setup and teardown included
    // Peak memory: the memory cgroup's high-water mark (the program and its children), else the
    // kernel's rusage peak, which also counts what the process held before exec (the caller's).
    std::int64_t peak_rss_bytes = 0;
    std::string stdout_data;
    std::string stderr_data;
    bool stdout_truncated = false;
    bool stderr_truncated = false;
    std::string detail;  // one line on why the verdict is not OK
    std::vector<Layer> active_layers;
    std::vector<std::pair<std::string, std::string>> scratch_files;  // scratch_outputs read back
    std::vector<std::pair<std::string, std::string>> private_files;  // private_outputs read back
    // Why an output was not read back (not a regular file, a link, too large, too many files),
    // one line; the output is then missing from scratch_files/private_files.
    std::string output_problem;
};

// Caps on what is read back from a run: per file and in all (files: Spec::max_output_files).
inline constexpr std::int64_t k_max_output_file_bytes = std::int64_t{64} << 20;
inline constexpr std::int64_t k_max_output_total_bytes = std::int64_t{256} << 20;
// The largest stdin file a run accepts (it is copied into memory).
inline constexpr std::int64_t k_max_stdin_bytes = std::int64_t{1} << 30;

// The NVIDIA device nodes of this machine (/dev/nvidia*), empty without a GPU driver.
std::vector<std::string> gpu_devices();

// Hands a host directory (and everything in it) to the user sandboxed programs run as, so that a
// writable bind of it is writable inside (a repository workspace a build writes into).
core::Result<void> hand_over(const std::filesystem::path& dir);

// Removes what optiloop processes killed mid-run (SIGKILL leaves no time to clean up) left: their
// scratch directories and empty cgroups, all named optiloop-<pid>-<n>..., when that pid is no
// longer alive. run() does this once per process; returns how many were removed.
int sweep_leftovers();

// Runs the program. An error is returned only when the sandbox itself cannot work (a required
// layer missing, no scratch space): whatever the program does is reported in Result.
core::Result<Result> run(const Spec& spec);

}  // namespace optiloop::sandbox

// The sandbox: a parent that owns every limit and clock, an init process (PID 1 of a fresh
// PID namespace) that builds the mount namespace and reaps, and the program itself.
//
// The children are created with the raw clone system call from a possibly multithreaded
// process, so they must not allocate or take locks: everything they need (paths, argv, envp,
// the seccomp BPF program) is prepared in the parent beforehand, and they use system calls only.

#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <sstream>
#include <type_traits>

#include <optiloop/core/files.hpp>
#include <optiloop/sandbox/sandbox.hpp>

#include "cgroup.hpp"
#include "seccomp_filter.hpp"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace optiloop::sandbox {

namespace fs = std::filesystem;
using core::Verdict;

namespace {

constexpr uid_t k_nobody = 65534;
constexpr gid_t k_nogroup = 65534;

// ---- small helpers --------------------------------------------------------------------------

class Fd {
public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    ~Fd() { reset(); }
    void reset(int fd = -1) {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = fd;
    }
    [[nodiscard]] int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }

private:
    int m_fd = -1;
};

struct Pipe {
    Fd read, write;
};

core::Result<Pipe> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        return core::fail(core::Error::infrastructure(std::string("sandbox: pipe2 failed: ") + std::strerror(errno)));
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double tv_seconds(const timeval& tv) { return static_cast<double>(tv.tv_sec) + tv.tv_usec / 1e6; }

// ---- what the children need, prepared before clone --------------------------------------------

enum class MountKind { mkdir, touch, symlink, bind, tmpfs, proc };

struct MountOp {
    MountKind kind;
    std::string source;  // bind source, symlink target, tmpfs options
    std::string target;  // absolute path under the new root (before pivot)
    bool writable = false;
    bool remount = true;  // bind: remount with nosuid (and read-only unless writable)
};

struct ProgramStatus {
    int wait_status;
    long long wall_nanoseconds;
};

struct ChildFailure {
    int stage;
    int error;
};

enum Stage : int {
    stage_sync = 1,
    stage_netns,
    stage_mount,
    stage_pivot,
    stage_fork,
    stage_stdio,
    stage_rlimit,
    stage_chdir,
    stage_uid,
    stage_nnp,
    stage_seccomp,
    stage_exec,
    stage_cgroup,
};

const char* stage_name(int stage) {
    switch (stage) {
        case stage_sync: return "sync";
        case stage_netns: return "entering the run's network namespace";
        case stage_mount: return "building the mount namespace";
        case stage_pivot: return "pivot_root";
        case stage_fork: return "fork";
        case stage_stdio: return "redirecting stdio";
        case stage_rlimit: return "setting rlimits";
        case stage_chdir: return "chdir to /work";
        case stage_uid: return "dropping to an unprivileged uid";
        case stage_nnp: return "no_new_privs";
        case stage_seccomp: return "loading the seccomp filter";
        case stage_exec: return "exec";
        case stage_cgroup: return "joining the memory cgroup";
    }
    return "?";
}

struct Prepared {
    std::vector<std::string> argv_storage, env_storage;
    std::vector<char*> argv, envp;
    std::string root;      // mount point of the new root (host path)
    std::string old_root;  // root + "/.old"
    std::vector<MountOp> mounts;
    std::vector<std::pair<int, rlimit>> rlimits;
    const sock_fprog* seccomp = nullptr;
    bool use_namespaces = false;
    bool user_namespace = false;
    bool drop_uid = false;
    int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
    int sync_fd = -1, error_fd = -1, status_fd = -1;
    int netns_fd = -1;  // a fresh network namespace from the pool for init to enter, or -1
    std::string scratch;  // host path of /work when there is no mount namespace
    bool shared_memory = false;       // init runs in the caller's memory (CLONE_VM)
    char* program_stack_top = nullptr;  // the program's stack until it execs
    int memory_procs_fd = -1;           // the memory cgroup the program joins by itself
};

// ---- the children's system calls ----------------------------------------------------------------
//
// Init may share the caller's memory (CLONE_VM, see run()), and so does the program until it execs:
// errno lives in the caller's thread-local storage, so the children make their system calls
// directly and get the error as a negative return value, never through errno.

#if defined(__x86_64__)
constexpr bool k_raw_syscalls = true;
inline long raw_syscall(long n, long a, long b, long c, long d, long e, long f) {
    long ret;
    register long r10 asm("r10") = d;
    register long r8 asm("r8") = e;
    register long r9 asm("r9") = f;
    asm volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9) : "rcx", "r11", "memory");
    return ret;
}
#elif defined(__aarch64__)
constexpr bool k_raw_syscalls = true;
inline long raw_syscall(long n, long a, long b, long c, long d, long e, long f) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    register long x3 asm("x3") = d;
    register long x4 asm("x4") = e;
    register long x5 asm("x5") = f;
    asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory", "cc");
    return x0;
}
#else
// Elsewhere the children go through the C library (and init never shares the caller's memory).
constexpr bool k_raw_syscalls = false;
inline long raw_syscall(long n, long a, long b, long c, long d, long e, long f) {
    const long ret = ::syscall(n, a, b, c, d, e, f);
    return ret == -1 ? -errno : ret;
}
#endif

template <typename T>
long as_arg(T value) {
    if constexpr (std::is_null_pointer_v<T>) return 0;
    else if constexpr (std::is_pointer_v<T>) return reinterpret_cast<long>(value);
    else return static_cast<long>(value);
}

// A system call; on failure, minus the error number.
template <typename... Args>
long sys(long number, Args... args) {
    static_assert(sizeof...(Args) <= 6);
    long a[6] = {as_arg(args)...};
    return raw_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

[[noreturn]] void child_exit(int code) {
    for (;;) sys(SYS_exit_group, code);
}

[[noreturn]] void child_fail(int error_fd, int stage, long result) {
    const ChildFailure failure{stage, static_cast<int>(result < 0 ? -result : 0)};
    sys(SYS_write, error_fd, &failure, sizeof failure);
    child_exit(127);
}

// Builds the new root. Runs in init, inside the new mount namespace. The error, if any, as
// minus the error number.
long build_root(const Prepared& p) {
    long r = sys(SYS_mount, nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    if (r == 0) r = sys(SYS_mount, "optiloop", p.root.c_str(), "tmpfs", MS_NOSUID, "size=4m,mode=0755");
    for (std::size_t i = 0; r == 0 && i < p.mounts.size(); ++i) {
        const MountOp& op = p.mounts[i];
        const char* target = op.target.c_str();
        switch (op.kind) {
            case MountKind::mkdir:
                r = sys(SYS_mkdirat, AT_FDCWD, target, 0755);
                if (r == -EEXIST) r = 0;
                break;
            case MountKind::touch:
                r = sys(SYS_openat, AT_FDCWD, target, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
                if (r >= 0) r = sys(SYS_close, r);
                break;
            case MountKind::symlink: r = sys(SYS_symlinkat, op.source.c_str(), AT_FDCWD, target); break;
            case MountKind::bind: {
                r = sys(SYS_mount, op.source.c_str(), target, nullptr, MS_BIND | MS_REC, nullptr);
                unsigned long flags = MS_BIND | MS_REMOUNT | MS_NOSUID;
                if (!op.writable) flags |= MS_RDONLY;
                if (r == 0 && op.remount) r = sys(SYS_mount, nullptr, target, nullptr, flags, nullptr);
                break;
            }
            case MountKind::tmpfs:
                r = sys(SYS_mount, "tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, op.source.c_str());
                break;
            case MountKind::proc:
                r = sys(SYS_mount, "proc", target, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2");
                break;
        }
    }
    return r < 0 ? r : 0;
}

long pivot(const Prepared& p) {
    long r = sys(SYS_pivot_root, p.root.c_str(), p.old_root.c_str());
    if (r == 0) r = sys(SYS_chdir, "/");
    if (r == 0) r = sys(SYS_umount2, "/.old", MNT_DETACH);
    if (r == 0) r = sys(SYS_unlinkat, AT_FDCWD, "/.old", AT_REMOVEDIR);
    // The root itself becomes read-only; /tmp, /work and /proc are mounts of their own.
    if (r == 0) r = sys(SYS_mount, nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID, nullptr);
    return r;
}

[[noreturn]] void exec_program(const Prepared& p) {
    long r = 0;
    for (const auto& [from, to] : {std::pair{p.stdin_fd, 0}, std::pair{p.stdout_fd, 1}, std::pair{p.stderr_fd, 2}})
        if (from != to && (r = sys(SYS_dup3, from, to, 0)) < 0) child_fail(p.error_fd, stage_stdio, r);
    // The program joins the memory cgroup by itself when init shares the caller's memory: an
    // OOM kill of init would take every process sharing that memory with it, the caller too.
    // Its memory until exec is the caller's; what it maps after exec is charged to the cgroup.
    if (p.memory_procs_fd >= 0 && (r = sys(SYS_write, p.memory_procs_fd, "0", 1)) != 1)
        child_fail(p.error_fd, stage_cgroup, r);
    for (const auto& [resource, limit] : p.rlimits)
        if ((r = sys(SYS_prlimit64, 0, resource, &limit, nullptr)) < 0) child_fail(p.error_fd, stage_rlimit, r);
    if ((r = sys(SYS_chdir, p.use_namespaces ? "/work" : p.scratch.c_str())) < 0) child_fail(p.error_fd, stage_chdir, r);
    // System calls, not the C library's set*id wrappers: those broadcast to every thread they
    // believe exists, and after a clone from a multithreaded parent those threads are gone.
    if (p.drop_uid) {
        if ((r = sys(SYS_setgroups, 0, nullptr)) < 0 || (r = sys(SYS_setresgid, k_nogroup, k_nogroup, k_nogroup)) < 0 ||
            (r = sys(SYS_setresuid, k_nobody, k_nobody, k_nobody)) < 0)
            child_fail(p.error_fd, stage_uid, r);
    }
    if ((r = sys(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) < 0) child_fail(p.error_fd, stage_nnp, r);
    // Every descriptor but stdio closes on exec, whatever other threads of the parent opened.
    sys(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
    if (p.seccomp && (r = sys(SYS_prctl, PR_SET_SECCOMP, SECCOMP_MODE_FILTER, p.seccomp, 0, 0)) < 0)
        child_fail(p.error_fd, stage_seccomp, r);
    // ETXTBSY: the binary was written a moment ago, and a process forked meanwhile by another
    // thread of optiloop may still hold its write descriptor until that process execs (close on
    // exec does not close it sooner). That lasts milliseconds: retry for up to a second.
    for (int attempt = 0;; ++attempt) {
        r = sys(SYS_execve, p.argv[0], p.argv.data(), p.envp.data());
        if (r != -ETXTBSY || attempt == 200) break;
        const timespec pause{0, 5'000'000};
        sys(SYS_nanosleep, &pause, nullptr);
    }
    child_fail(p.error_fd, stage_exec, r);
}

// PID 1 of the sandbox: builds the filesystem view, starts the program, reaps everything, and
// reports the program's status. Its exit takes every process left in the namespace with it.
[[noreturn]] void init_main(const Prepared& p) {
    sys(SYS_setsid);
    // Init dies with the thread that started it (optiloop killed mid-run), and the namespace's
    // processes with init: no program outlives its caller. Init writes no core file (its memory
    // may be the caller's).
    sys(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    const rlimit no_core{0, 0};
    sys(SYS_prlimit64, 0, RLIMIT_CORE, &no_core, nullptr);
    long r = 0;
    // Two bytes from the parent: the first once a user namespace's id maps are written (init
    // cannot make files before), the second once init is in the run's cgroups (and the caller
    // attached to it). The parent moves init while init builds the root, so the second byte is
    // usually there already and reading it costs no sleep.
    char go = 0;
    if (p.user_namespace && (r = sys(SYS_read, p.sync_fd, &go, 1)) != 1) child_fail(p.error_fd, stage_sync, r);
    if (p.use_namespaces) {
        if (p.netns_fd >= 0 && (r = sys(SYS_setns, p.netns_fd, CLONE_NEWNET)) < 0) child_fail(p.error_fd, stage_netns, r);
        if ((r = build_root(p)) < 0) child_fail(p.error_fd, stage_mount, r);
        if ((r = pivot(p)) < 0) child_fail(p.error_fd, stage_pivot, r);
        sys(SYS_sethostname, "sandbox", 7);
    }
    if (!p.shared_memory) {
        // Nothing of the caller's environment may be read back through /proc/1/environ. (With
        // shared memory init runs as root and the program as nobody: /proc/1 is not its to read.)
        sys(SYS_prctl, PR_SET_DUMPABLE, 0, 0, 0, 0);
        for (char** e = environ; e && *e; ++e) std::memset(*e, 0, std::strlen(*e));
    }
    if ((r = sys(SYS_read, p.sync_fd, &go, 1)) != 1) child_fail(p.error_fd, stage_sync, r);

    timespec started{};
    ::clock_gettime(CLOCK_MONOTONIC, &started);
    // vfork-style: the program shares init's memory until it execs, so no page tables of the
    // (large) parent image are copied. Init is single-threaded and waits meanwhile.
    const pid_t program = ::clone(
        [](void* arg) -> int { exec_program(*static_cast<const Prepared*>(arg)); },
        p.program_stack_top, CLONE_VM | CLONE_VFORK | SIGCHLD, const_cast<Prepared*>(&p));
    if (program < 0) child_fail(p.error_fd, stage_fork, -EAGAIN);
    sys(SYS_close, p.stdin_fd);
    sys(SYS_close, p.stdout_fd);
    sys(SYS_close, p.stderr_fd);
    // Init was cloned from a multithreaded optiloop and holds whatever descriptors were open
    // then, other threads' among them: a binary another thread was writing could not be executed
    // (ETXTBSY) while this run lasts. From here on init needs only the status pipe.
    const auto keep = static_cast<unsigned>(p.status_fd);
    if (keep > 3) sys(SYS_close_range, 3U, keep - 1, 0U);
    sys(SYS_close_range, keep + 1, ~0U, 0U);
    for (;;) {
        int status = 0;
        const long pid = sys(SYS_wait4, -1, &status, __WALL, nullptr);
        if (pid == program) {
            timespec ended{};
            ::clock_gettime(CLOCK_MONOTONIC, &ended);
            // The program's own wall time, fork to reap, without the sandbox's setup.
            const ProgramStatus report{status, (ended.tv_sec - started.tv_sec) * 1'000'000'000LL +
                                                   (ended.tv_nsec - started.tv_nsec)};
            sys(SYS_write, p.status_fd, &report, sizeof report);
            child_exit(0);
        }
        if (pid < 0 && pid != -EINTR) child_exit(0);
    }
}

// ---- machine facts ------------------------------------------------------------------------------

// Fresh, empty network namespaces made ahead of time by a thread of their own, each entered by
// one run's init and never again (runs that shared one could connect through abstract AF_UNIX
// sockets, which belong to the network namespace). Making one costs 0.3-0.5 ms, and as much
// again when a clone makes it and the run's end tears it down; entering one costs microseconds,
// and its teardown happens later in a kernel worker. Root only (a user namespace's run cannot
// enter a namespace of the host's user namespace); when the pool is empty the run makes its own.
class NetnsPool {
public:
    // A namespace no run has used (the caller owns the descriptor), or -1.
    int take() {
        std::unique_lock lock(m_mutex);
        if (!m_started) {
            m_started = true;
            std::thread([this] { fill(); }).detach();
        }
        int fd = -1;
        if (!m_ready.empty()) {
            fd = m_ready.back();
            m_ready.pop_back();
        }
        m_wanted.notify_one();
        return fd;
    }

private:
    static constexpr std::size_t k_depth = 4;
    void fill() {
        for (;;) {
            {
                std::unique_lock lock(m_mutex);
                m_wanted.wait(lock, [this] { return m_ready.size() < k_depth; });
            }
            // unshare moves only this thread into the new namespace; the descriptor keeps it.
            const int fd = ::unshare(CLONE_NEWNET) == 0 ? ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC) : -1;
            if (fd < 0) return;  // runs make their own from now on
            std::lock_guard lock(m_mutex);
            m_ready.push_back(fd);
        }
    }
    std::mutex m_mutex;
    std::condition_variable m_wanted;
    std::vector<int> m_ready;
    bool m_started = false;
};

// Never destroyed: its thread may still be making a namespace while the process exits.
NetnsPool& netns_pool() {
    static NetnsPool* pool = new NetnsPool;
    return *pool;
}

bool namespaces_work(bool as_user, std::string& reason) {
    int flags = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | SIGCHLD;
    if (as_user) flags |= CLONE_NEWUSER;
    const long pid = ::syscall(SYS_clone, flags, nullptr, nullptr, nullptr, 0);
    if (pid == 0) ::_exit(0);
    if (pid < 0) {
        reason = std::string("clone with namespace flags failed: ") + std::strerror(errno);
        return false;
    }
    int status = 0;
    ::waitpid(static_cast<pid_t>(pid), &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

void add_dirs_for(std::vector<MountOp>& ops, const std::string& root, const fs::path& inside) {
    fs::path current;
    for (const auto& part : inside.parent_path()) {
        if (part == "/") continue;
        current /= part;
        const std::string target = root + "/" + current.string();
        const bool exists = std::any_of(ops.begin(), ops.end(), [&](const MountOp& op) {
            return op.target == target && (op.kind == MountKind::mkdir || op.kind == MountKind::symlink);
        });
        if (!exists) ops.push_back({MountKind::mkdir, "", target});
    }
}

void add_bind(std::vector<MountOp>& ops, const std::string& root, const fs::path& host, const fs::path& inside,
              bool writable) {
    add_dirs_for(ops, root, inside);
    const std::string target = root + inside.string();
    std::error_code ec;
    ops.push_back({fs::is_directory(host, ec) ? MountKind::mkdir : MountKind::touch, "", target});
    // A device node cannot be executed, so nosuid means nothing for a writable one: one mount
    // call instead of two.
    const bool device = fs::is_character_file(host, ec) || fs::is_block_file(host, ec);
    ops.push_back({MountKind::bind, host.string(), target, writable, !(device && writable)});
}

std::vector<MountOp> plan_mounts(const std::string& root, const Spec& spec, const std::string& scratch, const std::string& private_dir) {
    std::vector<MountOp> ops;
    ops.push_back({MountKind::mkdir, "", root + "/.old"});
    // The system: /usr read-only, and /bin, /lib, ... as on the host (merged-/usr symlinks or binds).
    ops.push_back({MountKind::mkdir, "", root + "/usr"});
    ops.push_back({MountKind::bind, "/usr", root + "/usr", false});
    for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
        std::error_code ec;
        const auto status = fs::symlink_status(top, ec);
        if (ec || !fs::exists(status)) continue;
        if (fs::is_symlink(status)) {
            ops.push_back({MountKind::symlink, fs::read_symlink(top, ec).string(), root + top});
        } else if (fs::is_directory(status)) {
            ops.push_back({MountKind::mkdir, "", root + top});
            ops.push_back({MountKind::bind, top, root + top, false});
        }
    }
    ops.push_back({MountKind::mkdir, "", root + "/etc"});
    if (fs::exists("/etc/ld.so.cache")) add_bind(ops, root, "/etc/ld.so.cache", "/etc/ld.so.cache", false);
    // /dev: only the harmless character devices.
    ops.push_back({MountKind::mkdir, "", root + "/dev"});
    for (const char* dev : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"})
        add_bind(ops, root, dev, dev, true);
    // CUDA programs: the NVIDIA device nodes (nvidiactl, nvidia-uvm, nvidia0, ...), nothing else.
    if (spec.gpu)
        for (const auto& dev : gpu_devices()) add_bind(ops, root, dev, dev, true);
    ops.push_back({MountKind::mkdir, "", root + "/proc"});
    ops.push_back({MountKind::proc, "", root + "/proc"});
    ops.push_back({MountKind::mkdir, "", root + "/tmp"});
    ops.push_back({MountKind::tmpfs, "size=" + std::to_string(spec.limits.tmp_bytes) + ",mode=1777", root + "/tmp"});
    ops.push_back({MountKind::mkdir, "", root + "/work"});
    ops.push_back({MountKind::bind, scratch, root + "/work", true});
    for (const Bind& bind : spec.binds)
        add_bind(ops, root, bind.host, bind.inside.empty() ? bind.host : bind.inside, bind.writable);
    // Each private output is a mount point (which cannot be renamed, removed or replaced) in a
    // directory of the root, which becomes read-only: nothing new can be made beside it.
    for (const std::string& name : spec.private_outputs)
        add_bind(ops, root, fs::path(private_dir) / name, fs::path(k_private_dir) / name, true);
    return ops;
}

// Reads what a program left at `path`, never following a link, never opening anything but a
// regular file (a FIFO would block), never more than `cap` bytes: its size comes from fstat of
// the opened file, so a file that grows meanwhile is read only up to that size. The program made
// the file, so every failure is its problem, given as a line; never an exception.
core::Result<std::string> read_output(const fs::path& path, std::int64_t cap) {
    const std::string name = path.filename().string();
    Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (fd.get() < 0)
        return core::fail(core::Error::input(name + ": " + (errno == ELOOP ? std::string("a symbolic link, not a file") : std::strerror(errno))));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return core::fail(core::Error::input(name + ": not a regular file"));
    if (st.st_size > cap)
        return core::fail(core::Error::input(name + ": " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(cap) + " read back"));
    std::string data(static_cast<std::size_t>(st.st_size), '\0');
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        done += static_cast<std::size_t>(n);
    }
    data.resize(done);
    return data;
}

// The program's stdin: a sealed anonymous copy of `file` (or of `data`), so the program holds
// no descriptor of a host file and cannot change what the next run reads.
core::Result<Fd> private_stdin(const Spec& spec) {
    Fd copy(static_cast<int>(::syscall(SYS_memfd_create, "stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING)));
    if (copy.get() < 0) return core::fail(core::Error::infrastructure(std::string("sandbox: memfd_create failed: ") + std::strerror(errno)));
    if (spec.stdin_file) {
        // A regular file (a FIFO would block), opened without blocking, within the cap.
        auto in = core::open_regular_file(*spec.stdin_file, static_cast<std::uintmax_t>(k_max_stdin_bytes));
        if (!in) return core::fail(core::Error::input(in.error().message + "; test inputs must be regular files"));
        const auto size = static_cast<off_t>(in->size());
        off_t offset = 0;
        while (offset < size) {
            const ssize_t n = ::sendfile(copy.get(), in->descriptor(), &offset, static_cast<std::size_t>(size - offset));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return core::fail(core::Error::infrastructure("sandbox: cannot copy " + spec.stdin_file->string() + ": " + std::strerror(errno)));
        }
    } else {
        std::size_t done = 0;
        while (done < spec.stdin_data.size()) {
            const ssize_t n = ::write(copy.get(), spec.stdin_data.data() + done, spec.stdin_data.size() - done);
            if (n <= 0) return core::fail(core::Error::infrastructure("sandbox: cannot write stdin data"));
            done += static_cast<std::size_t>(n);
        }
    }
    ::lseek(copy.get(), 0, SEEK_SET);
    ::fcntl(copy.get(), F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
    return copy;
}

std::atomic<unsigned> g_run_counter{0};

// Init's and the program's stacks (the program's until it execs), each below a guard page: with
// init in the caller's memory, an overflow must fault, not write over the caller's heap.
class ChildStacks {
public:
    ChildStacks() {
        void* region = ::mmap(nullptr, k_total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (region == MAP_FAILED) return;
        m_base = static_cast<char*>(region);
        if (::mprotect(m_base, k_guard, PROT_NONE) != 0 || ::mprotect(m_base + k_guard + k_stack, k_guard, PROT_NONE) != 0) {
            ::munmap(m_base, k_total);
            m_base = nullptr;
        }
    }
    ~ChildStacks() {
        if (m_base) ::munmap(m_base, k_total);
    }
    ChildStacks(const ChildStacks&) = delete;
    ChildStacks& operator=(const ChildStacks&) = delete;
    [[nodiscard]] bool ok() const { return m_base != nullptr; }
    // Stacks grow down: each starts at the top of its part, 16-byte aligned as the ABI wants.
    [[nodiscard]] char* init_top() const { return m_base + k_guard + k_stack; }
    [[nodiscard]] char* program_top() const { return m_base + k_total; }

private:
    static constexpr std::size_t k_guard = 4096, k_stack = 64 * 1024, k_total = 2 * (k_guard + k_stack);
    char* m_base = nullptr;
};

// A fresh scratch directory, removed whatever happens.
class Scratch {
public:
    explicit Scratch(fs::path path) : m_path(std::move(path)) {}
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    [[nodiscard]] const fs::path& path() const { return m_path; }

private:
    fs::path m_path;
};

// Where scratch directories and root mount points are made: $OPTILOOP_SANDBOX_DIR, else $TMPDIR,
// else /dev/shm when it is a tmpfs with room (making and removing a directory there costs
// microseconds, on a journalled disk a fraction of a millisecond each, twice per run), else /tmp.
// On a tmpfs the program's files in /work are also charged to its memory cgroup. A noexec tmpfs
// is passed over: /work is a bind of the scratch directory and must keep exec.
fs::path temp_base() {
    for (const char* name : {"OPTILOOP_SANDBOX_DIR", "TMPDIR"})
        if (const char* dir = std::getenv(name); dir && *dir) return dir;
    static const bool shm_usable = [] {
        struct statfs info {};
        if (::statfs("/dev/shm", &info) != 0 || info.f_type != TMPFS_MAGIC || (info.f_flags & ST_NOEXEC) != 0) return false;
        const auto available = static_cast<unsigned long long>(info.f_bavail) * static_cast<unsigned long long>(info.f_bsize);
        return available >= (1ULL << 30) && ::access("/dev/shm", W_OK | X_OK) == 0;
    }();
    return shm_usable ? fs::path("/dev/shm") : fs::path("/tmp");
}

}  // namespace

// ---- layers -------------------------------------------------------------------------------------

std::string_view to_string(Layer layer) {
    switch (layer) {
        case Layer::process_group: return "process-group";
        case Layer::rlimits: return "rlimits";
        case Layer::pid_namespace: return "pid-namespace";
        case Layer::mount_namespace: return "mount-namespace";
        case Layer::net_namespace: return "net-namespace";
        case Layer::ipc_namespace: return "ipc-uts-namespace";
        case Layer::user_namespace: return "user-namespace";
        case Layer::cgroup_memory: return "cgroup-memory";
        case Layer::cgroup_pids: return "cgroup-pids";
        case Layer::seccomp: return "seccomp";
        case Layer::no_new_privs: return "no-new-privs";
        case Layer::unprivileged_uid: return "unprivileged-uid";
    }
    return "?";
}

const std::vector<Layer>& all_layers() {
    static const std::vector<Layer> layers = {
        Layer::process_group,  Layer::rlimits,       Layer::pid_namespace, Layer::mount_namespace,
        Layer::net_namespace,  Layer::ipc_namespace, Layer::user_namespace, Layer::cgroup_memory,
        Layer::cgroup_pids,    Layer::seccomp,       Layer::no_new_privs,  Layer::unprivileged_uid,
    };
    return layers;
}

std::optional<Layer> layer_from_string(std::string_view text) {
    for (Layer layer : all_layers())
        if (to_string(layer) == text) return layer;
    return std::nullopt;
}

const std::vector<LayerStatus>& probe_layers() {
    static const std::vector<LayerStatus> statuses = [] {
        std::vector<LayerStatus> out;
        const bool root = ::geteuid() == 0;
        std::string ns_reason;
        const bool ns = namespaces_work(!root, ns_reason);
        const CgroupSupport cg = cgroup_support();
        std::string seccomp_reason;
        const bool sc = seccomp_program(seccomp_reason) != nullptr;
        for (Layer layer : all_layers()) {
            LayerStatus s{layer, true, ""};
            switch (layer) {
                case Layer::pid_namespace:
                case Layer::mount_namespace:
                case Layer::ipc_namespace:
                    s.active = ns;
                    s.reason = ns_reason;
                    break;
                case Layer::net_namespace:
                    s.active = ns;
                    s.reason = ns_reason;
                    break;
                case Layer::user_namespace:
                    s.active = !root && ns;
                    s.reason = root ? "not needed: running as root" : ns_reason;
                    break;
                case Layer::cgroup_memory:
                    s.active = cg.memory;
                    s.reason = cg.memory_reason;
                    break;
                case Layer::cgroup_pids:
                    s.active = cg.pids;
                    s.reason = cg.pids_reason;
                    break;
                case Layer::seccomp:
                    s.active = sc;
                    s.reason = seccomp_reason;
                    break;
                case Layer::unprivileged_uid:
                    s.active = root && ns;
                    if (!s.active)
                        s.reason = root ? "needs namespaces" : "not root: the program keeps the caller's uid";
                    break;
                default: break;
            }
            if (s.active) s.reason.clear();
            out.push_back(s);
        }
        return out;
    }();
    return statuses;
}

// ---- run ----------------------------------------------------------------------------------------

std::vector<std::string> gpu_devices() {
    std::vector<std::string> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/dev", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with("nvidia") && entry.is_character_file(ec)) found.push_back(entry.path().string());
    }
    std::sort(found.begin(), found.end());
    return found;
}

core::Result<void> hand_over(const fs::path& dir) {
    // Only root drops to nobody; an unprivileged caller's own files map to the sandbox's user.
    if (::geteuid() != 0) return {};
    std::error_code ec;
    if (::chown(dir.c_str(), k_nobody, k_nogroup) != 0) return core::fail(core::Error::infrastructure("sandbox: cannot hand " + dir.string() + " to nobody"));
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (::lchown(it->path().c_str(), k_nobody, k_nogroup) != 0)
            return core::fail(core::Error::infrastructure("sandbox: cannot hand " + it->path().string() + " to nobody"));
    return {};
}

int sweep_leftovers() {
    // "optiloop-<pid>-<n>-work", "-root" and "-private" (scratch), "optiloop-<pid>-<n>" (cgroups).
    auto dead_owner = [](const std::string& name, bool scratch) {
        constexpr std::string_view prefix = "optiloop-";
        if (!name.starts_with(prefix)) return false;
        const std::size_t pid_end = name.find('-', prefix.size());
        if (pid_end == std::string::npos || pid_end == prefix.size() || pid_end - prefix.size() > 9) return false;
        const std::string pid_text = name.substr(prefix.size(), pid_end - prefix.size());
        if (!std::all_of(pid_text.begin(), pid_text.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
        std::size_t rest = pid_end + 1;
        const std::size_t counter_end = name.find_first_not_of("0123456789", rest);
        if (counter_end == rest) return false;
        const std::string tail = counter_end == std::string::npos ? "" : name.substr(counter_end);
        if (scratch ? (tail != "-work" && tail != "-root" && tail != "-private") : !tail.empty()) return false;
        const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
        return pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH;
    };
    int removed = 0;
    std::error_code ec;
    std::vector<fs::path> scratch_bases = {temp_base()};
    for (const fs::path& extra : {fs::path("/tmp"), fs::path("/dev/shm")})
        if (std::find(scratch_bases.begin(), scratch_bases.end(), extra) == scratch_bases.end()) scratch_bases.push_back(extra);
    for (const fs::path& base : scratch_bases) {
        // Other optiloop processes sweep and make entries here at the same time: the walk uses
        // the non-throwing increment and ends quietly on an error.
        ec.clear();
        for (auto it = fs::directory_iterator(base, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::error_code entry_ec;
            if (dead_owner(it->path().filename().string(), true) && it->is_directory(entry_ec) && !it->is_symlink(entry_ec) &&
                fs::remove_all(it->path(), entry_ec) > 0 && !entry_ec)
                ++removed;
        }
    }
    const CgroupSupport& cg = cgroup_support();
    for (const std::string& base : {cg.memory ? cg.memory_base : std::string(), cg.pids ? cg.pids_base : std::string()}) {
        if (base.empty()) continue;
        ec.clear();
        for (auto it = fs::directory_iterator(base, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
            if (dead_owner(it->path().filename().string(), false) && ::rmdir(it->path().c_str()) == 0) ++removed;
    }
    return removed;
}

core::Result<Result> run(const Spec& spec) {
    if (spec.argv.empty()) return core::fail(core::Error::internal("sandbox: empty argv"));
    static std::once_flag swept;
    std::call_once(swept, [] { sweep_leftovers(); });
    const auto& layers = probe_layers();
    auto layer_on = [&](Layer layer) {
        for (const auto& s : layers)
            if (s.layer == layer) return s.active;
        return false;
    };
    for (Layer wanted : spec.required) {
        if (wanted == Layer::net_namespace && spec.network)
            return core::fail(core::Error::input("sandbox: the net-namespace layer was required but network was allowed"));
        if (!layer_on(wanted)) {
            std::string why;
            for (const auto& s : layers)
                if (s.layer == wanted) why = s.reason;
            return core::fail(core::Error::infrastructure("sandbox: required layer " + std::string(to_string(wanted)) +
                                                          " is unavailable on this machine: " + why));
        }
    }

    const unsigned run_id = g_run_counter.fetch_add(1);
    const std::string tag = "optiloop-" + std::to_string(::getpid()) + "-" + std::to_string(run_id);
    Scratch scratch(temp_base() / (tag + "-work"));
    Scratch root_dir(temp_base() / (tag + "-root"));
    Scratch private_dir(temp_base() / (tag + "-private"));
    std::error_code ec;
    fs::create_directories(scratch.path(), ec);
    if (ec) return core::fail(core::Error::infrastructure("sandbox: cannot create " + scratch.path().string() + ": " + ec.message()));
    const bool use_ns = layer_on(Layer::mount_namespace);
    const bool root = ::geteuid() == 0;
    if (use_ns) fs::create_directories(root_dir.path(), ec);
    if (!spec.private_outputs.empty()) {
        // Without a mount namespace the program could reach and replace anything it can write.
        if (!use_ns) return core::fail(core::Error::infrastructure("sandbox: private outputs need the mount-namespace layer, unavailable here"));
        if (!fs::create_directory(private_dir.path(), ec) || ::chmod(private_dir.path().c_str(), 0700) != 0)
            return core::fail(core::Error::infrastructure("sandbox: cannot create " + private_dir.path().string()));
        for (const std::string& name : spec.private_outputs) {
            if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
                return core::fail(core::Error::internal("sandbox: private output names are plain file names, not '" + name + "'"));
            // Owned by optiloop; the program (nobody when optiloop is root) may write, not chmod.
            Fd made(::open((private_dir.path() / name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
            if (made.get() < 0 || ::fchmod(made.get(), 0666) != 0)
                return core::fail(core::Error::infrastructure("sandbox: cannot create private output " + name + ": " + std::strerror(errno)));
        }
    }
    for (const auto& [host, name] : spec.scratch_inputs) {
        fs::copy_file(host, scratch.path() / name, fs::copy_options::overwrite_existing, ec);
        if (ec) return core::fail(core::Error::infrastructure("sandbox: cannot copy " + host.string() + " into the scratch directory: " + ec.message()));
    }
    for (const auto& [name, content] : spec.scratch_data) {
        const fs::path path = scratch.path() / name;
        fs::create_directories(path.parent_path(), ec);
        std::ofstream(path, std::ios::binary) << content;
        if (!fs::exists(path)) return core::fail(core::Error::infrastructure("sandbox: cannot write " + path.string()));
    }
    const bool drop_uid = root && use_ns;
    if (drop_uid) {
        if (::chown(scratch.path().c_str(), k_nobody, k_nogroup) != 0)
            return core::fail(core::Error::infrastructure("sandbox: cannot hand the scratch directory to nobody"));
        for (const auto& entry : fs::recursive_directory_iterator(scratch.path(), ec))
            [[maybe_unused]] int r = ::chown(entry.path().c_str(), k_nobody, k_nogroup);
    }

    Prepared p;
    p.argv_storage = spec.argv;
    for (auto& a : p.argv_storage) p.argv.push_back(a.data());
    p.argv.push_back(nullptr);
    p.env_storage = spec.env;
    for (auto& e : p.env_storage) p.envp.push_back(e.data());
    p.envp.push_back(nullptr);
    p.use_namespaces = use_ns;
    p.user_namespace = use_ns && !root;
    p.drop_uid = drop_uid;
    p.root = root_dir.path().string();
    p.old_root = p.root + "/.old";
    p.scratch = scratch.path().string();
    if (use_ns) p.mounts = plan_mounts(p.root, spec, p.scratch, private_dir.path().string());

    const bool cg_memory = layer_on(Layer::cgroup_memory);
    const bool cg_pids = layer_on(Layer::cgroup_pids);
    const Limits& lim = spec.limits;
    auto add_rlimit = [&](int resource, rlim_t soft, rlim_t hard) { p.rlimits.push_back({resource, rlimit{soft, hard}}); };
    const auto cpu = static_cast<rlim_t>(std::max(1.0, std::ceil(lim.cpu_seconds)));
    add_rlimit(RLIMIT_CPU, cpu, cpu + 1);
    add_rlimit(RLIMIT_FSIZE, static_cast<rlim_t>(lim.file_size_bytes), static_cast<rlim_t>(lim.file_size_bytes));
    add_rlimit(RLIMIT_NOFILE, static_cast<rlim_t>(lim.open_files), static_cast<rlim_t>(lim.open_files));
    add_rlimit(RLIMIT_CORE, 0, 0);
    // Half the memory for the stack: deep recursion ends as a clean SIGSEGV (RE) before it can
    // race the memory limit.
    const auto stack = static_cast<rlim_t>(lim.memory_bytes / 2);
    add_rlimit(RLIMIT_STACK, stack, stack);
    const bool use_as_limit = !cg_memory && lim.address_space_fallback;
    if (use_as_limit) add_rlimit(RLIMIT_AS, static_cast<rlim_t>(lim.memory_bytes), static_cast<rlim_t>(lim.memory_bytes));
    // RLIMIT_NPROC counts every process of the uid, so with a shared uid it is only a fallback.
    if (!cg_pids) add_rlimit(RLIMIT_NPROC, static_cast<rlim_t>(lim.processes), static_cast<rlim_t>(lim.processes));

    std::string seccomp_reason;
    if (spec.seccomp) p.seccomp = seccomp_program(seccomp_reason, spec.single_process);
    if (spec.single_process && !p.seccomp)
        return core::fail(core::Error::infrastructure("sandbox: a single-process run needs the seccomp layer: " + seccomp_reason));

    auto stdin_copy = private_stdin(spec);
    if (!stdin_copy) return core::fail(stdin_copy.error());
    Fd stdin_fd = std::move(*stdin_copy);

    auto out = make_pipe(), err = make_pipe(), sync = make_pipe(), error = make_pipe(), status = make_pipe();
    for (auto* pipe : {&out, &err, &sync, &error, &status})
        if (!*pipe) return core::fail(pipe->error());
    p.stdin_fd = stdin_fd.get();
    p.stdout_fd = out->write.get();
    p.stderr_fd = err->write.get();
    p.sync_fd = sync->read.get();
    p.error_fd = error->write.get();
    p.status_fd = status->write.get();

    Cgroup cgroup(tag, cg_memory, cg_pids);
    if (auto made = cgroup.create(lim.memory_bytes, lim.processes + 1); !made) return core::fail(made.error());

    Fd netns(use_ns && !spec.network && root ? netns_pool().take() : -1);
    p.netns_fd = netns.get();
    int flags = SIGCHLD;
    if (use_ns) {
        flags |= CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS;
        // A network namespace of its own for every run (see NetnsPool): one from the pool,
        // else one made by this clone.
        if (!spec.network && netns.get() < 0) flags |= CLONE_NEWNET;
        if (p.user_namespace) flags |= CLONE_NEWUSER;
    }
    // Init shares the caller's memory (CLONE_VM) where it can: cloning a process copies the page
    // tables of all its written memory, which from an optimizer holding half a GiB of ASTs costs
    // more than everything else here together. Init then writes only its own stack below and
    // makes raw system calls (no errno); it runs as root and the program as nobody, who cannot
    // read /proc/1; and it stays out of the memory cgroup, which the program joins by itself.
    // With a user namespace (the same user on both sides) init gets a copy of the memory
    // instead, made non-dumpable and with the environment wiped.
    p.shared_memory = k_raw_syscalls && drop_uid && !p.user_namespace;
    Fd memory_procs;
    if (p.shared_memory) {
        auto fd = cgroup.open_memory_procs();
        if (!fd) return core::fail(fd.error());
        memory_procs.reset(*fd);
        p.memory_procs_fd = *fd;
    }
    // One pair per thread, kept: a run ends only after init, so the next run on this thread may
    // reuse them, and mapping and faulting in fresh stacks each time showed in the benchmark.
    thread_local const ChildStacks stacks;
    if (!stacks.ok()) return core::fail(core::Error::infrastructure(std::string("sandbox: cannot map the children's stacks: ") + std::strerror(errno)));
    p.program_stack_top = stacks.program_top();
    const auto start = std::chrono::steady_clock::now();
    long clone_result = 0;
    if (p.shared_memory) {
        clone_result = ::clone([](void* arg) -> int { init_main(*static_cast<const Prepared*>(arg)); },
                               stacks.init_top(), flags | CLONE_VM, &p);
    } else {
        clone_result = ::syscall(SYS_clone, flags, nullptr, nullptr, nullptr, 0);
        if (clone_result == 0) init_main(p);
    }
    if (clone_result < 0)
        return core::fail(core::Error::infrastructure(std::string("sandbox: clone failed: ") + std::strerror(errno)));
    const auto init_pid = static_cast<pid_t>(clone_result);

    // The children hold their own copies now.
    out->write.reset();
    err->write.reset();
    sync->read.reset();
    error->write.reset();
    status->write.reset();
    stdin_fd.reset();
    memory_procs.reset();
    netns.reset();

    Result result;
    bool killed = false;
    auto kill_all = [&] {
        if (killed) return;
        killed = true;
        ::kill(init_pid, SIGKILL);
        ::kill(-init_pid, SIGKILL);
        cgroup.kill_all();
    };

    if (p.user_namespace) {
        const std::string base = "/proc/" + std::to_string(init_pid);
        std::ofstream(base + "/setgroups") << "deny";
        std::ofstream(base + "/uid_map") << "0 " << ::geteuid() << " 1";
        std::ofstream(base + "/gid_map") << "0 " << ::getegid() << " 1";
    }
    // Init builds the root meanwhile (with a user namespace, once the maps above are written).
    auto send_go = [&] {
        const char go = 1;
        [[maybe_unused]] auto written = ::write(sync->write.get(), &go, 1);
    };
    if (p.user_namespace) send_go();
    if (auto placed = cgroup.add(init_pid, p.memory_procs_fd >= 0); !placed) {
        kill_all();
        ::waitpid(init_pid, nullptr, 0);
        return core::fail(placed.error());
    }
    if (spec.on_started) spec.on_started(init_pid);
    send_go();
    sync->write.reset();

    // Collect output, the program's status and the wall clock.
    int program_status = 0;
    double program_wall = 0;
    bool have_status = false;
    bool status_closed = false;
    bool out_open = true, err_open = true;
    std::string output_overflow;
    std::int64_t stdout_total = 0, stderr_total = 0;
    std::vector<char> buffer(1 << 16);
    while (out_open || err_open || !status_closed) {
        const double left = lim.wall_seconds - seconds_since(start);
        if (left <= 0 && !killed) {
            result.wall_timeout = true;
            kill_all();
        }
        pollfd fds[3] = {{out_open ? out->read.get() : -1, POLLIN, 0},
                         {err_open ? err->read.get() : -1, POLLIN, 0},
                         {status_closed ? -1 : status->read.get(), POLLIN, 0}};
        const int timeout_ms = killed ? 200 : static_cast<int>(std::clamp(left * 1000.0, 1.0, 1000.0));
        const int ready = ::poll(fds, 3, timeout_ms);
        if (ready < 0 && errno != EINTR) break;
        if (ready == 0 && killed && seconds_since(start) > lim.wall_seconds + 5) break;  // nothing more will come
        auto drain = [&](int fd, bool& open, std::string& sink, std::int64_t keep, std::int64_t& total,
                         bool& truncated) {
            const ssize_t n = ::read(fd, buffer.data(), buffer.size());
            if (n <= 0) {
                open = false;
                return;
            }
            total += n;
            const auto room = static_cast<std::size_t>(std::max<std::int64_t>(0, keep - static_cast<std::int64_t>(sink.size())));
            sink.append(buffer.data(), std::min(room, static_cast<std::size_t>(n)));
            if (static_cast<std::size_t>(n) > room) truncated = true;
            // Past the output limit on either stream the run is OLE: stop it rather than drain forever.
            if (total > lim.output_bytes && output_overflow.empty()) {
                output_overflow = std::string(&sink == &result.stdout_data ? "stdout" : "stderr") + " exceeded " +
                                  std::to_string(lim.output_bytes) + " bytes";
                kill_all();
            }
        };
        if (out_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            drain(out->read.get(), out_open, result.stdout_data, lim.output_bytes, stdout_total, result.stdout_truncated);
        if (err_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)))
            drain(err->read.get(), err_open, result.stderr_data, lim.stderr_bytes, stderr_total, result.stderr_truncated);
        if (!status_closed && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) {
            ProgramStatus value{};
            const ssize_t n = ::read(status->read.get(), &value, sizeof value);
            if (n == static_cast<ssize_t>(sizeof value)) {
                program_status = value.wait_status;
                program_wall = static_cast<double>(value.wall_nanoseconds) / 1e9;
                have_status = true;
            } else {
                status_closed = true;
            }
            if (have_status && !killed) {
                // The program is done: whatever it left behind goes now.
                kill_all();
            }
        }
    }
    kill_all();

    int init_status = 0;
    rusage usage{};
    while (::wait4(init_pid, &init_status, __WALL, &usage) < 0 && errno == EINTR) {
    }
    result.sandbox_seconds = seconds_since(start);
    result.wall_seconds = have_status ? program_wall : result.sandbox_seconds;
    result.cpu_user_seconds = tv_seconds(usage.ru_utime);
    result.cpu_sys_seconds = tv_seconds(usage.ru_stime);
    // Peak memory: the memory cgroup's when there is one (the program and what it started; the
    // kernel's high-water mark of a process counts the memory it had before exec, which for a
    // program started vfork-style is the caller's). Without one, the rusage peak, which does.
    const CgroupStats cg_stats = cgroup.finish();
    result.peak_rss_bytes = cg_memory && cg_stats.peak_memory_bytes > 0 ? cg_stats.peak_memory_bytes
                                                                          : static_cast<std::int64_t>(usage.ru_maxrss) * 1024;

    for (Layer layer : all_layers()) {
        bool on = layer_on(layer);
        if (layer == Layer::net_namespace && spec.network) on = false;
        if (layer == Layer::seccomp && !p.seccomp) on = false;
        if (on) result.active_layers.push_back(layer);
    }

    // A failure of the sandbox's own setup (never the program's fault).
    ChildFailure failure{};
    if (::read(error->read.get(), &failure, sizeof failure) == static_cast<ssize_t>(sizeof failure)) {
        if (failure.stage == stage_exec && (failure.error == ENOENT || failure.error == EACCES || failure.error == ENOEXEC)) {
            result.verdict = Verdict::runtime_error;
            result.detail = "cannot execute " + spec.argv[0] + ": " + std::strerror(failure.error);
            return result;
        }
        return core::fail(core::Error::infrastructure(std::string("sandbox: ") + stage_name(failure.stage) +
                                                      " failed: " + std::strerror(failure.error)));
    }

    // What the program left: bounded in size and number, links and special files refused.
    std::int64_t read_back = 0;
    auto take = [&](const fs::path& path, std::vector<std::pair<std::string, std::string>>& into) {
        if (result.scratch_files.size() + result.private_files.size() >= spec.max_output_files || read_back >= k_max_output_total_bytes) {
            if (result.output_problem.empty()) result.output_problem = "more outputs than the " + std::to_string(spec.max_output_files) + " files or " +
                                                                       std::to_string(k_max_output_total_bytes) + " bytes read back";
            return;
        }
        auto text = read_output(path, std::min(k_max_output_file_bytes, k_max_output_total_bytes - read_back));
        if (!text) {
            if (result.output_problem.empty()) result.output_problem = text.error().message;
            return;
        }
        read_back += static_cast<std::int64_t>(text->size());
        into.emplace_back(path.filename().string(), std::move(*text));
    };
    for (const std::string& name : spec.scratch_outputs) {
        if (!name.empty() && name.back() == '*') {
            const std::string prefix = name.substr(0, name.size() - 1);
            std::vector<fs::path> matches;
            for (auto it = fs::directory_iterator(scratch.path(), ec); !ec && it != fs::directory_iterator(); it.increment(ec))
                if (it->path().filename().string().rfind(prefix, 0) == 0) matches.push_back(it->path());
            std::sort(matches.begin(), matches.end());
            for (const auto& path : matches) take(path, result.scratch_files);
            continue;
        }
        const fs::path path = scratch.path() / name;
        if (fs::symlink_status(path, ec).type() != fs::file_type::not_found) take(path, result.scratch_files);
    }
    for (const std::string& name : spec.private_outputs) take(private_dir.path() / name, result.private_files);

    // The verdict, most specific cause first.
    const double cpu_total = result.cpu_user_seconds + result.cpu_sys_seconds;
    if (have_status && WIFEXITED(program_status)) result.exit_code = WEXITSTATUS(program_status);
    if (have_status && WIFSIGNALED(program_status)) result.signal = WTERMSIG(program_status);
    // With a memory cgroup the kernel says when it killed for memory; under RLIMIT_AS a failed
    // allocation only shows as an abnormal end close to the limit, or as the C++ runtime's
    // last words about std::bad_alloc (a doubling vector fails with half the limit in use).
    const bool near_memory_limit =
        use_as_limit && (result.peak_rss_bytes >= lim.memory_bytes * 85 / 100 ||
                         (result.signal == SIGABRT && result.stderr_data.find("std::bad_alloc") != std::string::npos));
    if (!output_overflow.empty()) {
        result.verdict = Verdict::output_limit;
        result.detail = output_overflow;
    } else if (result.signal == SIGSYS) {
        result.verdict = Verdict::security;
        result.detail = "a forbidden system call was made (killed by seccomp)";
    } else if (result.signal == SIGXFSZ) {
        result.verdict = Verdict::output_limit;
        result.detail = "a file exceeded " + std::to_string(lim.file_size_bytes) + " bytes";
    } else if (cg_stats.oom_killed || (have_status && (result.signal != 0 || result.exit_code != 0) && near_memory_limit)) {
        result.verdict = Verdict::memory_limit;
        result.detail = "memory limit of " + std::to_string(lim.memory_bytes >> 20) + " MiB exceeded";
    } else if (result.signal == SIGXCPU || cpu_total >= lim.cpu_seconds ||
               (result.signal == SIGKILL && cpu_total >= lim.cpu_seconds * 0.95)) {
        result.verdict = Verdict::time_limit;
        result.detail = "CPU time limit of " + std::to_string(lim.cpu_seconds) + " s exceeded";
    } else if (result.wall_timeout) {
        result.verdict = Verdict::time_limit;
        result.detail = "wall-clock limit of " + std::to_string(lim.wall_seconds) + " s exceeded";
    } else if (!have_status) {
        result.verdict = Verdict::runtime_error;
        result.detail = "the sandbox's init died before the program finished";
    } else if (result.signal != 0) {
        result.verdict = Verdict::runtime_error;
        result.detail = std::string("killed by signal ") + std::to_string(result.signal) + " (" + ::strsignal(result.signal) + ")";
    } else if (result.exit_code != 0) {
        result.verdict = Verdict::runtime_error;
        result.detail = "exit code " + std::to_string(result.exit_code);
    }
    return result;
}

}  // namespace optiloop::sandbox

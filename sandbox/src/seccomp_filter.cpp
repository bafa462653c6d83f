#include "seccomp_filter.hpp"

#include <linux/sched.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <initializer_list>
#include <vector>

#include <seccomp.h>

namespace optiloop::sandbox {

namespace {

struct Compiled {
    std::vector<sock_filter> code;
    sock_fprog program{};
    std::string reason;
    bool ok = false;
};

// System calls a measured program has no business making; any of them ends the run as SECURITY.
constexpr const char* k_forbidden[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root", "chroot",
    "unshare", "setns", "bpf", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "perf_event_open", "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load",
    "init_module", "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct",
    "open_by_handle_at", "name_to_handle_at", "fsopen", "fsmount", "fsconfig", "fspick", "move_mount",
    "open_tree", "mount_setattr", "syslog", "quotactl", "lookup_dcookie", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "iopl", "ioperm",
    "vhangup", "pidfd_getfd",
};

Compiled compile(bool single_process) {
    Compiled c;
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx) {
        c.reason = "libseccomp could not create a filter";
        return c;
    }
    const uint32_t kill = SCMP_ACT_KILL_PROCESS;
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, kill);  // int 0x80 and x32 calls die
    for (const char* name : k_forbidden) {
        const int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
        rc = rc ? rc : seccomp_rule_add(ctx, kill, nr, 0);
    }
    // Sockets: only local (AF_UNIX) ones.
    rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
    rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(socketpair), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
    // Processes and threads yes, new namespaces no. clone3 hides its flags in memory, so it is
    // refused with ENOSYS and the C library falls back to clone.
    for (scmp_datum_t flag : std::initializer_list<scmp_datum_t>{CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID,
                               CLONE_NEWNET, CLONE_NEWCGROUP, CLONE_NEWTIME})
        rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
    rc = rc ? rc : seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    if (single_process) {
        // Threads stay allowed (valgrind runs them one at a time in the same process).
        rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(fork), 0);
        rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(vfork), 0);
        rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    }
    // No faking terminal input.
    rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, TIOCSTI));
    rc = rc ? rc : seccomp_rule_add(ctx, kill, SCMP_SYS(ioctl), 1, SCMP_A1(SCMP_CMP_EQ, TIOCLINUX));
    if (rc != 0) {
        c.reason = "libseccomp rejected a rule (error " + std::to_string(-rc) + ")";
        seccomp_release(ctx);
        return c;
    }
    const int fd = static_cast<int>(::syscall(SYS_memfd_create, "seccomp", MFD_CLOEXEC));
    if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0) {
        c.reason = "could not export the seccomp filter";
        if (fd >= 0) ::close(fd);
        seccomp_release(ctx);
        return c;
    }
    seccomp_release(ctx);
    const off_t size = ::lseek(fd, 0, SEEK_END);
    ::lseek(fd, 0, SEEK_SET);
    c.code.resize(static_cast<std::size_t>(size) / sizeof(sock_filter));
    const ssize_t n = ::read(fd, c.code.data(), c.code.size() * sizeof(sock_filter));
    ::close(fd);
    if (n != static_cast<ssize_t>(c.code.size() * sizeof(sock_filter)) || c.code.empty()) {
        c.reason = "could not read back the seccomp filter";
        return c;
    }
    c.program.len = static_cast<unsigned short>(c.code.size());
    c.program.filter = c.code.data();
    if (::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) < 0) {
        c.reason = "the kernel has no seccomp support";
        return c;
    }
    c.ok = true;
    return c;
}

}  // namespace

const sock_fprog* seccomp_program(std::string& reason, bool single_process) {
    static const Compiled compiled = compile(false);
    static const Compiled single = compile(true);
    const Compiled& c = single_process ? single : compiled;
    reason = c.reason;
    return c.ok ? &c.program : nullptr;
}

}  // namespace optiloop::sandbox

// The sandbox's system-call filter, compiled once with libseccomp into a BPF program that the
// child loads with a bare prctl (no allocation after clone). Private to the sandbox.
#pragma once

#include <linux/filter.h>

#include <string>

namespace optiloop::sandbox {

// The filter, or nullptr with the reason when seccomp is unavailable. `single_process` adds the
// rules of a counted run: no new process (fork, vfork, clone without CLONE_THREAD), so that every
// instruction happens in the one process whose count is read back.
const sock_fprog* seccomp_program(std::string& reason, bool single_process = false);

}  // namespace optiloop::sandbox

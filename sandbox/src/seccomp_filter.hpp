// The sandbox's system-call filter, compiled once with libseccomp into a BPF program that the
// child loads with a bare prctl (no allocation after clone). Private to the sandbox.
#pragma once

#include <linux/filter.h>

#include <string>

namespace optiloop::sandbox {

// The filter, or nullptr with the reason when seccomp is unavailable.
const sock_fprog* seccomp_program(std::string& reason);

}  // namespace optiloop::sandbox

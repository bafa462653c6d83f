// The optiloop command line. main() only calls run(), so tests drive the whole CLI in-process.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace optiloop::cli {

// Runs the CLI with argv (argv[0] is the program name); returns the process exit code.
int run(int argc, const char* const* argv);
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace optiloop::cli

// A scratch directory for one test process, <tmp>/<prefix><pid>, holding the compile and LLM
// caches (XDG_CACHE_HOME points into it) and removed when the process ends. ctest runs every test
// case as a process of its own, and lists them with one more: a directory left by each adds up.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace test_support {

// One directory per process: the prefix of the first call names it.
inline const std::filesystem::path& process_dir(const std::string& prefix) {
    namespace fs = std::filesystem;
    static const fs::path dir = [&] {
        fs::path d = fs::temp_directory_path() / (prefix + std::to_string(::getpid()));
        fs::create_directories(d);
        ::setenv("XDG_CACHE_HOME", (d / "cache").c_str(), 1);
        return d;
    }();
    static const struct Remove {
        ~Remove() {
            std::error_code ec;
            fs::remove_all(dir, ec);
        }
    } remove;
    return dir;
}

}  // namespace test_support

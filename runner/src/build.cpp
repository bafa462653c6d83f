#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <optiloop/core/files.hpp>
#include <optiloop/core/hash.hpp>
#include <optiloop/runner/build.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/host.hpp>
#include <optiloop/sandbox/sandbox.hpp>

namespace optiloop::runner {

namespace fs = std::filesystem;

namespace {

// Finds a compiler by name in the usual places (the sandbox only shows /usr).
std::optional<fs::path> resolve(const std::string& compiler) {
    if (compiler.find('/') != std::string::npos) {
        if (::access(compiler.c_str(), X_OK) == 0) return fs::path(compiler);
        return std::nullopt;
    }
    for (const char* dir : {"/usr/bin", "/usr/local/bin", "/usr/local/cuda/bin", "/bin"}) {
        const fs::path candidate = fs::path(dir) / compiler;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

}  // namespace

fs::path cache_dir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "optiloop" / "build";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "optiloop" / "build";
    return fs::temp_directory_path() / "optiloop-cache" / "build";
}

core::Result<std::string> compiler_version(const std::string& compiler) {
    static std::mutex mutex;
    static std::map<std::string, std::string> known;
    std::lock_guard lock(mutex);
    if (auto it = known.find(compiler); it != known.end()) return it->second;
    const auto path = resolve(compiler);
    if (!path)
        return core::fail(core::Error::infrastructure("compiler " + compiler + " not found (looked in /usr/bin, /usr/local/bin, /usr/local/cuda/bin)"));
    // The host's own compiler, asked for its version: trusted, so no sandbox (and no shell).
    const HostRun run = run_host({path->string(), "--version"});
    if (run.exit_code != 0) return core::fail(core::Error::infrastructure("cannot run " + path->string() + " --version (exit code " + std::to_string(run.exit_code) + ")"));
    std::string version = path->string() + "\n" + run.output;
    known.emplace(compiler, version);
    return version;
}

std::string trim_diagnostics(const std::string& output, std::size_t max_lines) {
    std::vector<std::string> lines;
    std::istringstream in(output);
    std::string line;
    while (std::getline(in, line)) {
        for (std::size_t at; (at = line.find("/work/")) != std::string::npos;) line.erase(at, 6);
        lines.push_back(line);
    }
    auto first_error = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
        return l.find("error") != std::string::npos;
    });
    if (first_error == lines.end()) first_error = lines.begin();
    // Keep the "In function ..." line that introduces the first error.
    if (first_error != lines.begin() && (first_error - 1)->find("In ") != std::string::npos) --first_error;
    std::string out;
    std::size_t kept = 0;
    for (auto it = first_error; it != lines.end() && kept < max_lines; ++it, ++kept) out += *it + "\n";
    if (static_cast<std::size_t>(lines.end() - first_error) > max_lines)
        out += "... (" + std::to_string(lines.end() - first_error - static_cast<long>(max_lines)) + " more lines)\n";
    return out;
}

core::Result<BuildResult> build(const BuildRequest& request) {
    const auto start = std::chrono::steady_clock::now();
    auto version = compiler_version(request.spec.compiler);
    if (!version) return core::fail(version.error());
    const fs::path compiler = *resolve(request.spec.compiler);

    auto sources = request.sources;
    std::sort(sources.begin(), sources.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    core::Hasher hasher;
    hasher.add("optiloop-build-1").add(*version);
    for (const auto& flag : request.spec.flags) hasher.add(flag);
    for (const auto& file : sources) hasher.add(file.path).add(file.content);
    const std::string key = hasher.hex();
    const fs::path dir = cache_dir() / key.substr(0, 2) / key;
    const fs::path binary = dir / "prog";
    const fs::path failure = dir / "diagnostics.txt";

    BuildResult result;
    auto finish = [&](BuildResult r) {
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    };
    if (fs::exists(binary)) {
        result.ok = true;
        result.cached = true;
        result.binary = binary;
        return finish(result);
    }
    if (fs::exists(failure)) {
        result.cached = true;
        result.verdict = core::Verdict::compile_error;
        result.diagnostics = core::read_file(failure).value_or("");
        if (result.diagnostics.rfind("SECURITY: ", 0) == 0) result.verdict = core::Verdict::security;
        return finish(result);
    }

    sandbox::Spec spec;
    spec.argv = {compiler.string()};
    for (const auto& flag : request.spec.flags) spec.argv.push_back(flag);
    spec.argv.insert(spec.argv.end(), {"-I", "/work", "-o", "/work/prog"});
    for (const auto& file : sources) {
        if (file.path.empty() || file.path.front() == '/' || file.path.find("..") != std::string::npos)
            return core::fail(core::Error::input("source path " + file.path + ": expected a relative path without .."));
        spec.scratch_data.emplace_back(file.path, file.content);
        if (core::is_translation_unit(file.path)) spec.argv.push_back("/work/" + file.path);
    }
    spec.scratch_outputs = {"prog"};
    spec.env = {"PATH=/usr/bin:/bin:/usr/local/cuda/bin", "LANG=C", "LC_ALL=C", "TMPDIR=/tmp"};
    spec.limits.cpu_seconds = request.time_limit_seconds;
    spec.limits.wall_seconds = request.time_limit_seconds * 2;
    spec.limits.memory_bytes = request.memory_bytes;
    spec.limits.output_bytes = 1 << 20;
    spec.limits.stderr_bytes = 256 << 10;
    spec.limits.file_size_bytes = std::int64_t{512} << 20;
    spec.limits.tmp_bytes = std::int64_t{1} << 30;
    spec.limits.processes = 64;
    spec.limits.open_files = 256;
    auto run = sandbox::run(spec);
    if (!run) return core::fail(run.error());

    fs::create_directories(dir);
    std::string produced;
    for (const auto& [name, bytes] : run->scratch_files)
        if (name == "prog") produced = bytes;
    if (run->verdict != core::Verdict::ok || produced.empty()) {
        result.verdict = core::Verdict::compile_error;
        switch (run->verdict) {
            case core::Verdict::time_limit:
                result.diagnostics = "compilation took longer than " + std::to_string(static_cast<int>(request.time_limit_seconds)) + " s\n";
                break;
            case core::Verdict::memory_limit: result.diagnostics = "the compiler ran out of memory\n"; break;
            case core::Verdict::output_limit: result.diagnostics = "the compiler's output was too large\n"; break;
            default: result.diagnostics = trim_diagnostics(run->stderr_data + run->stdout_data); break;
        }
        if (result.diagnostics.empty()) result.diagnostics = "the compiler failed: " + run->detail + "\n";
        // Resource failures depend on the machine's load; only real errors are cached.
        if (run->verdict == core::Verdict::ok || run->verdict == core::Verdict::runtime_error)
            core::write_file_atomically(failure, result.diagnostics, fs::perms::owner_read | fs::perms::owner_write);
        return finish(result);
    }
    if (uses_valgrind_client_requests(produced)) {
        result.verdict = core::Verdict::security;
        result.diagnostics = "SECURITY: the program uses valgrind client requests (it could hide work from the instruction count)\n";
        core::write_file_atomically(failure, result.diagnostics, fs::perms::owner_read | fs::perms::owner_write);
        return finish(result);
    }
    if (!core::write_file_atomically(binary, produced, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                                fs::perms::others_read | fs::perms::others_exec))
        return core::fail(core::Error::infrastructure("cannot write to the compile cache " + dir.string()));
    result.ok = true;
    result.binary = binary;
    return finish(result);
}

}  // namespace optiloop::runner

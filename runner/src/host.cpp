// The trusted host commands (git, sbatch, the compiler's --version): run without a shell and
// outside the sandbox. Candidates never come here; they run only inside sandbox/.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>

#include <optiloop/runner/host.hpp>

extern char** environ;

namespace optiloop::runner {

namespace fs = std::filesystem;

HostRun run_host(const std::vector<std::string>& argv, const fs::path& cwd,
                 const std::function<void(std::string_view)>& on_output, const std::vector<std::string>& extra_env) {
    HostRun result;
    // The child's environment, built before fork: only async-signal-safe calls may follow it.
    std::vector<std::string> env_strings;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const auto name = entry.substr(0, entry.find('=') + 1);
        const bool replaced = std::any_of(extra_env.begin(), extra_env.end(), [&](const std::string& x) { return x.compare(0, name.size(), name) == 0; });
        if (!replaced) env_strings.emplace_back(entry);
    }
    env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    int pipe_fds[2];
    if (argv.empty() || ::pipe2(pipe_fds, O_CLOEXEC) != 0) return result;
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const std::string dir = cwd.string();
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec.
        ::dup2(pipe_fds[1], STDOUT_FILENO);
        ::dup2(pipe_fds[1], STDERR_FILENO);
        const int null = ::open("/dev/null", O_RDONLY);
        if (null >= 0) ::dup2(null, STDIN_FILENO);
        if (!dir.empty() && ::chdir(dir.c_str()) != 0) ::_exit(126);
        ::execvpe(args[0], args.data(), envp.data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    if (pid < 0) {
        ::close(pipe_fds[0]);
        return result;
    }
    std::array<char, 4096> buffer{};
    for (ssize_t n; (n = ::read(pipe_fds[0], buffer.data(), buffer.size())) != 0;) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (on_output)
            on_output(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
        else
            result.output.append(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

HostRun git(const std::filesystem::path& repo, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"git", "-C", repo.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_host(argv);
}

}  // namespace optiloop::runner

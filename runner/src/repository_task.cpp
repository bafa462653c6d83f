// The repository target's host side: the scratch workspace's lifetime (and its cleanup on a
// terminating signal), the flags to parse a project's file, and the task that describes it.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include <optiloop/core/files.hpp>
#include <optiloop/core/text.hpp>
#include <optiloop/runner/repository.hpp>

namespace optiloop::runner {

namespace fs = std::filesystem;

namespace {

// The workspaces alive now, for the watcher that cleans up after a signal.
std::mutex g_live_mutex;
std::vector<std::pair<fs::path, Workspace>> g_live;
int g_signal_pipe[2] = {-1, -1};

void on_terminating_signal(int signal) {
    const unsigned char byte = static_cast<unsigned char>(signal);
    [[maybe_unused]] const ssize_t n = ::write(g_signal_pipe[1], &byte, 1);  // async-signal-safe
}

// Once per process: the handler writes the signal to a pipe; a thread reads it, removes every live
// workspace (git worktree remove: not something a signal handler may do) and exits 128 + signal.
sigset_t terminating_signals() {
    sigset_t set;
    sigemptyset(&set);
    for (int signal : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, signal);
    return set;
}

void install_interrupt_cleanup() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (::pipe2(g_signal_pipe, O_CLOEXEC) != 0) return;
        // The watcher never takes the signals itself (it inherits this mask): they reach a thread
        // that may block them while a workspace is being made and registered (open_workspace).
        const sigset_t blocked = terminating_signals();
        sigset_t previous;
        ::pthread_sigmask(SIG_BLOCK, &blocked, &previous);
        std::thread([] {
            unsigned char signal = 0;
            while (::read(g_signal_pipe[0], &signal, 1) < 0 && errno == EINTR) {
            }
            {
                std::lock_guard lock(g_live_mutex);
                for (const auto& [root, ws] : g_live) remove_workspace(root, ws);
                g_live.clear();
            }
            ::_exit(128 + signal);
        }).detach();
        ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        struct sigaction action {};
        action.sa_handler = on_terminating_signal;
        sigemptyset(&action.sa_mask);
        for (int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
    });
}

}  // namespace

WorkspaceGuard::WorkspaceGuard(fs::path root, Workspace ws) : m_root(std::move(root)), m_ws(std::move(ws)) {
    install_interrupt_cleanup();
    std::lock_guard lock(g_live_mutex);
    g_live.emplace_back(m_root, m_ws);
}

WorkspaceGuard::~WorkspaceGuard() {
    {
        std::lock_guard lock(g_live_mutex);
        std::erase_if(g_live, [&](const auto& live) { return live.second.path == m_ws.path; });
    }
    remove_workspace(m_root, m_ws);
}

core::Result<std::unique_ptr<WorkspaceGuard>> open_workspace(const std::string& repo) {
    const fs::path root = fs::absolute(repo);
    // What an earlier run killed outright left registered in the user's .git goes first.
    sweep_stale_workspaces(root);
    // A signal between `git worktree add` and the guard's registration would leave the worktree
    // behind: it waits (blocked) until the guard is registered, then cleans up as usual.
    install_interrupt_cleanup();
    const sigset_t blocked = terminating_signals();
    sigset_t previous;
    ::pthread_sigmask(SIG_BLOCK, &blocked, &previous);
    auto ws = make_workspace(root);
    std::unique_ptr<WorkspaceGuard> guard;
    if (ws) guard = std::make_unique<WorkspaceGuard>(root, *ws);
    ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (!ws) return core::fail(ws.error());
    return guard;
}

namespace {

// A compile command split as a POSIX shell would (quotes and backslashes; no expansions).
std::vector<std::string> split_command(const std::string& command) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (std::size_t i = 0; i < command.size(); ++i) {
        const char c = command[i];
        if (quote) {
            if (c == quote) quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < command.size()) word += command[++i];
            else word += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_word = true;
        } else if (c == '\\' && i + 1 < command.size()) {
            word += command[++i];
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(word);
    return words;
}

// The parse-relevant flags of one compile command, paths made absolute against `directory`.
std::vector<std::string> parse_relevant(const std::vector<std::string>& args, const fs::path& directory) {
    std::vector<std::string> flags;
    auto absolute = [&](const std::string& p) { return (fs::path(p).is_absolute() ? fs::path(p) : directory / p).lexically_normal().string(); };
    for (std::size_t i = 1; i < args.size(); ++i) {
        const std::string& a = args[i];
        bool matched = false;
        for (const std::string prefix : {"-isystem", "-iquote", "-include", "-I"}) {
            if (!a.starts_with(prefix)) continue;
            matched = true;
            if (a == prefix && i + 1 < args.size()) flags.insert(flags.end(), {prefix, absolute(args[++i])});
            else if (a != prefix) flags.push_back(prefix + absolute(a.substr(prefix.size())));
            break;
        }
        if (matched) continue;
        if (a.starts_with("-D") || a.starts_with("-U")) {
            if ((a == "-D" || a == "-U") && i + 1 < args.size()) flags.insert(flags.end(), {a, args[++i]});
            else flags.push_back(a);
        } else if (a.starts_with("-std=")) {
            flags.push_back(a);
        }
    }
    return flags;
}

}  // namespace

core::Result<std::vector<std::string>> project_parse_flags(const fs::path& root, const std::string& file, const std::vector<std::string>& extra,
                                                           const fs::path& user_root_given, const std::string& compile_commands) {
    const fs::path user_root = user_root_given.empty() ? root : user_root_given;
    std::optional<fs::path> database;
    if (!compile_commands.empty()) {
        const fs::path given = fs::path(compile_commands).is_absolute() ? fs::path(compile_commands) : fs::absolute(compile_commands);
        database = fs::is_directory(given) ? given / "compile_commands.json" : given;
        if (!fs::is_regular_file(*database)) return core::fail(core::Error::input("-p " + compile_commands + ": no compile_commands.json there"));
    } else {
        for (const fs::path& dir : {user_root / "build", user_root})
            if (fs::is_regular_file(dir / "compile_commands.json")) {
                database = dir / "compile_commands.json";
                break;
            }
    }
    std::vector<std::string> flags;
    bool from_database = false;
    if (database) {
        auto text = core::read_file(*database);
        auto entries = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
        if (!entries.is_array()) return core::fail(core::Error::input(database->string() + ": not a compilation database (expected a JSON array of entries)"));
        std::error_code ec;
        const fs::path wanted = fs::weakly_canonical(user_root / file, ec);
        for (const auto& entry : entries) {
            if (!entry.is_object() || !entry.contains("file") || !entry["file"].is_string() || !entry.contains("directory") || !entry["directory"].is_string()) continue;
            const fs::path directory = entry["directory"].get<std::string>();
            const fs::path entry_file = entry["file"].get<std::string>();
            if (fs::weakly_canonical(entry_file.is_absolute() ? entry_file : directory / entry_file, ec) != wanted) continue;
            std::vector<std::string> args;
            if (entry.contains("arguments") && entry["arguments"].is_array()) {
                for (const auto& a : entry["arguments"])
                    if (a.is_string()) args.push_back(a.get<std::string>());
            } else if (entry.contains("command") && entry["command"].is_string()) {
                args = split_command(entry["command"].get<std::string>());
            }
            flags = parse_relevant(args, directory);
            from_database = true;
            break;
        }
    }
    if (from_database) {
        // Paths into the user's tree read the workspace's copy where it has one (HEAD's sources);
        // generated headers exist only in the user's build tree and stay there.
        if (user_root != root)
            for (auto& f : flags) {
                for (const std::string prefix : {"-isystem", "-iquote", "-include", "-I"}) {
                    const bool joined = f.starts_with(prefix) && f.size() > prefix.size();
                    const std::string path = joined ? f.substr(prefix.size()) : f;
                    const fs::path relative = fs::path(path).lexically_relative(user_root);
                    if (!fs::path(path).is_absolute() || relative.empty() || relative.string().starts_with("..")) continue;
                    if (fs::exists(root / relative)) f = (joined ? prefix : "") + (root / relative).lexically_normal().string();
                    break;
                }
            }
        if (std::none_of(flags.begin(), flags.end(), [](const std::string& f) { return f.starts_with("-std="); })) flags.insert(flags.begin(), "-std=c++17");
    } else {
        flags = {"-std=c++17"};
        for (const fs::path& dir : {root / fs::path(file).parent_path(), root / "include", root / "src", root})
            if (fs::is_directory(dir)) flags.push_back("-I" + dir.lexically_normal().string());
    }
    // --flags: a relative include path means one inside the project, not the current directory.
    for (std::size_t i = 0; i < extra.size(); ++i) {
        const std::string& f = extra[i];
        if (f.starts_with("-I") && f.size() > 2 && !fs::path(f.substr(2)).is_absolute()) flags.push_back("-I" + (root / f.substr(2)).lexically_normal().string());
        else flags.push_back(f);
    }
    return flags;
}

core::Result<core::Task> repository_task(const RepositoryTarget& a, const Workspace& ws, const std::string& file, const std::string& function,
                                         const std::vector<std::string>& extra_flags) {
    if (a.build.empty()) return core::fail(core::Error::input("--build: repository mode needs the project's build command (e.g. \"cmake -S . -B build && cmake --build build\")"));
    if (a.test.empty()) return core::fail(core::Error::input("--test: repository mode needs the project's test command (exit code 0 = correct)"));
    if (a.bench_format == "gbench" && a.bench.empty()) return core::fail(core::Error::input("--bench-format gbench needs --bench (a Google Benchmark binary)"));
    const fs::path relative = fs::path(file).lexically_normal();
    if (file.empty() || relative.is_absolute() || relative.string().starts_with(".."))
        return core::fail(core::Error::input("--file " + file + ": expected a path relative to the repository root"));
    const fs::path path = ws.path / relative;
    if (!fs::is_regular_file(path))
        return core::fail(core::Error::input("--file " + file + ": no such file" + (ws.head.empty() ? "" : " at HEAD (" + ws.head.substr(0, 12) + "); commit it first")));
    // The file is sent to the proposer (an LLM over HTTP): a symlink in the repository (a pull
    // request can add one) must not lead out of it, to /etc/shadow or a key file, say.
    auto opened = core::open_file_within(path, ws.path, core::k_max_source_file_bytes);
    if (!opened) return core::fail(core::Error::input("--file " + file + ": " + opened.error().message + "; expected a source file inside the repository"));
    auto text = opened->read();
    if (!text || !core::is_utf8(*text)) return core::fail(core::Error::input("--file " + file + ": not a readable UTF-8 source file"));

    core::Task task;
    task.kind = core::TaskKind::repository;
    fs::path repo_root = fs::absolute(a.repo.empty() ? "." : a.repo).lexically_normal();
    if (repo_root.filename().empty()) repo_root = repo_root.parent_path();
    task.id = repo_root.filename().string() + ":" + relative.string() + (function.empty() ? "" : ":" + function);
    task.description = "a function of a repository; its own tests decide correctness";
    task.baseline = {{relative.string(), *text}};
    task.function_name = function;
    task.root = ws.path;
    auto parse_flags = project_parse_flags(ws.path, relative.string(), extra_flags, fs::absolute(a.repo.empty() ? "." : a.repo).lexically_normal(), a.compile_commands);
    if (!parse_flags) return core::fail(parse_flags.error());
    task.build.flags = *parse_flags;
    core::RepositorySpec spec;
    spec.root = fs::absolute(a.repo.empty() ? "." : a.repo);
    spec.workspace = ws.path;
    spec.head = ws.head;
    spec.build = a.build;
    spec.test = a.test;
    spec.bench = a.bench;
    spec.bench_format = a.bench_format;
    spec.bench_filter = a.bench_filter;
    spec.bench_metric = a.bench_metric;
    spec.bench_repetitions = a.bench_repetitions;
    spec.build_seconds = a.build_timeout;
    spec.test_seconds = a.test_timeout;
    spec.bench_seconds = a.bench_timeout;
    task.repository = spec;
    return task;
}

}  // namespace optiloop::runner

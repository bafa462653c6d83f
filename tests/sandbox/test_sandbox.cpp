// Each test compiles a tiny hostile program and checks the sandbox's verdict, then that the run
// left no process, cgroup or file behind.
#include <gtest/gtest.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include <optiloop/sandbox/sandbox.hpp>

namespace fs = std::filesystem;
using optiloop::core::Verdict;
using namespace optiloop::sandbox;

namespace {

class SandboxTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = fs::temp_directory_path() / ("optiloop-sandbox-test-" + std::to_string(::getpid()));
        fs::create_directories(s_dir / "bin");
        fs::create_directories(s_dir / "tmp");
        // The sandbox's scratch directories go here, so the test can see that none is left.
        ::setenv("TMPDIR", (s_dir / "tmp").c_str(), 1);
        ::setenv("OPTILOOP_TEST_SECRET", "sk-this-must-not-leak", 1);
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        fs::remove_all(s_dir, ec);
    }

    void TearDown() override {
        // Nothing left behind: no scratch directory, no cgroup, no process of ours.
        EXPECT_TRUE(fs::is_empty(s_dir / "tmp")) << "a scratch directory was left in " << (s_dir / "tmp");
        // Other test processes make and remove cgroups while this walks the tree: an entry that
        // vanishes mid-walk is skipped (the non-throwing increment), never an error of this test.
        for (const char* base : {"/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids"}) {
            std::error_code ec;
            for (auto it = fs::recursive_directory_iterator(base, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                const std::string name = it->path().filename().string();
                EXPECT_NE(name.rfind("optiloop-" + std::to_string(::getpid()) + "-", 0), 0u) << "cgroup left: " << it->path();
            }
        }
        EXPECT_EQ(count_processes_named(marker_name()), 0) << "a process of the sandbox survived";
    }

    // Unique to this test process, since ctest runs several at once.
    static std::string marker_name() { return "optiloop-marker-" + std::to_string(::getpid()); }

    // Why this machine has no memory cgroup layer, or "" when it has one.
    static std::string no_memory_cgroup() {
        for (const auto& layer : probe_layers())
            if (layer.layer == Layer::cgroup_memory && !layer.active) return "no memory cgroup here (" + layer.reason + ")";
        return "";
    }

    static int count_processes_named(const std::string& marker) {
        int count = 0;
        std::error_code ec;
        for (auto it = fs::directory_iterator("/proc", ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            // Processes come and go while we look: read with plain system calls, ignore errors.
            const int fd = ::open((it->path() / "cmdline").c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) continue;
            char buffer[4096];
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            ::close(fd);
            if (n > 0 && std::string(buffer, static_cast<std::size_t>(n)).find(marker) != std::string::npos) ++count;
        }
        return count;
    }

    // Compiles `source` (C++) once per name; returns the path inside the sandbox.
    static std::string build(const std::string& name, const std::string& source, const std::string& flags = "") {
        const fs::path src = s_dir / (name + ".cpp");
        const fs::path bin = s_dir / "bin" / name;
        if (!fs::exists(bin)) {
            std::ofstream(src) << source;
            const std::string cmd = "g++ -O1 -w -pthread " + flags + " -o " + bin.string() + " " + src.string();
            EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
        }
        return "/box/" + name;
    }

    static Spec spec_for(const std::string& program) {
        Spec spec;
        spec.argv = {program};
        spec.binds.push_back({s_dir / "bin", "/box", false});
        spec.limits.cpu_seconds = 2;
        spec.limits.wall_seconds = 4;
        spec.limits.memory_bytes = 128 << 20;
        spec.limits.output_bytes = 1 << 20;
        return spec;
    }

    static Result run_ok(const Spec& spec) {
        auto result = run(spec);
        EXPECT_TRUE(result) << (result ? "" : result.error().message);
        return result ? *result : Result{};
    }

    static Result run_program(const std::string& name, const std::string& source, const std::string& flags = "") {
        return run_ok(spec_for(build(name, source, flags)));
    }

    static inline fs::path s_dir;
};

const char* k_includes = R"(
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#include <vector>
#include <string>
#include <thread>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <linux/perf_event.h>
)";

std::string program(const std::string& body) { return std::string(k_includes) + body; }

}  // namespace

TEST_F(SandboxTest, HelloWorldIsOk) {
    auto r = run_program("hello", program("int main(){ char b[64]; int n = fread(b,1,64,stdin); printf(\"hi %d\\n\", n); }"));
    EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
    EXPECT_EQ(r.stdout_data, "hi 0\n");
    EXPECT_GT(r.wall_seconds, 0);
}

TEST_F(SandboxTest, StdinBytesAndFile) {
    Spec spec = spec_for(build("cat", program("int main(){ int c; while((c=getchar())!=EOF) putchar(c); }")));
    spec.stdin_data = "abc\n";
    EXPECT_EQ(run_ok(spec).stdout_data, "abc\n");
    const fs::path input = s_dir / "input.txt";
    std::ofstream(input) << "from a file\n";
    spec.stdin_file = input;
    EXPECT_EQ(run_ok(spec).stdout_data, "from a file\n");
}

TEST_F(SandboxTest, InfiniteLoopIsCpuTimeLimit) {
    // A generous wall clock: on a loaded machine 1 s of CPU can take several seconds.
    Spec spec = spec_for(build("spin", program("int main(){ volatile unsigned long x=0; for(;;) ++x; }")));
    spec.limits.cpu_seconds = 1;
    spec.limits.wall_seconds = 30;
    auto r = run_ok(spec);
    EXPECT_EQ(r.verdict, Verdict::time_limit) << r.detail;
    EXPECT_GE(r.cpu_user_seconds + r.cpu_sys_seconds, 0.9);
    EXPECT_FALSE(r.wall_timeout);
}

TEST_F(SandboxTest, SleepIsWallTimeLimit) {
    auto r = run_program("sleeper", program("int main(){ sleep(100); }"));
    EXPECT_EQ(r.verdict, Verdict::time_limit) << r.detail;
    EXPECT_TRUE(r.wall_timeout);
    EXPECT_LT(r.wall_seconds, 8);
}

TEST_F(SandboxTest, BlockingReadIsWallTimeLimit) {
    auto r = run_program("blockread", program("int main(){ int p[2]; pipe(p); char c; read(p[0], &c, 1); }"));
    EXPECT_EQ(r.verdict, Verdict::time_limit) << r.detail;
    EXPECT_TRUE(r.wall_timeout);
}

TEST_F(SandboxTest, MemsetBombIsMemoryLimit) {
    auto r = run_program("membomb", program(
        "int main(){ for(;;){ char* p=(char*)malloc(16<<20); if(!p) return 3; memset(p,1,16<<20);} }"));
    EXPECT_EQ(r.verdict, Verdict::memory_limit) << r.detail;
}

TEST_F(SandboxTest, MemoryLimitKillsTheProgramNeverTheCaller) {
    // A caller with a far larger heap than the program's limit (the optimizer holds ASTs): the
    // kernel's OOM killer picks the largest process in the memory cgroup, and kills everything
    // that shares its memory. The sandbox's init may share the caller's memory, so it must not
    // be in that cgroup: the program dies (MLE), this process lives on.
    std::vector<char> heap(std::size_t{768} << 20);
    for (std::size_t i = 0; i < heap.size(); i += 4096) heap[i] = static_cast<char>(i | 1);
    Spec spec = spec_for(build("membomb", program(
        "int main(){ for(;;){ char* p=(char*)malloc(16<<20); if(!p) return 3; memset(p,1,16<<20);} }")));
    spec.limits.memory_bytes = std::int64_t{64} << 20;
    auto r = run_ok(spec);
    EXPECT_EQ(r.verdict, Verdict::memory_limit) << r.detail;
    EXPECT_EQ(heap[4096], static_cast<char>(4096 | 1));
}

TEST_F(SandboxTest, PeakRssIsTheProgramsNotTheCallers) {
    if (const std::string why = no_memory_cgroup(); !why.empty()) GTEST_SKIP() << why << ": the peak is the kernel's high-water mark, which counts the caller's memory";
    // The caller's memory must not show in the program's peak (init shares or copies it).
    std::vector<char> heap(std::size_t{256} << 20);
    for (std::size_t i = 0; i < heap.size(); i += 4096) heap[i] = static_cast<char>(i | 1);
    auto small = run_program("hello", program("int main(){ char b[64]; int n = fread(b,1,64,stdin); printf(\"hi %d\\n\", n); }"));
    EXPECT_EQ(small.verdict, Verdict::ok) << small.detail;
    EXPECT_LT(small.peak_rss_bytes, std::int64_t{64} << 20);
    auto big = run_program("touch96", program("int main(){ volatile char* p=(char*)malloc(96<<20); for(long i=0;i<(96<<20);i+=4096) p[i]=1; printf(\"%d\\n\", p[12288]); }"));
    EXPECT_EQ(big.verdict, Verdict::ok) << big.detail;
    EXPECT_GE(big.peak_rss_bytes, std::int64_t{96} << 20);
    EXPECT_LT(big.peak_rss_bytes, std::int64_t{160} << 20);
    EXPECT_EQ(heap[4096], static_cast<char>(4096 | 1));
}

TEST_F(SandboxTest, VectorGrowthIsMemoryLimit) {
    auto r = run_program("vecgrow", program(
        "int main(){ std::vector<long> v; for(;;) v.push_back(v.size()); }"));
    EXPECT_EQ(r.verdict, Verdict::memory_limit) << r.detail;
}

TEST_F(SandboxTest, HugeUntouchedBssIsOk) {
    if (const std::string why = no_memory_cgroup(); !why.empty()) GTEST_SKIP() << why << ": under the RLIMIT_AS fallback a large reservation fails by design";
    auto r = run_program("bigbss", program(
        "static char big[1L<<30]; int main(){ big[12345]=1; printf(\"%d\\n\", big[12345]); }"));
    EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
    auto m = run_program("bigmmap", "#include <sys/mman.h>\n#include <cstdio>\nint main(){ char* p=(char*)mmap(0, 4L<<30, "
                                    "PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0); if(p==MAP_FAILED) return 1; p[7]=1; puts(\"ok\"); }");
    EXPECT_EQ(m.verdict, Verdict::ok) << m.detail;
}

TEST_F(SandboxTest, ForkBombIsContainedAndHostCanStillFork) {
    auto r = run_program("forkbomb", program("int main(){ for(;;) fork(); }"));
    EXPECT_TRUE(r.verdict == Verdict::runtime_error || r.verdict == Verdict::memory_limit ||
                r.verdict == Verdict::time_limit) << optiloop::core::to_string(r.verdict) << " " << r.detail;
    EXPECT_EQ(std::system("true"), 0);
}

TEST_F(SandboxTest, ThreadBombIsContained) {
    auto r = run_program("threadbomb", program(
        "int main(){ std::vector<std::thread> t; for(;;) t.emplace_back([]{ pause(); }); }"));
    EXPECT_NE(r.verdict, Verdict::ok);
    EXPECT_EQ(std::system("true"), 0);
}

TEST_F(SandboxTest, DoubleForkedDaemonIsKilledAtTeardown) {
    const std::string marker = build(marker_name(), program(
        "int main(){ if(fork()==0){ setsid(); if(fork()==0){ for(;;) sleep(1); } _exit(0);} wait(nullptr); puts(\"parent done\"); }"));
    auto r = run_ok(spec_for(marker));
    EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
    EXPECT_EQ(r.stdout_data, "parent done\n");
    // TearDown checks no process named optiloop-marker is alive.
}

TEST_F(SandboxTest, AKilledCallerTakesItsSandboxWithIt) {
    // optiloop killed mid-run (Ctrl-C, the OOM killer, a CI timeout) cannot clean up: the
    // sandbox's init dies with it, and every process of the namespace with init.
    const std::string name = marker_name() + "-sleeper";
    const std::string sleeper = build(name, program("int main(){ for(;;) sleep(1); }"));
    const pid_t caller = ::fork();
    if (caller == 0) {
        Spec spec = spec_for(sleeper);
        spec.limits.cpu_seconds = 60;
        spec.limits.wall_seconds = 60;
        [[maybe_unused]] auto r = run(spec);
        ::_exit(0);
    }
    ASSERT_GT(caller, 0);
    for (int i = 0; i < 1000 && count_processes_named(name) == 0; ++i) ::usleep(10'000);
    ASSERT_GT(count_processes_named(name), 0) << "the sleeper never started";
    ::kill(caller, SIGKILL);
    ::waitpid(caller, nullptr, 0);
    int left = 0;
    for (int i = 0; i < 500 && (left = count_processes_named(name)) > 0; ++i) ::usleep(10'000);
    EXPECT_EQ(left, 0) << "the program outlived its killed caller";
    // What the killed caller left (its scratch directories, its now empty cgroups) is what
    // the sweep of a later run removes.
    EXPECT_GE(sweep_leftovers(), 2);
}

TEST_F(SandboxTest, LeftoversOfDeadCallersAreSwept) {
    // A pid that is surely dead: a child that exited and was reaped.
    const pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const std::string stale = "optiloop-" + std::to_string(dead) + "-7";
    const std::string live = "optiloop-" + std::to_string(::getpid()) + "-9999";
    const fs::path tmp = s_dir / "tmp";
    fs::create_directories(tmp / (stale + "-work") / "sub");
    std::ofstream(tmp / (stale + "-work") / "sub" / "f") << "x";
    fs::create_directories(tmp / (stale + "-root"));
    fs::create_directories(tmp / (live + "-work"));              // ours: kept
    fs::create_directories(tmp / (stale + "-notes"));            // not a sandbox name: kept
    std::vector<fs::path> cgroups;
    for (const char* base : {"/sys/fs/cgroup/memory", "/sys/fs/cgroup/pids"}) {
        std::ifstream own("/proc/self/cgroup");
        std::string line;
        while (std::getline(own, line)) {
            const std::string controller = fs::path(base).filename().string();
            const auto first = line.find(':'), second = line.find(':', first + 1);
            if (first == std::string::npos || second == std::string::npos) continue;
            if (("," + line.substr(first + 1, second - first - 1) + ",").find("," + controller + ",") == std::string::npos) continue;
            const fs::path dir = fs::path(base + line.substr(second + 1)) / stale;
            std::error_code ec;  // not root: no cgroup to plant, the scratch part still runs
            if (fs::create_directory(dir, ec)) cgroups.push_back(dir);
        }
    }
    const int removed = sweep_leftovers();  // and whatever else killed processes left here
    // The two scratch directories are this process's alone; the planted cgroups are in a tree
    // every test process sweeps when it starts, so another may remove them first: they must be
    // gone, whoever took them.
    EXPECT_GE(removed, 2);
    EXPECT_FALSE(fs::exists(tmp / (stale + "-work")));
    EXPECT_FALSE(fs::exists(tmp / (stale + "-root")));
    EXPECT_TRUE(fs::exists(tmp / (live + "-work")));
    EXPECT_TRUE(fs::exists(tmp / (stale + "-notes")));
    for (const auto& dir : cgroups) EXPECT_FALSE(fs::exists(dir)) << dir;
    fs::remove_all(tmp / (live + "-work"));
    fs::remove_all(tmp / (stale + "-notes"));
}

TEST_F(SandboxTest, StdoutFloodIsOutputLimit) {
    auto r = run_program("flood", program("int main(){ static char b[1<<16]; memset(b,'x',sizeof b); for(long i=0;i<16384;++i) fwrite(b,1,sizeof b,stdout); }"));
    EXPECT_EQ(r.verdict, Verdict::output_limit) << r.detail;
    EXPECT_LE(r.stdout_data.size(), 1u << 20);
    EXPECT_TRUE(r.stdout_truncated);
}

TEST_F(SandboxTest, StderrFloodIsOutputLimit) {
    auto r = run_program("errflood", program("int main(){ static char b[1<<16]; memset(b,'e',sizeof b); for(long i=0;i<16384;++i) fwrite(b,1,sizeof b,stderr); }"));
    EXPECT_EQ(r.verdict, Verdict::output_limit) << r.detail;
    EXPECT_LE(r.stderr_data.size(), std::size_t{1} << 20);
}

TEST_F(SandboxTest, HugeFileInTmpIsOutputLimit) {
    auto r = run_program("bigfile", program(
        "int main(){ FILE* f=fopen(\"/tmp/big\",\"w\"); if(!f) return 2; static char b[1<<16]; for(int i=0;i<4096;++i) fwrite(b,1,sizeof b,f); fclose(f); }"));
    EXPECT_EQ(r.verdict, Verdict::output_limit) << r.detail;
}

TEST_F(SandboxTest, CrashesAreRuntimeErrors) {
    const std::map<std::string, std::string> crashes = {
        {"recurse", "int f(int x){ volatile char pad[1024]; pad[0]=x; return f(x+1)+pad[0]; } int main(){ return f(0); }"},
        {"aborter", "int main(){ abort(); }"},
        {"nullderef", "int main(){ volatile int* p = nullptr; return *p; }"},
        {"divzero", "int main(int argc, char**){ volatile int z = argc - 1; return 10 / z; }"},
        {"exitone", "int main(){ puts(\"42\"); return 1; }"},
    };
    for (const auto& [name, body] : crashes) {
        auto r = run_program(name, program(body));
        EXPECT_EQ(r.verdict, Verdict::runtime_error) << name << ": " << optiloop::core::to_string(r.verdict) << " " << r.detail;
    }
    auto r = run_program("exitone", "");
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.stdout_data, "42\n");
    EXPECT_EQ(run_program("aborter", "").signal, SIGABRT);
    EXPECT_EQ(run_program("nullderef", "").signal, SIGSEGV);
    EXPECT_EQ(run_program("divzero", "").signal, SIGFPE);
}

TEST_F(SandboxTest, ForbiddenSystemCallsAreSecurity) {
    const std::map<std::string, std::string> attacks = {
        {"inet", "int main(){ int s = socket(AF_INET, SOCK_STREAM, 0); sockaddr_in a{}; a.sin_family=AF_INET; a.sin_port=htons(22);"
                 " a.sin_addr.s_addr=htonl(0x7f000001); return connect(s,(sockaddr*)&a,sizeof a) == 0 ? 0 : 5; }"},
        {"tracer", "int main(){ return ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) == 0 ? 0 : 5; }"},
        {"unsharer", "int main(){ return unshare(CLONE_NEWUSER) == 0 ? 0 : 5; }"},
        {"mounter", "int main(){ return mount(\"none\", \"/tmp\", \"tmpfs\", 0, nullptr) == 0 ? 0 : 5; }"},
        {"perfev", "int main(){ perf_event_attr a{}; a.size=sizeof a; a.type=PERF_TYPE_SOFTWARE; a.config=PERF_COUNT_SW_TASK_CLOCK;"
                   " return syscall(SYS_perf_event_open, &a, 0, -1, -1, 0) >= 0 ? 0 : 5; }"},
    };
    for (const auto& [name, body] : attacks) {
        auto r = run_program(name, program(body));
        EXPECT_EQ(r.verdict, Verdict::security) << name << ": " << optiloop::core::to_string(r.verdict) << " " << r.detail;
    }
    // A 32-bit system call through int 0x80 must not slip past the filter's architecture check.
    // Where the kernel runs no 32-bit code at all, the instruction faults before any filter.
    const std::string i386 = build("i386", program("int main(){ long r; asm volatile(\"int $0x80\" : \"=a\"(r) : \"a\"(20L)); return r > 0 ? 0 : 5; }"));
    const int native = std::system((s_dir / "bin" / "i386").string().append(" 2>/dev/null").c_str());
    auto r = run_ok(spec_for(i386));
    if (WIFSIGNALED(native) || (WIFEXITED(native) && WEXITSTATUS(native) > 128)) {
        EXPECT_TRUE(r.verdict == Verdict::security || r.signal == SIGSEGV) << r.detail;
    } else {
        EXPECT_EQ(r.verdict, Verdict::security) << r.detail;
    }
}

TEST_F(SandboxTest, SecretsAreNotVisible) {
    const fs::path expected = s_dir / "expected.out";
    std::ofstream(expected) << "the answer\n";
    const std::string source = program(
        "int readable(const char* p){ int fd=open(p,O_RDONLY); if(fd<0) return 0; char b[256]; int n=read(fd,b,sizeof b); close(fd); return n>0; }\n"
        "int main(int, char** argv){ printf(\"shadow=%d environ=%d expected=%d secret=%s home=%d\\n\", readable(\"/etc/shadow\"),"
        " readable(\"/proc/1/environ\"), readable(argv[1]), getenv(\"OPTILOOP_TEST_SECRET\") ? \"visible\" : \"absent\", readable(\"/root/.bashrc\")); }");
    Spec spec = spec_for(build("snoop", source));
    spec.argv.push_back(expected.string());
    auto r = run_ok(spec);
    EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
    EXPECT_EQ(r.stdout_data, "shadow=0 environ=0 expected=0 secret=absent home=0\n");
}

TEST_F(SandboxTest, KillEverythingKillsOnlyTheSandbox) {
    // A process of the host's (another uid's would do too) must outlive the sandbox's kill(-1).
    const pid_t bystander = ::fork();
    if (bystander == 0) {
        ::pause();
        ::_exit(0);
    }
    auto r = run_program("killall", program("int main(){ kill(-1, SIGKILL); puts(\"done\"); }"));
    EXPECT_EQ(r.stdout_data, "done\n");
    EXPECT_EQ(::kill(bystander, 0), 0) << "kill(-1) inside the sandbox reached a host process";
    ::kill(bystander, SIGKILL);
    ::waitpid(bystander, nullptr, 0);
}

TEST_F(SandboxTest, NothingSurvivesForTheNextRun) {
    auto writer = run_program("leaver", program(
        "int main(){ FILE* a=fopen(\"/tmp/left\",\"w\"); FILE* b=fopen(\"/work/left\",\"w\"); printf(\"%d%d\\n\", a!=nullptr, b!=nullptr); }"));
    EXPECT_EQ(writer.stdout_data, "11\n");
    auto reader = run_program("finder", program(
        "int main(){ printf(\"%d%d\\n\", access(\"/tmp/left\", F_OK)==0, access(\"/work/left\", F_OK)==0); }"));
    EXPECT_EQ(reader.stdout_data, "00\n");
}

TEST_F(SandboxTest, EnvironmentIsOnlyWhatTheCallerNames) {
    Spec spec = spec_for(build("env", program("extern char** environ; int main(){ for(char** e=environ; *e; ++e) puts(*e); }")));
    spec.env = {"A=1"};
    auto r = run_ok(spec);
    EXPECT_EQ(r.stdout_data, "A=1\n");
}

TEST_F(SandboxTest, ScratchFilesGoInAndComeBack) {
    const fs::path in = s_dir / "data.txt";
    std::ofstream(in) << "5\n";
    Spec spec = spec_for(build("doubler", program(
        "int main(){ FILE* f=fopen(\"data.txt\",\"r\"); int x=0; fscanf(f,\"%d\",&x); FILE* o=fopen(\"result.txt\",\"w\"); fprintf(o,\"%d\\n\",2*x); fclose(o); }")));
    spec.scratch_inputs = {{in, "data.txt"}};
    spec.scratch_outputs = {"result.txt"};
    auto r = run_ok(spec);
    EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
    ASSERT_EQ(r.scratch_files.size(), 1u);
    EXPECT_EQ(r.scratch_files[0].second, "10\n");
}

TEST_F(SandboxTest, ScratchDirectoriesGoWhereTheEnvironmentSays) {
    // Lists, while the program runs, this run's directories under `base`.
    auto seen_under = [](const fs::path& base, Spec spec) {
        std::vector<std::string> seen;
        const std::string ours = "optiloop-" + std::to_string(::getpid()) + "-";
        spec.on_started = [&](int) {
            std::error_code ec;
            for (const auto& entry : fs::directory_iterator(base, ec))
                if (entry.path().filename().string().rfind(ours, 0) == 0) seen.push_back(entry.path().filename().string());
        };
        auto r = run(spec);
        EXPECT_TRUE(r && r->verdict == Verdict::ok);
        std::sort(seen.begin(), seen.end());
        return seen;
    };
    Spec spec;
    spec.argv = {"/bin/true"};

    // OPTILOOP_SANDBOX_DIR first, over TMPDIR.
    const fs::path chosen = s_dir / "chosen";
    fs::create_directories(chosen);
    ::setenv("OPTILOOP_SANDBOX_DIR", chosen.c_str(), 1);
    const auto in_chosen = seen_under(chosen, spec);
    ::unsetenv("OPTILOOP_SANDBOX_DIR");
    ASSERT_EQ(in_chosen.size(), 2u);  // the scratch directory (/work) and the root's mount point
    EXPECT_TRUE(in_chosen[0].ends_with("-root") && in_chosen[1].ends_with("-work"));
    EXPECT_TRUE(fs::is_empty(chosen)) << "a scratch directory was left in " << chosen;

    // Neither set: /dev/shm when it is a roomy tmpfs that allows exec, else /tmp.
    struct statfs shm {};
    const bool shm_fits = ::statfs("/dev/shm", &shm) == 0 && shm.f_type == TMPFS_MAGIC && (shm.f_flags & ST_NOEXEC) == 0 &&
                          static_cast<unsigned long long>(shm.f_bavail) * shm.f_bsize >= (1ULL << 30);
    const fs::path expected = shm_fits ? "/dev/shm" : "/tmp";
    const std::string tmpdir = std::getenv("TMPDIR");
    ::unsetenv("TMPDIR");
    const auto in_default = seen_under(expected, spec);
    ::setenv("TMPDIR", tmpdir.c_str(), 1);
    EXPECT_EQ(in_default.size(), 2u) << "no scratch directory in " << expected;
    for (const auto& name : in_default) EXPECT_FALSE(fs::exists(expected / name)) << "left behind: " << (expected / name);
}

TEST_F(SandboxTest, ConcurrentRunsFromManyThreads) {
    // The children are cloned from a multithreaded parent: nothing in them may wait on a lock
    // or a thread that only existed in the parent.
    const std::string hello = build("hello", program("int main(){ char b[64]; int n = fread(b,1,64,stdin); printf(\"hi %d\\n\", n); }"));
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) {
                auto r = run(spec_for(hello));
                if (r && r->verdict == Verdict::ok && r->stdout_data == "hi 0\n") ++ok;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ok.load(), 20);
}

TEST_F(SandboxTest, MissingRequiredLayerRefusesToRun) {
    Spec spec = spec_for("/box/hello");
    spec.network = true;
    spec.required = {Layer::net_namespace};
    EXPECT_FALSE(run(spec));
}

TEST_F(SandboxTest, MissingProgramIsRuntimeError) {
    auto r = run_ok(spec_for("/box/does-not-exist"));
    EXPECT_EQ(r.verdict, Verdict::runtime_error);
    EXPECT_NE(r.detail.find("cannot execute"), std::string::npos) << r.detail;
}

TEST_F(SandboxTest, GpuRunsSeeTheNvidiaDevicesAndNothingMore) {
    // Lists the device nodes the program can see; with gpu set, the NVIDIA ones join the five.
    const std::string lister = build("lsdev", program(R"(
#include <dirent.h>
int main(){ DIR* d = opendir("/dev"); struct dirent* e; while ((e = readdir(d))) if (e->d_name[0] != '.') printf("%s\n", e->d_name); }
)"));
    Spec spec = spec_for(lister);
    auto plain = run_ok(spec);
    EXPECT_EQ(plain.stdout_data.find("nvidia"), std::string::npos);
    spec.gpu = true;
    auto with_gpu = run_ok(spec);
    EXPECT_EQ(with_gpu.verdict, Verdict::ok) << with_gpu.detail;
    for (const auto& dev : optiloop::sandbox::gpu_devices()) EXPECT_NE(with_gpu.stdout_data.find(fs::path(dev).filename().string()), std::string::npos) << dev;
    EXPECT_EQ(with_gpu.stdout_data.find("sda"), std::string::npos);
    EXPECT_EQ(with_gpu.stdout_data.find("mem\n"), std::string::npos);
}

// ---- measurement integrity (issue 21): what one run can do to the host, the next run or the
// numbers read back from it -------------------------------------------------------------------------

TEST_F(SandboxTest, StdinIsAPrivateCopyTheProgramCannotChange) {
    const fs::path input = s_dir / "stdin-private.in";
    std::ofstream(input) << "5\n";
    // Reopens its stdin for writing through /proc (the host file's descriptor, once) and appends.
    Spec spec = spec_for(build("stdin-writer", program(
        "int main(){ int fd=open(\"/proc/self/fd/0\",O_WRONLY|O_APPEND); int a = fd>=0 && write(fd,\"99\\n\",3)==3;"
        " int b = write(0,\"77\\n\",3)==3; char buf[16]={0}; int n=read(0,buf,15); printf(\"%d%d %s\", a, b, n>0?buf:\"\"); }")));
    spec.stdin_file = input;
    auto r = run_ok(spec);
    EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
    EXPECT_EQ(r.stdout_data, "00 5\n");
    std::ifstream in(input);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "5\n") << "the program changed the host's test input";
}

TEST_F(SandboxTest, StdinMustBeARegularFileAndNeverBlocks) {
    const fs::path fifo = s_dir / "stdin.fifo";
    fs::remove(fifo);
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    Spec spec = spec_for(build("hello", program("int main(){ char b[64]; int n = fread(b,1,64,stdin); printf(\"hi %d\\n\", n); }")));
    spec.stdin_file = fifo;
    auto r = run(spec);  // would block forever in open() without O_NONBLOCK
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("not a regular file"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(fifo.string()), std::string::npos) << r.error().message;
}

TEST_F(SandboxTest, ConcurrentRunsCannotConnectThroughAbstractSockets) {
    // Abstract AF_UNIX names belong to the network namespace: runs that shared one could talk.
    const std::string name = "optiloop-test-" + std::to_string(::getpid());
    const std::string server = build("abstract-server", program(R"(
#include <sys/un.h>
#include <poll.h>
int main(int, char** argv){ int s=socket(AF_UNIX,SOCK_STREAM,0); sockaddr_un a{}; a.sun_family=AF_UNIX;
  std::strcpy(a.sun_path+1, argv[1]); socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + std::strlen(argv[1]);
  if (bind(s,(sockaddr*)&a,len)!=0 || listen(s,1)!=0) { puts("unbound"); return 0; }
  pollfd p{s,POLLIN,0}; puts(poll(&p,1,2500)>0 ? "accepted" : "alone"); })"));
    const std::string client = build("abstract-client", program(R"(
#include <sys/un.h>
int main(int, char** argv){ for (int i=0;i<40;++i){ int s=socket(AF_UNIX,SOCK_STREAM,0); sockaddr_un a{}; a.sun_family=AF_UNIX;
  std::strcpy(a.sun_path+1, argv[1]); socklen_t len = offsetof(sockaddr_un, sun_path) + 1 + std::strlen(argv[1]);
  if (connect(s,(sockaddr*)&a,len)==0) { puts("connected"); return 0; } close(s); usleep(50000); } puts("refused"); })"));
    Result server_result, client_result;
    std::thread serving([&] {
        Spec spec = spec_for(server);
        spec.argv.push_back(name);
        server_result = run_ok(spec);
    });
    ::usleep(200000);
    Spec spec = spec_for(client);
    spec.argv.push_back(name);
    client_result = run_ok(spec);
    serving.join();
    EXPECT_EQ(server_result.stdout_data, "alone\n") << server_result.detail;
    EXPECT_EQ(client_result.stdout_data, "refused\n") << client_result.detail;
}

TEST_F(SandboxTest, PrivateOutputsCanBeWrittenButNotReplaced) {
    Spec spec = spec_for(build("private-output", program(R"(
#include <sys/stat.h>
int main(){
  int unlinked = unlink("/optiloop/record") == 0;
  int renamed = rename("/optiloop/record", "/optiloop/other") == 0 || rename("/optiloop/record", "/work/record") == 0;
  int made = mkdir("/optiloop/record.d", 0777) == 0 || open("/optiloop/new", O_CREAT|O_WRONLY, 0666) >= 0;
  int linked = symlink("/etc/passwd", "/optiloop/link") == 0 || link("/optiloop/record", "/work/hard") == 0;
  int chmodded = chmod("/optiloop/record", 0444) == 0;
  FILE* f = fopen("/optiloop/record", "w"); int wrote = f && fputs("forged\n", f) >= 0; if (f) fclose(f);
  printf("%d%d%d%d%d%d\n", unlinked, renamed, made, linked, chmodded, wrote); })")));
    spec.private_outputs = {"record"};
    auto r = run_ok(spec);
    EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
    // Writable (valgrind, the program's own process, writes its record there at exit); nothing else.
    ASSERT_EQ(r.stdout_data.size(), 7u) << r.stdout_data;
    EXPECT_EQ(r.stdout_data.substr(0, 4), "0000") << "unlink, rename, create or link: " << r.stdout_data;
    if (::geteuid() == 0) {
        EXPECT_EQ(r.stdout_data[4], '0') << "nobody changed the mode of optiloop's file";
    }
    EXPECT_EQ(r.stdout_data[5], '1') << r.stdout_data;
    ASSERT_EQ(r.private_files.size(), 1u);
    EXPECT_EQ(r.private_files[0].first, "record");
    EXPECT_EQ(r.private_files[0].second, "forged\n");
}

TEST_F(SandboxTest, OutputsReadBackAreBoundedAndNeverFollowed) {
    const std::string maker = build("output-maker", program(R"(
#include <sys/stat.h>
int main(int, char** argv){
  std::string what = argv[1];
  if (what == "many") for (int i = 0; i < 100; ++i) { std::string n = "out" + std::to_string(i); FILE* f = fopen(n.c_str(), "w"); fputs("x", f); fclose(f); }
  if (what == "fifo") mkfifo("result.txt", 0666);
  if (what == "link") symlink("/etc/passwd", "result.txt");
  if (what == "dir") mkdir("result.txt", 0777);
  puts("done"); })"));
    auto with = [&](const std::string& what, std::vector<std::string> outputs) {
        Spec spec = spec_for(maker);
        spec.argv.push_back(what);
        spec.scratch_outputs = std::move(outputs);
        return run_ok(spec);
    };
    auto many = with("many", {"out*"});
    EXPECT_EQ(many.scratch_files.size(), Spec{}.max_output_files);
    EXPECT_NE(many.output_problem.find("more outputs than"), std::string::npos) << many.output_problem;
    for (const auto& [what, words] : std::map<std::string, std::string>{{"fifo", "not a regular file"}, {"link", "symbolic link"}, {"dir", "not a regular file"}}) {
        auto r = with(what, {"result.txt"});
        EXPECT_EQ(r.verdict, Verdict::ok) << what << ": " << r.detail;
        EXPECT_TRUE(r.scratch_files.empty()) << what;
        EXPECT_NE(r.output_problem.find(words), std::string::npos) << what << ": " << r.output_problem;
    }
}

TEST_F(SandboxTest, SingleProcessRunsMayStartThreadsButNoProcess) {
    const std::string forker = build("single-forker", program(R"P(
#include <spawn.h>
int main(int, char** argv){
  std::string how = argv[1];
  if (how == "thread") { int x = 0; std::thread t([&]{ x = 7; }); t.join(); printf("%d\n", x); return 0; }
  if (how == "fork") { pid_t p = fork(); if (p == 0) _exit(0); waitpid(p, nullptr, 0); }
  if (how == "vfork") { pid_t p = vfork(); if (p == 0) _exit(0); waitpid(p, nullptr, 0); }
  if (how == "spawn") { pid_t p; char* args[] = {(char*)"true", nullptr}; posix_spawn(&p, "/bin/true", nullptr, nullptr, args, nullptr); waitpid(p, nullptr, 0); }
  puts("escaped"); })P"));
    for (const std::string how : {"thread", "fork", "vfork", "spawn"}) {
        Spec spec = spec_for(forker);
        spec.argv.push_back(how);
        spec.single_process = true;
        auto r = run_ok(spec);
        if (how == "thread") {
            EXPECT_EQ(r.verdict, Verdict::ok) << r.detail;
            EXPECT_EQ(r.stdout_data, "7\n");
        } else {
            EXPECT_EQ(r.verdict, Verdict::security) << how << ": " << r.detail;
            EXPECT_EQ(r.stdout_data, "") << how;
        }
    }
}

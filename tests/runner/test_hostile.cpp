// Hostile candidates (issue 21): programs that do all of their work and print the right answer,
// written the way a model rewarded for a lower number would try to make the count lie. Each must
// end with the honest count or with no count at all (a verdict that says why), never a smaller
// number. README.md, "What a candidate can and cannot do", lists what this suite covers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/measure.hpp>

#include "runner/measure_support.hpp"

namespace fs = std::filesystem;
using namespace optiloop;
using core::Verdict;
using test_support::have_valgrind;
using test_support::make_task;
using test_support::quick;
using test_support::source;

namespace {

constexpr const char* k_work = "1000000\n";

// The work every hostile program does before (or instead of) its trick: the honest loop.
const std::string k_prelude = R"(#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
static long input() { long n; if (scanf("%ld", &n) != 1) exit(1); return n; }
static unsigned long work(long n) { unsigned long x = 1;
  for (long i = 0; i < n; ++i) { x = x * 6364136223846793005UL + 1442695040888963407UL; asm volatile("" : "+r"(x)); }
  return x % 7 < 7 ? 1UL : 0UL; }
static void forge(const char* path, const char* text) { FILE* f = fopen(path, "w"); if (f) { fputs(text, f); fclose(f); } }
)";

core::Task hostile_task(const std::string& name) { return make_task(name, {{"10\n", "1\n"}}, {{k_work, "1\n"}}); }

double honest_count() {
    static const double count = [] {
        // The same prelude (and so the same start-up) as the hostile programs, no trick.
        auto m = runner::measure(hostile_task("honest"), source(k_prelude + "int main(){ printf(\"%lu\\n\", work(input())); }"), quick());
        return m && m->verdict == Verdict::ok && m->total_cost ? *m->total_cost : -1.0;
    }();
    return count;
}

core::Measurement measure_hostile(const std::string& name, const std::string& body) {
    auto m = runner::measure(hostile_task(name), source(k_prelude + body), quick());
    EXPECT_TRUE(m) << name << ": " << (m ? "" : m.error().message);
    return m ? *m : core::Measurement{};
}

std::string last_detail(const core::Measurement& m) { return m.tests.empty() ? "" : m.tests.back().detail; }

// The count is the honest one (the trick changed nothing) or there is none (refused).
void expect_honest_or_refused(const std::string& name, const core::Measurement& m) {
    ASSERT_GT(honest_count(), 0);
    if (m.verdict == Verdict::ok) {
        ASSERT_TRUE(m.total_cost) << name;
        EXPECT_GT(*m.total_cost, 0.95 * honest_count()) << name << ": the trick lowered the count";
        EXPECT_LT(*m.total_cost, 1.5 * honest_count()) << name << ": a count this far above the work is not the program's";
    } else {
        EXPECT_FALSE(m.total_cost) << name;
    }
}

}  // namespace

TEST(Hostile, ForgingThePrivateRecordChangesNothing) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    auto m = measure_hostile("forge-record", R"(int main(){ long n = input();
  forge("/optiloop/count.out", "events: Ir\nsummary: 5\n");
  chmod("/optiloop/count.out", 0444); rename("/optiloop/count.out", "/optiloop/x"); unlink("/optiloop/count.out");
  printf("%lu\n", work(n)); })");
    EXPECT_EQ(m.verdict, Verdict::ok) << last_detail(m);
    expect_honest_or_refused("forge-record", m);
}

TEST(Hostile, CountFilesLeftInTheWorkingDirectoryAreIgnored) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    // The old trap: directories where the real records would go, a forged record beside them,
    // and a link to a host file.
    auto m = measure_hostile("forge-work", R"(int main(){ long n = input();
  for (int pid = 1; pid < 8; ++pid) { std::string p = "/work/count.out." + std::to_string(pid); mkdir(p.c_str(), 0777); }
  forge("/work/count.out.9", "events: Ir\nsummary: 1\n"); forge("/work/cachegrind.out.9", "events: Ir\nsummary: 1\n");
  symlink("/etc/shadow", "/work/count.out.11");
  printf("%lu\n", work(n)); })");
    EXPECT_EQ(m.verdict, Verdict::ok) << last_detail(m);
    expect_honest_or_refused("forge-work", m);
}

TEST(Hostile, ExecAfterTheWorkIsRefused) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    // Counts are written at exit, not at exec: everything before an exec would go uncounted.
    auto m = measure_hostile("exec-echo", R"(int main(){ long n = input(); unsigned long r = work(n);
  std::string answer = std::to_string(r); execl("/bin/echo", "echo", answer.c_str(), (char*)nullptr); return 9; })");
    EXPECT_EQ(m.verdict, Verdict::security) << last_detail(m);
    EXPECT_NE(last_detail(m).find("called exec"), std::string::npos) << last_detail(m);
    expect_honest_or_refused("exec-echo", m);
}

TEST(Hostile, ExecveatOfAnOpenDescriptorIsRefusedToo) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    auto m = measure_hostile("execveat", R"P(#include <sys/syscall.h>
int main(){ long n = input(); std::string answer = std::to_string(work(n));
  char* args[] = {(char*)"echo", (char*)answer.c_str(), nullptr}; char* env[] = {nullptr};
  int fd = open("/bin/echo", O_RDONLY); syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH); fexecve(fd, args, env); return 9; })P");
    EXPECT_EQ(m.verdict, Verdict::security) << last_detail(m);
    expect_honest_or_refused("execveat", m);
}

TEST(Hostile, ReconfiguringValgrindBeforeAnExecIsRefused) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    // VALGRIND_OPTS and a .valgrindrc would make the exec'd process run natively, uncounted.
    auto m = measure_hostile("exec-reconfigured", R"(int main(int, char** argv){
  if (getenv("ANSWER")) { puts(getenv("ANSWER")); return 0; }
  long n = input(); std::string answer = std::to_string(work(n));
  forge(".valgrindrc", "--trace-children=no\n"); forge("/tmp/.valgrindrc", "--trace-children=no\n");
  setenv("VALGRIND_OPTS", "--trace-children-skip=*", 1); setenv("HOME", "/tmp", 1); setenv("ANSWER", answer.c_str(), 1);
  execv(argv[0], argv); return 9; })");
    EXPECT_EQ(m.verdict, Verdict::security) << last_detail(m);
    expect_honest_or_refused("exec-reconfigured", m);
}

TEST(Hostile, AChildKilledBeforeItsCountIsRefused) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    auto m = measure_hostile("fork-kill", R"(int main(){ long n = input(); int pipefd[2]; pipe(pipefd);
  pid_t child = fork();
  if (child == 0) { unsigned long r = work(n); write(pipefd[1], &r, sizeof r); pause(); }
  unsigned long r = 0; read(pipefd[0], &r, sizeof r); kill(child, SIGKILL); waitpid(child, nullptr, 0);
  printf("%lu\n", r); })");
    EXPECT_EQ(m.verdict, Verdict::security) << last_detail(m);
    expect_honest_or_refused("fork-kill", m);
}

TEST(Hostile, ThreadsAreCountedNotHidden) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    // Legitimate: the work on another thread of the same process is counted in full.
    auto m = measure_hostile("thread-work", R"(int main(){ long n = input(); unsigned long r = 0;
  std::thread t([&]{ r = work(n); }); t.join(); printf("%lu\n", r); })");
    EXPECT_EQ(m.verdict, Verdict::ok) << last_detail(m);
    expect_honest_or_refused("thread-work", m);
}

TEST(Hostile, ACutShortRecordIsNoCount) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    // A file size limit that lets valgrind write only the first bytes of its record.
    auto m = measure_hostile("fsize-cut", R"(int main(){ long n = input(); signal(SIGXFSZ, SIG_IGN);
  rlimit small{40, 40}; setrlimit(RLIMIT_FSIZE, &small); printf("%lu\n", work(n)); })");
    EXPECT_NE(m.verdict, Verdict::ok) << "a record cut short was accepted";
    expect_honest_or_refused("fsize-cut", m);
}

TEST(Hostile, ForgingThenDyingBeforeValgrindWritesIsNoCount) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    auto m = measure_hostile("forge-die", R"(int main(){ long n = input();
  forge("/optiloop/count.out", "desc: x\ncmd: /box/prog\nevents: Ir\nsummary: 5\n");
  printf("%lu\n", work(n)); fflush(stdout); kill(getpid(), SIGKILL); })");
    EXPECT_NE(m.verdict, Verdict::ok);
    expect_honest_or_refused("forge-die", m);
}

TEST(Hostile, StdinCannotCarryTheAnswerFromOneRunToTheNext) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    // The correctness run appends its answer to its input; a later run that finds it there
    // skips the work. Every run gets a private copy, so the answer never arrives.
    auto task = hostile_task("stdin-carry");
    const std::string before = [&] {
        std::ifstream in(task.stress.front().input);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    auto m = runner::measure(task, source(k_prelude + R"(int main(){ long n = input(); long carried;
  if (scanf("%ld", &carried) == 1) { printf("%ld\n", carried); return 0; }
  unsigned long r = work(n); printf("%lu\n", r);
  int fd = open("/proc/self/fd/0", O_WRONLY | O_APPEND); if (fd >= 0) dprintf(fd, " %lu\n", r); })"), quick());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->verdict, Verdict::ok) << last_detail(*m);
    expect_honest_or_refused("stdin-carry", *m);
    std::ifstream in(task.stress.front().input);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), before) << "the candidate changed the test input on disk";
}

TEST(Hostile, HarnessCostAppendedByAGlobalDestructorIsRefused) {
    // A task whose program reports its own cost (as CUDA harnesses do): candidate code that runs
    // after the harness wrote its line appends a better one.
    auto task = make_task("harness-append", {{"1\n", "ok\n"}}, {{"500\n", "ok\n"}});
    task.cost_file = "cost.json";
    auto m = runner::measure(task, source(k_prelude + R"(struct After { ~After() { FILE* f = fopen("cost.json", "a");
  if (f) { fputs("{\"cost\": 0.001, \"unit\": \"ns\"}\n", f); fclose(f); } } } after;
int main(){ long t = input(); FILE* f = fopen("cost.json", "w"); fprintf(f, "{\"cost\": %ld, \"unit\": \"ns\"}\n", t); fclose(f); puts("ok"); })"),
                             quick());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->verdict, Verdict::security) << last_detail(*m);
    EXPECT_FALSE(m->total_cost);
}

TEST(Hostile, HarnessCostFileThatIsALinkIsNotFollowed) {
    auto task = make_task("harness-link", {{"1\n", "ok\n"}}, {{"500\n", "ok\n"}});
    task.cost_file = "cost.json";
    auto m = runner::measure(task, source(k_prelude + R"(int main(){ input(); symlink("/etc/passwd", "cost.json"); puts("ok"); })"), quick());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_NE(m->verdict, Verdict::ok);
    EXPECT_NE(last_detail(*m).find("symbolic link"), std::string::npos) << last_detail(*m);
}

TEST(CountRecord, IsReadStrictly) {
    const std::string head = "desc: I1 cache: 32768 B\ncmd: /box/prog\nevents: Ir\nfl=main.cpp\nfn=main\n3 100\n";
    auto good = runner::parse_valgrind_count(head + "summary: 2127972\n", "/box/prog");
    ASSERT_TRUE(good) << good.error().message;
    EXPECT_EQ(*good, 2127972u);
    // callgrind: totals, the command after two spaces.
    auto callgrind = runner::parse_valgrind_count("# callgrind format\nversion: 1\ncmd:  /box/prog\nevents: Ir\n0 5\ntotals: 42\n", "/box/prog");
    ASSERT_TRUE(callgrind) << callgrind.error().message;
    EXPECT_EQ(*callgrind, 42u);
    const std::map<std::string, std::string> refused = {
        {"", "is missing"},
        {head + "summary: -5\n", "not a whole number"},
        {head + "summary: 12abc\n", "not a whole number"},
        {head + "summary: 99999999999999999999999\n", "not a whole number"},
        {head + "summary: \n", "not a whole number"},
        {head + "summary: 2127972", "newline"},
        {head + "summary: 5\nsummary: 2127972\n", "more than one"},
        {head + "summary: 2127972\n3 4\n", "does not end with its total"},
        {"cmd: /box/prog\nsummary: 5\n", "event"},
        {"cmd: /box/prog\nevents: Ir Dr\nsummary: 5\n", "other than Ir"},
        {"cmd: /bin/echo 1\nevents: Ir\nsummary: 5\n", "another command"},
        {"events: Ir\nsummary: 5\n", "command exactly once"},
        {head + "summary: 6\ntotals: 5\n", "differ"},
    };
    for (const auto& [record, words] : refused) {
        auto count = runner::parse_valgrind_count(record, "/box/prog");
        ASSERT_FALSE(count) << "accepted: " << record;
        EXPECT_NE(count.error().message.find(words), std::string::npos) << count.error().message;
    }
}

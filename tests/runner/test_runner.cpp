// The runner: checkers, builds (errors, cache, sandboxed compiler), instruction counts that
// agree run to run and scale with the work, and no speedup for a wrong program.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

#include <optiloop/runner/build.hpp>
#include <optiloop/runner/checker.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/runner/measure.hpp>
#include <optiloop/runner/profile.hpp>

#include "runner/measure_support.hpp"

namespace fs = std::filesystem;
using namespace optiloop;
using core::Verdict;

using test_support::make_task;
using test_support::quick;
using test_support::source;
using test_support::have_valgrind;

namespace {

const char* k_loop = test_support::k_loop;

}  // namespace

TEST(Checker, Tokens) {
    EXPECT_TRUE(runner::check_tokens("1 2\n3\n", "1 2 3").accepted);
    EXPECT_TRUE(runner::check_tokens("1 2  \r\n3  \n\n", "1 2\n3\n").accepted);  // trailing spaces, CRLF
    auto r = runner::check_tokens("1 2\n4\n", "1 2\n3\n");
    EXPECT_FALSE(r.accepted);
    EXPECT_EQ(r.detail, "token 3 (line 2): expected 3, got 4");
    r = runner::check_tokens("1 2", "1 2 3");
    EXPECT_FALSE(r.accepted);
    EXPECT_NE(r.detail.find("ends after 2 tokens"), std::string::npos) << r.detail;
    EXPECT_FALSE(runner::check_tokens("1 2 3 4", "1 2 3").accepted);
    EXPECT_FALSE(runner::check_tokens("1.0", "1").accepted);
    EXPECT_TRUE(runner::check_tokens("", "\n").accepted);
}

TEST(Checker, Exact) {
    EXPECT_TRUE(runner::check_exact("a b\n", "a b\n").accepted);
    EXPECT_FALSE(runner::check_exact("a b \n", "a b\n").accepted);
    EXPECT_FALSE(runner::check_exact("a b\r\n", "a b\n").accepted);
    auto r = runner::check_exact("ab\nxd", "ab\ncd");
    EXPECT_EQ(r.detail, "byte 3 (line 2): expected \"cd\", got \"xd\"");
}

TEST(Checker, Float) {
    EXPECT_TRUE(runner::check_float("1.0000001", "1.0", 1e-6, 1e-6).accepted);  // 1e-7 difference
    EXPECT_FALSE(runner::check_tokens("1.0000001", "1.0").accepted);
    EXPECT_FALSE(runner::check_float("1.00001", "1.0", 1e-6, 1e-6).accepted);
    EXPECT_TRUE(runner::check_float("-0.0", "0.0", 1e-6, 1e-6).accepted);
    EXPECT_TRUE(runner::check_float("nan", "nan", 1e-6, 1e-6).accepted);
    EXPECT_FALSE(runner::check_float("nan", "1.0", 1e-6, 1e-6).accepted);
    EXPECT_FALSE(runner::check_float("1.0", "nan", 1e-6, 1e-6).accepted);
    EXPECT_TRUE(runner::check_float("inf", "inf", 1e-6, 1e-6).accepted);
    EXPECT_FALSE(runner::check_float("inf", "-inf", 1e-6, 1e-6).accepted);
    EXPECT_TRUE(runner::check_float("1000000.5", "1000000.0", 1e-9, 1e-6).accepted);  // relative
    EXPECT_TRUE(runner::check_float("yes 2.0", "yes 2", 1e-6, 1e-6).accepted);
    EXPECT_FALSE(runner::check_float("no 2.0", "yes 2", 1e-6, 1e-6).accepted);
}

TEST(Build, CompileErrorIsCapturedWithFileAndLine) {
    runner::BuildRequest req;
    req.sources = source("int main() {\n  return undefined_name;\n}\n");
    auto b = runner::build(req);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_FALSE(b->ok);
    EXPECT_EQ(b->verdict, Verdict::compile_error);
    EXPECT_NE(b->diagnostics.find("main.cpp:2"), std::string::npos) << b->diagnostics;
    EXPECT_NE(b->diagnostics.find("undefined_name"), std::string::npos) << b->diagnostics;
    EXPECT_EQ(b->diagnostics.find("/work/"), std::string::npos) << b->diagnostics;
}

TEST(Build, IdenticalCandidateIsBuiltOnce) {
    runner::BuildRequest req;
    req.sources = source("#include <cstdio>\nint main(){ puts(\"cache me\"); }\n");
    auto first = runner::build(req);
    ASSERT_TRUE(first && first->ok);
    auto second = runner::build(req);
    ASSERT_TRUE(second && second->ok);
    EXPECT_TRUE(second->cached);
    EXPECT_EQ(first->binary, second->binary);
    req.spec.flags = {"-std=c++17", "-O2"};  // other flags: another binary
    auto third = runner::build(req);
    ASSERT_TRUE(third && third->ok);
    EXPECT_FALSE(third->cached);
    EXPECT_NE(third->binary, first->binary);
}

TEST(Build, HostileIncludesEndAsCompileErrors) {
    runner::BuildRequest req;
    req.time_limit_seconds = 5;
    req.sources = source("#include \"/dev/zero\"\nint main(){}\n");
    auto b = runner::build(req);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(b->verdict, Verdict::compile_error);
    req.sources = source("#include \"/etc/shadow\"\nint main(){}\n");
    b = runner::build(req);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(b->verdict, Verdict::compile_error);
    EXPECT_NE(b->diagnostics.find("No such file"), std::string::npos) << b->diagnostics;
}

TEST(Build, ValgrindClientRequestsAreRefused) {
    runner::BuildRequest req;
    req.sources = source("#include <valgrind/valgrind.h>\n#include <cstdio>\nint main(){ printf(\"%d\\n\", (int)RUNNING_ON_VALGRIND); }\n");
    if (!fs::exists("/usr/include/valgrind/valgrind.h")) GTEST_SKIP() << "valgrind headers not installed";
    auto b = runner::build(req);
    ASSERT_TRUE(b) << b.error().message;
    EXPECT_EQ(b->verdict, Verdict::security) << b->diagnostics;
}

TEST(Measure, WrongAnswerHasNoSpeedup) {
    auto task = make_task("wa", {{"3\n", "1\n"}});
    auto good = runner::measure(task, source(k_loop), quick(core::CounterKind::none));
    ASSERT_TRUE(good) << good.error().message;
    EXPECT_EQ(good->verdict, Verdict::ok);
    auto bad = runner::measure(task, source("#include <cstdio>\nint main(){ puts(\"2\"); }\n"), quick(core::CounterKind::none));
    ASSERT_TRUE(bad) << bad.error().message;
    EXPECT_EQ(bad->verdict, Verdict::wrong_answer);
    EXPECT_FALSE(bad->total_cost);
    EXPECT_FALSE(runner::speedup(*good, *bad));
    EXPECT_EQ(bad->tests[0].detail, "token 1 (line 1): expected 1, got 2");
}

// A program that fails says why on stderr; the verdict keeps its last line (printable, bounded).
TEST(Measure, RuntimeErrorKeepsTheProgramsLastWords) {
    auto task = make_task("re", {{"1\n", "1\n"}});
    const std::string failing = R"(#include <cstdio>
int main(){ std::fputs("starting\n", stderr); std::fputs("main.cpp:7: no device \x01here\n\n", stderr); return 3; })";
    auto m = runner::measure(task, source(failing), quick(core::CounterKind::none));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->verdict, Verdict::runtime_error);
    EXPECT_EQ(m->tests[0].detail, "exit code 3: main.cpp:7: no device ?here");
    const std::string chatty = "#include <cstdio>\nint main(){ for (int i = 0; i < 300; ++i) std::fputc('x', stderr); return 1; }\n";
    m = runner::measure(task, source(chatty), quick(core::CounterKind::none));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->tests[0].detail, "exit code 1: " + std::string(200, 'x') + "...");
    m = runner::measure(task, source("int main(){ return 2; }\n"), quick(core::CounterKind::none));
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->tests[0].detail, "exit code 2");  // nothing said, nothing added
}

TEST(Measure, CompileErrorVerdict) {
    auto task = make_task("ce", {{"1\n", "1\n"}});
    auto m = runner::measure(task, source("int main( {"), quick(core::CounterKind::none));
    ASSERT_TRUE(m);
    EXPECT_EQ(m->verdict, Verdict::compile_error);
    EXPECT_FALSE(m->compile_output.empty());
}

TEST(Measure, ValgrindCountsAreExactAndScaleWithWork) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    auto once = make_task("work1", {{"10\n", "1\n"}}, {{"2000000\n", "1\n"}});
    auto twice = make_task("work2", {{"10\n", "1\n"}}, {{"4000000\n", "1\n"}});
    std::vector<double> counts;
    for (int i = 0; i < 3; ++i) {
        auto m = runner::measure(once, source(k_loop), quick());
        ASSERT_TRUE(m) << m.error().message;
        ASSERT_EQ(m->verdict, Verdict::ok);
        ASSERT_TRUE(m->total_cost);
        EXPECT_EQ(m->counter, core::CounterKind::cachegrind);
        counts.push_back(*m->total_cost);
    }
    EXPECT_EQ(counts[0], counts[1]);
    EXPECT_EQ(counts[1], counts[2]);
    auto m2 = runner::measure(twice, source(k_loop), quick());
    ASSERT_TRUE(m2 && m2->total_cost);
    const double ratio = *m2->total_cost / counts[0];
    EXPECT_GT(ratio, 1.9);
    EXPECT_LT(ratio, 2.1);
}

TEST(Measure, WorkInAChildProcessIsRefusedNotUncounted) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    auto task = make_task("forker", {{"10\n", "1\n"}}, {{"3000000\n", "1\n"}});
    // The loop done by a forked child while the parent only waits: correct, so it passes the
    // native tests, but a counted run is one process.
    const std::string forked = R"(#include <cstdio>
#include <unistd.h>
#include <sys/wait.h>
int main(){
  long n; if (scanf("%ld", &n) != 1) return 1;
  if (fork() == 0) {
    unsigned long x = 1;
    for (long i = 0; i < n; ++i) { x = x * 6364136223846793005UL + 1442695040888963407UL; asm volatile("" : "+r"(x)); }
    printf("%lu\n", x % 7 < 7 ? 1UL : 0UL); return 0;
  }
  int st; wait(&st); return WEXITSTATUS(st); })";
    auto sneaky = runner::measure(task, source(forked), quick());
    ASSERT_TRUE(sneaky) << sneaky.error().message;
    EXPECT_EQ(sneaky->verdict, Verdict::security);
    EXPECT_FALSE(sneaky->total_cost);
    EXPECT_NE(sneaky->tests.back().detail.find("one process"), std::string::npos) << sneaky->tests.back().detail;
}

TEST(Measure, AnExecdHelperIsRefusedNotUncounted) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    // A program that hands its work to /bin/sh: correct natively; under the counter the exec
    // would lose every instruction before it, so it is refused.
    const std::string shell = R"(#include <cstdio>
#include <string>
#include <unistd.h>
int main(){
  long n; if (scanf("%ld", &n) != 1) return 1;
  std::string script = "i=0; while [ $i -lt " + std::to_string(n) + " ]; do i=$((i+1)); done; echo 1";
  execl("/bin/sh", "sh", "-c", script.c_str(), (char*)nullptr); return 9; })";
    auto task = make_task("exec-helper", {{"1\n", "1\n"}}, {{"2000\n", "1\n"}});
    auto m = runner::measure(task, source(shell), quick());
    ASSERT_TRUE(m) << m.error().message;
    EXPECT_EQ(m->verdict, Verdict::security);
    EXPECT_FALSE(m->total_cost);
    EXPECT_NE(m->tests.back().detail.find("called exec"), std::string::npos) << m->tests.back().detail;
}

TEST(Measure, HarnessReportedCost) {
    auto task = make_task("harness", {{"1\n", "ok\n"}}, {{"250\n", "ok\n"}, {"750\n", "ok\n"}});
    task.cost_file = "cost.json";
    const std::string reporter = R"(#include <cstdio>
int main(){ double t; if (scanf("%lf", &t) != 1) return 1; FILE* f = fopen("cost.json", "w");
  fprintf(f, "{\"cost\": %.1f, \"unit\": \"ns\"}\n", t); fclose(f); puts("ok"); })";
    auto m = runner::measure(task, source(reporter), quick());
    ASSERT_TRUE(m) << m.error().message;
    ASSERT_EQ(m->verdict, Verdict::ok);
    EXPECT_EQ(m->counter, core::CounterKind::harness);
    EXPECT_EQ(m->cost_unit, "ns");
    ASSERT_TRUE(m->total_cost);
    EXPECT_DOUBLE_EQ(*m->total_cost, 1000.0);

    auto silent = runner::measure(task, source("#include <cstdio>\nint main(){ puts(\"ok\"); }\n"), quick());
    ASSERT_TRUE(silent);
    EXPECT_EQ(silent->verdict, Verdict::runtime_error);
    EXPECT_FALSE(silent->total_cost);
    bool explained = false;
    for (const auto& t : silent->tests) explained |= t.detail.find("did not write a cost line") != std::string::npos;
    EXPECT_TRUE(explained);
}

TEST(Counter, SumsEveryProcessFile) {
    auto total = runner::sum_valgrind_totals({{"a", "desc: x\nevents: Ir\nsummary: 100\n"}, {"b", "events: Ir\nfn=main\n3 7\nsummary: 23\n"}});
    ASSERT_TRUE(total) << total.error().message;
    EXPECT_EQ(*total, 123u);
    EXPECT_FALSE(runner::sum_valgrind_totals({{"a", "garbage"}}));
    EXPECT_FALSE(runner::sum_valgrind_totals({}));
    EXPECT_FALSE(runner::sum_valgrind_totals({{"a", "events: Ir\nsummary: 18446744073709551615\n"}, {"b", "events: Ir\nsummary: 1\n"}}));
}

TEST(Counter, ProbeExplainsWhatIsMissing) {
    const auto& p = runner::probe_counters();
    if (!p.perf) {
        EXPECT_FALSE(p.perf_reason.empty());
    }
    if (p.perf) {
        EXPECT_EQ(p.kind, core::CounterKind::perf);
    } else if (p.valgrind) {
        EXPECT_EQ(p.kind, core::CounterKind::cachegrind);
    }
}

TEST(Profile, ParsesCallgrindLineCosts) {
    // Compressed names, relative positions, a call into the C library charged to its line, code
    // inlined from a header charged to the last line of the sources seen, a call between the
    // sources' own functions not counted twice.
    const std::string out = R"(version: 1
positions: line
events: Ir
summary: 1000
fl=(1) /work/main.cpp
fn=(1) main
10 5
+2 7
cfl=(2) /usr/lib/libc.so
cfn=(3) memcpy
calls=1 0
* 300
fi=(4) /usr/include/c++/12/bits/stl_vector.h
200 40
fe=(1)
15 3
cfl=(1)
cfn=(5) helper
calls=1 20
15 400
fn=(5)
20 400
)";
    const auto p = runner::parse_callgrind({out}, {"main.cpp"});
    EXPECT_DOUBLE_EQ(p.total, 1000);
    std::map<unsigned, double> by_line;
    for (const auto& l : p.lines) {
        EXPECT_EQ(l.file, "main.cpp");
        by_line[l.line] += l.cost;
    }
    EXPECT_DOUBLE_EQ(by_line[10], 5);
    EXPECT_DOUBLE_EQ(by_line[12], 7 + 300 + 40);  // its own, the memcpy it called, the inlined vector code
    EXPECT_DOUBLE_EQ(by_line[15], 3);             // the call to helper is counted on helper's lines
    EXPECT_DOUBLE_EQ(by_line[20], 400);
}

// The optimizer's prompt and `analyze TASK_DIR` profile the largest stress input, else the
// largest test: a tiny first test shows start-up, not the work.
TEST(Profile, TheLargestStressInputElseTheLargestTestIsProfiled) {
    const auto tests = make_task("largest-tests", {{"1\n", "1\n"}, {"100000\n", "1\n"}, {"12\n", "1\n"}});
    ASSERT_NE(runner::largest_test(tests), nullptr);
    EXPECT_EQ(runner::largest_test(tests)->name, "t2");
    const auto stress = make_task("largest-stress", {{"1000000000\n", "1\n"}}, {{"5\n", "1\n"}, {"500\n", "1\n"}});
    ASSERT_NE(runner::largest_test(stress), nullptr);
    EXPECT_EQ(runner::largest_test(stress)->name, "s2");
    EXPECT_EQ(runner::largest_test(make_task("no-tests", {})), nullptr);
}

TEST(Profile, RealCallgrindRun) {
    if (!have_valgrind()) GTEST_SKIP() << "valgrind is not installed";
    auto task = make_task("profiled", {{"3000000\n", "1\n"}});
    auto p = runner::profile(task, source(k_loop), task.tests[0]);
    ASSERT_TRUE(p) << p.error().message;
    EXPECT_GT(p->total, 0);
    double loop_line = 0, all = 0;
    for (const auto& l : p->lines) {
        all += l.cost;
        if (l.line == 3) loop_line += l.cost;  // the for loop of k_loop
    }
    EXPECT_GT(loop_line / p->total, 0.8);
    EXPECT_LE(all, p->total);
}

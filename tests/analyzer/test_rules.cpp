// The offline rule engine: every rule fires where its precondition holds, and its fix, applied
// like any other edit, still compiles and prints what the original printed (checked through the
// real runner); every rule stays silent where its precondition fails.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/llm/edit.hpp>
#include <optiloop/runner/measure.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;
using namespace optiloop;
using analyzer::Finding;

namespace {

using Cases = std::vector<std::pair<std::string, std::string>>;  // (stdin, expected stdout)

fs::path scratch_root() { return test_support::process_dir("optiloop-rules-test-"); }

const fs::path k_root = scratch_root();

core::Task make_task(const std::string& name, const Cases& tests) {
    core::Task task;
    task.id = name;
    task.limits.time_seconds = 5;
    task.limits.memory_bytes = 256 << 20;
    const fs::path dir = k_root / name;
    fs::create_directories(dir);
    int i = 0;
    for (const auto& [in, out] : tests) {
        const std::string n = "t" + std::to_string(++i);
        std::ofstream(dir / (n + ".in")) << in;
        std::ofstream(dir / (n + ".out")) << out;
        task.tests.push_back({n, dir / (n + ".in"), dir / (n + ".out")});
    }
    return task;
}

std::vector<core::SourceFile> source(const std::string& text) { return {{"main.cpp", text}}; }

// 1-based line of the first occurrence of `needle`, 0 when absent.
unsigned line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    if (at == std::string::npos) return 0;
    return 1 + static_cast<unsigned>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::string replace_first(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// text with each (from, to) pair's first `from` replaced, in order.
std::string replace_each(std::string text, const std::vector<std::pair<std::string, std::string>>& pairs) {
    for (const auto& [from, to] : pairs) text = replace_first(text, from, to);
    return text;
}

analyzer::AnalyzeOptions only(const std::string& rule) {
    analyzer::AnalyzeOptions options;
    options.rules = {rule};
    return options;
}

// The findings of one rule on a one-file program that must parse.
std::vector<Finding> findings_of(const std::string& program, const std::string& rule) {
    auto analysis = analyzer::analyze(source(program), only(rule));
    if (!analysis) {
        ADD_FAILURE() << "the program does not parse: " << analysis.error().message;
        return {};
    }
    return analysis->findings;
}

// The program must build and pass every test: the verdict compares its output with ours.
void expect_accepted(const std::string& name, const std::string& program, const Cases& tests) {
    runner::MeasureOptions options;
    options.counter = core::CounterKind::none;
    options.repeats = 1;
    options.warmups = 0;
    options.jobs = 2;
    auto measured = runner::measure(make_task(name, tests), source(program), options);
    ASSERT_TRUE(measured) << measured.error().message;
    EXPECT_EQ(measured->verdict, core::Verdict::ok)
        << name << ": " << core::to_string(measured->verdict) << "\n"
        << measured->compile_output << "\n--- program ---\n"
        << program;
}

// The rule fires once, at the line holding `at`; its fix applied as an edit gives exactly
// `expected`, and that program still prints what the original printed on `tests`.
void expect_rewrite(const std::string& rule, const std::string& original, const std::string& at, const Cases& tests,
                    const std::string& expected) {
    SCOPED_TRACE(rule);
    const auto found = findings_of(original, rule);
    ASSERT_EQ(found.size(), 1u) << "findings of " << rule;
    const Finding& f = found[0];
    EXPECT_EQ(f.rule, rule);
    EXPECT_EQ(f.file, "main.cpp");
    ASSERT_NE(line_of(original, at), 0u) << at;
    EXPECT_EQ(f.line, line_of(original, at)) << f.message;
    EXPECT_FALSE(f.message.empty());
    ASSERT_FALSE(f.fix.empty()) << rule << " gave no fix";
    core::Edit edit;
    edit.proposer = "rules";
    edit.replacements = f.fix;
    auto applied = llm::apply_edit(source(original), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    ASSERT_EQ(applied->size(), 1u);
    const std::string& rewritten = applied->at(0).content;
    EXPECT_EQ(rewritten, expected);
    expect_accepted(rule + "-original", original, tests);
    expect_accepted(rule + "-rewritten", rewritten, tests);
}

// The rule fires `count` times; all its fixes applied together, the way the rules proposer
// makes its edit (an insertion several fixes share is made once), give exactly `expected`,
// and that program still prints what the original printed on `tests`.
void expect_rewrites(const std::string& rule, const std::string& original, std::size_t count, const std::string& expected,
                     const Cases& tests) {
    SCOPED_TRACE(rule);
    const auto found = findings_of(original, rule);
    ASSERT_EQ(found.size(), count) << "findings of " << rule;
    core::Edit edit;
    edit.proposer = "rules";
    for (const Finding& f : found)
        for (const auto& r : f.fix)
            if (std::find(edit.replacements.begin(), edit.replacements.end(), r) == edit.replacements.end()) edit.replacements.push_back(r);
    auto applied = llm::apply_edit(source(original), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    const std::string& rewritten = applied->at(0).content;
    EXPECT_EQ(rewritten, expected);
    expect_accepted(rule + "-original", original, tests);
    expect_accepted(rule + "-rewritten", rewritten, tests);
}

}  // namespace

// ---- endl-in-loop ------------------------------------------------------------------------------

const char* const k_endl = R"(#include <iostream>
int main() {
    int n;
    std::cin >> n;
    for (int i = 1; i <= n; ++i) {
        std::cout << i * i << std::endl;
    }
    return 0;
}
)";

TEST(EndlInLoop, BecomesNewlineWithTheSameOutput) {
    expect_rewrite("endl-in-loop", k_endl, "std::endl", {{"3\n", "1\n4\n9\n"}, {"1\n", "1\n"}},
                   replace_first(k_endl, "std::endl", "'\\n'"));
}

TEST(EndlInLoop, SilentOutsideLoopsAndWhenStdioIsMixedUnsynchronised) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
int main() {
    int n;
    std::cin >> n;
    std::cout << n * n << std::endl;
}
)", "endl-in-loop").empty());
    // The flush orders cout's output against printf's once the two are unsynchronised.
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
#include <iostream>
int main() {
    std::ios::sync_with_stdio(false);
    for (int i = 0; i < 3; ++i) {
        std::cout << i << std::endl;
        printf("%d\n", i);
    }
}
)", "endl-in-loop").empty());
}

// ---- iostream-sync -----------------------------------------------------------------------------

const char* const k_sync = R"(#include <iostream>
int main() {
    long a, b;
    std::cin >> a >> b;
    std::cout << a + b << '\n';
}
)";

TEST(IostreamSync, UnsyncsAndUntiesWithTheSameOutput) {
    expect_rewrite("iostream-sync", k_sync, "int main", {{"1 2\n", "3\n"}, {"-5 7\n", "2\n"}},
                   replace_first(k_sync, "int main() {\n",
                                 "int main() {\n    std::ios::sync_with_stdio(false);\n    std::cin.tie(nullptr);\n"));
}

TEST(IostreamSync, SilentWhenTheProgramAlsoUsesCStdioOrAlreadyUnsyncs) {
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
#include <iostream>
int main() {
    long a;
    std::cin >> a;
    printf("%ld\n", a);
}
)", "iostream-sync").empty());
    EXPECT_TRUE(findings_of(R"(#include <iostream>
int main() {
    std::ios_base::sync_with_stdio(false);
    long a;
    std::cin >> a;
    std::cout << a << '\n';
}
)", "iostream-sync").empty());
    // POSIX read() is C stdio's kind of I/O too.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <unistd.h>
int main() {
    char c;
    if (read(0, &c, 1) == 1) std::cout << c << '\n';
}
)", "iostream-sync").empty());
}

// std::getline and a program's own function named read are iostreams' and the program's, not C
// stdio: they do not silence the rule.
TEST(IostreamSync, FindsProgramsThatReadWithStdGetline) {
    EXPECT_EQ(findings_of(R"(#include <iostream>
#include <string>
int read(int x) { return x + 1; }
int main() {
    std::string line;
    long total = 0;
    while (std::getline(std::cin, line)) total += static_cast<long>(line.size()) + read(0);
    std::cout << total << '\n';
}
)", "iostream-sync").size(), 1u);
}

// ---- string-concat-assign ----------------------------------------------------------------------

const char* const k_concat = R"(#include <iostream>
#include <string>
int main() {
    std::string joined, word;
    while (std::cin >> word) {
        joined = joined + word + ",";
    }
    std::cout << joined << '\n';
}
)";

TEST(StringConcatAssign, AppendsInPlaceWithTheSameOutput) {
    expect_rewrite("string-concat-assign", k_concat, "joined = joined", {{"a b c\n", "a,b,c,\n"}, {"xyz\n", "xyz,\n"}},
                   replace_first(k_concat, "joined = joined + word + \",\";", "(joined += word) += \",\";"));
}

TEST(StringConcatAssign, SilentWhenTheStringIsNotTheLeftmostOperand) {
    // s = t + s prepends: += would append.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
int main() {
    std::string reversed, word;
    while (std::cin >> word) {
        reversed = word + reversed;
    }
    std::cout << reversed << '\n';
}
)", "string-concat-assign").empty());
    // s = s + t + s: appending t first would change the second s.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
int main() {
    std::string s = "a", t = "b";
    s = s + t + s;
    std::cout << s << '\n';
}
)", "string-concat-assign").empty());
}

// ---- by-value-param ----------------------------------------------------------------------------

const char* const k_by_value = R"(#include <iostream>
#include <vector>
long total(std::vector<long> values);
long total(std::vector<long> values) {
    long sum = 0;
    for (long v : values) sum += v;
    return sum;
}
int main() {
    int n;
    std::cin >> n;
    std::vector<long> values(n);
    for (auto& v : values) std::cin >> v;
    std::cout << total(values) << '\n';
}
)";

TEST(ByValueParam, EveryDeclarationTakesConstRefWithTheSameOutput) {
    std::string expected = k_by_value;
    for (int i = 0; i < 2; ++i)
        expected = replace_first(expected, "long total(std::vector<long> values)", "long total(const std::vector<long>& values)");
    expect_rewrite("by-value-param", k_by_value, "long total(std::vector<long> values) {", {{"3\n1 2 3\n", "6\n"}, {"1\n-4\n", "-4\n"}},
                   expected);
}

TEST(ByValueParam, SilentWhenTheParameterIsModifiedOrTheFunctionsAddressIsTaken) {
    // Sorting the copy must not sort the caller's vector.
    EXPECT_TRUE(findings_of(R"(#include <algorithm>
#include <iostream>
#include <vector>
long median(std::vector<long> values) {
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}
int main() {
    std::vector<long> values = {3, 1, 2};
    std::cout << median(values) << ' ' << values[0] << '\n';
}
)", "by-value-param").empty());
    // A function pointer fixes the signature.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
std::size_t length(std::string s) { return s.size(); }
int main() {
    std::size_t (*measure)(std::string) = length;
    std::cout << measure("abc") << '\n';
}
)", "by-value-param").empty());
    // The caller may pass the global the function changes: the copy keeps the old contents.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
std::vector<int> g = {1};
std::size_t f(std::vector<int> v) { g.push_back(2); return v.size(); }
int main() { std::cout << f(g) << '\n'; }
)", "by-value-param").empty());
    // Likewise through a non-const reference parameter, or a call that might write anything.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
std::size_t f(std::vector<int> v, std::vector<int>& out) { out.push_back(2); return v.size(); }
int main() { std::vector<int> a = {1}; std::cout << f(a, a) << '\n'; }
)", "by-value-param").empty());
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
std::vector<int> g = {1};
void grow() { g.push_back(2); }
std::size_t f(std::vector<int> v) { grow(); return v.size(); }
int main() { std::cout << f(g) << '\n'; }
)", "by-value-param").empty());
    // A constructor that moves the parameter into a member consumes it: const& would make the
    // move a copy.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
#include <utility>
struct Edge {
    Edge(int a, std::string l) : from(a), label(std::move(l)) {}
    int from;
    std::string label;
};
int main() { Edge e(1, "abc"); std::cout << e.label << '\n'; }
)", "by-value-param").empty());
    // One that only reads it in an initialiser is still found.
    EXPECT_EQ(findings_of(R"(#include <iostream>
#include <string>
struct Name {
    explicit Name(std::string s) : length(s.size()) {}
    std::size_t length;
};
int main() { Name n("abc"); std::cout << n.length << '\n'; }
)", "by-value-param").size(), 1u);
}

// ---- range-for-copy ----------------------------------------------------------------------------

const char* const k_range_for = R"(#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words;
    std::string w;
    while (std::cin >> w) words.push_back(w);
    std::size_t letters = 0;
    for (std::string word : words) {
        letters += word.size();
    }
    std::cout << words.size() << ' ' << letters << '\n';
}
)";

TEST(RangeForCopy, BindsByConstRefWithTheSameOutput) {
    expect_rewrite("range-for-copy", k_range_for, "for (std::string word", {{"ab cde\n", "2 5\n"}, {"x\n", "1 1\n"}},
                   replace_first(k_range_for, "std::string word :", "const std::string& word :"));
}

TEST(RangeForCopy, SilentWhenTheLoopVariableIsModified) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words = {"a", "b"};
    for (std::string word : words) {
        word += "!";
        std::cout << word << '\n';
    }
    std::cout << words[0] << '\n';
}
)", "range-for-copy").empty());
    // Writing the container's first element: a reference would print "y" where the copy printed "x".
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words = {"x", "z"};
    for (std::string word : words) {
        words[0] = "y";
        std::cout << word << '\n';
    }
}
)", "range-for-copy").empty());
}

// ---- map-to-unordered --------------------------------------------------------------------------

const char* const k_map = R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> seen;
    int x, repeats = 0;
    while (std::cin >> x) {
        if (seen.count(x)) ++repeats;
        ++seen[x];
    }
    std::cout << seen.size() << ' ' << repeats << '\n';
}
)";

TEST(MapToUnordered, HashesLookupOnlyMapWithTheSameOutput) {
    expect_rewrite("map-to-unordered", k_map, "std::map<int, int> seen", {{"1 2 1 3 1\n", "3 2\n"}, {"5\n", "1 0\n"}},
                   "#include <unordered_map>\n" + replace_first(k_map, "std::map<int, int>", "std::unordered_map<int, int>"));
}

TEST(MapToUnordered, SilentWhenTheMapIsIteratedInOrder) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> seen;
    int x;
    while (std::cin >> x) ++seen[x];
    for (const auto& [key, times] : seen) std::cout << key << ' ' << times << '\n';
}
)", "map-to-unordered").empty());
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> seen;
    int x;
    while (std::cin >> x) ++seen[x];
    std::cout << seen.begin()->first << '\n';
}
)", "map-to-unordered").empty());
    // One declaration spells the type of both maps: hashing `seen` would reorder `ordered` too.
    for (const char* scope : {"local", "global"}) {
        SCOPED_TRACE(scope);
        const std::string declaration = "std::map<int, int> seen, ordered;\n";
        const std::string local = std::string(scope) == "local" ? "    " + declaration : "";
        const std::string global = std::string(scope) == "global" ? declaration : "";
        EXPECT_TRUE(findings_of("#include <iostream>\n#include <map>\n" + global + "int main() {\n" + local + R"(    int x;
    while (std::cin >> x) {
        ++seen[x];
        ++ordered[x];
    }
    for (const auto& [key, times] : ordered) std::cout << key << ' ' << seen[key] << '\n';
}
)", "map-to-unordered").empty());
    }
}

TEST(MapToUnordered, OneDeclarationOfSeveralOrderFreeMapsChangesOnce) {
    // Both maps of the declaration are only looked up: one finding, one change of the shared type.
    for (const char* scope : {"local", "global"}) {
        SCOPED_TRACE(scope);
        const std::string declaration = "std::map<int, int> parent, size;\n";
        const std::string local = std::string(scope) == "local" ? "    " + declaration : "";
        const std::string global = std::string(scope) == "global" ? declaration : "";
        const auto found = findings_of("#include <iostream>\n#include <map>\n" + global + "int main() {\n" + local + R"(    int x;
    while (std::cin >> x) {
        parent[x] = x;
        ++size[x];
    }
    std::cout << parent.size() << ' ' << size.count(3) << '\n';
}
)", "map-to-unordered");
        ASSERT_EQ(found.size(), 1u);
        EXPECT_EQ(found[0].message, "'parent', 'size' are only looked up, never iterated in order; a hash map serves");
        int type_changes = 0;
        for (const auto& r : found[0].fix) type_changes += r.text == "unordered_map";
        EXPECT_EQ(type_changes, 1);
    }
}

// ---- container-in-loop -------------------------------------------------------------------------

const char* const k_container = R"(#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    for (int i = 0; i < n; ++i) {
        std::vector<int> digits;
        int x;
        std::cin >> x;
        while (x > 0) {
            digits.push_back(x % 10);
            x /= 10;
        }
        std::cout << digits.size() << '\n';
    }
}
)";

TEST(ContainerInLoop, HoistsAndClearsWithTheSameOutput) {
    const std::string expected =
        replace_first(replace_first(k_container, "        std::vector<int> digits;\n", "        digits.clear();\n"),
                      "    for (int i = 0;", "    std::vector<int> digits;\n    for (int i = 0;");
    expect_rewrite("container-in-loop", k_container, "std::vector<int> digits", {{"3\n5 120 0\n", "1\n3\n0\n"}, {"1\n99999\n", "5\n"}},
                   expected);
}

TEST(ContainerInLoop, SilentWhenConst) {
    // A const container cannot be cleared: the rewrite would not compile.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
int main() {
    for (int i = 0; i < 3; ++i) {
        const std::vector<int> none;
        std::cout << none.size() << '\n';
    }
}
)", "container-in-loop").empty());
}

TEST(ContainerInLoop, SilentWhenPassedByNonConstReference) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
void digits_of(std::vector<int>& out, int x) {
    while (x > 0) {
        out.push_back(x % 10);
        x /= 10;
    }
}
int main() {
    int n;
    std::cin >> n;
    for (int i = 0; i < n; ++i) {
        std::vector<int> digits;
        int x;
        std::cin >> x;
        digits_of(digits, x);
        std::cout << digits.size() << '\n';
    }
}
)", "container-in-loop").empty());
}

// ---- invariant-call-in-loop --------------------------------------------------------------------

const char* const k_invariant_body = R"(#include <cmath>
#include <cstdio>
int main() {
    int n;
    double rate;
    if (std::scanf("%d %lf", &n, &rate) != 2) return 0;
    double total = 0;
    for (int day = 0; day < n; ++day) {
        double sold;
        if (std::scanf("%lf", &sold) != 1) break;
        total += sold * std::exp(-rate);
    }
    std::printf("%.6f\n", total);
}
)";

TEST(InvariantCallInLoop, ComputesTheCallOnceBeforeTheLoopWithTheSameOutput) {
    expect_rewrite("invariant-call-in-loop", k_invariant_body, "total += sold * std::exp(-rate);",
                   {{"3 0.5\n1 2 3\n", "3.639184\n"}, {"0 1\n", "0.000000\n"}},
                   replace_first(replace_first(k_invariant_body, "std::exp(-rate);", "optiloop_invariant_11_25;"),
                                 "    for (int day = 0; day < n; ++day) {",
                                 "    const auto optiloop_invariant_11_25 = std::exp(-rate);\n"
                                 "    for (int day = 0; day < n; ++day) {"));
}

// The outer loop's counter is fixed inside the inner loop: exp(-r * i) moves out of it.
const char* const k_invariant_nested = R"(#include <cmath>
#include <cstdio>
int main() {
    int rows, cols;
    double r;
    if (std::scanf("%d %d %lf", &rows, &cols, &r) != 3) return 0;
    double total = 0;
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            total += (j + 1) * exp(-r * i);
    std::printf("%.6f\n", total);
}
)";
const Cases k_invariant_nested_tests = {{"3 2 0.25\n", "7.155994\n"}, {"0 5 1\n", "0.000000\n"}};

TEST(InvariantCallInLoop, ALoneInnerLoopGetsABlockLaidOutOnItsOwnLines) {
    expect_rewrite("invariant-call-in-loop", k_invariant_nested, "total += (j + 1) * exp(-r * i);", k_invariant_nested_tests,
                   replace_first(k_invariant_nested,
                                 "    for (int i = 0; i < rows; i++)\n"
                                 "        for (int j = 0; j < cols; j++)\n"
                                 "            total += (j + 1) * exp(-r * i);\n",
                                 "    for (int i = 0; i < rows; i++) {\n"
                                 "        const auto optiloop_invariant_10_32 = exp(-r * i);\n"
                                 "        for (int j = 0; j < cols; j++)\n"
                                 "            total += (j + 1) * optiloop_invariant_10_32;\n"
                                 "    }\n"));
}

TEST(InvariantCallInLoop, ALoneInnerLoopSharingItsLineGetsABlockInPlace) {
    const std::string program = replace_first(k_invariant_nested, "rows; i++)\n        for (int j = 0; j < cols; j++)\n            total",
                                              "rows; i++) for (int j = 0; j < cols; j++) total");
    expect_rewrite("invariant-call-in-loop", program, "total += (j + 1) * exp(-r * i);", k_invariant_nested_tests,
                   replace_first(program, "for (int j = 0; j < cols; j++) total += (j + 1) * exp(-r * i);",
                                 "{ const auto optiloop_invariant_8_86 = exp(-r * i); for (int j = 0; j < cols; j++) total += (j + 1) * "
                                 "optiloop_invariant_8_86; }"));
}

TEST(InvariantCallInLoop, SilentWhenTheArgumentsCanChange) {
    // Changed in the loop, declared in it, the loop's own counter, a global, a reference, a
    // constant (the compiler folds it), and a call in the condition (another rule's).
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <cstdio>
double g_rate = 0.5;
int main() {
    int n = 5;
    double r = 0.1, total = 0;
    double& alias = r;
    for (int i = 0; i < n; i++) {
        total += exp(r);
        r += 0.1;
        double local = i * 0.5;
        total += sqrt(local) + sqrt(double(i)) + log(g_rate) + exp(alias) + exp(1.0);
    }
    for (int i = 0; i < sqrt(double(n)); i++) total += 1;
    std::printf("%f\n", total);
}
)", "invariant-call-in-loop").empty());
}

// ---- loop-interchange --------------------------------------------------------------------------

// A stencil written column by column, with an integer total taken on the way.
const char* const k_interchange_stencil = R"(#include <cstdio>
#include <vector>
int main() {
    int h, w;
    if (std::scanf("%d %d", &h, &w) != 2) return 0;
    std::vector<std::vector<int>> g(h + 2, std::vector<int>(w + 2, 0)), out = g;
    for (int i = 1; i <= h; i++)
        for (int j = 1; j <= w; j++) std::scanf("%d", &g[i][j]);
    long long total = 0;
    for (int j = 1; j <= w; j++)
        for (int i = 1; i <= h; i++) {
            out[i][j] = (4 * g[i][j] + g[i - 1][j] + g[i + 1][j] + g[i][j - 1] + g[i][j + 1]) / 8;
            total += out[i][j] * (i + 2 * j);
        }
    std::printf("%lld\n", total);
    for (int i = 1; i <= h; i++)
        for (int j = 1; j <= w; j++) std::printf("%d%c", out[i][j], j == w ? '\n' : ' ');
}
)";

TEST(LoopInterchange, SwapsAColumnWalkingNestWithTheSameOutput) {
    expect_rewrite("loop-interchange", k_interchange_stencil, "for (int j = 1; j <= w; j++)\n        for (int i = 1; i <= h; i++) {",
                   {{"3 4\n1 2 3 4\n5 6 7 8\n9 10 11 12\n", "484\n1 2 3 3\n4 6 7 6\n6 8 9 8\n"}, {"1 1\n7\n", "9\n3\n"}},
                   replace_first(k_interchange_stencil,
                                 "    for (int j = 1; j <= w; j++)\n"
                                 "        for (int i = 1; i <= h; i++) {\n",
                                 "    for (int i = 1; i <= h; i++)\n"
                                 "        for (int j = 1; j <= w; j++) {\n"));
}

// Column sums through a scalar accumulator: each column's sum becomes its element, added to row
// by row in the same order (printed to the last bit).
const char* const k_interchange_sums = R"(#include <cstdio>
#include <vector>
int main() {
    int n, m;
    if (std::scanf("%d %d", &n, &m) != 2) return 0;
    std::vector<std::vector<double>> a(n, std::vector<double>(m));
    for (auto& row : a)
        for (double& x : row) std::scanf("%lf", &x);
    std::vector<double> weights(n), col(m);
    for (int i = 0; i < n; i++) weights[i] = 1.0 / (i + 1);
    for (int j = 0; j < m; j++) {
        double s = 0.5;
        for (int i = 0; i < n; i++) s += weights[i] * a[i][j];
        col[j] = s;
    }
    for (int j = 0; j < m; j++) std::printf("%.17g\n", col[j]);
}
)";

TEST(LoopInterchange, AnAccumulatorBecomesTheElementAddedToRowByRow) {
    expect_rewrite("loop-interchange", k_interchange_sums, "for (int j = 0; j < m; j++) {",
                   {{"3 2\n1.5 2\n-3 4.25\n0.1 0.2\n", "0.53333333333333333\n4.6916666666666664\n"}, {"0 3\n", "0.5\n0.5\n0.5\n"}},
                   replace_first(k_interchange_sums,
                                 "    for (int j = 0; j < m; j++) {\n"
                                 "        double s = 0.5;\n"
                                 "        for (int i = 0; i < n; i++) s += weights[i] * a[i][j];\n"
                                 "        col[j] = s;\n"
                                 "    }\n",
                                 "    for (int j = 0; j < m; j++) col[j] = 0.5;\n"
                                 "    for (int i = 0; i < n; i++)\n"
                                 "        for (int j = 0; j < m; j++) col[j] += weights[i] * a[i][j];\n"));
}

// Matrix multiplication in i-j-k order, the j loop the lone body of the i loop: it becomes
// i-k-j inside a block laid out on lines.
const char* const k_interchange_matmul = R"(#include <cstdio>
#include <vector>
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<std::vector<float>> a(n, std::vector<float>(n)), b = a, c = a;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            a[i][j] = 1.0f / (i + 2 * j + 1);
            b[i][j] = 0.1f * (i - j);
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) std::printf("%.9g%c", c[i][j], j + 1 == n ? '\n' : ' ');
}
)";

TEST(LoopInterchange, MatrixProductInIJKOrderBecomesIKJ) {
    expect_rewrite("loop-interchange", k_interchange_matmul, "for (int j = 0; j < n; j++) {\n            float s",
                   {{"3\n",
                     "0.0733333379 -0.0799999982 -0.233333334\n0.0583333373 -0.0333333313 -0.125\n"
                     "0.0485714301 -0.0190476198 -0.0866666734\n"},
                    {"0\n", ""}},
                   replace_first(k_interchange_matmul,
                                 "    for (int i = 0; i < n; i++)\n"
                                 "        for (int j = 0; j < n; j++) {\n"
                                 "            float s = 0;\n"
                                 "            for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];\n"
                                 "            c[i][j] = s;\n"
                                 "        }\n",
                                 "    for (int i = 0; i < n; i++) {\n"
                                 "        for (int j = 0; j < n; j++) c[i][j] = 0;\n"
                                 "        for (int k = 0; k < n; k++)\n"
                                 "            for (int j = 0; j < n; j++) c[i][j] += a[i][k] * b[k][j];\n"
                                 "    }\n"));
}

// The same product over flattened rows: b[k * n + j] strides over rows in the inner loop, and
// c[i * n + j] names one element per j.
const char* const k_interchange_flat = R"(#include <cstdio>
#include <vector>
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<short> a(n * n), b(n * n);
    for (int t = 0; t < n * n; t++) a[t] = (short)(t % 7 - 3), b[t] = (short)(t % 5 - 2);
    std::vector<int> c(n * n);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j < n; ++j) {
            int sum = 0;
            for (int k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];
            c[i * n + j] = sum;
        }
    }
    long long check = 0;
    for (int t = 0; t < n * n; t++) check = check * 31 + c[t];
    std::printf("%lld\n", check);
}
)";

TEST(LoopInterchange, FlattenedRowsToo) {
    expect_rewrite("loop-interchange", k_interchange_flat, "for (int j = 0; j < n; ++j) {",
                   {{"4\n", "8126846777621965216\n"}, {"1\n", "6\n"}, {"0\n", "0\n"}},
                   replace_first(k_interchange_flat,
                                 "        for (int j = 0; j < n; ++j) {\n"
                                 "            int sum = 0;\n"
                                 "            for (int k = 0; k < n; ++k) sum += a[i * n + k] * b[k * n + j];\n"
                                 "            c[i * n + j] = sum;\n"
                                 "        }\n",
                                 "        for (int j = 0; j < n; ++j) c[i * n + j] = 0;\n"
                                 "        for (int k = 0; k < n; ++k)\n"
                                 "            for (int j = 0; j < n; ++j) c[i * n + j] += a[i * n + k] * b[k * n + j];\n"));
}

TEST(LoopInterchange, SilentOnAnOpenMPLoop) {
    // Threads share the outer loop's iterations: swapped, they would share the inner one's, and
    // col[j] would be added to from every thread at once. Without -fopenmp the pragma is inert
    // and the nest is an ordinary one.
    const char* const program = R"(int g[64][64], col[64];
void column_sums() {
#pragma omp parallel for
    for (int j = 0; j < 64; j++)
        for (int i = 0; i < 64; i++) col[j] += g[i][j];
}
)";
    analyzer::AnalyzeOptions options = only("loop-interchange");
    options.flags = {"-std=c++17", "-fopenmp"};
    auto with_openmp = analyzer::analyze(source(program), options);
    ASSERT_TRUE(with_openmp) << with_openmp.error().message;
    EXPECT_TRUE(with_openmp->findings.empty());
    EXPECT_EQ(findings_of(program, "loop-interchange").size(), 1u);
}

TEST(LoopInterchange, SilentWhenTheOrderCanChangeAResult) {
    // Each nest walks down a column, but swapping its loops would change what it computes (or
    // gain nothing): an in-place stencil reading its neighbours, a floating-point total, a
    // last-written value, a triangular nest, a write through another name, a call, a break, a
    // transpose (rows on one side, columns on the other), an accumulator read back from the
    // element, an accumulator of another type than the element, an element shared by
    // iterations the swap reorders ((i + j) % n), a global written while a pointer parameter is read, and a flattened
    // element naming both counters (i * n + j names distinct elements only while j < n).
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
#include <vector>
int grid[8][8];
int twice(int x) { return 2 * x; }
void fill(const int* src) {
    for (int j = 0; j < 8; j++)
        for (int i = 0; i < 8; i++) grid[i][j] = src[i * 8 + j];
}
int main() {
    const int n = 8;
    std::vector<std::vector<int>> g(n, std::vector<int>(n, 1)), h = g;
    std::vector<std::vector<float>> f(n, std::vector<float>(n, 0.5f)), c = f;
    std::vector<std::vector<double>> d(n, std::vector<double>(n, 0.25));
    auto& alias = h;
    double sum = 0;
    int last = 0;
    for (int j = 1; j < n; j++)
        for (int i = 1; i < n; i++) g[i][j] = g[i - 1][j] + g[i][j - 1];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) sum += f[i][j];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) last = g[i][j];
    for (int j = 0; j < n; j++)
        for (int i = j; i < n; i++) h[i][j] = g[i][j];
    for (int j = 0; j < n; j++)
        for (int i = 1; i < n; i++) h[i][j] = alias[i - 1][j];
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) h[i][j] = twice(g[i][j]);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) {
            if (g[i][j] < 0) break;
            h[i][j] = g[i][j];
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) h[j][i] = g[i][j];
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float s = 0;
            for (int k = 0; k < n; k++) s += c[i][k] * f[k][j];
            c[i][j] = s;
        }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < n; k++) s += d[k][j];
            f[i][j] = s;
        }
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) h[(i + j) % n][0] = g[i][j];
    std::vector<int> flat(n * n);
    for (int j = 0; j < n; j++)
        for (int i = 0; i < n; i++) flat[i * n + j] = g[i][j];
    fill(&g[0][0]);
    std::printf("%f %d %d %f %f %d\n", sum, last, h[1][1], c[1][1], f[1][1], flat[1]);
}
)", "loop-interchange").empty());
}

// ---- popcount-loop -----------------------------------------------------------------------------

const char* const k_popcount_function = R"(#include <cstdio>
static int countBits(unsigned long long x) {
    int c = 0;
    while (x) {
        c += x & 1;
        x >>= 1;
    }
    return c;
}
int main() {
    unsigned long long v;
    long long total = 0;
    while (std::scanf("%llu", &v) == 1) total = total * 65 + countBits(v);
    std::printf("%lld\n", total);
}
)";

TEST(PopcountLoop, ABitCountingLoopBecomesOneCall) {
    expect_rewrite("popcount-loop", k_popcount_function, "while (x) {", {{"0 1 18446744073709551615 12345678901234\n", "8412\n"}, {"\n", "0\n"}},
                   replace_first(k_popcount_function, "    while (x) {\n        c += x & 1;\n        x >>= 1;\n    }\n",
                                 "    c += __builtin_popcountll(x);\n"));
}

// v outlives the loop (read after it, and by the next round of the outer loop): it ends at 0.
const char* const k_popcount_for = R"(#include <cstdio>
int main() {
    unsigned v;
    long long total = 0;
    while (std::scanf("%u", &v) == 1) {
        int bits = 0;
        for (; v; v >>= 1) bits += v & 1;
        total += bits * 1000 + v;
    }
    std::printf("%lld\n", total);
}
)";

TEST(PopcountLoop, AVariableReadLaterEndsAtZeroAsTheLoopLeftIt) {
    expect_rewrite("popcount-loop", k_popcount_for, "for (; v; v >>= 1)", {{"0 7 4294967295 1024\n", "36000\n"}, {"5\n", "2000\n"}},
                   replace_first(k_popcount_for, "for (; v; v >>= 1) bits += v & 1;", "bits += __builtin_popcount(v); v = 0;"));
}

// Clearing the lowest set bit of a signed int: counted as unsigned, in a block where the loop
// was a lone statement.
const char* const k_popcount_kernighan = R"(#include <cstdio>
int main() {
    int m, k = 0;
    if (std::scanf("%d", &m) != 1) return 0;
    if (m != 0)
        while (m) {
            m &= m - 1;
            ++k;
        }
    std::printf("%d %d\n", k, m);
}
)";

TEST(PopcountLoop, ClearingTheLowestBitCountsTheSame) {
    expect_rewrite("popcount-loop", k_popcount_kernighan, "while (m) {",
                   {{"2147483647\n", "31 0\n"}, {"0\n", "0 0\n"}, {"1000\n", "6 0\n"}},
                   replace_first(k_popcount_kernighan, "while (m) {\n            m &= m - 1;\n            ++k;\n        }",
                                 "{ k += __builtin_popcount((unsigned)m); m = 0; }"));
}

// Loops over a fixed number of bit positions: the low 10 bits of a signed value, all 32 bits
// through a mask as wide as the value, and all 64 bits of an unsigned long long.
const char* const k_popcount_each_bit = R"(#include <cstdio>
#include <vector>
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<int> a(n);
    for (int& v : a) std::scanf("%d", &v);
    long long total = 0;
    for (int i = 0; i < n; i++) {
        int low = 0, all = 0, wide = 0;
        unsigned long long big = (unsigned long long)a[i] * 2654435761ull;
        for (int b = 0; b < 10; b++)
            if ((a[i] >> b) & 1) low++;
        for (int b = 0; b < 32; ++b) {
            if (a[i] & (1 << b)) ++all;
        }
        for (int b = 0; b < 64; b++) wide += (big >> b) & 1;
        std::printf("%d %d %d\n", low, all, wide);
        total += low + all + wide;
    }
    std::printf("%lld\n", total);
}
)";

TEST(PopcountLoop, ALoopOverBitPositionsCountsTheSameBits) {
    const auto found = findings_of(k_popcount_each_bit, "popcount-loop");
    ASSERT_EQ(found.size(), 3u);
    core::Edit edit;
    for (const auto& f : found) edit.replacements.insert(edit.replacements.end(), f.fix.begin(), f.fix.end());
    auto applied = llm::apply_edit(source(k_popcount_each_bit), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    std::string expected = replace_first(k_popcount_each_bit,
                                         "for (int b = 0; b < 10; b++)\n            if ((a[i] >> b) & 1) low++;",
                                         "low += __builtin_popcount((unsigned)a[i] & 0x3ffu);");
    expected = replace_first(expected, "for (int b = 0; b < 32; ++b) {\n            if (a[i] & (1 << b)) ++all;\n        }",
                             "all += __builtin_popcount((unsigned)a[i]);");
    expected = replace_first(expected, "for (int b = 0; b < 64; b++) wide += (big >> b) & 1;", "wide += __builtin_popcountll(big);");
    EXPECT_EQ(applied->at(0).content, expected);
    const Cases tests = {{"4 0 1023 -1 123456789\n", "0 0 0\n10 10 25\n10 32 46\n4 16 29\n182\n"}, {"1 -2147483648\n", "0 1 15\n16\n"}};
    expect_accepted("popcount-each-bit-original", k_popcount_each_bit, tests);
    expect_accepted("popcount-each-bit-rewritten", applied->at(0).content, tests);
}

TEST(PopcountLoop, AValueOthersCanReachEndsAtZero) {
    // A global (any function may read it later), and a local whose address was taken before the
    // loop: the count is followed by x = 0, as the loop left x. A parameter no one else sees is not.
    const auto found = findings_of(R"(unsigned g;
int count_global() {
    int c = 0;
    while (g) {
        c += g & 1;
        g >>= 1;
    }
    return c;
}
int count_local() {
    unsigned v = 5;
    unsigned* p = &v;
    int c = 0;
    while (v) {
        c += v & 1;
        v >>= 1;
    }
    return c + (int)*p;
}
int count_param(unsigned w) {
    int c = 0;
    w ^= 3;
    while (w) {
        c += w & 1;
        w >>= 1;
    }
    return c;
}
int count_with_init(unsigned long long u, int c) {
    if (u != 0)
        for (c = 0; u; u >>= 1) c += u & 1;
    return c;
}
)", "popcount-loop");
    ASSERT_EQ(found.size(), 4u);
    for (const auto& f : found) ASSERT_EQ(f.fix.size(), 1u);
    EXPECT_EQ(found[0].fix[0].text, "c += __builtin_popcount(g); g = 0;");
    EXPECT_EQ(found[1].fix[0].text, "c += __builtin_popcount(v); v = 0;");
    EXPECT_EQ(found[2].fix[0].text, "c += __builtin_popcount(w);");
    // A for's init stays, before the count, in a block where the loop was a lone statement.
    EXPECT_EQ(found[3].fix[0].text, "{ c = 0; c += __builtin_popcountll(u); }");
}

TEST(PopcountLoop, SilentWhenTheLoopCountsSomethingElse) {
    // Shifted before the count, two bits at a time, a signed value halved (negative
    // remainders), a signed value tested with > 0 (a negative one stops at once), another
    // variable's bit, a reference, a third statement, and a bool counter; over bit positions: a
    // 64-bit value masked by an int 1 (sign-extended at bit 31), two bits at a time, from bit 1,
    // every other bit, and the bit's value added rather than counted.
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
int main() {
    unsigned x = 77, y = 5, z = 9;
    int s = -8, t = 6, c = 0;
    bool any = false;
    unsigned long long w = 3;
    unsigned& rx = z;
    while (x) {
        x >>= 1;
        c += x & 1;
    }
    while (y) {
        c += y & 1;
        y >>= 2;
    }
    while (s != 0) {
        c += s % 2;
        s /= 2;
    }
    while (t > 0) {
        c += t & 1;
        t >>= 1;
    }
    while (y) {
        c += x & 1;
        y >>= 1;
    }
    while (rx) {
        c += rx & 1;
        rx >>= 1;
    }
    while (w) {
        c += w & 1;
        w >>= 1;
        any = true;
    }
    for (; z; z >>= 1) any += z & 1;
    unsigned long long big = 1ull << 40;
    for (int b = 0; b < 64; b++)
        if (big & (1 << b)) c++;
    for (int b = 0; b < 8; b++) c += (big >> b) & 3;
    for (int b = 1; b < 8; b++) c += (big >> b) & 1;
    for (int b = 0; b < 8; b += 2) c += (big >> b) & 1;
    for (int b = 0; b < 8; b++) c += big & (1ull << b);
    std::printf("%d %d\n", c, any);
}
)", "popcount-loop").empty());
}

// ---- vector-as-queue ---------------------------------------------------------------------------

// Josephus by rotation: the front is taken off again and again.
const char* const k_queue_rotation = R"(#include <cstdio>
#include <vector>
int main() {
    int n, k;
    if (std::scanf("%d %d", &n, &k) != 2) return 0;
    std::vector<int> circle;
    for (int i = 1; i <= n; i++) circle.push_back(i);
    while (circle.size() > 1) {
        for (int step = 1; step < k; step++) {
            circle.push_back(circle.front());
            circle.erase(circle.begin());
        }
        std::printf("%d ", circle[0]);
        circle.erase(circle.begin());
    }
    if (!circle.empty()) std::printf("%d\n", circle.front());
}
)";

TEST(VectorAsQueue, ErasingTheFrontBecomesPopFrontOnADeque) {
    std::string expected = "#include <deque>\n" + std::string(k_queue_rotation);
    expected = replace_first(expected, "std::vector<int> circle;", "std::deque<int> circle;");
    expected = replace_first(expected, "circle.erase(circle.begin());", "circle.pop_front();");
    expected = replace_first(expected, "circle.erase(circle.begin());", "circle.pop_front();");
    expect_rewrite("vector-as-queue", k_queue_rotation, "circle;", {{"7 3\n", "3 6 2 7 5 1 4\n"}, {"1 1\n", "1\n"}, {"0 1\n", ""}}, expected);
}

// Inserted at the front under an if, erased in the middle, walked by a range-for.
const char* const k_queue_front_insert = R"(#include <cstdio>
#include <deque>
#include <vector>
using namespace std;
int main() {
    vector<long> history(2, 0);
    long x;
    while (std::scanf("%ld", &x) == 1) {
        if (x < 0)
            history.insert(history.begin(), -x);
        else
            history.push_back(x);
        if (history.size() > 5) history.erase(history.begin() + 2);
    }
    for (long h : history) std::printf("%ld\n", h);
}
)";

TEST(VectorAsQueue, InsertingAtTheFrontBecomesPushFront) {
    expect_rewrite("vector-as-queue", k_queue_front_insert, "history(2, 0);", {{"3 -4 5 -6 7 8\n", "6\n4\n5\n7\n8\n"}, {"\n", "0\n0\n"}},
                   replace_first(replace_first(k_queue_front_insert, "vector<long> history(2, 0);", "deque<long> history(2, 0);"),
                                 "history.insert(history.begin(), -x);", "history.push_front(-x);"));
}

TEST(VectorAsQueue, SilentWhereADequeWouldNotServe) {
    // Each vector's front is erased, but it is also: handed to a function, copied from another
    // vector, read through data(), reserved, sorted through its iterators, kept in a typed
    // iterator, assigned, a vector<bool>, an element's address taken (the elements are assumed
    // side by side), or erase's iterator kept; and one never loses its front at all. (Each on a
    // declaration of its own: one declaring several is left alone anyway.)
    EXPECT_TRUE(findings_of(R"(#include <algorithm>
#include <cstdio>
#include <vector>
int total(const std::vector<int>& v) { return (int)v.size(); }
int main() {
    std::vector<int> source = {5, 4, 3};
    std::vector<int> passed = {1, 2};
    std::vector<int> copied = source;
    std::vector<int> raw = {1};
    std::vector<int> reserved;
    std::vector<int> sorted = {3, 1, 2};
    std::vector<int> iterated = {1, 2};
    std::vector<int> assigned;
    std::vector<bool> flags(3, true);
    std::vector<int> addressed = {1, 2, 3};
    std::vector<int> returned = {1, 2};
    std::vector<int> stack;
    passed.erase(passed.begin());
    copied.erase(copied.begin());
    raw.erase(raw.begin());
    reserved.reserve(8);
    reserved.push_back(1);
    reserved.erase(reserved.begin());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(sorted.begin());
    std::vector<int>::iterator it = iterated.begin();
    iterated.erase(iterated.begin());
    assigned = source;
    assigned.erase(assigned.begin());
    flags.erase(flags.begin());
    const int* first = &addressed.front();
    addressed.erase(addressed.begin());
    std::vector<int>::iterator next = returned.erase(returned.begin());
    stack.push_back(1);
    stack.pop_back();
    std::printf("%d %d %d %d %d %d %d\n", total(passed), *raw.data(), (int)copied.size(), (int)flags.size(), (int)(it == iterated.end()),
                first[1], (int)(next == returned.end()));
}
)", "vector-as-queue").empty());
}

// ---- vector-reserve ----------------------------------------------------------------------------

const char* const k_reserve = R"(#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<long> doubled;
    for (int i = 0; i < n; ++i) {
        long x;
        std::cin >> x;
        doubled.push_back(2 * x);
    }
    long sum = 0;
    for (long v : doubled) sum += v;
    std::cout << doubled.size() << ' ' << sum << '\n';
}
)";

TEST(VectorReserve, ReservesBeforeTheCountedLoopWithTheSameOutput) {
    expect_rewrite("vector-reserve", k_reserve, "for (int i = 0; i < n", {{"3\n1 2 3\n", "3 12\n"}, {"0\n", "0 0\n"}},
                   replace_first(k_reserve, "    for (int i = 0; i < n",
                                 "    if ((n) > 0) doubled.reserve(doubled.size() + static_cast<std::size_t>(n));\n"
                                 "    for (int i = 0; i < n"));
}

TEST(VectorReserve, SilentWhenThePushIsConditional) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <vector>
int main() {
    int n;
    std::cin >> n;
    std::vector<long> evens;
    for (int i = 0; i < n; ++i) {
        long x;
        std::cin >> x;
        if (x % 2 == 0) evens.push_back(x);
    }
    std::cout << evens.size() << '\n';
}
)", "vector-reserve").empty());
}

TEST(VectorReserve, SilentWhenAlreadyReservedBeforeTheLoop) {
    // What the rule itself inserts: a second round must not propose it again.
    const std::string reserved =
        replace_first(k_reserve, "    for (int i = 0; i < n",
                      "    if ((n) > 0) doubled.reserve(doubled.size() + static_cast<std::size_t>(n));\n"
                      "    for (int i = 0; i < n");
    EXPECT_TRUE(findings_of(reserved, "vector-reserve").empty());
    // A reserve of another vector does not count.
    const std::string other = replace_first(k_reserve, "    for (int i = 0; i < n",
                                            "    std::vector<long> unrelated;\n    unrelated.reserve(8);\n"
                                            "    for (int i = 0; i < n");
    EXPECT_EQ(findings_of(other, "vector-reserve").size(), 1u);
}

// ---- stream-in-loop ----------------------------------------------------------------------------

const char* const k_stream = R"(#include <iostream>
#include <sstream>
#include <string>
int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream fields(line);
        std::string name;
        long value, total = 0;
        if (!(fields >> name)) continue;
        while (fields >> value) total += value;
        if (!fields.eof()) std::cout << "bad ";
        std::cout << name << ' ' << total << '\n';
    }
}
)";

TEST(StreamInLoop, MakesTheStreamOnceAndResetsItWithTheSameOutput) {
    // The second line leaves the stream failed mid-line: clear() must undo that for the third.
    expect_rewrite("stream-in-loop", k_stream, "std::istringstream fields(line);",
                   {{"a 1 2 3\nb 4 x\nc 5\n\n", "a 6\nbad b 4\nc 5\n"}, {"", ""}},
                   replace_first(replace_first(k_stream, "    while (std::getline(std::cin, line)) {",
                                               "    std::istringstream fields;\n    while (std::getline(std::cin, line)) {"),
                                 "        std::istringstream fields(line);",
                                 "        fields.clear();\n        fields.str(line);"));
}

TEST(StreamInLoop, SilentWhenTheStreamsStateCouldCarryOver) {
    // A manipulator, a function that may change the flags, and a stream written to: each would
    // behave differently if the stream outlived the iteration.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <sstream>
#include <string>
void parse(std::istream& in, long& x) { in >> std::hex >> x; }
int main() {
    std::string line;
    long x = 0, total = 0;
    while (std::getline(std::cin, line)) {
        std::istringstream hex_fields(line);
        hex_fields >> std::hex >> x;
        std::istringstream passed(line);
        parse(passed, x);
        std::stringstream both(line);
        both << "1";
        std::istringstream binary(line, std::ios::binary);
        binary >> x;
        total += x;
    }
    std::cout << total << '\n';
}
)", "stream-in-loop").empty());
}

// ---- set-count-then-insert ---------------------------------------------------------------------

const char* const k_count_insert = R"(#include <iostream>
#include <set>
int main() {
    std::set<long> seen;
    long x, firsts = 0;
    while (std::cin >> x) {
        if (!seen.count(x)) {
            seen.insert(x);
            firsts += x * static_cast<long>(seen.size());
        }
    }
    std::cout << seen.size() << ' ' << firsts << '\n';
}
)";

TEST(SetCountThenInsert, InsertsInTheConditionWithTheSameOutput) {
    expect_rewrite("set-count-then-insert", k_count_insert, "if (!seen.count(x))",
                   {{"3 1 3 2 1\n", "3 11\n"}, {"7\n", "1 7\n"}, {"", "0 0\n"}},
                   replace_first(replace_first(k_count_insert, "if (!seen.count(x))", "if (seen.insert(x).second)"),
                                 "            seen.insert(x);\n", ""));
}

TEST(SetCountThenInsert, ABareInsertUnderTheTestBecomesTheInsert) {
    const std::string program = R"(#include <iostream>
#include <unordered_set>
int main() {
    std::unordered_set<int> seen;
    int x;
    while (std::cin >> x)
        if (seen.find(x) == seen.end()) seen.insert(x);
    std::cout << seen.size() << '\n';
}
)";
    expect_rewrite("set-count-then-insert", program, "if (seen.find(x) == seen.end())", {{"1 2 1 3\n", "3\n"}, {"", "0\n"}},
                   replace_first(program, "if (seen.find(x) == seen.end()) seen.insert(x);", "seen.insert(x);"));
}

TEST(SetCountThenInsert, SilentUnlessTheBranchStartsWithTheSameInsert) {
    // Something before the insert, another key, the positive test, and a bare insert with an
    // else all stay as they are.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <set>
int main() {
    std::set<int> seen;
    int x, before = 0;
    while (std::cin >> x) {
        if (!seen.count(x)) {
            before += static_cast<int>(seen.size());
            seen.insert(x);
        }
        if (seen.count(x) == 0) {
            seen.insert(x + 1);
        }
        if (seen.count(x)) {
            seen.insert(x);
        }
        if (!seen.count(x)) seen.insert(x);
        else ++before;
    }
    std::cout << seen.size() << ' ' << before << '\n';
}
)", "set-count-then-insert").empty());
}

// ---- map-double-lookup -------------------------------------------------------------------------

const char* const k_double_lookup = R"(#include <iostream>
#include <map>
#include <string>
int main() {
    std::map<std::string, int> seen;
    std::string word;
    long repeats = 0;
    while (std::cin >> word) {
        if (seen.count(word)) {
            repeats += seen[word];
            seen[word] += 1;
        } else {
            seen[word] = 1;
        }
    }
    std::cout << seen.size() << ' ' << repeats << '\n';
}
)";

TEST(MapDoubleLookup, FindsOnceAndUsesTheIteratorWithTheSameOutput) {
    expect_rewrite("map-double-lookup", k_double_lookup, "if (seen.count(word))",
                   {{"a b a c a b\n", "3 4\n"}, {"x\n", "1 0\n"}, {"", "0 0\n"}},
                   replace_first(replace_first(replace_first(k_double_lookup, "if (seen.count(word))",
                                                             "if (auto optiloop_found_9 = seen.find(word); optiloop_found_9 != seen.end())"),
                                               "repeats += seen[word];", "repeats += optiloop_found_9->second;"),
                                 "seen[word] += 1;", "optiloop_found_9->second += 1;"));
}

TEST(MapDoubleLookup, FindAgainstEndToo) {
    const auto found = findings_of(R"(#include <iostream>
#include <unordered_map>
int main() {
    std::unordered_map<int, long> sums;
    int key;
    long value;
    while (std::cin >> key >> value) {
        if (sums.find(key) != sums.end()) sums.at(key) += value;
        else sums[key] = value;
    }
    std::cout << sums.size() << '\n';
}
)", "map-double-lookup");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].line, 8);
    EXPECT_EQ(found[0].fix.size(), 2u);  // the condition and the one use in the then-branch
}

TEST(MapDoubleLookup, AKeyConvertedInPlaceIsStillTheSameKey) {
    // m[(int)i] binds a temporary int to operator[](key_type&&): the temporary, not i, is what
    // the call may change, so i stays the key the test found.
    const std::string program = R"(#include <cstdio>
#include <map>
int main() {
    std::map<int, long> weight = {{1, 10}, {3, 30}};
    long total = 0;
    for (long i = 0; i < 5; i++)
        if (weight.count((int)i)) total += weight[(int)i] * i;
    std::printf("%ld\n", total);
}
)";
    expect_rewrite("map-double-lookup", program, "if (weight.count((int)i))", {{"", "100\n"}},
                   replace_first(replace_first(program, "if (weight.count((int)i))",
                                               "if (auto optiloop_found_7 = weight.find((int)i); optiloop_found_7 != weight.end())"),
                                 "weight[(int)i]", "optiloop_found_7->second"));
}

TEST(MapDoubleLookup, SilentWhenTheBranchChangesTheMapOrTheKey) {
    // erase, a changed key (also beside a key converted in place), a different key, or no
    // second lookup at all.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> m = {{1, 2}, {3, 4}};
    int k = 1, total = 0;
    if (m.count(k)) {
        total += m[k];
        m.erase(k);
    }
    if (m.count(k)) {
        ++k;
        total += m[k];
    }
    if (m.count(k)) total += m[k + 1];
    if (m.count((long)k)) {
        k = 2;
        total += m[(long)k];
    }
    if (m.count(k)) total += 1;
    if (m.count(k)) {
        int k = 3;  // another k: m[k] here may insert
        total += m[k];
    }
    std::cout << total << '\n';
}
)", "map-double-lookup").empty());
}

// ---- invariant-call-in-condition ---------------------------------------------------------------

const char* const k_invariant = R"(#include <cstring>
#include <iostream>
#include <string>
int count_a(const char* text) {
    int as = 0;
    for (std::size_t i = 0; i < strlen(text); ++i) {
        if (text[i] == 'a') ++as;
    }
    return as;
}
int main() {
    std::string word;
    while (std::cin >> word) std::cout << count_a(word.c_str()) << '\n';
}
)";

TEST(InvariantCallInCondition, HoistsStrlenWithTheSameOutput) {
    const std::string expected = replace_first(
        replace_first(k_invariant, "i < strlen(text)", "i < optiloop_hoisted_6"),
        "    for (std::size_t", "    const auto optiloop_hoisted_6 = strlen(text);\n    for (std::size_t");
    expect_rewrite("invariant-call-in-condition", k_invariant, "strlen(text)", {{"banana xyz\n", "3\n0\n"}, {"a\n", "1\n"}},
                   expected);
}

// A while loop and a do loop read the same string: hoisted before each, strlen runs once.
const char* const k_invariant_while = R"(#include <cstdio>
#include <cstring>
int main() {
    char word[64];
    while (scanf("%63s", word) == 1) {
        std::size_t i = 0, vowels = 0;
        while (i < strlen(word)) {
            if (strchr("aeiou", word[i])) ++vowels;
            ++i;
        }
        std::size_t j = 0;
        do {
            ++j;
        } while (j < strlen(word));
        printf("%zu %zu\n", vowels, j);
    }
}
)";

TEST(InvariantCallInCondition, HoistsFromWhileAndDoLoops) {
    const auto found = findings_of(k_invariant_while, "invariant-call-in-condition");
    ASSERT_EQ(found.size(), 2u);
    std::string expected = replace_first(k_invariant_while, "        while (i < strlen(word)) {",
                                         "        const auto optiloop_hoisted_7 = strlen(word);\n        while (i < optiloop_hoisted_7) {");
    expected = replace_first(expected, "        do {", "        const auto optiloop_hoisted_12 = strlen(word);\n        do {");
    expected = replace_first(expected, "} while (j < strlen(word));", "} while (j < optiloop_hoisted_12);");
    expect_rewrites("invariant-call-in-condition", k_invariant_while, 2, expected, {{"banana sky a\n", "3 6\n0 3\n1 1\n"}});
}

// The baseline of ll-strlen-loop-condition in small: the loop capitalises words in place, which
// never changes the length, and cuts the line at a '#', which does.
const char* const k_tracked = R"(#include <cstdio>
#include <cstring>
static char line[256];
int main() {
    while (fgets(line, sizeof line, stdin)) {
        int words = 0;
        for (int i = 0; i < (int)strlen(line); i++) {
            if (line[i] == '#') {
                line[i] = '\0';
            } else if (line[i] != ' ' && line[i] != '\n' && (i == 0 || line[i - 1] == ' ')) {
                line[i] -= 'a' - 'A';
                words++;
            }
        }
        printf("%d %s|\n", words, line);
    }
}
)";

TEST(InvariantCallInCondition, TracksTheLengthOfAStringTheLoopWritesOneCharAtATime) {
    std::string expected = replace_first(k_tracked, "        for (int i = 0; i < (int)strlen(line);",
                                         "        auto optiloop_length_7 = strlen(line);\n        for (int i = 0; i < (int)optiloop_length_7;");
    expected = replace_first(expected, "line[i] = '\\0';\n",
                             "line[i] = '\\0';\n                if (line[i] == '\\0') { if ((size_t)(i) < optiloop_length_7) optiloop_length_7 = i; } "
                             "else if ((size_t)(i) == optiloop_length_7) optiloop_length_7 = strlen(line);\n");
    expected = replace_first(expected, "line[i] -= 'a' - 'A';\n",
                             "line[i] -= 'a' - 'A';\n                if (line[i] == '\\0') { if ((size_t)(i) < optiloop_length_7) optiloop_length_7 = i; } "
                             "else if ((size_t)(i) == optiloop_length_7) optiloop_length_7 = strlen(line);\n");
    expect_rewrite("invariant-call-in-condition", k_tracked, "strlen(line)",
                   {{"ab  cd e\n", "3 Ab  Cd E\n|\n"}, {"one #two three\nx\n\n", "1 One |\n1 X\n|\n0 \n|\n"}}, expected);
}

// Writes that lengthen the string (overwriting its '\0'), through a pointer, as the lone branch
// of an if, at an index that is not the loop's counter.
const char* const k_tracked_join = R"(#include <cstdio>
#include <cstring>
int main() {
    char text[] = "ab\0cd\0\0ef";
    char copy[sizeof text];
    memcpy(copy, text, sizeof text);
    char* p = text;
    unsigned joins = 0;
    for (unsigned i = 0; i < strlen(copy); ++i)
        if (copy[i + 1] == '\0' && copy[i + 2] != '\0') copy[i + 1] = '-', ++joins;
    for (unsigned i = 0; i < strlen(p); ++i)
        if (p[i + 1] == '\0' && i + 2 < sizeof text && p[i + 2] != '\0')
            p[i + 1] = '-';
    printf("%s %s %u\n", p, copy, joins);
}
)";

TEST(InvariantCallInCondition, TracksALengthThatGrowsThroughAPointer) {
    // The first loop writes inside a comma expression, which the rule leaves alone; the second
    // joins "ab" and "cd" (the '\0' at the end is overwritten) but not "ef", behind two '\0's.
    const std::string expected = replace_first(
        replace_first(k_tracked_join, "    for (unsigned i = 0; i < strlen(p); ++i)\n",
                      "    auto optiloop_length_11 = strlen(p);\n    for (unsigned i = 0; i < optiloop_length_11; ++i)\n"),
        "            p[i + 1] = '-';",
        "            { p[i + 1] = '-'; if (p[i + 1] == '\\0') { if (i + 1 < optiloop_length_11) optiloop_length_11 = i + 1; } "
        "else if (i + 1 == optiloop_length_11) optiloop_length_11 = strlen(p); }");
    expect_rewrite("invariant-call-in-condition", k_tracked_join, "i < strlen(p)", {{"", "ab-cd ab-cd 1\n"}}, expected);
}

TEST(InvariantCallInCondition, SilentWhenTheLoopMayWriteTheStringAnotherWay) {
    // Each loop may change the string other than by a statement text[i] = v (or p[i] = v):
    // through an expression, through another pointer to the same chars, through a call, by an
    // index that reads the string, by moving the pointer, or by writing a variable the pointer
    // may point into.
    const char* const head = R"(#include <cstring>
#include <iostream>
int global = 0x41;
void cut(char* s) { s[0] = '\0'; }
int main() {
    char text[128] = "ab cd";
    char* p = text;
    const char* q = text;
    int letter = 0x42;
    char* r = (char*)&letter;
    std::size_t at = 0;
)";
    for (const char* loop : {
             "    for (std::size_t i = 0; i < strlen(p); ++i) {\n        if (p[i] == ' ') *(p + i) = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(q); ++i) {\n        if (q[i] == ' ') p[i] = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') p[i] = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(q); ++i) {\n        if (q[i] == ' ') strcpy(p + i, \"\");\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') cut(text + i);\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') at = (text[i] = '\\0');\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[text[0] - 'a'] = '\\0';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[i] = (char)(i + (at = 1));\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); text[i++] = 'x') {\n    }\n",
             "    for (std::size_t i = 0; i < strlen(p); ++i) {\n        if (p[i] == ' ') p = text + i + 1;\n        p[0] = 'x';\n    }\n",
             "    for (std::size_t i = 0; i < strlen(r); ++i) {\n        r[i] = 'x';\n        letter = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(r); ++i) {\n        r[i] = 'x';\n        global = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[i] = 'x';\n        char& c = text[i + 1];\n        c = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        text[i] = 'x';\n        [&] { text[i + 1] = 0; }();\n    }\n",
             "    for (p = text + 1; at < strlen(p); ++at) {\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        if (text[i] == ' ') *(int*)(text + i) = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(p); ++i) {\n        if (p[i] == ' ') reinterpret_cast<int*>(p)[0] = 0;\n    }\n",
             "    for (std::size_t i = 0; i < strlen(text); ++i) {\n        char (*whole)[128] = &text;\n        (*whole)[i] = 0;\n    }\n",
             "    for (char* e = text; at < strlen(e); ++at) {\n    }\n",
         }) {
        SCOPED_TRACE(loop);
        EXPECT_TRUE(findings_of(std::string(head) + loop + "    std::cout << text << q << r << at << '\\n';\n}\n", "invariant-call-in-condition").empty());
    }
}

// ---- pow-square --------------------------------------------------------------------------------

const char* const k_pow = R"(#include <cmath>
#include <iostream>
int main() {
    int n;
    std::cin >> n;
    double total = 0;
    for (int i = 0; i < n; ++i) {
        double x;
        std::cin >> x;
        total += std::pow(x, 2);
    }
    std::cout << total << '\n';
}
)";

TEST(PowSquare, MultipliesWithTheSameOutput) {
    expect_rewrite("pow-square", k_pow, "std::pow(x, 2)", {{"2\n1.5 2\n", "6.25\n"}, {"1\n-3\n", "9\n"}},
                   replace_first(k_pow, "std::pow(x, 2)", "(static_cast<double>(x) * static_cast<double>(x))"));
}

// An element of a vector is read twice in the rewrite: reading it has no side effect, though
// operator[] is a call.
const char* const k_pow_element = R"(#include <cmath>
#include <iostream>
#include <vector>
int main() {
    std::vector<double> values;
    double x;
    while (std::cin >> x) values.push_back(x);
    double total = 0;
    for (std::size_t i = 0; i < values.size(); ++i) total += pow(values[i], 2);
    std::cout << total << '\n';
}
)";

TEST(PowSquare, SquaresAVectorElementInPlace) {
    expect_rewrite("pow-square", k_pow_element, "pow(values[i], 2)", {{"1.5 2\n", "6.25\n"}, {"-3\n", "9\n"}},
                   replace_first(k_pow_element, "pow(values[i], 2)",
                                 "(static_cast<double>(values[i]) * static_cast<double>(values[i]))"));
}

TEST(PowSquare, SilentWhenTheBaseHasSideEffects) {
    // Squared by hand, these would advance i twice or read two numbers.
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
#include <vector>
double next() {
    double x = 0;
    std::cin >> x;
    return x;
}
int main() {
    std::vector<double> values = {1, 2, 3, 4};
    std::size_t i = 0;
    double total = pow(values[i++], 2) + std::pow(next(), 2);
    std::cout << total << ' ' << i << '\n';
}
)", "pow-square").empty());
}

TEST(PowSquare, SilentForOtherExponents) {
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
int main() {
    double x;
    std::cin >> x;
    std::cout << std::pow(x, 3) << ' ' << pow(x, 0.5) << '\n';
}
)", "pow-square").empty());
}

// ---- pow-integer-exponent ----------------------------------------------------------------------

// Whole bases (an int, the absolute value of one, a literal) to whole powers, small and large
// (past 2^53, where optiloop_ipow hands over to pow) and negative.
const char* const k_pow_integer = R"(#include <cmath>
#include <cstdio>
using namespace std;

int main() {
    int n, p;
    if (scanf("%d %d", &n, &p) != 2) return 1;
    double total = 0;
    long long hits = 0;
    for (int i = -n; i <= n; ++i) {
        total += pow(fabs(i - 3), p) + std::pow(10, i % 7);
        if (pow(i, p) > 1e6) hits++;
    }
    printf("%.17g %lld\n", total, hits);
}
)";

const char* const k_ipow_helper = R"(// pow(x, n) for whole x and n: exact products below 2^53 are what pow returns.
static inline double optiloop_ipow(double x, double n) {
    if (n >= 0 && n <= 64) {
        double r = 1;
        for (int k = 0; k < (int)n; ++k) {
            r *= x;
            if (!(r < 9007199254740992.0 && r > -9007199254740992.0)) return ::pow(x, n);
        }
        return r;
    }
    return ::pow(x, n);
}

)";

TEST(PowIntegerExponent, MultipliesWholePowersWithTheSameOutput) {
    const std::string expected = replace_each(k_pow_integer, {{"using namespace std;", std::string(k_ipow_helper) + "using namespace std;"},
                                                              {"pow(fabs(i - 3), p)", "optiloop_ipow(fabs(i - 3), p)"},
                                                              {"std::pow(10, i % 7)", "optiloop_ipow(10, i % 7)"},
                                                              {"pow(i, p) > 1e6", "optiloop_ipow(i, p) > 1e6"}});
    expect_rewrites("pow-integer-exponent", k_pow_integer, 3, expected,
                    {{"50 3\n", "11097940.877777001 0\n"}, {"7 40\n", "1.0149144437592483e+40 12\n"}, {"9 -2\n", "inf 1\n"},
                     {"3 0\n", "1118.1110000000001 0\n"}});
}

TEST(PowIntegerExponent, HelperAgreesWithPowOnThisMachine) {
    // The rule's claim: where every product is exact, pow returns it. Checked here over whole
    // bases up to 10^5 in magnitude and beyond 2^50, and every exponent up to 64.
    const auto found = findings_of(k_pow_integer, "pow-integer-exponent");
    ASSERT_FALSE(found.empty());
    const std::string program = found[0].fix[0].text + R"(#include <cstdio>
int main() {
    long checked = 0, differ = 0;
    auto sweep = [&](double x) {
        for (int n = 0; n <= 64; ++n) {
            volatile double vx = x, vn = n;
            const double a = optiloop_ipow(vx, vn), b = pow(vx, vn);
            ++checked;
            if (a != b || std::signbit(a) != std::signbit(b)) ++differ;
        }
    };
    for (long x = -100000; x <= 100000; ++x) sweep((double)x);
    unsigned long long s = 1;
    for (int k = 0; k < 100000; ++k) {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        sweep((double)(long long)(s >> 11));
        sweep(-(double)(long long)(s >> 40));
    }
    printf("%ld %ld\n", checked > 0 ? 1L : 0L, differ);
}
)";
    expect_accepted("pow-integer-helper", "#include <cmath>\n" + program, {{"", "1 0\n"}});
}

TEST(PowIntegerExponent, SilentWhenTheBaseOrExponentMayNotBeWhole) {
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
int main() {
    double x;
    int i, p;
    long double y = 2;
    std::cin >> x >> i >> p;
    std::cout << std::pow(x, p) << ' ' << pow(i, 0.5) << ' ' << pow(i, 2) << ' ' << pow(i, (double)p) << ' ' << pow(y, p) << ' '
              << pow(i + 0.5, 3) << ' ' << pow(true, p) << '\n';
}
)", "pow-integer-exponent").empty());
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <iostream>
double optiloop_ipow(double, double);
int main() {
    int i, p;
    std::cin >> i >> p;
    std::cout << std::pow(i, p) << '\n';
}
)", "pow-integer-exponent").empty());
}

// ---- set-linear-search -------------------------------------------------------------------------

const char* const k_set_search = R"(#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
using namespace std;

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    set<int> s;
    multiset<long long> m;
    set<string> words;
    long long answer = 0;
    for (int i = 0; i < n; ++i) {
        int x;
        if (scanf("%d", &x) != 1) return 1;
        auto it = lower_bound(s.begin(), s.end(), x);
        if (it != s.end()) answer += *it;
        auto hi = std::upper_bound(m.cbegin(), m.cend(), x);
        if (hi != m.cend()) answer ^= *hi;
        answer += count(m.begin(), m.end(), (long long)x) * 3 - 1;
        if (binary_search(s.begin(), s.end(), x + 1)) answer += 7;
        if (find(words.begin(), words.end(), "seven") != words.end()) answer += 1;
        s.insert(x);
        m.insert(x % 10);
        if (x == 7) words.insert("seven");
    }
    printf("%lld\n", answer);
}
)";

TEST(SetLinearSearch, SearchesTheTreeWithTheSameOutput) {
    const std::string expected =
        replace_each(k_set_search, {{"lower_bound(s.begin(), s.end(), x)", "s.lower_bound(x)"},
                                    {"std::upper_bound(m.cbegin(), m.cend(), x)", "m.upper_bound(x)"},
                                    {"count(m.begin(), m.end(), (long long)x)", "static_cast<std::ptrdiff_t>(m.count((long long)x))"},
                                    {"binary_search(s.begin(), s.end(), x + 1)", "(s.find(x + 1) != s.end())"},
                                    {"find(words.begin(), words.end(), \"seven\")", "words.find(\"seven\")"}});
    expect_rewrites("set-linear-search", k_set_search, 5, expected,
                    {{"5\n3 1 7 2 7\n", "18\n"}, {"8\n-5 4 4 9 -5 0 6 3\n", "18\n"}, {"6\n9 8 7 1 2 3\n", "35\n"}, {"0\n", "0\n"}});
}

TEST(SetLinearSearch, SilentWhenTheMemberMightAnswerDifferently) {
    // Another order, a value that the key type would narrow or round, == on floating point, a
    // range that is not the whole set, two sets, a vector, a map, an object with side effects.
    EXPECT_TRUE(findings_of(R"(#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <vector>
int main() {
    std::set<int, std::greater<int>> down = {3, 2, 1};
    std::set<int> s = {1, 2, 3}, t = {4};
    std::set<double> d = {0.5};
    std::vector<int> v = {1, 2};
    std::map<int, int> m;
    std::vector<std::set<int>> many(2);
    int i = 0;
    long long wide = 2;
    long r = 0;
    r += *std::lower_bound(down.begin(), down.end(), 2);
    r += *std::lower_bound(s.begin(), s.end(), wide);
    r += *std::lower_bound(s.begin(), s.end(), 1.5);
    r += *std::lower_bound(s.begin(), s.end(), 2u);
    r += std::count(d.begin(), d.end(), 0.5);
    r += *std::lower_bound(std::next(s.begin()), s.end(), 2);
    r += *std::lower_bound(s.begin(), t.end(), 2);
    r += *std::lower_bound(v.begin(), v.end(), 2);
    r += std::count(m.begin(), m.end(), std::pair<const int, int>(1, 1));
    r += std::count(many[i++].begin(), many[i].end(), 1);
    return static_cast<int>(r);
}
)", "set-linear-search").empty());
}

// ---- at-in-bounds ------------------------------------------------------------------------------

// A row-by-row DP in the style of ll-at-bounds-checked-dp: sizes from the declarations, indices
// from the loops, j - 1 and j + 1 behind an if or a &&. best.at(0) is left alone (w may be 0).
const char* const k_at_dp = R"(#include <algorithm>
#include <cstdio>
#include <vector>
using namespace std;
int main() {
    int h, w;
    if (scanf("%d %d", &h, &w) != 2) return 1;
    vector<vector<int>> grid(h, vector<int>(w));
    vector<long long> best(w, 0), next(w);
    for (int i = 0; i < h; i++)
        for (int j = 0; j < w; j++) scanf("%d", &grid.at(i).at(j));
    for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
            long long b = best.at(j);
            if (j > 0) b = min(b, best.at(j - 1));
            if (j + 1 < w && best.at(j + 1) < b) b = best.at(j + 1);
            next.at(j) = b + grid.at(i).at(j);
        }
        for (int j = 0; j < w; j++) best.at(j) = next.at(j);
    }
    long long total = 0;
    for (int i = 1; i < h; i++)
        for (int j = 0; j < w; j++) total += grid.at(i - 1).at(j) * grid[i].at(j);
    printf("%lld %lld\n", best.at(0), total);
}
)";

TEST(AtInBounds, DropsChecksTheLoopsProveWithTheSameOutput) {
    const std::string expected = replace_each(k_at_dp, {{"&grid.at(i).at(j)", "&grid[i][j]"},
                                                        {"long long b = best.at(j);", "long long b = best[j];"},
                                                        {"best.at(j - 1)", "best[j - 1]"},
                                                        {"best.at(j + 1) < b) b = best.at(j + 1);", "best[j + 1] < b) b = best[j + 1];"},
                                                        {"next.at(j) = b + grid.at(i).at(j);", "next[j] = b + grid[i][j];"},
                                                        {"best.at(j) = next.at(j);", "best[j] = next[j];"},
                                                        {"grid.at(i - 1).at(j) * grid[i].at(j)", "grid[i - 1][j] * grid[i][j]"}});
    expect_rewrites("at-in-bounds", k_at_dp, 14, expected,
                    {{"2 3\n1 2 3\n4 5 6\n", "5 32\n"}, {"3 1\n7\n8\n9\n", "24 128\n"}, {"1 4\n5 1 5 1\n", "5 0\n"}});
}

// A loop up to v.size() of a local vector it does not resize.
const char* const k_at_size = R"(#include <cstdio>
#include <vector>
int main() {
    std::vector<long> v;
    long x;
    while (scanf("%ld", &x) == 1) v.push_back(x);
    long total = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
        total += v.at(i) * 3;
        if (i + 1 < v.size()) total -= v.at(i + 1);
        v.at(i) = total;
    }
    for (int i = 1; i < v.size(); i++) total ^= v.at(i - 1);
    printf("%ld %zu\n", total, v.size());
}
)";

TEST(AtInBounds, ALoopUpToTheVectorsOwnSize) {
    const std::string expected = replace_each(k_at_size, {{"total += v.at(i) * 3;", "total += v[i] * 3;"},
                                                          {"total -= v.at(i + 1);", "total -= v[i + 1];"},
                                                          {"v.at(i) = total;", "v[i] = total;"},
                                                          {"total ^= v.at(i - 1);", "total ^= v[i - 1];"}});
    expect_rewrites("at-in-bounds", k_at_size, 4, expected, {{"1 2 3\n", "8 3\n"}, {"\n", "0 0\n"}, {"5\n", "15 1\n"}});
}

// Strings too, a local and a const& parameter, whose loop calls only what cannot resize it.
const char* const k_at_string = R"(#include <cctype>
#include <iostream>
#include <string>
int score(const std::string& word) {
    int s = 0;
    for (std::size_t i = 0; i < word.size(); ++i) s += std::isupper(word.at(i)) ? 2 : word.at(i) == 'a';
    return s;
}
int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        int pairs = 0;
        for (std::size_t i = 0; i < line.length(); ++i)
            if (i + 1 < line.length() && line.at(i) == line.at(i + 1)) ++pairs;
        std::cout << score(line) << ' ' << pairs << '\n';
    }
}
)";

TEST(AtInBounds, StringsToTheirOwnLength) {
    const std::string expected = replace_each(k_at_string, {{"std::isupper(word.at(i)) ? 2 : word.at(i) == 'a'", "std::isupper(word[i]) ? 2 : word[i] == 'a'"},
                                                            {"line.at(i) == line.at(i + 1)", "line[i] == line[i + 1]"}});
    expect_rewrites("at-in-bounds", k_at_string, 4, expected, {{"Aardvark\nbookkeeper\n\n", "4 0\n0 3\n0 0\n"}});
}

TEST(AtInBounds, SilentWhenTheIndexOrTheSizeIsNotProved) {
    const char* const head = R"(#include <cstdio>
#include <vector>
#include <functional>
#include <string>
void fill(std::vector<int>& v) { v.push_back(1); }
std::string shared = "abc";
void touch() { shared.clear(); }
struct Noisy { Noisy() { shared += 'x'; } };
int run(std::vector<int>& param, int n, int k, const std::string& text, std::vector<int>& other) {
    std::vector<int> v(n), u(n);
    std::vector<std::vector<int>> g(n, std::vector<int>(k));
    std::size_t wide = n;
    int s = 0;
)";
    for (const char* body : {
             "    for (std::size_t i = 0; i < text.size(); i++) { s += text.at(i); touch(); }\n",
             "    for (std::size_t i = 0; i < text.size(); i++) { s += text.at(i); Noisy noisy; }\n",
             "    for (std::size_t i = 0; i < param.size(); i++) { s += param.at(i); other.push_back(1); }\n",
             "    v.push_back(1);\n    for (int i = 0; i < n; i++) s += v.at(i);\n",
             "    for (int i = 0; i < n; i++) s += v.at(i);\n    n++;\n",
             "    for (int i = 0; i <= n; i++) s += v.at(i);\n",
             "    for (int i = 0; i < n; i++) { s += v.at(i); i += s & 1; }\n",
             "    for (int i = 0; i < n; i++) s += v.at(i + 1);\n",
             "    for (int i = 0; i < n; i++) s += v.at(i - 1);\n",
             "    for (int i = 0; i < n; i++) { if (i + 1 < n) {} else s += v.at(i + 1); }\n",
             "    for (int i = 0; i < n; i++) { if (i + 1 < k) s += v.at(i + 1); }\n",
             "    fill(u);\n    for (int i = 0; i < n; i++) s += u.at(i);\n",
             "    for (int i = 0; i < n; i++) s += param.at(i);\n",
             "    for (std::size_t i = 0; i < wide; i++) s += v.at(i);\n",
             "    for (int i = 0; i < n; i++) s += v.at(i);\n    v = std::vector<int>(3);\n",
             "    g[0].push_back(1);\n    for (int i = 0; i < n; i++)\n        for (int j = 0; j < k; j++) s += g[i].at(j);\n",
             "    for (int i = 0; i < n; i++) [&] { s += v.at(i); }();\n",
             "    for (std::size_t i = 0; i < u.size(); i++) { s += u.at(i); if (s > 9) u.push_back(s); }\n",
             "    auto keep = std::ref(u);\n    for (std::size_t i = 0; i < u.size(); i++) { s += u.at(i); keep.get().clear(); }\n",
             "    fill(u);\n    for (std::size_t i = 0; i < u.size(); i++) s += u.at(i);\n",
             "    std::vector<int>* keep = &u;\n    for (std::size_t i = 0; i < u.size(); i++) { s += u.at(i); keep->clear(); }\n",
             "    for (std::size_t i = 0; i < u.size(); i++) s += v.at(i);\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return s + (int)wide;\n}\n", "at-in-bounds").empty());
    }
}

// ---- to-string-digits --------------------------------------------------------------------------

const char* const k_digits = R"(#include <cstdio>
#include <string>
using namespace std;

int main() {
    long long lo, hi;
    if (scanf("%lld %lld", &lo, &hi) != 2) return 1;
    long long total = 0, sevens = 0;
    for (long long x = lo; x <= hi; x++) {
        string t = to_string(x);
        for (char c : t) total += c - '0';
        if (t.size() > 1 && t[t.size() - 2] == '7') sevens++;
        sevens += t.back() == '7';
    }
    printf("%lld %lld\n", total, sevens);
}
)";

TEST(ToStringDigits, ReadsTheCharsFromAStackBufferWithTheSameOutput) {
    const std::string expected = replace_each(
        k_digits, {{"#include <cstdio>\n", "#include <charconv>\n#include <string_view>\n#include <cstdio>\n"},
                   {"        string t = to_string(x);",
                    "        char t_chars[24];\n        const std::string_view t(t_chars, std::to_chars(t_chars, t_chars + sizeof t_chars, "
                    "static_cast<long long>(x)).ptr - t_chars);"}});
    // Negative numbers ('-' counts as '-' - '0'), the extremes of long long, 19-digit numbers.
    expect_rewrites("to-string-digits", k_digits, 1, expected,
                    {{"-12 12\n", "66 2\n"}, {"9223372036854775800 9223372036854775806\n", "588 0\n"},
                     {"-9223372036854775807 -9223372036854775800\n", "652 1\n"}, {"999999999999999990 1000000000000000005\n", "1596 1\n"}});
}

TEST(ToStringDigits, SilentWhenTheStringIsUsedAsAString) {
    const char* const head = R"(#include <algorithm>
#include <cstdio>
#include <string>
void show(const std::string& s) { std::puts(s.c_str()); }
int main() {
    int n = 123;
    double d = 1.5;
    long s = 0;
)";
    for (const char* body : {
             "    std::string t = std::to_string(n);\n    t += '!';\n    s += t.size();\n",
             "    std::string t = std::to_string(n);\n    t[0] = '9';\n    s += t[0];\n",
             "    std::string t = std::to_string(n);\n    std::reverse(t.begin(), t.end());\n    s += t[0];\n",
             "    std::string t = std::to_string(n);\n    show(t);\n",
             "    std::string t = std::to_string(n);\n    std::puts(t.c_str());\n",
             "    std::string t = std::to_string(d);\n    for (char c : t) s += c;\n",
             "    std::string t = std::to_string(n);\n    for (char& c : t) c = '0';\n    s += t.size();\n",
             "    std::string t = std::to_string(n), u = \"x\";\n    for (char c : t) s += c;\n",
             "    std::string t = std::to_string(n);\n    std::string u = t;\n    s += u.size();\n",
             "    std::string t = std::to_string(n);\n    t.back() = 'x';\n    s += t.size();\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return (int)s;\n}\n", "to-string-digits").empty());
    }
}

// ---- find-char-table ---------------------------------------------------------------------------

// Two loops read a key that repeats chars (the first position wins) and lacks others (npos),
// through a char variable and through an element; the outer while loop leaves the key alone too,
// so the first table is built once, before it.
const char* const k_find_table = R"(#include <iostream>
#include <string>
int main() {
    std::string key, line, last;
    std::getline(std::cin, key);
    long total = 0;
    while (std::getline(std::cin, line)) {
        last = line;
        for (char& c : line) {
            std::size_t pos = key.find(c);
            if (pos != std::string::npos) c = char('a' + pos);
        }
        std::cout << line << '\n';
    }
    for (std::size_t i = 0; i < last.size(); ++i) total += key.find(last[i]) == std::string::npos ? -1 : (long)key.find(last[i]);
    std::cout << total << '\n';
}
)";

TEST(FindCharTable, LooksUpFirstPositionsWithTheSameOutput) {
    auto table = [](const std::string& n) {
        return "std::size_t " + n + "[256];\n    for (std::size_t& optiloop_at : " + n + ") optiloop_at = std::string::npos;\n" +
               "    for (std::size_t optiloop_at = key.size(); optiloop_at-- > 0;) " + n + "[(unsigned char)key[optiloop_at]] = optiloop_at;\n    ";
    };
    const std::string table7 = table("key_first_7"), table15 = table("key_first_15");
    const std::string expected =
        replace_each(k_find_table, {{"    while (std::getline", "    " + table7 + "while (std::getline"},
                                    {"key.find(c)", "key_first_7[(unsigned char)(c)]"},
                                    {"    for (std::size_t i = 0;", "    " + table15 + "for (std::size_t i = 0;"},
                                    {"key.find(last[i])", "key_first_15[(unsigned char)(last[i])]"},
                                    {"key.find(last[i])", "key_first_15[(unsigned char)(last[i])]"}});
    expect_rewrites("find-char-table", k_find_table, 3, expected,
                    {{"zyxzab\nzebra yak\nxyz?\n", "aefre bek\ncba?\n2\n"}, {"\n\nabc\n", "\nabc\n-3\n"}});
}

TEST(FindCharTable, SilentWhenTheKeyMayChangeOrTheCallIsAnother) {
    const char* const head = R"(#include <string>
long run(std::string line, const std::string& shared, std::wstring wide) {
    std::string key = "abc";
    long s = 0;
)";
    for (const char* body : {
             "    for (char c : line) { s += key.find(c); key += c; }\n",
             "    for (char c : line) s += shared.find(c);\n",
             "    std::string& other = key;\n    for (char c : line) { s += key.find(c); other.clear(); }\n",
             "    for (char c : line) s += key.find(c, 1);\n",
             "    for (char c : line) s += key.find(\"ab\") + c;\n",
             "    for (wchar_t c : wide) s += wide.find(c);\n",
             "    for (char c : line) { std::string inner = \"xy\"; s += inner.find(c); }\n",
             "    for (char c : line) s += [&] { return key.find(c); }();\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return s;\n}\n", "find-char-table").empty());
    }
}

// ---- list-to-vector ----------------------------------------------------------------------------

// Appended to in one branch, walked by an iterator in the other (which dies before the next
// append), summed by a range-for, its middle reached with std::next.
const char* const k_list = R"(#include <cstdio>
#include <iterator>
#include <list>
using namespace std;
int main() {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    list<long> values;
    for (int i = 0; i < n; i++) {
        long x;
        if (scanf("%ld", &x) != 1) return 1;
        if (x < 0) {
            auto it = values.begin();
            long below = 0;
            while (it != values.end()) {
                if (*it < -x) below++;
                ++it;
            }
            printf("%ld\n", below);
        } else {
            values.push_back(x);
        }
    }
    long total = 0;
    for (long v : values) total += v;
    if (!values.empty()) {
        auto mid = next(values.begin(), (long)values.size() / 2);
        printf("%ld %ld %ld %ld\n", total, values.front(), values.back(), *mid);
    }
}
)";

TEST(ListToVector, StoresTheElementsSideBySideWithTheSameOutput) {
    const std::string expected = replace_each(k_list, {{"#include <cstdio>", "#include <vector>\n#include <cstdio>"}, {"list<long> values;", "vector<long> values;"}});
    expect_rewrites("list-to-vector", k_list, 1, expected, {{"6\n5 1 -3 9 2 -6\n", "1\n3\n17 5 2 9\n"}, {"2\n-1 -2\n", "0\n0\n"}});
}

TEST(ListToVector, SilentWhileAnIteratorOrReferenceMayOutliveAGrowth) {
    const char* const head = R"(#include <iterator>
#include <list>
void take(std::list<int>& x) { x.push_back(0); }
int run(int n) {
    std::list<int> l(3, 1);
    std::list<bool> flags;
    int s = 0;
)";
    for (const char* body : {
             "    auto it = l.begin();\n    l.push_back(1);\n    s += *it;\n",
             "    for (int v : l) if (v > 0) l.push_back(-v);\n",
             "    int& f = l.front();\n    l.push_back(2);\n    s += f;\n",
             "    int* p = &l.back();\n    l.push_back(2);\n    s += *p;\n",
             "    l.push_back(1);\n    l.push_front(2);\n    s += l.front();\n",
             "    l.push_back(1);\n    take(l);\n",
             "    auto add = [&] { l.push_back(1); };\n    auto it = l.begin();\n    add();\n    s += *it;\n",
             "    auto it = l.begin();\n    auto jt = it;\n    l.push_back(3);\n    s += *jt;\n",
             "    std::list<int>::iterator it = l.begin();\n    s += *it;\n    l.push_back(4);\n",
             "    for (auto it = l.begin(); it != l.end(); ++it) if (*it > 0) l.push_back(0);\n",
             "    flags.push_back(true);\n    for (bool f : flags) s += f;\n",
             "    l.push_back(5);\n    l.erase(l.begin());\n",
             "    l.push_back(l.front());\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "    return s + n;\n}\n", "list-to-vector").empty());
    }
}

// ---- substr-compare ----------------------------------------------------------------------------

const char* const k_substr = R"(#include <iostream>
#include <string>
int main() {
    std::string s;
    int matches = 0;
    while (std::cin >> s) {
        if (s.substr(0, 3) == "pre") ++matches;
    }
    std::cout << matches << '\n';
}
)";

TEST(SubstrCompare, ComparesInPlaceWithTheSameOutput) {
    // "pr" is shorter than the prefix: both forms must say unequal.
    expect_rewrite("substr-compare", k_substr, "s.substr(0, 3)", {{"prefix pr pre apre\n", "2\n"}, {"x\n", "0\n"}},
                   replace_first(k_substr, "s.substr(0, 3) == \"pre\"", "(s.compare(0, 3, \"pre\") == 0)"));
}

TEST(SubstrCompare, SilentWhenComparedWithAChar) {
    // string::compare takes no char: the rewrite would not compile.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <string>
bool operator==(const std::string& s, char c) { return s.size() == 1 && s[0] == c; }
int main() {
    std::string s;
    std::cin >> s;
    std::cout << (s.substr(0, 1) == 'p') << '\n';
}
)", "substr-compare").empty());
}

// ---- unnecessary-copy --------------------------------------------------------------------------

const char* const k_copy = R"(#include <iostream>
#include <vector>
std::vector<long> read_all() {
    std::vector<long> values;
    long x;
    while (std::cin >> x) values.push_back(x);
    return values;
}
int main() {
    std::vector<long> values = read_all();
    std::vector<long> snapshot = values;
    long sum = 0;
    for (long v : snapshot) sum += v;
    std::cout << snapshot.size() << ' ' << sum << ' ' << values.size() << '\n';
}
)";

TEST(UnnecessaryCopy, BindsByConstRefWithTheSameOutput) {
    // Faster: the copy allocated and copied every element; the reference reads the original in place.
    expect_rewrite("unnecessary-copy", k_copy, "snapshot = values", {{"1 2 3\n", "3 6 3\n"}, {"\n", "0 0 0\n"}},
                   replace_first(k_copy, "std::vector<long> snapshot", "const std::vector<long>& snapshot"));
}

TEST(UnnecessaryCopy, AutoBecomesConstAutoRefForAConstSource) {
    const std::string program = R"(#include <iostream>
#include <string>
const std::string k_greeting = "hello";
int main() {
    auto copy = k_greeting;
    std::cout << copy.size() << '\n';
}
)";
    const auto found = findings_of(program, "unnecessary-copy");
    ASSERT_EQ(found.size(), 1u);
    core::Edit edit;
    edit.replacements = found[0].fix;
    auto applied = llm::apply_edit(source(program), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_EQ(applied->at(0).content, replace_first(program, "auto copy", "const auto& copy"));
}

TEST(UnnecessaryCopy, SilentWhenEitherSideMayChangeOrTheCopyEscapes) {
    const char* const head = R"(#include <iostream>
#include <utility>
#include <vector>
std::vector<int> g = {1};
void grow() { g.push_back(2); }
std::vector<int> f(std::vector<int> a, const std::vector<int>& r) {
)";
    // The same function copying its unchanged by-value parameter is a finding: the cases below
    // are silent for their own reason.
    EXPECT_EQ(findings_of(std::string(head) + "    std::vector<int> b = a;\n    std::cout << b.size() << '\\n';\n    return {};\n}\n",
                          "unnecessary-copy").size(), 1u);
    for (const char* body : {
             // The source changes after the copy: the copy keeps the old contents, a reference would not.
             "    std::vector<int> b = a;\n    a.push_back(3);\n    std::cout << b.size() << '\\n';\n    return {};\n",
             // The copy itself is changed.
             "    std::vector<int> b = a;\n    b.push_back(3);\n    std::cout << b.size() << '\\n';\n    return {};\n",
             // A global can change through any call; a reference through an alias.
             "    std::vector<int> b = g;\n    grow();\n    std::cout << b.size() << '\\n';\n    return {};\n",
             "    std::vector<int> b = r;\n    std::cout << b.size() << '\\n';\n    return {};\n",
             // Returned, moved, or its address taken.
             "    std::vector<int> b = a;\n    return b;\n",
             "    std::vector<int> b = a;\n    return std::move(b);\n",
             "    std::vector<int> b = a;\n    const std::vector<int>* p = &b;\n    return *p;\n",
             // Initialised from a temporary: nothing to refer to.
             "    std::vector<int> b = f({}, r);\n    std::cout << b.size() << '\\n';\n    return {};\n",
         }) {
        SCOPED_TRACE(body);
        EXPECT_TRUE(findings_of(std::string(head) + body + "}\nint main() { std::cout << f({1}, g).size() << '\\n'; }\n",
                                "unnecessary-copy").empty());
    }
    // A map's operator[] has no const overload.
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <map>
int main() {
    const std::map<int, int> source = {{1, 2}};
    std::map<int, int> copy = source;
    std::cout << copy[1] << '\n';
}
)", "unnecessary-copy").empty());
    // Its at() has one, and reads the same element.
    EXPECT_EQ(findings_of(R"(#include <iostream>
#include <map>
int main() {
    const std::map<int, int> source = {{1, 2}};
    std::map<int, int> copy = source;
    std::cout << copy.at(1) << '\n';
}
)", "unnecessary-copy").size(), 1u);
}

// ---- string-find-char --------------------------------------------------------------------------

const char* const k_find_char = R"(#include <iostream>
#include <string>
int main() {
    std::string line;
    while (std::getline(std::cin, line)) {
        int tabs = 0;
        std::size_t at = 0;
        while ((at = line.find("\t", at)) != std::string::npos) {
            ++tabs;
            ++at;
        }
        std::cout << tabs << '\n';
    }
}
)";

TEST(StringFindChar, PassesTheCharWithTheSameOutput) {
    // Faster: the char overload scans for one char (memchr); the C-string overload measures the
    // literal and runs the general substring search.
    expect_rewrite("string-find-char", k_find_char, "line.find(", {{"a\tb\tc\n\n", "2\n0\n"}, {"x\t\t\n", "2\n"}},
                   replace_first(k_find_char, "line.find(\"\\t\", at)", "line.find('\\t', at)"));
}

TEST(StringFindChar, EscapesTheChar) {
    for (const auto& [call, expected] : std::vector<std::pair<std::string, std::string>>{
             {"s.find(\"\\n\")", "'\\n'"},
             {"s.rfind(\"'\")", "'\\''"},
             {"s.find_first_of(\"\\\\\")", "'\\\\'"},
             {"s.find_last_of(\"a\", 2)", "'a'"},
         }) {
        SCOPED_TRACE(call);
        const auto found = findings_of("#include <string>\nstd::size_t f(const std::string& s) { return " + call + "; }\n",
                                       "string-find-char");
        ASSERT_EQ(found.size(), 1u);
        ASSERT_EQ(found[0].fix.size(), 1u);
        EXPECT_EQ(found[0].fix[0].text, expected);
    }
}

TEST(StringFindChar, SilentForLongerLiteralsOtherArgumentsAndTheNulChar) {
    for (const char* call : {"s.find(\"ab\")", "s.find(t)", "s.find(cs)", "s.find_first_of(\"ab\")", "s.find(\"a\", 0, 1)",
                             "s.find('a')",
                             // find("\0") looks for an empty string and matches at once; find('\0') looks for a NUL.
                             "s.find(\"\\0\")"}) {
        SCOPED_TRACE(call);
        EXPECT_TRUE(findings_of(std::string(R"(#include <string>
std::size_t f(const std::string& s, const std::string& t, const char* cs) {
    return )") + call + ";\n}\n",
                                "string-find-char").empty());
    }
}

// ---- emplace-back-temporary --------------------------------------------------------------------

const char* const k_emplace = R"(#include <iostream>
#include <vector>
struct Point {
    long x, y;
    Point(long px, long py) : x(px), y(py) {}
};
int main() {
    std::vector<Point> points;
    long x, y;
    while (std::cin >> x >> y) points.push_back(Point(x, y));
    long area = 0;
    for (const Point& p : points) area += p.x * p.y;
    std::cout << points.size() << ' ' << area << '\n';
}
)";

TEST(EmplaceBackTemporary, ConstructsInPlaceWithTheSameOutput) {
    // Faster: push_back constructed a temporary Point and then moved it into the vector;
    // emplace_back constructs it once, directly in the vector's storage.
    expect_rewrite("emplace-back-temporary", k_emplace, "points.push_back", {{"1 2\n3 4\n", "2 14\n"}, {"\n", "0 0\n"}},
                   replace_first(k_emplace, "points.push_back(Point(x, y))", "points.emplace_back(x, y)"));
}

TEST(EmplaceBackTemporary, EmptyBracesBecomeNoArguments) {
    const std::string program = R"(#include <deque>
#include <string>
void f(std::deque<std::string>& lines) { lines.push_back(std::string{}); }
)";
    const auto found = findings_of(program, "emplace-back-temporary");
    ASSERT_EQ(found.size(), 1u);
    core::Edit edit;
    edit.replacements = found[0].fix;
    auto applied = llm::apply_edit(source(program), edit);
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_EQ(applied->at(0).content, replace_first(program, "lines.push_back(std::string{})", "lines.emplace_back()"));
}

TEST(EmplaceBackTemporary, SilentWhenTheArgumentIsNotATemporaryOfTheValueType) {
    const char* const head = R"(#include <string>
#include <vector>
struct Base {
    int v;
    explicit Base(int x) : v(x) {}
};
struct Derived : Base {
    explicit Derived(int x) : Base(x) {}
};
void f(std::vector<Base>& bases, std::vector<std::vector<int>>& rows, std::vector<std::string>& names, std::vector<long>& longs) {
    Base b(1);
)";
    for (const char* call : {
             "bases.push_back(b);",                            // a variable
             "bases.push_back(Derived(2));",                   // a derived type, sliced
             "names.push_back(\"x\");",                        // an implicit conversion
             "longs.push_back(long(3));",                      // a scalar: nothing to gain
             "rows.push_back(std::vector<int>{3, 1});",        // braces: {3, 1} is two elements, (3, 1) three
             "bases.push_back(Base{2});",
             "bases.push_back(Base(bases[0].v));",             // reads the container being grown
         }) {
        SCOPED_TRACE(call);
        EXPECT_TRUE(findings_of(std::string(head) + "    " + call + "\n}\n", "emplace-back-temporary").empty());
    }
}

// ---- post-increment-iterator -------------------------------------------------------------------

const char* const k_post_increment = R"(#include <iostream>
#include <map>
int main() {
    std::map<int, int> counts;
    int x;
    while (std::cin >> x) ++counts[x];
    for (auto it = counts.begin(); it != counts.end(); it++) {
        std::cout << it->first << ' ' << it->second << '\n';
    }
}
)";

TEST(PostIncrementIterator, PreIncrementsWithTheSameOutput) {
    // Faster: it++ copies the iterator to return its old value, which nobody reads; ++it
    // advances it without the copy.
    expect_rewrite("post-increment-iterator", k_post_increment, "it++", {{"3 1 3\n", "1 1\n3 2\n"}, {"5\n", "5 1\n"}},
                   replace_first(k_post_increment, "it++", "++it"));
}

TEST(PostIncrementIterator, SilentWhenTheResultIsUsedOrTheTypeIsNotAStandardClass) {
    EXPECT_TRUE(findings_of(R"(#include <iostream>
#include <list>
struct Odd {
    int n = 0;
    Odd operator++(int) { Odd old = *this; n += 2; return old; }  // not what ++ does
    Odd& operator++() { ++n; return *this; }
};
int main() {
    std::list<int> values = {1, 2, 3, 4};
    for (auto it = values.begin(); it != values.end();) {
        if (*it % 2 == 0) values.erase(it++);
        else std::cout << *(it++) << '\n';
    }
    int i = 0;
    i++;
    int* p = &i;
    p++;
    Odd odd;
    odd++;
    std::cout << i << ' ' << odd.n << ' ' << (p != nullptr) << '\n';
}
)", "post-increment-iterator").empty());
}

// ---- modulo-in-loop ----------------------------------------------------------------------------

// A signal weighted by a pattern of period K: the weight's index becomes a counter of its own.
// K may be negative (i % K is then i % -K) or larger than n.
const char* const k_modulo_periodic = R"(#include <cstdio>
#include <vector>
int main() {
    int n, K;
    if (std::scanf("%d %d", &n, &K) != 2) return 0;
    std::vector<int> a(n), w(K > 0 ? K : -K);
    for (int& x : a) std::scanf("%d", &x);
    for (int& x : w) std::scanf("%d", &x);
    long long dot = 0;
    for (int i = 0; i < n; i++) dot += a[i] * w[i % K];
    std::printf("%lld\n", dot);
}
)";

TEST(ModuloInLoop, APeriodicIndexBecomesACounter) {
    expect_rewrite("modulo-in-loop", k_modulo_periodic, "for (int i = 0; i < n; i++) dot",
                   {{"5 2\n1 2 3 4 5\n10 20\n", "210\n"},
                    {"3 5\n1 2 3\n1 1 1 1 1\n", "6\n"},
                    {"4 -3\n1 2 3 4\n1 2 3\n", "18\n"},
                    {"4 1\n1 2 3 4\n7\n", "70\n"},
                    {"4 4\n1 2 3 4\n1 1 1 1\n", "10\n"},
                    {"0 0\n", "0\n"}},
                   replace_first(k_modulo_periodic, "    for (int i = 0; i < n; i++) dot += a[i] * w[i % K];\n",
                                 R"(    if (K > 0) {
        for (int i_base = 0, i_len = 0; i_base < n; i_base += i_len) {
            i_len = n - i_base < K ? n - i_base : K;
            for (int i_mod = 0; i_mod < i_len; ++i_mod) { const int i = i_base + i_mod; dot += a[i] * w[i_mod]; }
        }
    } else {
        for (int i = 0; i < n; i++) dot += a[i] * w[i % K];
    }
)"));
}

// The column and the row of a flat index (i % w, i / w) become two counters; i itself is still
// read, and a continue goes on to the next element as before.
const char* const k_modulo_grid = R"(#include <cstdio>
int main() {
    long w, total;
    if (std::scanf("%ld %ld", &w, &total) != 2) return 0;
    long long sum = 0;
    for (long i = 0; i < total; ++i) {
        long x = i % w, y = i / w;
        if (x == y) continue;
        sum += (x + 1) * (y + 2) + (i & 3);
    }
    std::printf("%lld\n", sum);
}
)";

TEST(ModuloInLoop, TheRowAndColumnOfAFlatIndexBecomeCounters) {
    expect_rewrite("modulo-in-loop", k_modulo_grid, "for (long i = 0; i < total; ++i) {",
                   {{"3 10\n", "52\n"}, {"4 4\n", "24\n"}, {"-3 10\n", "28\n"}, {"5 0\n", "0\n"}, {"1 7\n", "42\n"}, {"20 7\n", "63\n"}},
                   replace_first(k_modulo_grid, R"(    for (long i = 0; i < total; ++i) {
        long x = i % w, y = i / w;
        if (x == y) continue;
        sum += (x + 1) * (y + 2) + (i & 3);
    }
)",
                                 R"(    if (w > 0) {
        for (long i_base = 0, i_len = 0, i_div = 0; i_base < total; i_base += i_len, ++i_div) {
            i_len = total - i_base < w ? total - i_base : w;
            for (long i_mod = 0; i_mod < i_len; ++i_mod) {
                const long i = i_base + i_mod;
                long x = i_mod, y = i_div;
                if (x == y) continue;
                sum += (x + 1) * (y + 2) + (i & 3);
            }
        }
    } else {
        for (long i = 0; i < total; ++i) {
            long x = i % w, y = i / w;
            if (x == y) continue;
            sum += (x + 1) * (y + 2) + (i & 3);
        }
    }
)"));
}

// An unsigned counter over a vector's size, with a divisor that is a size too and the counter
// read nowhere else: no copy of it is declared.
const char* const k_modulo_sizes = R"(#include <cstdio>
#include <vector>
int main() {
    std::vector<unsigned> ring, out;
    unsigned n, m, x;
    if (std::scanf("%u %u", &n, &m) != 2) return 0;
    for (unsigned j = 0; j < m; ++j) ring.push_back(j * 7 + 1);
    out.assign(n, 0);
    unsigned long long check = 0;
    for (std::size_t i = 0; i < out.size(); i++) check = check * 31 + ring[i % ring.size()];
    std::printf("%llu\n", check);
}
)";

TEST(ModuloInLoop, ASizeDividesASizedLoop) {
    expect_rewrite("modulo-in-loop", k_modulo_sizes, "for (std::size_t i = 0;", {{"10 3\n", "33676570099513\n"}, {"2 5\n", "39\n"}, {"0 0\n", "0\n"}},
                   replace_first(k_modulo_sizes, "    for (std::size_t i = 0; i < out.size(); i++) check = check * 31 + ring[i % ring.size()];\n",
                                 R"(    if (ring.size() > 0) {
        for (std::size_t i_base = 0, i_len = 0; i_base < out.size(); i_base += i_len) {
            i_len = out.size() - i_base < ring.size() ? out.size() - i_base : ring.size();
            for (std::size_t i_mod = 0; i_mod < i_len; ++i_mod) check = check * 31 + ring[i_mod];
        }
    } else {
        for (std::size_t i = 0; i < out.size(); i++) check = check * 31 + ring[i % ring.size()];
    }
)"));
}

// The lone branch of an if gets a block (no else may dangle), and a signed divisor of an
// unsigned counter is compared with 0 as it is and converted as i % k converts it.
const char* const k_modulo_branch = R"(#include <cstdio>
int main() {
    int n, k;
    if (std::scanf("%d %d", &n, &k) != 2) return 0;
    unsigned long long h = 0;
    if (n > 0)
        for (unsigned i = 0; i < (unsigned)n; i++) h = h * 131 + (i % k) + 1;
    else
        h = 7;
    std::printf("%llu\n", h);
}
)";

TEST(ModuloInLoop, TheBranchOfAnIfGetsABlock) {
    expect_rewrite("modulo-in-loop", k_modulo_branch, "for (unsigned i = 0;",
                   {{"5 3\n", "299047719\n"}, {"5 -2\n", "299048115\n"}, {"0 4\n", "7\n"}, {"6 1\n", "38876254956\n"}},
                   replace_first(k_modulo_branch, R"(    if (n > 0)
        for (unsigned i = 0; i < (unsigned)n; i++) h = h * 131 + (i % k) + 1;
)",
                                 R"(    if (n > 0) {
        if (k > 0) {
            for (unsigned i_base = 0, i_len = 0; i_base < (unsigned)n; i_base += i_len) {
                i_len = (unsigned)n - i_base < static_cast<unsigned>(k) ? (unsigned)n - i_base : static_cast<unsigned>(k);
                for (unsigned i_mod = 0; i_mod < i_len; ++i_mod) h = h * 131 + i_mod + 1;
            }
        } else {
            for (unsigned i = 0; i < (unsigned)n; i++) h = h * 131 + (i % k) + 1;
        }
    }
)"));
}

TEST(ModuloInLoop, SilentWhereBlocksWouldChangeWhatTheLoopDoes) {
    // A constant divisor (the compiler multiplies already), a divisor or bound the loop changes
    // (by name, through a pointer kept before the loop, through a reference, in a lambda called
    // in it), a counter the loop changes or whose address it takes, a break, a global divisor,
    // a division done in a wider type, a bound compared in a wider type, a lambda or a static
    // local in the body, a start other than 0, a step other than 1, and a body from a macro.
    const char* const program = R"(#include <cstdio>
#include <vector>
int g_period = 3;
int main() {
    int n, k, k2, k3, k4;
    long kl;
    if (std::scanf("%d %d %d %d %d %ld", &n, &k, &k2, &k3, &k4, &kl) != 6) return 0;
    std::vector<int> v(n, 1);
    int* pk = &k2;
    int& rk = k3;
    auto bump = [&] { ++k4; };
    long long s = 0;
    for (int i = 0; i < n; i++) s += v[i % 8];
    for (int i = 0; i < n; i++) {
        s += i % k;
        if (s > 100) k = 1;
    }
    for (int i = 0; i < n; i++) {
        s += i % k2;
        *pk = 1;
    }
    for (int i = 0; i < n; i++) {
        s += i % k3;
        rk = 2;
    }
    for (int i = 0; i < n; i++) {
        s += i % k4;
        bump();
    }
    for (int i = 0; i < (int)v.size(); i++) {
        s += i % k;
        if (s % 7 == 0) v.push_back(1);
    }
    for (int i = 0; i < n; i++) {
        s += i % k;
        i += s & 1;
    }
    for (int i = 0; i < n; i++) {
        const int* p = &i;
        s += *p % k;
    }
    for (int i = 0; i < n; i++) {
        s += i % k;
        if (s > 1000) break;
    }
    for (int i = 0; i < n; i++) s += i % g_period;
    for (int i = 0; i < n; i++) s += i % kl;
    for (int i = 0; i < kl; i++) s += i % k;
    for (int i = 0; i < n; i++) s += [&] { return i % k; }();
    for (int i = 0; i < n; i++) {
        static int calls = 0;
        s += i % k + ++calls;
    }
    for (int i = 1; i < n; i++) s += i % k;
    for (int i = 0; i < n; i += 2) s += i % k;
#define ADD_PERIODIC s += v[i % k]
    for (int i = 0; i < n; i++) ADD_PERIODIC;
    std::printf("%lld %d %d %d %d\n", s, k, k2, k3, k4);
}
)";
    const auto found = findings_of(program, "modulo-in-loop");
    for (const auto& f : found) ADD_FAILURE() << "line " << f.line << ": " << f.message;
}

TEST(ModuloInLoop, SilentOnAnOpenMPLoop) {
    // The directive must stay on a for loop; its iterations are shared among threads as they are.
    const char* const program = R"(long long weighted(const int* a, const int* w, int n, int k) {
    long long s = 0;
#pragma omp parallel for reduction(+ : s)
    for (int i = 0; i < n; i++) s += a[i] * w[i % k];
    return s;
}
)";
    analyzer::AnalyzeOptions options = only("modulo-in-loop");
    options.flags = {"-std=c++17", "-fopenmp"};
    auto with_openmp = analyzer::analyze(source(program), options);
    ASSERT_TRUE(with_openmp) << with_openmp.error().message;
    EXPECT_TRUE(with_openmp->findings.empty());
    EXPECT_EQ(findings_of(program, "modulo-in-loop").size(), 1u);
}

TEST(ModuloInLoop, NamesAlreadyInUseAreNotTaken) {
    // i_mod exists in the file: the rewrite would shadow or clash with it.
    EXPECT_TRUE(findings_of(R"(#include <cstdio>
int i_mod = 2;
int main() {
    int n, k;
    if (std::scanf("%d %d", &n, &k) != 2) return 0;
    long s = 0;
    for (int i = 0; i < n; i++) s += i % k + i_mod;
    std::printf("%ld\n", s);
}
)", "modulo-in-loop").empty());
}

// A hoisted call must not read a value the loop changes through another name.
TEST(InvariantCallInLoop, SilentWhenTheArgumentChangesThroughAnotherName) {
    EXPECT_TRUE(findings_of(R"(#include <cmath>
#include <cstdio>
int main() {
    double r, t = 0;
    if (std::scanf("%lf", &r) != 1) return 0;
    double* pr = &r;
    for (int i = 0; i < 10; i++) {
        t += std::exp(r);
        *pr += 1;
    }
    std::printf("%f\n", t);
}
)", "invariant-call-in-loop").empty());
}

// ---- branch-to-select --------------------------------------------------------------------------

// A saturating clamp that counts the saturated samples (the counter bumped before or after the
// assignment, as ++c or c++).
const char* const k_select_clamp = R"(#include <cstdio>
int main() {
    int n, gain;
    if (std::scanf("%d %d", &n, &gain) != 2) return 0;
    long long clipped = 0, sum = 0;
    for (int i = 0; i < n; i++) {
        int x;
        std::scanf("%d", &x);
        int v = x * gain / 4;
        if (v > 127) {
            v = 127;
            clipped++;
        } else if (v < -128) {
            ++clipped;
            v = -128;
        }
        sum += v;
    }
    std::printf("%lld %lld\n", clipped, sum);
}
)";

TEST(BranchToSelect, ASaturatingClampThatCountsBecomesASelectAndASum) {
    expect_rewrite("branch-to-select", k_select_clamp, "if (v > 127) {",
                   {{"5 8\n1 20 100 -70 -100\n", "3 -87\n"}, {"0 0\n", "0 0\n"}, {"3 1\n127 128 -129\n", "0 31\n"}},
                   replace_first(k_select_clamp, R"(        if (v > 127) {
            v = 127;
            clipped++;
        } else if (v < -128) {
            ++clipped;
            v = -128;
        }
)",
                                 R"(        clipped += (v > 127) | (v < -128);
        v = v > 127 ? 127 : v < -128 ? -128 : v;
)"));
}

// A three-way choice with a final else; the division in the last value is still evaluated only
// when its branch is chosen (hi == lo below never divides).
const char* const k_select_band = R"(#include <cstdio>
int main() {
    double lo, hi, t, total = 0;
    if (std::scanf("%lf %lf", &lo, &hi) != 2) return 0;
    while (std::scanf("%lf", &t) == 1) {
        double y;
        if (t < lo) y = 0;
        else if (t > hi) y = 1;
        else y = (t - lo) / (hi - lo);
        total += y;
    }
    std::printf("%.17g\n", total);
}
)";

TEST(BranchToSelect, AChainWithAFinalElseBecomesOneConditionalExpression) {
    expect_rewrite("branch-to-select", k_select_band, "if (t < lo) y = 0;", {{"0 2\n0.5 -1 3 1.25 2\n", "2.875\n"}, {"1 1\n", "0\n"}},
                   replace_first(k_select_band, R"(        if (t < lo) y = 0;
        else if (t > hi) y = 1;
        else y = (t - lo) / (hi - lo);
)",
                                 "        y = t < lo ? 0 : t > hi ? 1 : (t - lo) / (hi - lo);\n"));
}

TEST(BranchToSelect, SilentWhereEvaluatingEveryTestOrValueCouldDifferOrFault) {
    // A test reading an element (evaluated up front it could read out of bounds) or dividing, a
    // count in one branch only, a count the tests read, two variables assigned, a value with a
    // side effect, a value of another type than the variable (unsigned into long), a volatile, a
    // global, a reference, a lone if with no count (the compiler selects already), an if outside
    // any loop, a branch doing more than choosing, and a test from a macro.
    const char* const program = R"(#include <cstdio>
#include <vector>
int g_level;
int next_value() { static int s = 0; return ++s; }
int main() {
    int n;
    if (std::scanf("%d", &n) != 1) return 0;
    std::vector<int> a(n, 1);
    long long c = 0, s = 0;
    int v = 0, w = 0, k = n - 1, d = 2;
    long wide = 0;
    unsigned u = 7;
    volatile int vol = 0;
    int& ref = v;
    if (v > 1) v = 1;
    else if (v < 0) v = 0;
    for (int i = 0; i < n; i++) {
        if (k < 0) v = 0;
        else if (a[k] > 3) v = 1;
        if (d == 0) v = 0;
        else if (n / d > 3) v = 1;
        if (v > 9) {
            v = 9;
            c++;
        } else if (v < 0) v = 0;
        if (c > 3) {
            v = 3;
            c++;
        } else if (v < 0) {
            v = 0;
            c++;
        }
        if (v > 5) v = 5;
        else if (v < 1) w = 1;
        if (v > 5) v = next_value();
        else if (v < 1) v = 1;
        if (i > 5) wide = u;
        else if (i < 2) wide = -1;
        if (vol > 5) vol = 5;
        else if (vol < 0) vol = 0;
        if (g_level > 5) g_level = 5;
        else if (g_level < 0) g_level = 0;
        if (ref > 5) ref = 5;
        else if (ref < 0) ref = 0;
        if (v > 5) v = 5;
        if (v > 4) {
            v = 4;
            std::printf("high\n");
        } else if (v < 0) v = 0;
#define TOO_HIGH(x) x > 8
        if (TOO_HIGH(v)) v = 8;
        else if (v < 0) v = 0;
        s += v + w + wide;
    }
    std::printf("%lld %lld\n", c, s);
}
)";
    const auto found = findings_of(program, "branch-to-select");
    for (const auto& f : found) ADD_FAILURE() << "line " << f.line << ": " << f.message;
}

// ---- across rules ------------------------------------------------------------------------------

TEST(Rules, CatalogueListsThirtyRulesWithRationale) {
    const auto& rules = analyzer::rule_catalogue();
    EXPECT_EQ(rules.size(), 30u);
    for (const auto& rule : rules) {
        EXPECT_NE(std::string(rule.rationale), "") << rule.id;
        EXPECT_NE(std::string(rule.category), "") << rule.id;
    }
}

TEST(Rules, FixedFilesNeverReceiveAReplacement) {
    const std::vector<core::SourceFile> sources = {
        {"main.cpp", R"(#include <iostream>
#include <vector>
#include "harness.hpp"
long total(std::vector<long> values) {
    long sum = 0;
    for (long v : values) sum += v;
    return sum;
}
int main() {
    for (long i = 0; i < 2; ++i) std::cout << total({i, i}) << std::endl;
    report(3);
}
)"},
        {"harness.hpp", R"(#pragma once
#include <iostream>
#include <vector>
long total(std::vector<long> values);
inline void report(int n) {
    for (int i = 0; i < n; ++i) std::cout << i << std::endl;
}
)"},
    };
    auto touches_harness = [](const analyzer::Analysis& analysis) {
        for (const auto& f : analysis.findings) {
            if (f.file == "harness.hpp") return true;
            for (const auto& r : f.fix)
                if (r.path == "harness.hpp") return true;
        }
        return false;
    };
    // Free to edit everything, the rules do reach into the header ...
    auto open = analyzer::analyze(sources, {});
    ASSERT_TRUE(open) << open.error().message;
    EXPECT_TRUE(touches_harness(*open));
    // ... and with it fixed, nothing goes there, not even half of a signature change.
    analyzer::AnalyzeOptions options;
    options.fixed_files = {"harness.hpp"};
    auto fixed = analyzer::analyze(sources, options);
    ASSERT_TRUE(fixed) << fixed.error().message;
    EXPECT_FALSE(touches_harness(*fixed));
    bool endl_in_main = false;
    for (const auto& f : fixed->findings) {
        EXPECT_NE(f.rule, "by-value-param") << "total() is declared in the fixed harness";
        endl_in_main = endl_in_main || (f.rule == "endl-in-loop" && f.file == "main.cpp" && f.line == 10);
    }
    EXPECT_TRUE(endl_in_main);
}

TEST(Rules, TemplatesAreAnalysedWithoutKnowingTheirTypes) {
    // Templates are matched as written, where types are not known yet: every rule must leave
    // a dependent expression alone rather than ask its size (which crashed popcount-loop).
    auto analysis = analyzer::analyze(source(R"(#include <cstdio>
#include <map>
#include <vector>
template <class T>
int bits(T x) {
    int c = 0;
    while (x) {
        c += x & 1;
        x >>= 1;
    }
    for (int b = 0; b < 16; b++)
        if (x & (1 << b)) c++;
    for (int b = 0; b < 16; b++) c += (x >> b) & 1;
    return c;
}
template <class T, int N>
void product(T (&a)[N][N], T (&b)[N][N], T (&c)[N][N]) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            T s = 0;
            for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) c[i][j] += a[i][j];
}
template <class T>
T front_sum(std::vector<T> q, std::map<T, int> m) {
    T s{};
    while (!q.empty()) {
        if (m.count(q.front())) s += m[q.front()];
        s += q.front();
        q.erase(q.begin());
    }
    return s;
}
int main() {
    int a[3][3] = {}, b[3][3] = {}, c[3][3];
    product(a, b, c);
    std::printf("%d %d %d\n", bits(5u), bits(7ll), front_sum(std::vector<int>{1, 2}, {}));
}
)"),
                                      analyzer::AnalyzeOptions{});
    ASSERT_TRUE(analysis) << analysis.error().message;
}

TEST(Rules, CodeThatDoesNotParseIsAnErrorNamingTheFile) {
    auto analysis = analyzer::analyze({{"broken.cpp", "int main() {\n    return undefined_name;\n}\n"}}, {});
    ASSERT_FALSE(analysis);
    EXPECT_EQ(analysis.error().kind, core::ErrorKind::input);
    EXPECT_NE(analysis.error().message.find("broken.cpp"), std::string::npos) << analysis.error().message;
    EXPECT_NE(analysis.error().message.find("undefined_name"), std::string::npos) << analysis.error().message;
    EXPECT_EQ(analysis.error().message.find("/optiloop-src/"), std::string::npos) << analysis.error().message;
}

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <optiloop/llm/prompt.hpp>
#include <optiloop/llm/replay.hpp>

using namespace optiloop;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("optiloop-prompt-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

TEST(Render, SubstitutesAndDropsEmptySections) {
    const std::string text = "A {{x}}.\n{{#y}}\nY is {{y}}\n{{/y}}\n{{#z}}\nZ is {{z}}\n{{/z}}\nend {{unknown}}";
    EXPECT_EQ(llm::render(text, {{"x", "one"}, {"y", "two"}, {"z", ""}}), "A one.\nY is two\nend {{unknown}}");
}

TEST(Render, ValuesAreNotScannedForTags) {
    EXPECT_EQ(llm::render("{{code}}", {{"code", "auto x = {{1}}; {{#code}}"}}), "auto x = {{1}}; {{#code}}");
}

TEST(Templates, BuiltinsExistAndAFileOverridesOne) {
    auto builtin = llm::load_templates({});
    ASSERT_TRUE(builtin);
    for (const char* name : {"system", "user", "format-search-replace", "format-whole-file", "example"}) EXPECT_TRUE(builtin->contains(name)) << name;
    const fs::path dir = scratch("override");
    std::ofstream(dir / "system.md") << "Be fast.";
    auto overridden = llm::load_templates(dir);
    ASSERT_TRUE(overridden) << overridden.error().message;
    EXPECT_EQ(overridden->at("system"), "Be fast.");
    EXPECT_EQ(overridden->at("user"), builtin->at("user"));
    std::ofstream(dir / "sytem.md") << "typo";
    auto typo = llm::load_templates(dir);
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().message.find("sytem.md"), std::string::npos);
    EXPECT_FALSE(llm::load_templates(dir / "missing"));
    fs::remove_all(dir);
}

TEST(Retrieval, MostSimilarFirstAndNeverTheTaskItself) {
    const std::vector<llm::Example> pool = {
        {"io", "int main(){ std::cin >> n; std::cout << n << std::endl; }", "fast io"},
        {"sort", "std::vector<int> v; std::sort(v.begin(), v.end()); bubble(v);", "fast sort"},
        {"self", "std::vector<int> v; bubble(v); std::sort(v.begin(), v.end());", "answer"},
    };
    auto got = llm::retrieve_examples("std::vector<int> v; bubble(v);", pool, 1, "self");
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id, "sort");
    got = llm::retrieve_examples("std::cin >> n;", pool, 5, "");
    ASSERT_EQ(got.size(), 3u);
    EXPECT_EQ(got[0].id, "io");
    EXPECT_TRUE(llm::retrieve_examples("x", pool, 0, "").empty());
}

TEST(Retrieval, AnExampleThatSharesNoNamesWithTheSourceIsLeftOut) {
    const std::vector<llm::Example> pool = {
        {"graph", "std::vector<int> adjacency[100]; void visit(int node) { for (int next : adjacency[node]) visit(next); }", "bfs"},
        {"primes", "bool is_prime(long value) { for (long divisor = 2; divisor < value; ++divisor) if (value % divisor == 0) return false; return true; }", "sieve"},
    };
    const std::string source = "int main() { long value; long count = 0; while (std::cin >> value) count += is_prime(value); }";
    auto got = llm::retrieve_examples(source, pool, 2, "", llm::k_example_min_similarity);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id, "primes");
    // Without the threshold the unrelated one comes along.
    EXPECT_EQ(llm::retrieve_examples(source, pool, 2, "").size(), 2u);
}

TEST(Messages, CarryTheSourceHintsFeedbackExamplesAndFormat) {
    auto templates = llm::load_templates({});
    ASSERT_TRUE(templates);
    core::Task task;
    task.id = "t";
    task.description = "prints a sum";
    llm::PromptInputs inputs;
    inputs.task = &task;
    inputs.sources = {{"main.cpp", "int main() { return 0; }\n"}};
    auto plain = llm::build_messages(*templates, inputs);
    ASSERT_EQ(plain.size(), 2u);
    EXPECT_EQ(plain[0].role, "system");
    EXPECT_NE(plain[0].content.find("g++ -std=c++17 -O3"), std::string::npos);
    EXPECT_NE(plain[1].content.find("int main() { return 0; }"), std::string::npos);
    EXPECT_NE(plain[1].content.find("prints a sum"), std::string::npos);
    EXPECT_EQ(plain[1].content.find("Where the time goes"), std::string::npos);
    EXPECT_NE(plain[1].content.find("complete new version"), std::string::npos);  // small file: whole file

    inputs.hints = "main.cpp:3 loop holds 97% of the instructions";
    inputs.feedback = "c1: WA on test 2: expected 5, got 4";
    inputs.examples = {{"e", "SLOW_EXAMPLE", "FAST_EXAMPLE"}};
    inputs.format = llm::EditFormat::search_replace;
    auto full = llm::build_messages(*templates, inputs);
    for (const char* part : {"97% of the instructions", "expected 5, got 4", "SLOW_EXAMPLE", "FAST_EXAMPLE", "<<<<<<< SEARCH"})
        EXPECT_NE(full[1].content.find(part), std::string::npos) << part;
    EXPECT_EQ(full[1].content.find("What a kernel task's file may hold"), std::string::npos) << "a C++ task gets no kernel rules";
}

TEST(Messages, AKernelTaskIsToldWhatItsCandidateMayHold) {
    auto templates = llm::load_templates({});
    ASSERT_TRUE(templates);
    core::Task task;
    task.id = "k";
    task.language = core::Language::cuda;
    task.kind = core::TaskKind::cuda_kernel;
    task.cost_file = "cost.json";
    llm::PromptInputs inputs;
    inputs.task = &task;
    inputs.sources = {{"kernel.cu", "__global__ void k() {}\n"}};
    auto messages = llm::build_messages(*templates, inputs);
    ASSERT_EQ(messages.size(), 2u);
    for (const char* part : {"What a kernel task's file may hold", "error-check macro that calls fprintf or exit is refused", "cudaMallocAsync"})
        EXPECT_NE(messages[1].content.find(part), std::string::npos) << part;
}

TEST(Format, AutomaticPicksByProgramSize) {
    EXPECT_EQ(llm::resolve_format(llm::EditFormat::automatic, {{"a.cpp", "x"}}), llm::EditFormat::whole_file);
    EXPECT_EQ(llm::resolve_format(llm::EditFormat::automatic, {{"a.cpp", std::string(20000, 'x')}}), llm::EditFormat::search_replace);
    EXPECT_EQ(llm::resolve_format(llm::EditFormat::automatic, {{"a.cpp", "x"}, {"b.hpp", "y"}}), llm::EditFormat::search_replace);
}

TEST(ReplayRecording, ReplaysAnswersPerTaskAndRound) {
    const fs::path dir = scratch("replay");
    std::ofstream(dir / "answers.jsonl") << R"({"task": "t", "answer": "Faster:\n```cpp\nint main() { return 1; }\n```\n"})" << "\n"
                                         << R"({"task": "t", "round": 2, "answer": "no code here"})" << "\n"
                                         << R"({"task": "other", "answer": "x"})" << "\n";
    auto replay = llm::ReplayProposer::from_recording(dir / "answers.jsonl");
    ASSERT_TRUE(replay) << replay.error().message;
    core::Task task;
    task.id = "t";
    core::ProposalContext context;
    context.current = {{"main.cpp", "int main() { return 0; }\n"}};
    context.round = 1;
    context.samples = 4;
    auto first = replay->propose(task, context);
    ASSERT_TRUE(first);
    ASSERT_EQ(first->size(), 1u);
    EXPECT_EQ((*first)[0].files.at(0).content, "int main() { return 1; }\n");
    context.round = 2;
    auto second = replay->propose(task, context);
    ASSERT_TRUE(second);
    ASSERT_EQ(second->size(), 1u);
    EXPECT_FALSE((*second)[0].problem.empty());
    context.round = 3;
    EXPECT_TRUE(replay->propose(task, context)->empty());

    std::ofstream(dir / "bad.jsonl") << R"({"task": "t"})" << "\n" << "{not json\n";
    auto bad = llm::ReplayProposer::from_recording(dir / "bad.jsonl");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("bad.jsonl:1"), std::string::npos) << bad.error().message;
    fs::remove_all(dir);
}

}  // namespace

// The paste-in provider: each prompt lands in a file, answers are read from files (a terminal user
// pastes instead); an empty or unusable answer becomes that candidate's problem, never a crash.
// And a round-keyed recording hands each answer out once, across the requests of a round.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <optiloop/llm/paste.hpp>
#include <optiloop/llm/replay.hpp>

using namespace optiloop;
namespace fs = std::filesystem;

namespace {

fs::path paste_scratch(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("optiloop-paste-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

core::Task task_of(const std::string& id) {
    core::Task task;
    task.id = id;
    task.baseline = {{"main.cpp", "int main() { return 0; }\n"}};
    return task;
}

llm::PasteOptions paste_options(const fs::path& dir) {
    llm::PasteOptions o;
    o.dir = dir;
    auto templates = llm::load_templates("");
    o.templates = *templates;
    o.example_count = 0;
    o.wait_seconds = 20;
    o.poll_seconds = 0.02;
    return o;
}

// Waits for `path` to appear (the prompt), then writes the answers.
std::thread answer_when(const fs::path& prompt, std::vector<std::pair<fs::path, std::string>> answers) {
    return std::thread([prompt, answers] {
        for (int i = 0; i < 1000 && !fs::exists(prompt); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        for (const auto& [path, text] : answers) std::ofstream(path) << text;
    });
}

}  // namespace

TEST(Paste, WritesThePromptAndReadsEachAnswerFromItsFile) {
    const fs::path dir = paste_scratch("files");
    auto paste = llm::PasteProposer::create(paste_options(dir));
    ASSERT_TRUE(paste) << paste.error().message;
    const core::Task task = task_of("a/b");  // a task id is never a path
    const auto stem = dir / "a_b-r1-c1";
    auto responder = answer_when(fs::path(stem.string() + "-prompt.md"),
                                 {{stem.string() + "-answer-1.md", "Return early.\n```cpp\nint main() { return 0; /* fast */ }\n```\n"},
                                  {stem.string() + "-answer-2.md", "   \n"},
                                  {stem.string() + "-answer-3.md", "I would rather not."}});
    core::ProposalContext context{task.baseline, "", "hot loop at line 1", 1, 3, 0};
    auto edits = (*paste)->propose(task, context);
    responder.join();
    ASSERT_TRUE(edits) << edits.error().message;
    ASSERT_EQ(edits->size(), 3u);
    EXPECT_TRUE((*edits)[0].problem.empty()) << (*edits)[0].problem;
    ASSERT_EQ((*edits)[0].files.size(), 1u);
    EXPECT_EQ((*edits)[0].files[0].content, "int main() { return 0; /* fast */ }\n");
    EXPECT_EQ((*edits)[0].proposer, "paste");
    EXPECT_EQ((*edits)[1].problem, "the answer was empty");
    EXPECT_NE((*edits)[2].problem.find("the answer could not be applied"), std::string::npos) << (*edits)[2].problem;
    std::ifstream in(stem.string() + "-prompt.md");
    std::stringstream prompt;
    prompt << in.rdbuf();
    EXPECT_NE(prompt.str().find("3 answers wanted, each in a_b-r1-c1-answer-J.md"), std::string::npos) << prompt.str();
    EXPECT_NE(prompt.str().find("hot loop at line 1"), std::string::npos);
    EXPECT_NE(prompt.str().find("# system"), std::string::npos);
}

TEST(Paste, OnATerminalTheAnswerIsPastedAndEndedByADotEndLine) {
    const fs::path dir = paste_scratch("terminal");
    auto options = paste_options(dir);
    std::istringstream in("```cpp\nint main() { return 1 - 1; }\n```\n.end\n");
    std::ostringstream out;
    options.terminal = true;
    options.in = &in;
    options.out = &out;
    auto paste = llm::PasteProposer::create(options);
    ASSERT_TRUE(paste);
    const core::Task task = task_of("t");
    auto edits = (*paste)->propose(task, core::ProposalContext{task.baseline, "", "", 1, 1, 0});
    ASSERT_TRUE(edits) << edits.error().message;
    ASSERT_EQ(edits->size(), 1u);
    ASSERT_EQ((*edits)[0].files.size(), 1u);
    EXPECT_EQ((*edits)[0].files[0].content, "int main() { return 1 - 1; }\n");
    EXPECT_NE(out.str().find("Make this program faster"), std::string::npos);
    EXPECT_NE(out.str().find("paste answer 1 of 1"), std::string::npos);
}

TEST(Paste, NoAnswerInTimeIsAnInfrastructureErrorNamingTheFile) {
    const fs::path dir = paste_scratch("timeout");
    auto options = paste_options(dir);
    options.wait_seconds = 0.2;
    auto paste = llm::PasteProposer::create(options);
    ASSERT_TRUE(paste);
    const core::Task task = task_of("t");
    auto edits = (*paste)->propose(task, core::ProposalContext{task.baseline, "", "", 1, 1, 0});
    ASSERT_FALSE(edits);
    EXPECT_EQ(edits.error().kind, core::ErrorKind::infrastructure);
    EXPECT_NE(edits.error().message.find("t-r1-c1-answer-1.md"), std::string::npos) << edits.error().message;
}

TEST(Paste, AFolderThatCannotBeMadeIsNamed) {
    const fs::path dir = paste_scratch("notdir");
    std::ofstream(dir / "file") << "x";
    auto paste = llm::PasteProposer::create(paste_options(dir / "file" / "sub"));
    ASSERT_FALSE(paste);
    EXPECT_NE(paste.error().message.find("--paste-dir"), std::string::npos) << paste.error().message;
}

TEST(Replay, ARoundsAnswersAreDealtToItsRequestsFromTheirFirstSample) {
    const fs::path dir = paste_scratch("replay");
    std::ofstream(dir / "r.jsonl") << R"({"task": "t", "round": 1, "answer": "```cpp\nint main() { return 0; } // a\n```"})" "\n"
                                   << R"({"task": "t", "round": 1, "answer": "```cpp\nint main() { return 0; } // b\n```"})" "\n"
                                   << R"({"task": "t", "round": 1, "answer": ""})" "\n";
    auto replay = llm::ReplayProposer::from_recording(dir / "r.jsonl");
    ASSERT_TRUE(replay) << replay.error().message;
    const core::Task task = task_of("t");
    // Asked in another order than the round's (requests side by side): the same answers each.
    auto third = replay->propose(task, core::ProposalContext{task.baseline, "", "", 1, 5, 0, 2, 6});
    auto second = replay->propose(task, core::ProposalContext{task.baseline, "", "", 1, 5, 0, 1, 1});
    auto first = replay->propose(task, core::ProposalContext{task.baseline, "", "", 1, 1, 0, 0, 0});
    ASSERT_TRUE(first && second && third);
    ASSERT_EQ(first->size(), 1u);
    EXPECT_NE(first->at(0).files.at(0).content.find("// a"), std::string::npos);
    ASSERT_EQ(second->size(), 2u);
    EXPECT_NE(second->at(0).files.at(0).content.find("// b"), std::string::npos);
    EXPECT_EQ(second->at(1).problem, "the answer was empty");
    EXPECT_TRUE(third->empty());
}

TEST(Replay, AMalformedExchangeLineIsNamed) {
    const fs::path dir = paste_scratch("bad");
    std::ofstream(dir / "r.jsonl") << R"({"task": "t", "call": 1, "round": 1, "samples": 0, "edits": []})" "\n";
    auto replay = llm::ReplayProposer::from_recording(dir / "r.jsonl");
    ASSERT_FALSE(replay);
    EXPECT_NE(replay.error().message.find("r.jsonl:1: samples: expected an integer >= 1"), std::string::npos) << replay.error().message;
}

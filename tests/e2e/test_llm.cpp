// End-to-end: `optiloop optimize --provider openai|anthropic` against a real HTTP server on
// 127.0.0.1 that answers like a model would; the answer is verified like any candidate, the run
// is free the second time (response cache), and the API key is nowhere to be found afterwards.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../llm/fake_llm_server.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using optiloop::test::Step;

namespace {

const fs::path k_task = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "builtin" / "io-divisor-table-endl";
const std::string k_key = "sk-e2e-5ecret-key-0123456789";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct CliResult {
    int code = -1;
    std::string out, err;
};

class LlmEndToEnd : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("optiloop-e2e-llm-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    CliResult optiloop(const std::string& args, const std::string& env = "") {
        const fs::path out = m_dir / "stdout", err = m_dir / "stderr";
        const std::string command = "env XDG_CACHE_HOME=" + (m_dir / "cache").string() + " " + env + " " + std::string(OPTILOOP_BINARY) + " " + args +
                                    " > " + out.string() + " 2> " + err.string() + " < /dev/null";
        const int status = std::system(command.c_str());
        return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
    }

    // Every byte optiloop left behind: outputs, caches, logs.
    std::string everything_written() {
        std::string all;
        for (const auto& e : fs::recursive_directory_iterator(m_dir))
            if (e.is_regular_file()) all += slurp(e.path());
        return all;
    }

    optiloop::test::FakeLlmServer m_server;
    fs::path m_dir;
};

std::string reference_answer() {
    return "Building the output in one string and writing it once avoids flushing on every line.\n```cpp\n" +
           slurp(k_task / "reference" / "main.cpp") + "```\n";
}

std::string openai_body(const std::string& text) {
    return json{{"choices", {{{"index", 0}, {"message", {{"role", "assistant"}, {"content", text}}}}}}, {"usage", {{"prompt_tokens", 900}, {"completion_tokens", 300}}}}
        .dump();
}

TEST_F(LlmEndToEnd, OpenAiAnswerIsVerifiedCachedAndTheKeyLeaksNowhere) {
    m_server.script({Step{200, openai_body(reference_answer())}, Step{200, openai_body("No further idea.")}});
    const std::string args = "optimize " + k_task.string() + " --provider openai --model fake-coder --base-url " + m_server.base_url() +
                             " -k 1 --rounds 2 --repeat 1 --examples 1 --no-stream --json --out " + (m_dir / "out").string();
    const CliResult first = optiloop(args, "OPENAI_API_KEY=" + k_key);
    ASSERT_EQ(first.code, 0) << first.err;
    const auto j = json::parse(first.out);
    EXPECT_EQ(j["provider"], "openai");
    ASSERT_FALSE(j["best"].is_null()) << first.out;
    EXPECT_GT(j["speedup"].get<double>(), 1.2);
    EXPECT_EQ(j["usage"]["requests"], 2);
    EXPECT_EQ(j["usage"]["prompt_tokens"], 1800);

    const auto received = m_server.received();
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received[0].headers.find("Authorization")->second, "Bearer " + k_key);
    const auto prompt = json::parse(received[0].body)["messages"][1]["content"].get<std::string>();
    EXPECT_NE(prompt.find("std::endl"), std::string::npos);                 // the program
    EXPECT_NE(prompt.find("Instructions by function"), std::string::npos);  // measured hot spots
    // A rule finding with what its fix alone was measured to save.
    EXPECT_NE(prompt.find("[endl-in-loop]"), std::string::npos) << prompt;
    EXPECT_NE(prompt.find("fixing this rule's findings alone: -"), std::string::npos) << prompt;
    EXPECT_NE(prompt.find("(stress): input \""), std::string::npos) << prompt;  // a short input shown whole
    EXPECT_NE(prompt.find("An empty program with the same #include lines costs "), std::string::npos) << prompt;  // the floor
    // No built-in program shares its names (divisors, a table printed with endl): an unrelated
    // example would only cost tokens, so none is retrieved.
    EXPECT_EQ(prompt.find("Example 1: slow"), std::string::npos);
    const auto second_prompt = json::parse(received[1].body)["messages"][1]["content"].get<std::string>();
    EXPECT_NE(second_prompt.find("previous attempts"), std::string::npos);  // feedback of round 1

    // The same run again costs no request.
    const CliResult again = optiloop(args, "OPENAI_API_KEY=" + k_key);
    ASSERT_EQ(again.code, 0) << again.err;
    EXPECT_EQ(m_server.received().size(), 2u);
    EXPECT_EQ(json::parse(again.out)["usage"]["cached"], 2);

    const std::string written = everything_written() + first.err + again.err;
    EXPECT_NE(written.find("fake-coder"), std::string::npos);
    EXPECT_EQ(written.find("5ecret"), std::string::npos);
}

TEST_F(LlmEndToEnd, AnthropicRefusedKeyIsOneLineAndExitTwo) {
    m_server.script({Step{401, R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})"}});
    const CliResult r = optiloop("optimize " + k_task.string() + " --provider anthropic --model claude-test --base-url " + m_server.base_url() + " --repeat 1",
                                 "ANTHROPIC_API_KEY=" + k_key);
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("invalid x-api-key"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("5ecret"), std::string::npos);
    EXPECT_EQ(m_server.received().at(0).path, "/v1/messages");
}

TEST_F(LlmEndToEnd, UnreachableServerIsExitThree) {
    const CliResult r = optiloop("optimize " + k_task.string() + " --provider openai --model m --base-url http://127.0.0.1:1/v1 --repeat 1 --llm-retries 2 -k 2");
    EXPECT_EQ(r.code, 3) << r.err;
    EXPECT_NE(r.err.find("gave up after 2 tries"), std::string::npos) << r.err;
    // Two parallel requests, one line about the failure that both met.
    EXPECT_EQ(r.err.find("retrying"), r.err.rfind("retrying")) << r.err;
}

TEST_F(LlmEndToEnd, MissingModelOrBadFlagsAreExitTwo) {
    CliResult r = optiloop("optimize " + k_task.string() + " --provider openai --base-url " + m_server.base_url());
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--model"), std::string::npos) << r.err;
    r = optiloop("optimize " + k_task.string() + " --provider openai --model m --base-url localhost:8080");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--base-url"), std::string::npos) << r.err;
    r = optiloop("optimize " + k_task.string() + " --provider openai --model m --base-url " + m_server.base_url() + " --prompt-dir /nonexistent");
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.err.find("--prompt-dir"), std::string::npos) << r.err;
    EXPECT_TRUE(m_server.received().empty());
}

TEST_F(LlmEndToEnd, ReplayOfARecordingVerifiesRecordedAnswers) {
    std::ofstream(m_dir / "answers.jsonl") << json{{"task", "io-divisor-table-endl"}, {"answer", reference_answer()}}.dump() << "\n";
    const CliResult r = optiloop("optimize " + k_task.string() + " --provider replay --replay " + (m_dir / "answers.jsonl").string() + " --json --repeat 1");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto j = json::parse(r.out);
    ASSERT_FALSE(j["best"].is_null());
    EXPECT_GT(j["speedup"].get<double>(), 1.2);
}

TEST_F(LlmEndToEnd, EvalRecordsTokenUsagePerTaskAndRun) {
    const fs::path dataset = m_dir / "dataset";
    fs::create_directories(dataset);
    fs::copy(k_task, dataset / k_task.filename(), fs::copy_options::recursive);
    m_server.script({Step{200, openai_body(reference_answer())}});
    const fs::path db = m_dir / "eval.db";
    const CliResult r = optiloop("eval " + dataset.string() + " --provider openai --model fake-coder --base-url " + m_server.base_url() +
                                     " -k 1 --rounds 1 --no-reference --examples 0 --no-stream --db " + db.string(),
                                 "OPENAI_API_KEY=" + k_key);
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("1 request, 900 prompt + 300 completion tokens"), std::string::npos) << r.out;
    const CliResult report = optiloop("report " + db.string() + " --json");
    ASSERT_EQ(report.code, 0) << report.err;
    const auto j = json::parse(report.out);
    EXPECT_EQ(j["usage"]["prompt_tokens"], 900);
    EXPECT_EQ(j["per_task"][0]["completion_tokens"], 300);
    EXPECT_GT(j["per_task"][0]["best_speedup"].get<double>(), 1.2);
    // How the search went is kept per task.
    EXPECT_EQ(j["per_task"][0]["search"], "population");
    EXPECT_EQ(j["per_task"][0]["rounds"], 1);
    EXPECT_EQ(j["per_task"][0]["stop"], "rounds");
    EXPECT_EQ(j["per_task"][0]["answers"], 1);
    EXPECT_EQ(j["per_task"][0]["population"].get<std::string>().rfind("c1", 0), 0u) << report.out;
    EXPECT_EQ(everything_written().find("5ecret"), std::string::npos);
}

TEST_F(LlmEndToEnd, ChildProcessesNeverSeeTheKey) {
    // `optiloop sandbox` runs a program the way candidates run; its environment is printed.
    const CliResult r = optiloop("sandbox -- /usr/bin/env", "OPENAI_API_KEY=" + k_key + " OPTILOOP_API_KEY=" + k_key);
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find("5ecret"), std::string::npos) << r.out;
}

}  // namespace

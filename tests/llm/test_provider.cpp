#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include <optiloop/llm/provider.hpp>

#include "fake_llm_server.hpp"

using namespace optiloop;
using test::Step;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const std::string k_key = "sk-test-0123456789abcdefSECRET";
const std::string k_source = "#include <cstdio>\nint main() { long s = 0; for (long i = 0; i < 100; ++i) s += i; std::printf(\"%ld\\n\", s); }\n";
const std::string k_fast = "#include <cstdio>\nint main() { std::printf(\"%ld\\n\", 4950L); }\n";

std::string answer_text() { return "Use the closed form.\n```cpp\n" + k_fast + "```\n"; }

std::string openai_body(const std::vector<std::string>& choices, int prompt = 100, int completion = 20) {
    json list = json::array();
    for (std::size_t i = 0; i < choices.size(); ++i) list.push_back({{"index", i}, {"message", {{"role", "assistant"}, {"content", choices[i]}}}, {"finish_reason", "stop"}});
    return json{{"id", "x"}, {"choices", list}, {"usage", {{"prompt_tokens", prompt}, {"completion_tokens", completion}}}}.dump();
}

std::vector<std::string> openai_stream(const std::string& text, bool finish = true) {
    std::vector<std::string> events;
    const std::size_t half = text.size() / 2;
    for (const auto& piece : {text.substr(0, half), text.substr(half)})
        events.push_back("data: " + json{{"choices", {{{"index", 0}, {"delta", {{"content", piece}}}}}}}.dump() + "\n\n");
    if (finish) {
        events.push_back("data: " + json{{"choices", json::array()}, {"usage", {{"prompt_tokens", 100}, {"completion_tokens", 20}}}}.dump() + "\n\n");
        events.push_back("data: [DONE]\n\n");
    }
    return events;
}

std::string anthropic_body(const std::string& text) {
    return json{{"type", "message"}, {"content", {{{"type", "text"}, {"text", text}}}}, {"usage", {{"input_tokens", 80}, {"output_tokens", 30}}}}.dump();
}

class Provider : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("optiloop-provider-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        m_task.id = "sum-loop";
        m_task.baseline = {{"main.cpp", k_source}};
        m_context.current = m_task.baseline;
        m_context.samples = 1;
    }
    void TearDown() override { fs::remove_all(m_dir); }

    llm::ProviderOptions options(llm::Api api = llm::Api::openai) {
        llm::ProviderOptions o;
        o.api = api;
        o.model = "test-model";
        o.base_url = m_server.base_url();
        o.api_key = k_key;
        o.stream = false;
        o.max_tries = 3;
        o.backoff_initial_seconds = 0.5;
        o.timeout_seconds = 5;
        o.stall_seconds = 5;
        o.sleep = [this](double s) { m_sleeps.push_back(s); };
        o.log = [this](const std::string& line) { m_log += line + "\n"; };
        return o;
    }
    std::unique_ptr<llm::LlmProposer> make(llm::ProviderOptions o) {
        auto p = llm::LlmProposer::create(std::move(o));
        EXPECT_TRUE(p) << p.error().message;
        return std::move(*p);
    }

    test::FakeLlmServer m_server;
    fs::path m_dir;
    core::Task m_task;
    core::ProposalContext m_context;
    std::vector<double> m_sleeps;
    std::string m_log;
};

TEST_F(Provider, OpenAiAnswerBecomesAnEditAndUsageIsCounted) {
    m_server.script({{200, openai_body({answer_text()})}});
    auto p = make(options());
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    ASSERT_EQ(edits->size(), 1u);
    EXPECT_EQ((*edits)[0].proposer, "openai");
    EXPECT_TRUE((*edits)[0].problem.empty()) << (*edits)[0].problem;
    ASSERT_EQ((*edits)[0].files.size(), 1u);
    EXPECT_EQ((*edits)[0].files[0].content, k_fast);
    EXPECT_EQ(p->usage().requests, 1);
    EXPECT_EQ(p->usage().prompt_tokens, 100);
    EXPECT_EQ(p->usage().completion_tokens, 20);

    const auto received = m_server.received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].path, "/v1/chat/completions");
    EXPECT_EQ(received[0].headers.find("Authorization")->second, "Bearer " + k_key);
    const auto body = json::parse(received[0].body);
    EXPECT_EQ(body["model"], "test-model");
    EXPECT_EQ(body["messages"][0]["role"], "system");
    EXPECT_NE(body["messages"][1]["content"].get<std::string>().find("s += i"), std::string::npos);
}

TEST_F(Provider, OpenAiStreamWithSeveralChoices) {
    std::vector<std::string> events;
    for (int i = 0; i < 2; ++i)
        events.push_back("data: " + json{{"choices", {{{"index", i}, {"delta", {{"content", answer_text().substr(0, 30)}}}}}}}.dump() + "\n\n");
    for (int i = 0; i < 2; ++i)
        events.push_back("data: " + json{{"choices", {{{"index", i}, {"delta", {{"content", answer_text().substr(30)}}}}}}}.dump() + "\n\n");
    events.push_back("data: [DONE]\n\n");
    m_server.script({{200, "", events}});
    auto o = options();
    o.stream = true;
    auto p = make(o);
    m_context.samples = 2;
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    ASSERT_EQ(edits->size(), 2u);
    for (const auto& e : *edits) EXPECT_EQ(e.files.at(0).content, k_fast);
    const auto body = json::parse(m_server.received().at(0).body);
    EXPECT_EQ(body["n"], 2);
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(m_server.received().size(), 1u);
}

TEST_F(Provider, RetryAfterIsHonoured) {
    m_server.script({{429, R"({"error":{"message":"slow down"}})", {}, false, {{"Retry-After", "7"}}}, {200, openai_body({answer_text()})}});
    auto p = make(options());
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    ASSERT_EQ(m_sleeps.size(), 1u);
    EXPECT_DOUBLE_EQ(m_sleeps[0], 7.0);
    EXPECT_EQ(p->usage().requests, 1);
    EXPECT_EQ(p->usage().retries, 1);
    EXPECT_NE(m_log.find("slow down"), std::string::npos);
}

TEST_F(Provider, ServerErrorThenSuccessBacksOffWithJitter) {
    m_server.script({{500, R"({"error":{"message":"boom"}})"}, {503, "unavailable"}, {200, openai_body({answer_text()})}});
    auto p = make(options());
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    ASSERT_EQ(m_sleeps.size(), 2u);
    EXPECT_GE(m_sleeps[0], 0.25);
    EXPECT_LE(m_sleeps[0], 0.5);
    EXPECT_GE(m_sleeps[1], 0.5);  // doubled
    EXPECT_LE(m_sleeps[1], 1.0);
    EXPECT_EQ(p->usage().requests, 1);
    EXPECT_EQ(p->usage().prompt_tokens, 100);  // counted once
}

TEST_F(Provider, StallPastTheTimeoutIsRetried) {
    m_server.script({{200, openai_body({answer_text()}), {}, false, {}, 2500}, {200, openai_body({answer_text()})}});
    auto o = options();
    o.timeout_seconds = 1;
    auto p = make(o);
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    EXPECT_EQ(edits->size(), 1u);
    EXPECT_EQ(p->usage().retries, 1);
    EXPECT_NE(m_log.find("timed out"), std::string::npos) << m_log;
}

TEST_F(Provider, StreamThatStallsIsRetried) {
    Step stalling{200, "", openai_stream(answer_text())};
    stalling.chunk_delay_ms = 2500;  // the first event comes, then nothing for 2.5 s
    m_server.script({stalling, {200, "", openai_stream(answer_text())}});
    auto o = options();
    o.stream = true;
    o.stall_seconds = 1;
    o.timeout_seconds = 30;
    auto p = make(o);
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    EXPECT_EQ((*edits)[0].files.at(0).content, k_fast);
    EXPECT_EQ(p->usage().retries, 1);
    EXPECT_EQ(p->usage().requests, 1);
    EXPECT_NE(m_log.find("stalled: no data for 1 s"), std::string::npos) << m_log;
}

TEST_F(Provider, MalformedJsonIsRetriedThenReported) {
    m_server.script({{200, "{\"choices\": [ {"}, {200, openai_body({answer_text()})}});
    auto p = make(options());
    ASSERT_TRUE(p->propose(m_task, m_context));
    EXPECT_EQ(p->usage().retries, 1);

    m_server.script({{200, "not json"}, {200, "not json"}, {200, "not json"}});
    auto again = make(options());
    auto edits = again->propose(m_task, m_context);
    ASSERT_FALSE(edits);
    EXPECT_EQ(edits.error().kind, core::ErrorKind::infrastructure);
    EXPECT_NE(edits.error().message.find("not valid JSON"), std::string::npos) << edits.error().message;
    EXPECT_NE(edits.error().message.find("3 tries"), std::string::npos);
    EXPECT_EQ(again->usage().requests, 0);
}

TEST_F(Provider, StreamCutInTheMiddleIsRetriedAndCountedOnce) {
    m_server.script({{200, "", openai_stream(answer_text(), false), true}, {200, "", openai_stream(answer_text())}});
    auto o = options();
    o.stream = true;
    auto p = make(o);
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    ASSERT_EQ(edits->size(), 1u);
    EXPECT_EQ((*edits)[0].files.at(0).content, k_fast);
    EXPECT_EQ(p->usage().requests, 1);
    EXPECT_EQ(p->usage().retries, 1);
    EXPECT_EQ(p->usage().completion_tokens, 20);
}

TEST_F(Provider, UnauthorizedFailsAtOnceWithoutTheKey) {
    // Servers echo (part of) the key they refused; none of it may reach a message or a log.
    m_server.script({{401, json{{"error", {{"message", "Incorrect API key provided: " + k_key}}}}.dump()}});
    auto p = make(options());
    auto edits = p->propose(m_task, m_context);
    ASSERT_FALSE(edits);
    EXPECT_EQ(edits.error().kind, core::ErrorKind::input);
    EXPECT_NE(edits.error().message.find("HTTP 401"), std::string::npos);
    EXPECT_NE(edits.error().message.find("Incorrect API key"), std::string::npos);
    EXPECT_EQ(edits.error().message.find("SECRET"), std::string::npos) << edits.error().message;
    EXPECT_EQ(edits.error().message.find("0123456789"), std::string::npos);
    EXPECT_EQ(m_server.received().size(), 1u);
    EXPECT_TRUE(m_sleeps.empty());
}

TEST_F(Provider, NotFoundNamesTheModel) {
    m_server.script({{404, R"({"error":{"message":"model test-model does not exist"}})"}});
    auto edits = make(options())->propose(m_task, m_context);
    ASSERT_FALSE(edits);
    EXPECT_NE(edits.error().message.find("--model"), std::string::npos);
    EXPECT_NE(edits.error().message.find("does not exist"), std::string::npos);
}

TEST_F(Provider, ConnectionRefusedIsAnInfrastructureError) {
    auto o = options();
    o.base_url = "http://127.0.0.1:1/v1";
    auto edits = make(o)->propose(m_task, m_context);
    ASSERT_FALSE(edits);
    EXPECT_EQ(edits.error().kind, core::ErrorKind::infrastructure);
    EXPECT_NE(edits.error().message.find("gave up after 3 tries"), std::string::npos) << edits.error().message;
    EXPECT_EQ(m_sleeps.size(), 2u);
}

TEST_F(Provider, AnthropicMessagesApi) {
    m_server.script({{200, anthropic_body(answer_text())}});
    auto p = make(options(llm::Api::anthropic));
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    EXPECT_EQ((*edits)[0].proposer, "anthropic");
    EXPECT_EQ((*edits)[0].files.at(0).content, k_fast);
    EXPECT_EQ(p->usage().prompt_tokens, 80);
    const auto r = m_server.received().at(0);
    EXPECT_EQ(r.path, "/v1/messages");
    EXPECT_EQ(r.headers.find("x-api-key")->second, k_key);
    EXPECT_EQ(r.headers.find("anthropic-version")->second, "2023-06-01");
    EXPECT_EQ(r.headers.count("Authorization"), 0u);
    const auto body = json::parse(r.body);
    EXPECT_TRUE(body["system"].is_string());
    EXPECT_EQ(body["messages"].size(), 1u);
    EXPECT_EQ(body["messages"][0]["role"], "user");
}

TEST_F(Provider, AnthropicStreamCutThenComplete) {
    auto events = [](bool finish) {
        std::vector<std::string> e = {
            "event: message_start\ndata: " + json{{"type", "message_start"}, {"message", {{"usage", {{"input_tokens", 80}}}}}}.dump() + "\n\n",
            "event: content_block_delta\ndata: " + json{{"type", "content_block_delta"}, {"delta", {{"type", "text_delta"}, {"text", answer_text()}}}}.dump() + "\n\n"};
        if (finish) {
            e.push_back("event: message_delta\ndata: " + json{{"type", "message_delta"}, {"usage", {{"output_tokens", 30}}}}.dump() + "\n\n");
            e.push_back("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        }
        return e;
    };
    m_server.script({{200, "", events(false), true}, {529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})"}, {200, "", events(true)}});
    auto o = options(llm::Api::anthropic);
    o.stream = true;
    auto p = make(o);
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    EXPECT_EQ((*edits)[0].files.at(0).content, k_fast);
    EXPECT_EQ(p->usage().requests, 1);
    EXPECT_EQ(p->usage().retries, 2);
    EXPECT_EQ(p->usage().prompt_tokens, 80);
    EXPECT_EQ(p->usage().completion_tokens, 30);
}

TEST_F(Provider, CacheMakesARerunFreeAndNeverHoldsTheKey) {
    const fs::path cache_path = m_dir / "llm.sqlite";
    auto cache = llm::ResponseCache::open(cache_path);
    ASSERT_TRUE(cache);
    std::shared_ptr<llm::ResponseCache> shared = std::move(*cache);
    m_server.script({{200, openai_body({answer_text(), answer_text()})}});
    m_context.samples = 2;
    auto o = options();
    o.cache = shared;
    auto first = make(o);
    ASSERT_TRUE(first->propose(m_task, m_context));
    EXPECT_EQ(first->usage().requests, 1);

    auto second = make(o);
    auto edits = second->propose(m_task, m_context);
    ASSERT_TRUE(edits);
    EXPECT_EQ(edits->size(), 2u);
    EXPECT_EQ(second->usage().requests, 0);
    EXPECT_EQ(second->usage().cached, 2);
    EXPECT_EQ(m_server.received().size(), 1u);

    // Another round (different feedback) is a different question.
    m_server.script({{200, openai_body({answer_text(), answer_text()})}});
    m_context.feedback = "c1: WA on test 1";
    ASSERT_TRUE(second->propose(m_task, m_context));
    EXPECT_EQ(second->usage().requests, 1);

    shared.reset();
    std::string bytes;
    for (const auto& entry : fs::directory_iterator(m_dir)) {
        std::ifstream in(entry.path(), std::ios::binary);
        bytes += std::string(std::istreambuf_iterator<char>(in), {});
    }
    EXPECT_NE(bytes.find("closed form"), std::string::npos);  // the answers are there
    EXPECT_EQ(bytes.find("SECRET"), std::string::npos);
}

TEST_F(Provider, ConcurrencyIsBounded) {
    Step slow{200, openai_body({answer_text()}), {}, false, {}, 300};
    m_server.script({slow, slow, slow, slow, slow, slow});
    auto o = options();
    o.samples_per_request = 1;
    o.limiter = std::make_shared<llm::RequestLimiter>(2);
    auto p = make(o);
    m_context.samples = 6;
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    EXPECT_EQ(edits->size(), 6u);
    EXPECT_EQ(m_server.most_in_flight(), 2);
    // Each sample asks with its own seed.
    std::set<int> seeds;
    for (const auto& r : m_server.received()) seeds.insert(json::parse(r.body)["seed"].get<int>());
    EXPECT_EQ(seeds.size(), 6u);
}

TEST_F(Provider, ServerThatIgnoresNIsAskedAgainForTheRest) {
    m_server.script({{200, openai_body({answer_text()})}, {200, openai_body({answer_text()})}, {200, openai_body({answer_text()})}});
    auto p = make(options());
    m_context.samples = 3;
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits);
    EXPECT_EQ(edits->size(), 3u);
    EXPECT_EQ(m_server.received().size(), 3u);
    EXPECT_EQ(p->usage().requests, 3);
}

TEST_F(Provider, UnusableAnswerBecomesFeedbackNotAFailure) {
    m_server.script({{200, openai_body({"I cannot make this faster."})}});
    auto edits = make(options())->propose(m_task, m_context);
    ASSERT_TRUE(edits);
    ASSERT_EQ(edits->size(), 1u);
    EXPECT_FALSE((*edits)[0].problem.empty());
    EXPECT_NE((*edits)[0].explanation.find("cannot make"), std::string::npos);
}

TEST_F(Provider, OneLostSampleDoesNotLoseTheOthers) {
    Step bad{500, R"({"error":{"message":"boom"}})"};
    m_server.script({{200, openai_body({answer_text()})}});
    m_server.fallback(bad);
    auto o = options();
    o.samples_per_request = 1;
    o.limiter = std::make_shared<llm::RequestLimiter>(1);  // the order of requests is then fixed
    auto p = make(o);
    m_context.samples = 2;
    auto edits = p->propose(m_task, m_context);
    ASSERT_TRUE(edits) << edits.error().message;
    EXPECT_EQ(edits->size(), 1u);
    EXPECT_NE(m_log.find("a sample was lost"), std::string::npos);
}

TEST_F(Provider, TokenBudgetStopsFurtherRequests) {
    m_server.script({{200, openai_body({answer_text()}, 100, 20)}});
    auto o = options();
    o.token_budget = 100;
    o.run_usage = std::make_shared<llm::UsageTotals>();
    auto p = make(o);
    ASSERT_TRUE(p->propose(m_task, m_context));  // 120 tokens spent; the budget was not yet reached before
    m_context.feedback = "round 2";
    auto second = p->propose(m_task, m_context);
    ASSERT_FALSE(second);
    EXPECT_NE(second.error().message.find("token budget of 100"), std::string::npos) << second.error().message;
    EXPECT_EQ(m_server.received().size(), 1u);
}

TEST(ProviderOptions, BadOptionsAreOneClearLine) {
    llm::ProviderOptions o;
    auto p = llm::LlmProposer::create(o);
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("--model"), std::string::npos);
    o.model = "m";
    o.base_url = "ftp://x";
    p = llm::LlmProposer::create(o);
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("--base-url"), std::string::npos);
    o.base_url = "";
    o.api = llm::Api::anthropic;
    p = llm::LlmProposer::create(o);
    ASSERT_FALSE(p);
    EXPECT_NE(p.error().message.find("ANTHROPIC_API_KEY"), std::string::npos);
}

TEST(Redact, RemovesKeysAndKeyShapedWords) {
    EXPECT_EQ(llm::redact("key abcdef123 here", "abcdef123"), "key [redacted] here");
    EXPECT_EQ(llm::redact("provided: sk-proj-abc***********xyz.", ""), "provided: [redacted].");
    EXPECT_EQ(llm::redact("a task-list", ""), "a task-list");
}

TEST(RetryAfter, SecondsAndDates) {
    EXPECT_EQ(llm::parse_retry_after("12", 0), 12.0);
    EXPECT_EQ(llm::parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40), 60.0);
    EXPECT_FALSE(llm::parse_retry_after("soon", 0));
}

}  // namespace

#include <gtest/gtest.h>

#include <optiloop/core/json.hpp>

using namespace optiloop::core;

namespace {

Task sample_task() {
    Task t;
    t.id = "pair-sum";
    t.kind = TaskKind::function;
    t.function_name = "count_pairs";
    t.description = "count pairs";
    t.build.flags = {"-std=c++20", "-O2"};
    t.checker.type = CheckerType::floating;
    t.checker.abs_tolerance = 1e-4;
    t.limits.time_seconds = 3;
    t.limits.memory_bytes = 256 << 20;
    t.tags = {"algorithmic", "quadratic"};
    t.baseline = {{"solution.cpp", "int f() { return 1; }\n"}};
    t.reference = {{"solution.cpp", "int f() { return 2; }\n"}};
    t.harness = {{"harness.cpp", "int main() {}\n"}};
    t.tests = {{"01", "/t/01.in", "/t/01.out"}};
    t.stress = {{"s1", "/s/s1.in", "/s/s1.out"}};
    t.root = "/t";
    return t;
}

std::string error_of(const std::string& text) {
    auto json = parse_json(text, "task.json");
    if (!json) return json.error().message;
    auto task = task_from_json(*json);
    return task ? "" : task.error().message;
}

}  // namespace

TEST(Json, TaskRoundTrip) {
    const Task t = sample_task();
    auto back = task_from_json(to_json(t));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(*back, t);
}

TEST(Json, EditCandidateMeasurementRoundTrip) {
    Edit e{"rules", "endl -> '\\n'", {{"main.cpp", "x"}}, {{"main.cpp", 10, 4, "'\\n'"}}, "a problem", {"endl-in-loop", "pow-square"}};
    auto e2 = edit_from_json(to_json(e));
    ASSERT_TRUE(e2);
    EXPECT_EQ(*e2, e);

    Candidate c{"c1", "baseline", {{"main.cpp", "int main(){}"}}, e};
    auto c2 = candidate_from_json(to_json(c));
    ASSERT_TRUE(c2);
    EXPECT_EQ(*c2, c);

    Measurement m;
    m.verdict = Verdict::wrong_answer;
    m.counter = CounterKind::cachegrind;
    m.total_cost = 12345;
    m.tests.push_back({"01", false, Verdict::wrong_answer, "line 1: expected 3, got 4", std::nullopt, 0.1, 0.09, 0.02, 4096});
    m.tests.push_back({"s1", true, Verdict::ok, "", 999.0, 0.5, 0.4, 0.01, 8192});
    auto m2 = measurement_from_json(to_json(m));
    ASSERT_TRUE(m2) << m2.error().message;
    EXPECT_EQ(*m2, m);
}

TEST(Json, VerdictNames) {
    for (auto v : {Verdict::ok, Verdict::wrong_answer, Verdict::compile_error, Verdict::runtime_error,
                   Verdict::time_limit, Verdict::memory_limit, Verdict::output_limit, Verdict::security})
        EXPECT_EQ(verdict_from_string(to_string(v)), v);
    EXPECT_EQ(to_string(Verdict::time_limit), "TLE");
    EXPECT_FALSE(verdict_from_string("ok"));
}

TEST(Json, MalformedTaskNamesTheField) {
    EXPECT_EQ(error_of(R"({"language":"cpp","kind":"stdio"})"), "id: missing (required)");
    EXPECT_EQ(error_of(R"({"id":"a","language":"rust","kind":"stdio"})"),
              "language: expected \"cpp\" or \"cuda\", got \"rust\"");
    EXPECT_EQ(error_of(R"({"id":"a","language":"cpp","kind":"stdio","limits":{"time_s":"fast"}})"),
              "limits.time_s: expected a number, got string");
    EXPECT_EQ(error_of(R"({"id":"a","language":"cpp","kind":"stdio","limits":{"time_s":-1}})"),
              "limits.time_s: expected a positive number");
    EXPECT_EQ(error_of(R"({"id":"a","language":"cpp","kind":"stdio","checker":{"type":"fuzzy"}})"),
              "checker.type: expected \"exact\", \"tokens\", \"float\" or \"program\", got \"fuzzy\"");
    EXPECT_EQ(error_of(R"({"id":"a","language":"cpp","kind":"stdio","tags":["x",3]})"),
              "tags[1]: expected a string");
    EXPECT_EQ(error_of(R"({"id":"a","language":"cpp","kind":"function"})"),
              "function.name: missing (required for kind \"function\")");
    EXPECT_EQ(error_of(R"({"id":"a b","language":"cpp","kind":"stdio"})"),
              "id: expected letters, digits, '-', '_' or '.', got \"a b\"");
    EXPECT_EQ(error_of(R"([1,2])"), "expected a JSON object");
    EXPECT_EQ(error_of(R"({"id":"a","language":"cpp","kind":"stdio","checker":{"type":"program"}})"),
              "checker.program: missing (required)");
}

TEST(Json, InvalidJsonNamesOriginAndPosition) {
    const std::string message = error_of("{\"id\": ");
    EXPECT_EQ(message.rfind("task.json: invalid JSON: ", 0), 0u) << message;
    EXPECT_NE(message.find("line 1"), std::string::npos) << message;
}

TEST(Json, DefaultsFollowPie) {
    auto task = task_from_json(nlohmann::json::parse(R"({"id":"a","language":"cpp","kind":"stdio"})"));
    ASSERT_TRUE(task);
    EXPECT_EQ(task->build.compiler, "g++");
    EXPECT_EQ(task->build.flags, (std::vector<std::string>{"-std=c++17", "-O3"}));
    EXPECT_EQ(task->checker.type, CheckerType::tokens);
    auto cuda = task_from_json(nlohmann::json::parse(R"({"id":"k","language":"cuda","kind":"cuda-kernel"})"));
    ASSERT_TRUE(cuda);
    EXPECT_EQ(cuda->build.compiler, "nvcc");
}

TEST(Json, MalformedMeasurement) {
    auto m = measurement_from_json(nlohmann::json::parse(R"({"verdict":"OK","tests":[{"name":"a","verdict":"MAYBE"}]})"));
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, "tests[0].verdict: expected one of OK, WA, CE, RE, TLE, MLE, OLE, SECURITY, got \"MAYBE\"");
    auto e = edit_from_json(nlohmann::json::parse(R"({"replacements":[{"path":"a","offset":-1,"length":0,"text":""}]})"));
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().message, "replacements[0]: offset and length must not be negative");
    auto rules = edit_from_json(nlohmann::json::parse(R"({"rules":["endl-in-loop", 3]})"));
    ASSERT_FALSE(rules);
    EXPECT_EQ(rules.error().message, "rules[1]: expected a string, got number");
}

TEST(Json, ProposerUsageHasItsFiveCounts) {
    optiloop::core::ProposerUsage usage;
    usage.requests = 3;
    usage.retries = 1;
    usage.cached = 2;
    usage.prompt_tokens = 1200;
    usage.completion_tokens = 300;
    EXPECT_EQ(optiloop::core::to_json(usage),
              (nlohmann::json{{"requests", 3}, {"retries", 1}, {"cached", 2}, {"prompt_tokens", 1200}, {"completion_tokens", 300}}));
}

// The search a model works in: a round whose candidates all fail sends the failures back (with
// each attempt's diff, the compiler's errors, the failing test's input and what was expected) and
// the search goes on, where the greedy loop stops; the population deals a round's samples out
// best-first, each member with its own history; the rules polish a model's new best; a recorded
// run replays to the same decisions; the measured search is the same at any parallelism; a
// round's requests are made side by side where the proposer allows it; islands and MAP-Elites
// (the variants measured against the population) keep what they are meant to keep.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include <optiloop/llm/replay.hpp>
#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/runner/counter.hpp>

#include "support/process_dir.hpp"

namespace fs = std::filesystem;
using namespace optiloop;
using core::Verdict;

namespace {

fs::path search_scratch() { return test_support::process_dir("optiloop-search-test-"); }

// Reads n and prints 0 + 1 + ... + (n - 1): a loop the better versions replace.
const char* k_slow = R"(#include <cstdio>
int main() {
  long n = 0;
  if (std::scanf("%ld", &n) != 1) return 1;
  long s = 0;
  for (long i = 0; i < n; ++i) s += i;
  std::printf("%ld\n", s);
}
)";
const char* k_fast = R"(#include <cstdio>
int main() {
  long n = 0;
  if (std::scanf("%ld", &n) != 1) return 1;
  std::printf("%ld\n", n * (n - 1) / 2);
}
)";
// Half the loop: cheaper than the baseline, dearer than the formula.
const char* k_half = R"(#include <cstdio>
int main() {
  long n = 0;
  if (std::scanf("%ld", &n) != 1) return 1;
  long s = 0;
  long i = 0;
  for (; i + 1 < n; i += 2) s += 2 * i + 1;
  if (i < n) s += i;
  std::printf("%ld\n", s);
}
)";
// The baseline's loop, twice: correct, and dearer than the baseline.
const char* k_slower = R"(#include <cstdio>
int main() {
  long n = 0;
  if (std::scanf("%ld", &n) != 1) return 1;
  long s = 0, t = 0;
  for (long i = 0; i < n; ++i) s += i;
  for (long i = 0; i < n; ++i) t += i;
  std::printf("%ld\n", (s + t) / 2);
}
)";
const char* k_off_by_one = R"(#include <cstdio>
int main() {
  long n = 0;
  if (std::scanf("%ld", &n) != 1) return 1;
  std::printf("%ld\n", n * (n + 1) / 2);
}
)";
const char* k_does_not_compile = R"(#include <cstdio>
int main() {
  long n = 0
  std::printf("%ld\n", n);
}
)";

core::Task sum_task() {
    core::Task task;
    task.id = "sum-below";
    task.limits.time_seconds = 10;
    task.limits.memory_bytes = 256 << 20;
    const fs::path dir = search_scratch() / task.id;
    fs::create_directories(dir);
    std::ofstream(dir / "small.in") << "10\n";
    std::ofstream(dir / "small.out") << "45\n";
    std::ofstream(dir / "large.in") << "200000\n";
    std::ofstream(dir / "large.out") << "19999900000\n";
    task.tests.push_back({"small", dir / "small.in", dir / "small.out"});
    task.tests.push_back({"large", dir / "large.in", dir / "large.out"});
    task.baseline = {{"main.cpp", k_slow}};
    return task;
}

core::Edit whole(const std::string& program, const std::string& why) {
    core::Edit e;
    e.proposer = "scripted";
    e.explanation = why;
    e.files = {{"main.cpp", program}};
    return e;
}

// A model written down: per round, the answers it gives; it notes every prompt it was given.
class ScriptedProposer : public core::Proposer {
public:
    explicit ScriptedProposer(std::vector<std::vector<core::Edit>> rounds) : m_rounds(std::move(rounds)) {}
    [[nodiscard]] std::string name() const override { return "scripted"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task&, const core::ProposalContext& context) override {
        contexts.push_back(context);
        std::vector<core::Edit> edits;
        const auto r = static_cast<std::size_t>(context.round - 1);
        if (r >= m_rounds.size()) return edits;
        auto& used = m_used[r];
        while (used < m_rounds[r].size() && static_cast<int>(edits.size()) < context.samples) edits.push_back(m_rounds[r][used++]);
        return edits;
    }
    std::vector<core::ProposalContext> contexts;

private:
    std::vector<std::vector<core::Edit>> m_rounds;
    std::map<std::size_t, std::size_t> m_used;
};

optimizer::Options search_options() {
    optimizer::Options options;
    options.samples = 2;
    options.rounds = 3;
    options.measure.counter = core::CounterKind::cachegrind;
    options.measure.repeats = 1;
    options.measure.warmups = 0;
    options.measure.jobs = 2;
    options.polish = false;
    return options;
}

bool valgrind_missing() { return !runner::probe_counters().valgrind; }

}  // namespace

TEST(Search, ARoundWhoseCandidatesAllFailSendsTheFailuresBackAndTheSearchGoesOn) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    ScriptedProposer model({{whole(k_does_not_compile, "drop the loop"), whole(k_off_by_one, "Gauss")}, {whole(k_fast, "Gauss, fixed")}});
    auto result = optimizer::optimize(task, model, search_options());
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(result->candidates.size(), 3u);
    EXPECT_EQ(result->candidates[0].measurement->verdict, Verdict::compile_error);
    EXPECT_EQ(result->candidates[1].measurement->verdict, Verdict::wrong_answer);
    ASSERT_TRUE(result->best);
    EXPECT_EQ(result->candidates[*result->best].candidate.id, "c3");
    EXPECT_EQ(result->rounds_run, 3);  // round 2 brought a new best, so round 3 was asked for
    ASSERT_GE(model.contexts.size(), 2u);
    // Round 2's prompt carries both failures: the diff of each attempt against the program it
    // changed, the compiler's error, the failing test with its input and what was expected.
    const std::string& feedback = model.contexts[1].feedback;
    EXPECT_NE(feedback.find("### Attempt c1 (round 1): CE"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("The compiler said:"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("error: expected"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("-  for (long i = 0; i < n; ++i) s += i;"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("### Attempt c2 (round 1): WA"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("Test small: WA"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("expected 45"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("Its input (3 bytes):\n```\n10\n```"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("+  std::printf(\"%ld\\n\", n * (n + 1) / 2);"), std::string::npos) << feedback;
}

TEST(Search, TheGreedyLoopStopsAtTheFirstRoundWithoutANewBest) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    ScriptedProposer model({{whole(k_does_not_compile, "drop the loop"), whole(k_off_by_one, "Gauss")}, {whole(k_fast, "Gauss, fixed")}});
    auto options = search_options();
    options.search = optimizer::Search::greedy;
    auto result = optimizer::optimize(task, model, options);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->candidates.size(), 2u);
    EXPECT_FALSE(result->best);
    EXPECT_EQ(result->stop, optimizer::Stop::no_progress);
    EXPECT_EQ(result->rounds_run, 1);
}

TEST(Search, ARoundWithNothingToRepairAndNoNewBestEndsTheSearch) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    // Round 1: the formula wins; round 2: the same formula again (identical) and a program slower
    // than the baseline (correct, so nothing to repair, and no member).
    ScriptedProposer model({{whole(k_fast, "Gauss")}, {whole(k_fast, "Gauss again"), whole(k_slower, "twice")}, {whole(k_fast, "never asked")}});
    auto options = search_options();
    options.samples = 2;
    auto result = optimizer::optimize(task, model, options);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->stop, optimizer::Stop::no_progress) << result->stop_reason;
    EXPECT_EQ(result->rounds_run, 2);
    EXPECT_NE(result->stop_reason.find("none failed in a way worth repairing"), std::string::npos) << result->stop_reason;
}

TEST(Search, ANewMemberThatIsNotTheBestKeepsThePopulationSearching) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    // Round 2 brings only half the loop: no new best, but a new member; round 3 is asked.
    ScriptedProposer model({{whole(k_fast, "Gauss")}, {whole(k_fast, "Gauss again"), whole(k_half, "half the loop")}, {}});
    auto result = optimizer::optimize(task, model, search_options());
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->rounds_run, 3);
    EXPECT_EQ(result->population, (std::vector<std::string>{"c1", "c3", "baseline"}));
}

// A model that answers only when every request of its round is in flight: made one at a time,
// the first request of a round with several waits in vain and fails.
class SideBySideProposer : public core::Proposer {
public:
    [[nodiscard]] std::string name() const override { return "side-by-side"; }
    [[nodiscard]] bool concurrent() const override { return true; }
    core::Result<std::vector<core::Edit>> propose(const core::Task&, const core::ProposalContext& context) override {
        std::unique_lock lock(m_mutex);
        contexts.push_back(context);
        if (context.round == 1) return std::vector<core::Edit>{whole(k_half, "half the loop")};
        // Round 2 asks once per member: c1 (half the loop) and the baseline.
        ++m_in_round_two;
        m_changed.notify_all();
        if (!m_changed.wait_for(lock, std::chrono::seconds(20), [&] { return m_in_round_two == 2; }))
            return core::fail(core::Error::infrastructure("round 2's requests were not made side by side"));
        if (context.request == 0) return std::vector<core::Edit>{whole(k_fast, "Gauss")};
        return std::vector<core::Edit>{};
    }
    std::vector<core::ProposalContext> contexts;

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_in_round_two = 0;
};

TEST(Search, ARoundsRequestsAreMadeSideBySideAndTakenInMemberOrder) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    SideBySideProposer model;
    auto options = search_options();
    options.samples = 2;
    options.rounds = 2;
    auto result = optimizer::optimize(task, model, options);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_EQ(model.contexts.size(), 3u);
    // Each request knows its place in the round, whichever came first.
    for (const auto& context : model.contexts) {
        if (context.round == 1) {
            EXPECT_EQ(context.request, 0);
            EXPECT_EQ(context.first_sample, 0);
        } else if (context.request == 0) {
            EXPECT_EQ(context.current[0].content, k_half);
            EXPECT_EQ(context.first_sample, 0);
        } else {
            EXPECT_EQ(context.request, 1);
            EXPECT_EQ(context.current[0].content, k_slow);
            EXPECT_EQ(context.first_sample, 1);
        }
    }
    ASSERT_TRUE(result->best);
    EXPECT_EQ(result->candidates[*result->best].candidate.parent, "c1");
    EXPECT_EQ(result->population.front(), "c2");
}

TEST(Search, ThePopulationDealsARoundsSamplesBestFirstEachWithItsOwnHistory) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    ScriptedProposer model({{whole(k_half, "half the loop"), whole(k_off_by_one, "Gauss")}, {}});
    auto options = search_options();
    options.samples = 3;
    options.population = 3;
    options.rounds = 2;
    auto result = optimizer::optimize(task, model, options);
    ASSERT_TRUE(result) << result.error().message;
    // Round 1 asks once (the baseline is the only member); round 2 once per member, best first:
    // c1 (half the loop) two samples, the baseline one, each shown its own attempts only.
    ASSERT_EQ(model.contexts.size(), 3u);
    EXPECT_EQ(model.contexts[0].samples, 3);
    EXPECT_EQ(model.contexts[1].current[0].content, k_half);
    EXPECT_EQ(model.contexts[1].samples, 2);
    // c1's prompt says where it came from, and has no attempts of its own yet.
    EXPECT_TRUE(model.contexts[1].feedback.starts_with("The program above is attempt c1 (round 1), correct on every test: ")) << model.contexts[1].feedback;
    EXPECT_EQ(model.contexts[1].feedback.find("### Attempt"), std::string::npos) << model.contexts[1].feedback;
    EXPECT_EQ(model.contexts[2].current[0].content, k_slow);
    EXPECT_EQ(model.contexts[2].samples, 1);
    EXPECT_NE(model.contexts[2].feedback.find("### Attempt c2 (round 1): WA"), std::string::npos) << model.contexts[2].feedback;
    EXPECT_NE(model.contexts[2].feedback.find("### Attempt c1 (round 1): correct"), std::string::npos) << model.contexts[2].feedback;
    EXPECT_EQ(result->population, (std::vector<std::string>{"c1", "baseline"}));
    EXPECT_EQ(result->stop, optimizer::Stop::proposer_empty);
}

TEST(Search, TheRulesPolishAModelsNewBest) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    core::Task task = sum_task();
    // The model's answer prints with std::endl in a loop; the rules replace it with '\n'.
    const std::string slow_lines = R"(#include <iostream>
int main() {
  long n = 0;
  std::cin >> n;
  for (long i = 0; i < n % 7; ++i) std::cout << 0 << std::endl;
  for (long i = 0; i < 400; ++i) std::cout << i << std::endl;
  std::cout << n * (n - 1) / 2 << std::endl;
}
)";
    std::string expected_small, expected_large;
    for (long i = 0; i < 10 % 7; ++i) expected_small += "0\n";
    for (long i = 0; i < 200000 % 7; ++i) expected_large += "0\n";
    for (long i = 0; i < 400; ++i) expected_small += std::to_string(i) + "\n", expected_large += std::to_string(i) + "\n";
    std::ofstream(task.tests[0].expected) << expected_small << "45\n";
    std::ofstream(task.tests[1].expected) << expected_large << "19999900000\n";
    std::string baseline = slow_lines;
    baseline.replace(baseline.find("  std::cout << n * (n - 1) / 2"), std::string("  std::cout << n * (n - 1) / 2").size(),
                     "  long s = 0;\n  for (long i = 0; i < n; ++i) s += i;\n  std::cout << s");
    task.baseline = {{"main.cpp", baseline}};
    ScriptedProposer model({{whole(slow_lines, "Gauss")}});
    auto options = search_options();
    options.samples = 1;
    options.rounds = 1;
    options.polish = true;
    auto result = optimizer::optimize(task, model, options);
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_GE(result->candidates.size(), 2u);
    EXPECT_FALSE(result->candidates[0].polish);
    ASSERT_TRUE(result->best);
    const auto& best = result->candidates[*result->best];
    EXPECT_TRUE(best.polish) << best.candidate.id;
    EXPECT_EQ(best.candidate.parent, "c1");
    EXPECT_EQ(best.candidate.edit.proposer, "rules");
    // Named by the rules it applies (here every rule that fired), not by parsing its text.
    EXPECT_NE(std::find(best.candidate.edit.rules.begin(), best.candidate.edit.rules.end(), "endl-in-loop"), best.candidate.edit.rules.end());
    EXPECT_EQ(best.candidate.sources[0].content.find("i << std::endl"), std::string::npos) << best.candidate.sources[0].content;
    // Without polish the model's answer is the best.
    ScriptedProposer again({{whole(slow_lines, "Gauss")}});
    options.polish = false;
    auto plain = optimizer::optimize(task, again, options);
    ASSERT_TRUE(plain) << plain.error().message;
    EXPECT_EQ(plain->candidates.size(), 1u);
}

TEST(Search, ARecordedRunReplaysToTheSameDecisions) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    const fs::path recording = search_scratch() / "run.jsonl";
    auto file = llm::RecordFile::create(recording);
    ASSERT_TRUE(file) << file.error().message;
    auto scripted = std::make_unique<ScriptedProposer>(std::vector<std::vector<core::Edit>>{
        {whole(k_does_not_compile, "drop the loop"), whole(k_half, "half")}, {whole(k_fast, "Gauss"), whole(k_off_by_one, "Gauss, wrong")}});
    llm::RecordingProposer recorder(std::move(scripted), *file);
    auto options = search_options();
    auto live = optimizer::optimize(task, recorder, options);
    ASSERT_TRUE(live) << live.error().message;
    auto replay = llm::ReplayProposer::from_recording(recording);
    ASSERT_TRUE(replay) << replay.error().message;
    auto again = optimizer::optimize(task, *replay, options);
    ASSERT_TRUE(again) << again.error().message;
    ASSERT_EQ(again->candidates.size(), live->candidates.size());
    for (std::size_t i = 0; i < live->candidates.size(); ++i) {
        EXPECT_EQ(again->candidates[i].candidate.parent, live->candidates[i].candidate.parent) << i;
        EXPECT_EQ(again->candidates[i].candidate.sources, live->candidates[i].candidate.sources) << i;
        EXPECT_EQ(again->candidates[i].measurement.has_value(), live->candidates[i].measurement.has_value()) << i;
        if (live->candidates[i].measurement) {
            EXPECT_EQ(again->candidates[i].measurement->total_cost, live->candidates[i].measurement->total_cost) << i;
        }
    }
    EXPECT_EQ(again->best, live->best);
    EXPECT_EQ(again->population, live->population);
    EXPECT_EQ(again->stop, live->stop);
    EXPECT_EQ(again->rounds_run, live->rounds_run);
    // Replayed with other options, the search asks what the recording never answered: said, not guessed.
    options.samples = 3;
    auto other = llm::ReplayProposer::from_recording(recording);
    ASSERT_TRUE(other);
    auto diverged = optimizer::optimize(task, *other, options);
    ASSERT_FALSE(diverged);
    EXPECT_NE(diverged.error().message.find("the search took another path"), std::string::npos) << diverged.error().message;
}

TEST(Search, CandidatesMeasuredSideBySideCountTheSameAsOneByOne) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    auto run = [&](int parallel) {
        ScriptedProposer model({{whole(k_half, "half"), whole(k_fast, "Gauss"), whole(k_off_by_one, "wrong")}});
        auto options = search_options();
        options.samples = 3;
        options.rounds = 1;
        options.parallel = parallel;
        return optimizer::optimize(task, model, options);
    };
    auto one = run(1), two = run(2);
    ASSERT_TRUE(one && two);
    ASSERT_EQ(one->candidates.size(), two->candidates.size());
    for (std::size_t i = 0; i < one->candidates.size(); ++i) {
        EXPECT_EQ(one->candidates[i].measurement->verdict, two->candidates[i].measurement->verdict) << i;
        EXPECT_EQ(one->candidates[i].measurement->total_cost, two->candidates[i].measurement->total_cost) << i;
    }
    EXPECT_EQ(one->best, two->best);
}

TEST(AttemptFeedback, AnAnswerThatDidNotApplyIsNamedWithItsReason) {
    const core::Task task = sum_task();
    optimizer::CandidateResult c;
    c.candidate.id = "c7";
    c.round = 2;
    c.note = "the answer was empty";
    const std::string text = optimizer::attempt_feedback(task, task.baseline, {&c});
    EXPECT_NE(text.find("### Attempt c7 (round 2): not built\nthe answer was empty"), std::string::npos) << text;
}

TEST(Search, AnswersThatCannotBeBuiltAreNotedFedBackAndRepaired) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    core::Edit elsewhere;
    elsewhere.proposer = "scripted";
    elsewhere.explanation = "edit a file that is not there";
    elsewhere.replacements = {{"other.cpp", 0, 3, "x"}};
    core::Edit empty;
    empty.proposer = "scripted";
    empty.problem = "the answer was empty";
    ScriptedProposer model({{elsewhere, empty}, {whole(k_fast, "Gauss")}});
    auto result = optimizer::optimize(task, model, search_options());
    ASSERT_TRUE(result) << result.error().message;
    ASSERT_GE(result->candidates.size(), 3u);
    EXPECT_FALSE(result->candidates[0].measurement);
    EXPECT_NE(result->candidates[0].note.find("other.cpp"), std::string::npos) << result->candidates[0].note;
    EXPECT_EQ(result->candidates[1].note, "the answer was empty");
    ASSERT_TRUE(result->best);  // round 2 was asked, with both notes in its prompt
    const std::string& feedback = model.contexts.at(1).feedback;
    EXPECT_NE(feedback.find("### Attempt c1 (round 1): not built"), std::string::npos) << feedback;
    EXPECT_NE(feedback.find("### Attempt c2 (round 1): not built\nthe answer was empty"), std::string::npos) << feedback;
}

TEST(Search, IslandsDealARoundBetweenThemKeepTheirOwnAttemptsAndPassTheirBestOn) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    // Round 1: island 1 halves the loop, island 2 gets Gauss off by one. Round 2: island 1 finds
    // the formula from its half loop, island 2 a correct but slower program.
    ScriptedProposer model({{whole(k_half, "half the loop"), whole(k_off_by_one, "Gauss")}, {whole(k_fast, "Gauss, fixed"), whole(k_slower, "twice")}, {}});
    auto options = search_options();
    options.search = optimizer::Search::islands;
    options.islands = 2;
    options.migrate_every = 2;
    std::vector<std::string> log;
    auto result = optimizer::optimize(task, model, options, [&](const std::string& line) { log.push_back(line); });
    ASSERT_TRUE(result) << result.error().message;
    // One request per island a round, one sample each.
    ASSERT_EQ(model.contexts.size(), 6u);
    for (const auto& context : model.contexts) EXPECT_EQ(context.samples, 1);
    EXPECT_EQ(model.contexts[0].current[0].content, k_slow);
    EXPECT_EQ(model.contexts[1].current[0].content, k_slow);
    // Round 2: island 1 asks from its half loop; island 2 from the baseline, shown its own
    // failed attempt and not island 1's.
    EXPECT_EQ(model.contexts[2].current[0].content, k_half);
    EXPECT_EQ(model.contexts[3].current[0].content, k_slow);
    EXPECT_NE(model.contexts[3].feedback.find("### Attempt c2 (round 1): WA"), std::string::npos) << model.contexts[3].feedback;
    EXPECT_EQ(model.contexts[3].feedback.find("Attempt c1"), std::string::npos) << model.contexts[3].feedback;
    // After round 2, island 1's best (the formula) migrated: round 3 asks from it on both islands.
    EXPECT_NE(std::find(log.begin(), log.end(), "round 2: c3 migrates from island 1 to island 2"), log.end());
    EXPECT_EQ(model.contexts[4].current[0].content, k_fast);
    EXPECT_EQ(model.contexts[5].current[0].content, k_fast);
    ASSERT_TRUE(result->best);
    EXPECT_EQ(result->candidates[*result->best].candidate.id, "c3");
    EXPECT_EQ(result->population, (std::vector<std::string>{"c3", "c1", "baseline"}));
    EXPECT_EQ(result->stop, optimizer::Stop::proposer_empty);
}

TEST(Search, ElitesKeepTheBestOfEachCellWhereThePopulationKeepsTheBestFew) {
    if (valgrind_missing()) GTEST_SKIP() << "valgrind is not usable here: " << runner::probe_counters().valgrind_reason;
    const core::Task task = sum_task();
    // The formula and the half loop each change under half of the original's bytes (cell 0 of
    // 2); the half loop behind a new first line changes nearly all of them (cell 1), at the half
    // loop's cost.
    const std::string rewritten_half = std::string("// Half the loop, rewritten.\n") + k_half;
    auto script = [&] {
        return std::vector<std::vector<core::Edit>>{
            {whole(k_fast, "Gauss"), whole(k_half, "half the loop")}, {whole(rewritten_half, "half the loop, rewritten"), whole(k_slower, "twice")}, {}};
    };
    auto options = search_options();
    options.population = 2;
    options.search = optimizer::Search::elites;
    ScriptedProposer elites_model(script());
    auto elites = optimizer::optimize(task, elites_model, options);
    ASSERT_TRUE(elites) << elites.error().message;
    // The half loop lost cell 0 to the formula: round 2 asks once, from the formula, for both samples.
    ASSERT_GE(elites_model.contexts.size(), 2u);
    EXPECT_EQ(elites_model.contexts[1].current[0].content, k_fast);
    EXPECT_EQ(elites_model.contexts[1].samples, 2);
    // The rewrite, no cheaper than the half loop, holds cell 1.
    EXPECT_EQ(elites->population, (std::vector<std::string>{"c1", "c3"}));
    // The population keeps the two cheapest instead: the half loop stays, the rewrite does not join.
    options.search = optimizer::Search::population;
    ScriptedProposer population_model(script());
    auto population = optimizer::optimize(task, population_model, options);
    ASSERT_TRUE(population) << population.error().message;
    ASSERT_GE(population_model.contexts.size(), 3u);
    EXPECT_EQ(population_model.contexts[1].samples, 1);
    EXPECT_EQ(population_model.contexts[2].current[0].content, k_half);
    EXPECT_EQ(population->population, (std::vector<std::string>{"c1", "c2"}));
}

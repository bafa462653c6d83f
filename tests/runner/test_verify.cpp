// time_contradiction: an instruction gain that clearly measurable wall time contradicts is caught;
// untrusted wall time (short or noisy runs), small gains, agreeing or better wall time (fewer
// system calls) and costs that are not instruction counts are never flagged.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <optiloop/runner/verify.hpp>

using namespace optiloop;
using core::CounterKind;
using core::Verdict;

namespace {

// A measurement with one cost (stress) test of the given cost, wall median and spread, beside a
// short, noisy correctness test that is not a cost test and so must not matter.
core::Measurement measured(double instructions, double wall_seconds, double cv = 0.01, CounterKind counter = CounterKind::cachegrind) {
    core::Measurement m;
    m.counter = counter;
    m.cost_unit = counter == CounterKind::harness ? "ns" : "instructions";
    m.total_cost = instructions;
    m.wall_seconds = wall_seconds;
    m.tests.push_back({"t1", false, Verdict::ok, "", std::nullopt, 0.001, 0.001, 0.9, 0, 5});
    m.tests.push_back({"s1", true, Verdict::ok, "", instructions, wall_seconds, wall_seconds, cv, 0, 5});
    return m;
}

const core::Measurement k_baseline = measured(1e9, 0.2);

}  // namespace

TEST(TimeContradiction, AGainThatWallTimeDoesNotShowIsContradicted) {
    const auto why = runner::time_contradiction(k_baseline, measured(2e8, 0.2));
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("5.00x fewer instructions"), std::string::npos) << *why;
    EXPECT_NE(why->find("1.00x in wall time"), std::string::npos) << *why;
    EXPECT_NE(why->find("(0.200 s before, 0.200 s after; noise band 10%)"), std::string::npos) << *why;
    EXPECT_EQ(why->find('\n'), std::string::npos) << "one line";
    // Slower in wall time while claiming fewer instructions: contradicted all the more.
    EXPECT_TRUE(runner::time_contradiction(k_baseline, measured(2e8, 0.3)));
}

TEST(TimeContradiction, AgreeingWallTimeIsNotContradicted) {
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(5e8, 0.1)));   // 2x and 2x
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(2e8, 0.16)));  // 5x and 1.25x: time shows a gain
}

// Wall time gaining more than instructions (fewer system calls, better cache use) is legitimate.
TEST(TimeContradiction, TheReverseDirectionIsNeverFlagged) {
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(9.9e8, 0.05)));  // 1.01x instructions, 4x time
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(1.2e9, 0.1)));   // more instructions, 2x time
}

TEST(TimeContradiction, ShortRunsAreNotTrusted) {
    // At the threshold on both sides: trusted.
    EXPECT_TRUE(runner::time_contradiction(measured(1e9, runner::k_trusted_wall_seconds), measured(2e8, runner::k_trusted_wall_seconds)));
    // Either side just below it: not trusted, whatever the ratios say.
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, 0.049), measured(2e8, 0.2)));
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, 0.2), measured(2e8, 0.049)));
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, 0.049), measured(2e8, 0.049)));
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, std::numeric_limits<double>::quiet_NaN()), measured(2e8, 0.2)));
}

TEST(TimeContradiction, NoisyRunsAreNotTrusted) {
    EXPECT_TRUE(runner::time_contradiction(measured(1e9, 0.2, runner::k_trusted_wall_cv), measured(2e8, 0.2, runner::k_trusted_wall_cv)));
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, 0.2, 0.11), measured(2e8, 0.2)));
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, 0.2), measured(2e8, 0.2, 0.11)));
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, 0.2), measured(2e8, 0.2, std::numeric_limits<double>::quiet_NaN())));
    // Every cost test counts, not only the first.
    core::Measurement two = measured(2e8, 0.2);
    two.tests.push_back({"s2", true, Verdict::ok, "", 1.0, 0.1, 0.1, 0.2, 0, 5});
    EXPECT_FALSE(runner::time_contradiction(k_baseline, two));
    // Without stress tests every test is a cost test, the short noisy one included.
    core::Measurement no_stress = measured(2e8, 0.2);
    for (auto& t : no_stress.tests) t.stress = false;
    EXPECT_FALSE(runner::time_contradiction(k_baseline, no_stress));
    no_stress.tests[0].wall_cv = 0.02;
    EXPECT_TRUE(runner::time_contradiction(k_baseline, no_stress));
}

TEST(TimeContradiction, OnlyAGainOfAtLeastAQuarterIsChecked) {
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(1e9 / 1.24, 0.2)));
    EXPECT_TRUE(runner::time_contradiction(measured(1.25e9, 0.2), measured(1e9, 0.2)));  // exactly 1.25x
}

TEST(TimeContradiction, TheBandIsTenPercentOrThreeTimesTheLargestSpread) {
    // Quiet runs: band 10%; wall time 1.09x contradicts a 5x claim, 1.11x does not.
    EXPECT_TRUE(runner::time_contradiction(k_baseline, measured(2e8, 0.2 / 1.09)));
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(2e8, 0.2 / 1.11)));
    // A spread of 5% on either side widens the band to 15%.
    EXPECT_TRUE(runner::time_contradiction(k_baseline, measured(2e8, 0.2 / 1.14, 0.05)));
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(2e8, 0.2 / 1.16, 0.05)));
    EXPECT_TRUE(runner::time_contradiction(measured(1e9, 0.2, 0.05), measured(2e8, 0.2 / 1.14)));
    const auto why = runner::time_contradiction(k_baseline, measured(2e8, 0.2 / 1.14, 0.05));
    ASSERT_TRUE(why);
    EXPECT_NE(why->find("noise band 15%"), std::string::npos) << *why;
}

// A harness-reported cost is itself a time, and without a counter the speedup is wall time.
TEST(TimeContradiction, OnlyInstructionCountsAreChecked) {
    for (const CounterKind counter : {CounterKind::perf, CounterKind::cachegrind, CounterKind::callgrind})
        EXPECT_TRUE(runner::time_contradiction(measured(1e9, 0.2, 0.01, counter), measured(2e8, 0.2, 0.01, counter))) << core::to_string(counter);
    EXPECT_FALSE(runner::time_contradiction(measured(1e9, 0.2, 0.01, CounterKind::harness), measured(2e8, 0.2, 0.01, CounterKind::harness)));
    core::Measurement base = measured(1e9, 0.2, 0.01, CounterKind::none), candidate = measured(2e8, 0.2, 0.01, CounterKind::none);
    EXPECT_FALSE(runner::time_contradiction(base, candidate));
    base.total_cost.reset();
    candidate.total_cost.reset();
    EXPECT_FALSE(runner::time_contradiction(base, candidate));
}

TEST(TimeContradiction, NoSpeedupNoContradiction) {
    // Counts from different counters are never compared.
    EXPECT_FALSE(runner::time_contradiction(k_baseline, measured(2e8, 0.2, 0.01, CounterKind::perf)));
    // A failing candidate has no speedup to contradict.
    core::Measurement failed = measured(2e8, 0.2);
    failed.verdict = Verdict::wrong_answer;
    EXPECT_FALSE(runner::time_contradiction(k_baseline, failed));
}

TEST(TimeContradiction, TooFewRepeatsAreNotTrusted) {
    // One repeat has a cv of 0: no spread measured, so nothing is known about the noise.
    for (int repeats : {1, 2}) {
        core::Measurement once = measured(2e8, 0.2);
        once.tests.back().wall_repeats = repeats;
        EXPECT_FALSE(runner::time_contradiction(k_baseline, once)) << repeats;
        EXPECT_FALSE(runner::time_contradiction(once, measured(2e8, 0.2))) << repeats;
    }
    core::Measurement thrice = measured(2e8, 0.2);
    thrice.tests.back().wall_repeats = runner::k_trusted_wall_repeats;
    EXPECT_TRUE(runner::time_contradiction(k_baseline, thrice));
}

// The field's metrics against numbers worked out by hand (in the comments), so a report that
// sets optiloop beside PIE, COFFE or KernelBench compares like with like.
#include <gtest/gtest.h>

#include <cmath>

#include <optiloop/analyzer/metrics.hpp>

using namespace optiloop::analyzer;

namespace {

Sample correct(double cost, std::size_t change = 0) { return {true, cost, change}; }
Sample wrong(double cost) { return {false, cost, 0}; }
// Correct, but its gain is one that wall time contradicts.
Sample contradicted(double cost, std::size_t change = 0) { return {true, cost, change, true}; }

ProgramResult program(double baseline, std::vector<Sample> samples, std::optional<double> reference = std::nullopt) {
    ProgramResult p;
    p.id = "p";
    p.baseline_cost = baseline;
    p.reference_cost = reference;
    p.samples = std::move(samples);
    return p;
}

}  // namespace

TEST(PassAtK, UnbiasedEstimator) {
    // 1 - C(3,1)/C(5,1) = 1 - 3/5
    EXPECT_NEAR(pass_at_k(5, 2, 1), 0.4, 1e-12);
    // 1 - C(3,2)/C(5,2) = 1 - 3/10
    EXPECT_NEAR(pass_at_k(5, 2, 2), 0.7, 1e-12);
    // 1 - C(7,3)/C(10,3) = 1 - 35/120
    EXPECT_NEAR(pass_at_k(10, 3, 3), 1.0 - 35.0 / 120.0, 1e-12);
    // With k = 1 the estimator is the plain share c / n.
    EXPECT_NEAR(pass_at_k(8, 3, 1), 3.0 / 8.0, 1e-12);
}

TEST(PassAtK, Edges) {
    EXPECT_EQ(pass_at_k(5, 0, 1), 0.0);  // no correct sample
    EXPECT_EQ(pass_at_k(5, 0, 5), 0.0);
    // n - c < k: every draw of k samples holds a correct one.
    EXPECT_EQ(pass_at_k(5, 4, 2), 1.0);
    EXPECT_EQ(pass_at_k(5, 5, 1), 1.0);
    // n - c == k: exactly one draw of k misses; 1 - 1/C(5,2) = 0.9
    EXPECT_NEAR(pass_at_k(5, 3, 2), 0.9, 1e-12);
    EXPECT_EQ(pass_at_k(0, 0, 1), 0.0);  // no samples at all
    // k beyond n draws all n: 1 as soon as one is correct.
    EXPECT_EQ(pass_at_k(3, 1, 10), 1.0);
}

TEST(PieMetrics, SpeedupOptAndCorrect) {
    const std::vector<ProgramResult> programs = {
        // best correct 50 (the wrong 10 does not count): 100 / 50 = 2.0; reference 100 / 50 = 2.0
        program(100, {correct(80), wrong(10), correct(50)}, 50.0),
        // 110 / 100 = 1.10 exactly: counts for %OPT; reference 110 / 44 = 2.5
        program(110, {correct(100)}, 44.0),
        // slower: 100 / 200 = 0.5, counted as max(1, 0.5) = 1; correct all the same
        program(100, {correct(200)}),
        // nothing correct: speedup 1, not correct
        program(100, {wrong(10), wrong(20)}),
    };
    const PieMetrics m = pie_metrics(programs);
    EXPECT_NEAR(m.mean_speedup, (2.0 + 1.1 + 1.0 + 1.0) / 4, 1e-12);  // 1.275
    EXPECT_NEAR(m.percent_opt, 50.0, 1e-12);                          // 2 of 4
    EXPECT_NEAR(m.percent_correct, 75.0, 1e-12);                      // 3 of 4
    ASSERT_TRUE(m.reference_mean_speedup);
    EXPECT_NEAR(*m.reference_mean_speedup, (2.0 + 2.5) / 2, 1e-12);   // only programs with a reference
}

TEST(PieMetrics, OptThresholdIsInclusiveAtTenPercent) {
    // 109.99 / 100 = 1.0999 < 1.10: improved but not %OPT.
    const PieMetrics below = pie_metrics({program(109.99, {correct(100)})});
    EXPECT_NEAR(below.mean_speedup, 1.0999, 1e-12);
    EXPECT_EQ(below.percent_opt, 0.0);
    EXPECT_EQ(below.percent_correct, 100.0);
    EXPECT_FALSE(below.reference_mean_speedup);
    const PieMetrics at = pie_metrics({program(220, {correct(200)})});  // 1.10
    EXPECT_EQ(at.percent_opt, 100.0);
}

TEST(PieMetrics, EmptyIsNeutral) {
    const PieMetrics m = pie_metrics({});
    EXPECT_EQ(m.mean_speedup, 1.0);
    EXPECT_EQ(m.percent_opt, 0.0);
    EXPECT_EQ(m.percent_correct, 0.0);
    EXPECT_FALSE(m.reference_mean_speedup);
}

TEST(CoffeMetrics, EfficientAtKAndRatioOfSums) {
    const std::vector<ProgramResult> programs = {
        // bar = min(reference 60, baseline 100) = 60; efficient: 50 and 40 (70 is slower than the
        // reference, the wrong 10 does not count): e = 2 of n = 4 -> @1 = 2/4, @4 = 1
        program(100, {correct(50), correct(70), wrong(10), correct(40)}, 60.0),
        // no reference: bar = baseline 100; 100 is not strictly below it, 120 is slower: e = 0
        program(100, {correct(100), correct(120)}),
        // a reference slower than the baseline: bar = baseline 100; 90 is efficient: e = 1 of 2
        program(100, {correct(90), wrong(50)}, 150.0),
    };
    const CoffeMetrics m = coffe_metrics(programs);
    EXPECT_NEAR(m.efficient_at_1, (0.5 + 0.0 + 0.5) / 3, 1e-12);
    EXPECT_NEAR(m.efficient_at_k, (1.0 + 0.0 + 1.0) / 3, 1e-12);
    // every program has a correct sample: (100 + 100 + 100) / (40 + 100 + 90)
    ASSERT_TRUE(m.speedup_ratio_of_sums);
    EXPECT_NEAR(*m.speedup_ratio_of_sums, 300.0 / 230.0, 1e-12);
}

TEST(CoffeMetrics, RatioOfSumsNeedsEveryProgramCorrect) {
    const CoffeMetrics m = coffe_metrics({program(100, {correct(50)}), program(100, {wrong(10)})});
    EXPECT_FALSE(m.speedup_ratio_of_sums);
    EXPECT_NEAR(m.efficient_at_1, (1.0 + 0.0) / 2, 1e-12);
    EXPECT_NEAR(m.efficient_at_k, (1.0 + 0.0) / 2, 1e-12);
}

TEST(KernelBenchMetrics, FastPIsStrictAndGeomeanOverCorrectSamples) {
    const std::vector<ProgramResult> programs = {
        // best correct 50: 2.0 -> fast_0, fast_1, fast_1.5, not fast_2 (strict >); samples 2.0 and 0.5
        program(100, {correct(50), correct(200), wrong(10)}),
        // 150 / 100 = 1.5 -> fast_0, fast_1, not fast_1.5
        program(150, {correct(100)}),
        // 1.0 -> fast_0 only
        program(100, {correct(100)}),
        // nothing correct
        program(100, {wrong(1)}),
    };
    const KernelBenchMetrics m = kernelbench_metrics(programs);
    EXPECT_NEAR(m.fast_0, 3.0 / 4, 1e-12);
    EXPECT_NEAR(m.fast_1, 2.0 / 4, 1e-12);
    EXPECT_NEAR(m.fast_1_5, 1.0 / 4, 1e-12);
    EXPECT_EQ(m.fast_2, 0.0);
    // correct samples' speedups 2.0, 0.5, 1.5, 1.0: (2 * 0.5 * 1.5 * 1)^(1/4) = 1.5^0.25 = 1.10668...
    ASSERT_TRUE(m.geomean_speedup);
    EXPECT_NEAR(*m.geomean_speedup, std::pow(1.5, 0.25), 1e-12);
    EXPECT_NEAR(*m.geomean_speedup, 1.1066819, 1e-6);
}

TEST(KernelBenchMetrics, JustAboveThresholdsCount) {
    // 100 / 49.9 = 2.004 > 2 and > 1.5 and > 1
    const KernelBenchMetrics m = kernelbench_metrics({program(100, {correct(49.9)}), program(100, {wrong(1)})});
    EXPECT_NEAR(m.fast_0, 0.5, 1e-12);
    EXPECT_NEAR(m.fast_1, 0.5, 1e-12);
    EXPECT_NEAR(m.fast_1_5, 0.5, 1e-12);
    EXPECT_NEAR(m.fast_2, 0.5, 1e-12);
    EXPECT_NEAR(*m.geomean_speedup, 100 / 49.9, 1e-12);
    // No correct sample anywhere: no geometric mean.
    EXPECT_FALSE(kernelbench_metrics({program(100, {wrong(1)})}).geomean_speedup);
}

TEST(Rank, CorrectOnlyBestSpeedupFirst) {
    const std::vector<Sample> samples = {
        correct(50, 10),      // 0: speedup 2.0
        wrong(10),            // 1: wrong, left out however fast
        correct(25, 100),     // 2: speedup 4.0
        {true, std::nullopt, 1},  // 3: correct but not measured, left out
        correct(51, 2),       // 4: speedup 100/51 = 1.9608
        correct(0, 1),        // 5: no cost, left out
    };
    EXPECT_EQ(rank(samples, 100), (std::vector<std::size_t>{2, 0, 4}));
    // noise 5%: |2.0 - 1.9608| = 0.039 <= 0.05 * 2.0, so 0 and 4 tie and the smaller change (4)
    // goes first; 4.0 is still clearly ahead.
    EXPECT_EQ(rank(samples, 100, 0.05), (std::vector<std::size_t>{2, 4, 0}));
    // noise 1%: 0.039 > 0.02, the speedup decides again.
    EXPECT_EQ(rank(samples, 100, 0.01), (std::vector<std::size_t>{2, 0, 4}));
}

TEST(Rank, EqualSpeedupsBreakTiesBySmallerChange) {
    const std::vector<Sample> samples = {correct(50, 30), correct(50, 5), correct(50, 12)};
    EXPECT_EQ(rank(samples, 100), (std::vector<std::size_t>{1, 2, 0}));
    EXPECT_TRUE(rank({wrong(1), wrong(2)}, 100).empty());
}

// A contradicted sample is correct, but its claimed gain is not an improvement in any metric.
TEST(Metrics, AContradictedGainIsNotAnImprovement) {
    // The only gain is contradicted: as if no sample improved (a wrong 5 never counts anyway).
    const std::vector<ProgramResult> only = {program(100, {contradicted(10), wrong(5)}, 50.0)};
    const PieMetrics pie = pie_metrics(only);
    EXPECT_EQ(pie.mean_speedup, 1.0);
    EXPECT_EQ(pie.percent_opt, 0.0);
    EXPECT_EQ(pie.percent_correct, 100.0);
    const CoffeMetrics coffe = coffe_metrics(only);
    EXPECT_EQ(coffe.efficient_at_1, 0.0);
    EXPECT_EQ(coffe.efficient_at_k, 0.0);
    ASSERT_TRUE(coffe.speedup_ratio_of_sums);
    EXPECT_NEAR(*coffe.speedup_ratio_of_sums, 1.0, 1e-12);
    const KernelBenchMetrics kb = kernelbench_metrics(only);
    EXPECT_EQ(kb.fast_0, 1.0);
    EXPECT_EQ(kb.fast_1, 0.0);
    ASSERT_TRUE(kb.geomean_speedup);
    EXPECT_NEAR(*kb.geomean_speedup, 1.0, 1e-12);
    // Beside an honest smaller gain, the honest one is what counts: 100 / 80 = 1.25.
    const std::vector<ProgramResult> both = {program(100, {contradicted(10), correct(80)})};
    EXPECT_NEAR(pie_metrics(both).mean_speedup, 1.25, 1e-12);
    EXPECT_EQ(pie_metrics(both).percent_opt, 100.0);
    EXPECT_NEAR(*kernelbench_metrics(both).geomean_speedup, std::sqrt(1.25), 1e-12);
}

TEST(Rank, ContradictedSamplesRankBelowEveryHonestOne) {
    const std::vector<Sample> samples = {
        contradicted(10, 1),  // 0: claims 10x
        correct(80, 50),      // 1: 1.25x
        wrong(5),             // 2: left out
        correct(120, 5),      // 3: slower than the baseline, still above a contradicted claim
        contradicted(20, 1),  // 4: claims 5x
    };
    EXPECT_EQ(rank(samples, 100), (std::vector<std::size_t>{1, 3, 0, 4}));
    EXPECT_EQ(rank(samples, 100, 0.5), (std::vector<std::size_t>{3, 1, 0, 4}));  // within the noise, smaller change first
}

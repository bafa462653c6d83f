// Ranking of candidates and the field's metrics, so optiloop's numbers can be set beside
// those of PIE (speedup, %OPT, %correct), COFFE (efficient@k, ratio of sums) and KernelBench
// (fast_p, geometric mean), with pass@k by the unbiased estimator.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace optiloop::analyzer {

// One sample (candidate) of one program (task).
struct Sample {
    bool correct = false;
    std::optional<double> cost;  // on the same counter as the program's costs
    std::size_t change_size = 0; // characters changed, to break ties
    // Its instruction gain is contradicted by clearly measurable wall time (runner::time_contradiction):
    // still correct, but its gain is not credited (its cost counts as the baseline's) and it ranks
    // below every honest sample.
    bool contradicted = false;
};

struct ProgramResult {
    std::string id;
    double baseline_cost = 0;                  // T_src
    std::optional<double> reference_cost;      // T_tgt (human reference), when known
    std::vector<Sample> samples;
};

// Unbiased pass@k: 1 - C(n - c, k) / C(n, k) (Chen et al. 2021).
double pass_at_k(std::size_t n, std::size_t c, std::size_t k);

struct PieMetrics {
    double mean_speedup = 1;     // mean over programs of max(1, T_src / best correct T)
    double percent_opt = 0;      // share of programs with that speedup >= 1.10
    double percent_correct = 0;  // share of programs with a correct sample
    std::optional<double> reference_mean_speedup;  // mean T_src / T_tgt
};
PieMetrics pie_metrics(const std::vector<ProgramResult>& programs);

struct CoffeMetrics {
    double efficient_at_1 = 0;  // expected share of programs where one sample is correct and beats the reference
    double efficient_at_k = 0;  // the same for k samples (k = samples per program)
    std::optional<double> speedup_ratio_of_sums;  // sum T_src / sum best correct T over programs all correct
};
CoffeMetrics coffe_metrics(const std::vector<ProgramResult>& programs);

struct KernelBenchMetrics {
    double fast_0 = 0, fast_1 = 0, fast_1_5 = 0, fast_2 = 0;  // share of programs correct and speedup > p
    std::optional<double> geomean_speedup;                    // over correct samples
};
KernelBenchMetrics kernelbench_metrics(const std::vector<ProgramResult>& programs);

// Indices of the correct samples, best first: by speedup, then (within `noise`) by smaller change;
// contradicted samples after every other correct one, in the same order among themselves.
std::vector<std::size_t> rank(const std::vector<Sample>& samples, double baseline_cost, double noise = 0.0);

}  // namespace optiloop::analyzer

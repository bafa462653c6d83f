#include <algorithm>
#include <cmath>
#include <numeric>

#include <optiloop/analyzer/metrics.hpp>

namespace optiloop::analyzer {

namespace {

// The cost a sample is credited with. A gain that wall time contradicts is not an improvement in
// any metric (%OPT, speedups, efficient@k, fast_p): such a sample counts as correct at the
// baseline's cost, or at its own when that is higher.
std::optional<double> credited_cost(const Sample& s, double baseline_cost) {
    if (!s.cost || !s.contradicted) return s.cost;
    return std::max(*s.cost, baseline_cost);
}

std::optional<double> best_correct_cost(const ProgramResult& p) {
    std::optional<double> best;
    for (const auto& s : p.samples) {
        const auto cost = credited_cost(s, p.baseline_cost);
        if (s.correct && cost && *cost > 0 && (!best || *cost < *best)) best = *cost;
    }
    return best;
}

double mean(const std::vector<double>& xs) {
    return xs.empty() ? 0 : std::accumulate(xs.begin(), xs.end(), 0.0) / static_cast<double>(xs.size());
}

}  // namespace

double pass_at_k(std::size_t n, std::size_t c, std::size_t k) {
    if (n == 0 || k == 0) return 0;
    k = std::min(k, n);
    if (n - c < k) return 1.0;
    // 1 - prod_{i=n-c+1}^{n} (1 - k / i), numerically stable.
    double fail = 1.0;
    for (std::size_t i = n - c + 1; i <= n; ++i) fail *= 1.0 - static_cast<double>(k) / static_cast<double>(i);
    return 1.0 - fail;
}

PieMetrics pie_metrics(const std::vector<ProgramResult>& programs) {
    PieMetrics m;
    if (programs.empty()) return m;
    std::vector<double> speedups, references;
    std::size_t opt = 0, correct = 0;
    for (const auto& p : programs) {
        const auto best = best_correct_cost(p);
        const double s = best && p.baseline_cost > 0 ? std::max(1.0, p.baseline_cost / *best) : 1.0;
        speedups.push_back(s);
        if (s >= 1.10) ++opt;
        if (std::any_of(p.samples.begin(), p.samples.end(), [](const Sample& x) { return x.correct; })) ++correct;
        if (p.reference_cost && *p.reference_cost > 0) references.push_back(p.baseline_cost / *p.reference_cost);
    }
    const auto n = static_cast<double>(programs.size());
    m.mean_speedup = mean(speedups);
    m.percent_opt = 100.0 * static_cast<double>(opt) / n;
    m.percent_correct = 100.0 * static_cast<double>(correct) / n;
    if (!references.empty()) m.reference_mean_speedup = mean(references);
    return m;
}

CoffeMetrics coffe_metrics(const std::vector<ProgramResult>& programs) {
    CoffeMetrics m;
    if (programs.empty()) return m;
    std::vector<double> at_1, at_k;
    double sum_src = 0, sum_best = 0;
    bool all_correct = true;
    for (const auto& p : programs) {
        // Efficient: correct and cheaper than the best known reference (the baseline when none).
        const double bar = p.reference_cost ? std::min(*p.reference_cost, p.baseline_cost) : p.baseline_cost;
        std::size_t efficient = 0;
        for (const auto& s : p.samples) {
            const auto cost = credited_cost(s, p.baseline_cost);
            if (s.correct && cost && *cost < bar) ++efficient;
        }
        at_1.push_back(pass_at_k(p.samples.size(), efficient, 1));
        at_k.push_back(pass_at_k(p.samples.size(), efficient, p.samples.size()));
        const auto best = best_correct_cost(p);
        if (!best) all_correct = false;
        else {
            sum_src += p.baseline_cost;
            sum_best += *best;
        }
    }
    m.efficient_at_1 = mean(at_1);
    m.efficient_at_k = mean(at_k);
    if (all_correct && sum_best > 0) m.speedup_ratio_of_sums = sum_src / sum_best;
    return m;
}

KernelBenchMetrics kernelbench_metrics(const std::vector<ProgramResult>& programs) {
    KernelBenchMetrics m;
    if (programs.empty()) return m;
    std::size_t f0 = 0, f1 = 0, f15 = 0, f2 = 0;
    double log_sum = 0;
    std::size_t correct_samples = 0;
    for (const auto& p : programs) {
        const auto best = best_correct_cost(p);
        if (best) {
            const double s = p.baseline_cost / *best;
            ++f0;  // fast_0: correct
            if (s > 1.0) ++f1;
            if (s > 1.5) ++f15;
            if (s > 2.0) ++f2;
        }
        for (const auto& s : p.samples) {
            const auto cost = credited_cost(s, p.baseline_cost);
            if (s.correct && cost && *cost > 0 && p.baseline_cost > 0) {
                log_sum += std::log(p.baseline_cost / *cost);
                ++correct_samples;
            }
        }
    }
    const auto n = static_cast<double>(programs.size());
    m.fast_0 = static_cast<double>(f0) / n;
    m.fast_1 = static_cast<double>(f1) / n;
    m.fast_1_5 = static_cast<double>(f15) / n;
    m.fast_2 = static_cast<double>(f2) / n;
    if (correct_samples) m.geomean_speedup = std::exp(log_sum / static_cast<double>(correct_samples));
    return m;
}

std::vector<std::size_t> rank(const std::vector<Sample>& samples, double baseline_cost, double noise) {
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < samples.size(); ++i)
        if (samples[i].correct && samples[i].cost && *samples[i].cost > 0) order.push_back(i);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        // A contradicted gain is not a gain: below every honest candidate, however small its gain.
        if (samples[a].contradicted != samples[b].contradicted) return samples[b].contradicted;
        const double sa = baseline_cost / *samples[a].cost, sb = baseline_cost / *samples[b].cost;
        if (std::fabs(sa - sb) > noise * std::max(sa, sb)) return sa > sb;
        return samples[a].change_size < samples[b].change_size;
    });
    return order;
}

}  // namespace optiloop::analyzer

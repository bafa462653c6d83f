#include <algorithm>
#include <cstdio>
#include <vector>

#include <optiloop/runner/measure.hpp>
#include <optiloop/runner/verify.hpp>

namespace optiloop::runner {

namespace {

// A harness-reported cost is already a time, and without a counter the speedup is wall time
// itself: neither can disagree with wall time in the way an instruction count can.
bool counts_instructions(core::CounterKind kind) {
    return kind == core::CounterKind::perf || kind == core::CounterKind::cachegrind || kind == core::CounterKind::callgrind;
}

// The tests whose medians make up wall_seconds, chosen as measure chooses them: the stress tests,
// or every test when there are none.
std::vector<const core::TestMeasurement*> cost_tests(const core::Measurement& m) {
    const bool any_stress = std::any_of(m.tests.begin(), m.tests.end(), [](const core::TestMeasurement& t) { return t.stress; });
    std::vector<const core::TestMeasurement*> out;
    for (const auto& t : m.tests)
        if (t.stress || !any_stress) out.push_back(&t);
    return out;
}

}  // namespace

std::optional<std::string> time_contradiction(const core::Measurement& baseline, const core::Measurement& candidate) {
    if (!counts_instructions(baseline.counter) || !counts_instructions(candidate.counter)) return std::nullopt;
    // Written as negations so that a NaN is never trusted.
    if (!(baseline.wall_seconds >= k_trusted_wall_seconds) || !(candidate.wall_seconds >= k_trusted_wall_seconds)) return std::nullopt;
    double noise = 0;
    for (const auto* m : {&baseline, &candidate})
        for (const auto* t : cost_tests(*m)) {
            if (!(t->wall_cv <= k_trusted_wall_cv) || t->wall_repeats < k_trusted_wall_repeats) return std::nullopt;
            noise = std::max(noise, t->wall_cv);
        }
    const auto by_count = speedup(baseline, candidate), by_time = wall_speedup(baseline, candidate);
    if (!by_count || !by_time || *by_count < k_contradicted_speedup) return std::nullopt;
    const double band = std::max(k_min_wall_band, k_wall_band_per_cv * noise);
    if (*by_time > 1 + band) return std::nullopt;
    char reason[256];
    std::snprintf(reason, sizeof reason,
                  "%.2fx fewer instructions, but only %.2fx in wall time (%.3f s before, %.3f s after; noise band %.0f%%)",
                  *by_count, *by_time, baseline.wall_seconds, candidate.wall_seconds, band * 100);
    return std::string(reason);
}

}  // namespace optiloop::runner

// Defence in depth for instruction counts: a candidate is an adversary that wants a lower number,
// and a count can be gamed (work moved where the counter does not look) or simply mislead (cache
// misses, system calls). A claimed gain that clearly measurable wall time contradicts is
// therefore never "verified"; the optimizer ranks such a candidate last and never reports it best.
#pragma once

#include <optional>
#include <string>

#include <optiloop/core/model.hpp>

namespace optiloop::runner {

// Wall time says something only when both runs are long enough that process start and timer
// resolution are small beside them (a sandboxed start costs a few ms) ...
inline constexpr double k_trusted_wall_seconds = 0.05;
// ... and every cost test repeated steadily on both sides: a noisy machine contradicts nothing.
inline constexpr double k_trusted_wall_cv = 0.10;
// A spread needs samples: one or two repeats say nothing about the noise (a single sample's cv
// is 0), so fewer than this many never contradict anything.
inline constexpr int k_trusted_wall_repeats = 3;
// Only a gain this large is checked: below it, cache and system-call effects can honestly cancel
// an instruction gain in wall time.
inline constexpr double k_contradicted_speedup = 1.25;
// Wall time contradicts when its speedup stays within 1 + band, band = the larger of these two:
// a fixed 10%, or three times the largest coefficient of variation seen on either side.
inline constexpr double k_min_wall_band = 0.10;
inline constexpr double k_wall_band_per_cv = 3.0;

// Why `candidate`'s instruction speedup over `baseline` is contradicted by their wall times (one
// line), or nullopt when it is not: the wall time is not trusted, the gain is small, time agrees,
// or the cost is not an instruction count (a harness-reported cost is itself a time). Time
// gaining more than instructions (fewer system calls, say) is never a contradiction.
std::optional<std::string> time_contradiction(const core::Measurement& baseline, const core::Measurement& candidate);

}  // namespace optiloop::runner

// The inputs of one test, generated from its stdin line "N BINS DISTRIBUTION SEED" by a 64-bit
// LCG, identically by the CUDA harness and by gen/expected.cpp (which counts the bins on the
// CPU). The distributions, each aimed at a mistake:
// - uniform: every value the top 32 bits of the LCG state, over the whole unsigned range, so half
//   of them are >= 2^31 and a kernel that takes them as int gets negative remainders;
// - skewed: 90% of the values are one "hot" value, the rest uniform: one bin takes nearly all the
//   atomics (the contention a privatised histogram must survive, and a count near n to merge);
// - equal: every value the hot value: one bin holds n, every other bin 0 (a bin no value falls in
//   must still read 0, not the harness's poison);
// - top: values in [2^32 - 65536, 2^32 - 1], the top of the range, where int overflows negative
//   and float rounds (4294967295 becomes 4294967296.0f) to the wrong bin.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstring>
#include <vector>

// Internal linkage: the candidate is linked into the same program, and a function of the harness
// with external linkage could be replaced by a candidate's definition of the same name.
namespace {

constexpr int k_max_bins = 4096;                        // the most bins a candidate must handle (api.cuh)
constexpr std::size_t k_max_n = std::size_t{1} << 28;  // the longest input, so no count overflows

enum class Distribution { uniform, skewed, equal, top };

struct HistogramShape {
    std::size_t n = 0;
    int bins = 0;
    Distribution distribution = Distribution::uniform;
    unsigned long long seed = 0;
};

inline bool read_shape(HistogramShape& s) {
    char name[16] = {};
    if (std::scanf("%zu %d %15s %llu", &s.n, &s.bins, name, &s.seed) != 4) return false;
    if (std::strcmp(name, "uniform") == 0) s.distribution = Distribution::uniform;
    else if (std::strcmp(name, "skewed") == 0) s.distribution = Distribution::skewed;
    else if (std::strcmp(name, "equal") == 0) s.distribution = Distribution::equal;
    else if (std::strcmp(name, "top") == 0) s.distribution = Distribution::top;
    else return false;
    return s.n >= 1 && s.n <= k_max_n && s.bins >= 1 && s.bins <= k_max_bins;
}

// The next 32 random bits: the top half of the LCG state (its low bits have short periods).
inline unsigned next_bits(unsigned long long& state) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<unsigned>(state >> 32);
}

// Drawn in this order: the hot value, then for each value what its distribution needs.
inline void make_inputs(const HistogramShape& s, std::vector<unsigned>& values) {
    unsigned long long state = s.seed * 2654435761ULL + 1;
    const unsigned hot = next_bits(state);
    values.resize(s.n);
    for (auto& v : values) {
        switch (s.distribution) {
            case Distribution::uniform: v = next_bits(state); break;
            case Distribution::skewed: v = next_bits(state) % 10 != 0 ? hot : next_bits(state); break;
            case Distribution::equal: v = hot; break;
            case Distribution::top: v = 0xFFFFFFFFu - (next_bits(state) >> 16); break;
        }
    }
}

// Every count, one per line (at most 4096 of them, so even the stress inputs print them all).
inline void print_output(const std::vector<unsigned>& counts) {
    std::printf("%zu bins\n", counts.size());
    for (unsigned c : counts) std::printf("%u\n", c);
}

}  // namespace

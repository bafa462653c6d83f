// Human-readable numbers for tables and summaries (optimize's table, report, eval's progress).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include <optiloop/core/proposer.hpp>

namespace optiloop::core {

inline std::string format_count(double n) {
    char text[32];
    if (n >= 1e9) std::snprintf(text, sizeof text, "%.3f G", n / 1e9);
    else if (n >= 1e6) std::snprintf(text, sizeof text, "%.3f M", n / 1e6);
    else if (n >= 1e3) std::snprintf(text, sizeof text, "%.1f k", n / 1e3);
    else std::snprintf(text, sizeof text, "%.0f", n);
    return text;
}

inline std::string format_seconds(double s) {
    char text[32];
    if (s >= 1) std::snprintf(text, sizeof text, "%.2f s", s);
    else std::snprintf(text, sizeof text, "%.1f ms", s * 1e3);
    return text;
}

inline std::string format_bytes(std::int64_t b) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(b) / (1 << 20));
    return text;
}

inline std::string format_ratio(double r) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2fx", r);
    return text;
}

inline std::string format_percent(double f) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%", f * 100);
    return text;
}

// "3 requests (1 retried, 2 answers from the cache), 1.2 k prompt + 300 completion tokens".
std::string usage_line(const ProposerUsage& usage);

}  // namespace optiloop::core

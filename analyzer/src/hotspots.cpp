#include <algorithm>
#include <cmath>
#include <sstream>

#include <optiloop/analyzer/analyzer.hpp>

namespace optiloop::analyzer {

bool names_function(const std::string& qualified, const std::string& wanted) {
    if (wanted.empty()) return false;
    return qualified == wanted || (qualified.size() >= wanted.size() + 2 && qualified.ends_with(wanted) && qualified.compare(qualified.size() - wanted.size() - 2, 2, "::") == 0);
}

std::vector<HotSpot> hot_spots(const Analysis& analysis, const core::LineProfile& profile) {
    std::vector<HotSpot> spots;
    if (profile.total <= 0) return spots;
    auto cost_between = [&](const std::string& file, unsigned from, unsigned to) {
        double sum = 0;
        for (const auto& l : profile.lines)
            if (l.file == file && l.line >= from && l.line <= to) sum += l.cost;
        return sum;
    };
    for (const auto& f : analysis.functions) {
        HotSpot spot{f.name, f.file, f.begin_line, f.end_line, cost_between(f.file, f.begin_line, f.end_line) / profile.total, 0, 0};
        // The most expensive loop; an inner loop wins a tie with its outer one (it says more).
        for (const auto& loop : f.loops) {
            const double share = cost_between(f.file, loop.line, loop.end_line) / profile.total;
            if (share > spot.loop_share + 1e-12 || (std::fabs(share - spot.loop_share) <= 1e-12 && loop.line > spot.loop_line)) {
                spot.loop_share = share;
                spot.loop_line = loop.line;
            }
        }
        if (spot.share > 0) spots.push_back(spot);
    }
    std::sort(spots.begin(), spots.end(), [](const HotSpot& a, const HotSpot& b) { return a.share > b.share; });
    return spots;
}

std::string describe(const std::vector<HotSpot>& spots, std::size_t at_most) {
    std::ostringstream out;
    auto percent = [](double share) { return std::to_string(static_cast<int>(std::lround(share * 100))) + "%"; };
    for (std::size_t i = 0; i < spots.size() && i < at_most; ++i) {
        const auto& s = spots[i];
        out << "function " << s.function << " (" << s.file << ":" << s.begin_line << "-" << s.end_line << "): " << percent(s.share)
            << " of instructions";
        if (s.loop_line) out << "; loop at line " << s.loop_line << ": " << percent(s.loop_share);
        out << "\n";
    }
    return out.str();
}

}  // namespace optiloop::analyzer

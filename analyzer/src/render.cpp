#include <algorithm>
#include <sstream>

#include <optiloop/analyzer/render.hpp>

namespace optiloop::analyzer {

nlohmann::json analysis_json(const Analysis& analysis, const std::vector<HotSpot>& spots) {
    nlohmann::json j = {{"functions", nlohmann::json::array()}, {"findings", nlohmann::json::array()}, {"hot_spots", nlohmann::json::array()}};
    for (const auto& h : spots)
        j["hot_spots"].push_back({{"function", h.function}, {"file", h.file}, {"begin_line", h.begin_line}, {"end_line", h.end_line},
                                  {"share", h.share}, {"loop_line", h.loop_line}, {"loop_share", h.loop_share}});
    for (const auto& f : analysis.functions) {
        nlohmann::json loops = nlohmann::json::array();
        for (const auto& l : f.loops) loops.push_back({{"line", l.line}, {"depth", l.depth}, {"kind", l.kind}});
        j["functions"].push_back({{"name", f.name}, {"file", f.file}, {"begin_line", f.begin_line}, {"end_line", f.end_line},
                                  {"loops", loops}, {"calls", f.calls}});
    }
    for (const auto& f : analysis.findings) {
        nlohmann::json fix = nlohmann::json::array();
        for (const auto& r : f.fix) fix.push_back({{"path", r.path}, {"offset", r.offset}, {"length", r.length}, {"text", r.text}});
        j["findings"].push_back({{"rule", f.rule}, {"file", f.file}, {"line", f.line}, {"column", f.column}, {"message", f.message}, {"fix", fix}});
    }
    return j;
}

std::string analysis_text(const Analysis& analysis, const std::vector<HotSpot>& spots, const std::string& profiled_test) {
    std::ostringstream out;
    for (const auto& f : analysis.functions) {
        out << f.file << ":" << f.begin_line << "-" << f.end_line << "  " << f.name;
        if (!f.loops.empty()) {
            unsigned deepest = 0;
            for (const auto& l : f.loops) deepest = std::max(deepest, l.depth);
            out << "  (" << f.loops.size() << " loops, nesting " << deepest << ")";
        }
        if (!f.calls.empty()) {
            out << "  calls";
            for (const auto& c : f.calls) out << " " << c;
        }
        out << "\n";
        for (const auto& l : f.loops) out << "    " << std::string(2 * (l.depth - 1), ' ') << l.kind << " at line " << l.line << "\n";
    }
    if (!profiled_test.empty()) out << "hot spots (callgrind, test " << profiled_test << "):\n" << describe(spots);
    out << analysis.findings.size() << " findings\n";
    for (const auto& f : analysis.findings) out << f.file << ":" << f.line << ":" << f.column << ": [" << f.rule << "] " << f.message << "\n";
    return out.str();
}

core::Result<std::vector<LabelledKernel>> cuda_reports(const std::vector<CudaInput>& inputs, int default_block_size) {
    std::vector<LabelledKernel> out;
    for (const auto& input : inputs) {
        auto kernels = cuda_report(input.file.path, input.file.content, default_block_size, input.headers);
        if (!kernels) return core::fail(kernels.error());
        for (auto& k : *kernels) out.push_back({input.label, std::move(k)});
    }
    return out;
}

nlohmann::json kernels_json(const std::vector<LabelledKernel>& kernels) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [file, k] : kernels)
        out.push_back({{"file", file}, {"kernel", k.name}, {"registers", k.registers}, {"shared_bytes", k.shared_bytes},
                       {"stack_bytes", k.stack_bytes}, {"spill_store_bytes", k.spill_store_bytes}, {"spill_load_bytes", k.spill_load_bytes},
                       {"block_size", k.block_size}, {"block_size_from_launch", k.block_size_from_launch}, {"occupancy_sm90", k.occupancy},
                       {"limited_by", k.limited_by}, {"hints", k.hints}});
    return out;
}

std::string kernels_text(const std::vector<LabelledKernel>& kernels) {
    std::ostringstream out;
    for (const auto& [file, k] : kernels) {
        out << file << ": " << k.name << "\n    " << k.registers << " registers, " << k.shared_bytes << " B shared, " << k.stack_bytes
            << " B stack, spills " << k.spill_store_bytes << "/" << k.spill_load_bytes << " B; occupancy on sm_90 at " << k.block_size
            << " threads" << (k.block_size_from_launch ? " (from its launch)" : " (--block-size)") << ": "
            << static_cast<int>(k.occupancy * 100 + 0.5) << "% (limited by " << k.limited_by << ")\n";
        for (const auto& h : k.hints) out << "    hint: " << h << "\n";
    }
    return out.str();
}

}  // namespace optiloop::analyzer

#include <cxxabi.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <regex>
#include <sstream>

#include <optiloop/analyzer/cuda_report.hpp>
#include <optiloop/sandbox/sandbox.hpp>

namespace optiloop::analyzer {

namespace {

std::string demangle(const std::string& mangled) {
    int status = 0;
    char* text = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
    std::string out = status == 0 && text ? text : mangled;
    std::free(text);
    return out;
}

std::string simple_name(const std::string& demangled) {
    std::string name = demangled.substr(0, demangled.find('('));
    if (auto colon = name.rfind("::"); colon != std::string::npos) name = name.substr(colon + 2);
    if (auto space = name.rfind(' '); space != std::string::npos) name = name.substr(space + 1);
    if (auto angle = name.find('<'); angle != std::string::npos) name = name.substr(0, angle);
    return name;
}

int number_before(const std::string& line, const std::string& unit) {
    const auto at = line.find(unit);
    if (at == std::string::npos) return 0;
    std::size_t start = at;
    while (start > 0 && line[start - 1] == ' ') --start;
    std::size_t digits = start;
    while (digits > 0 && std::isdigit(static_cast<unsigned char>(line[digits - 1]))) --digits;
    return digits < start ? std::atoi(line.substr(digits, start - digits).c_str()) : 0;
}

}  // namespace

std::vector<KernelResources> parse_resource_usage(const std::string& text) {
    std::vector<KernelResources> kernels;
    std::istringstream in(text);
    std::string line;
    static const std::regex entry(R"(Compiling entry function '([^']+)')");
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_search(line, m, entry)) {
            KernelResources k;
            k.mangled = m[1];
            k.name = demangle(k.mangled);
            kernels.push_back(k);
            continue;
        }
        if (kernels.empty()) continue;
        KernelResources& k = kernels.back();
        if (line.find("bytes stack frame") != std::string::npos) {
            k.stack_bytes = number_before(line, "bytes stack frame");
            k.spill_store_bytes = number_before(line, "bytes spill stores");
            k.spill_load_bytes = number_before(line, "bytes spill loads");
        } else if (line.find("Used ") != std::string::npos && line.find("registers") != std::string::npos) {
            k.registers = number_before(line, "registers");
            k.barriers = number_before(line, "barriers");
            k.shared_bytes = number_before(line, "bytes smem");
        }
    }
    return kernels;
}

void compute_occupancy_sm90(KernelResources& k, int block_size) {
    constexpr int max_warps = 64, max_blocks = 32, registers_per_sm = 65536, shared_per_sm = 228 * 1024;
    k.block_size = block_size;
    k.hints.clear();
    const int warps_per_block = (block_size + 31) / 32;
    int blocks = max_blocks;
    k.limited_by = "blocks";
    auto limit = [&](int candidate, const char* why) {
        if (candidate < blocks) {
            blocks = candidate;
            k.limited_by = why;
        }
    };
    limit(max_warps / std::max(1, warps_per_block), "threads");
    if (k.registers > 0) {
        const int per_warp = (k.registers * 32 + 255) / 256 * 256;
        limit((registers_per_sm / per_warp) / std::max(1, warps_per_block), "registers");
    }
    if (k.shared_bytes > 0) limit(shared_per_sm / (k.shared_bytes + 1024), "shared memory");
    k.occupancy = std::max(0, blocks) * warps_per_block / static_cast<double>(max_warps);
    if (k.spill_store_bytes || k.spill_load_bytes)
        k.hints.push_back("spills " + std::to_string(k.spill_store_bytes) + " bytes to local memory: fewer live values or a smaller tile");
    if (k.occupancy < 0.5)
        k.hints.push_back("occupancy " + std::to_string(static_cast<int>(std::lround(k.occupancy * 100))) + "% at " + std::to_string(block_size) +
                          " threads per block, limited by " + k.limited_by);
}

std::vector<std::pair<std::string, int>> launch_block_sizes(const std::string& source) {
    std::vector<std::pair<std::string, int>> out;
    static const std::regex launch(R"(([A-Za-z_][A-Za-z0-9_]*)\s*(?:<[^<>;]*>)?\s*<<<\s*[^,>]+,\s*(\d+)\s*[,>])");
    for (auto it = std::sregex_iterator(source.begin(), source.end(), launch); it != std::sregex_iterator(); ++it)
        out.emplace_back((*it)[1], std::stoi((*it)[2]));
    return out;
}

core::Result<std::vector<KernelResources>> cuda_report(const std::string& file_name, const std::string& source,
                                                       int default_block_size, const std::vector<core::SourceFile>& headers) {
    const char* nvcc = "/usr/local/cuda/bin/nvcc";
    sandbox::Spec spec;
    spec.argv = {nvcc, "-arch=sm_90", "--resource-usage", "-c", "-o", "/work/out.o", "/work/" + file_name};
    spec.scratch_data = {{file_name, source}};
    for (const auto& header : headers)
        if (header.path != file_name) spec.scratch_data.emplace_back(header.path, header.content);
    spec.env = {"PATH=/usr/local/cuda/bin:/usr/bin:/bin", "LANG=C", "TMPDIR=/tmp"};
    spec.limits.cpu_seconds = 120;
    spec.limits.wall_seconds = 240;
    spec.limits.memory_bytes = std::int64_t{4} << 30;
    spec.limits.address_space_fallback = false;
    spec.limits.processes = 64;
    spec.limits.open_files = 256;
    spec.limits.tmp_bytes = std::int64_t{1} << 30;
    spec.limits.file_size_bytes = std::int64_t{512} << 20;
    auto run = sandbox::run(spec);
    if (!run) return core::fail(run.error());
    if (run->verdict == core::Verdict::runtime_error && run->detail.find("cannot execute") != std::string::npos)
        return core::fail(core::Error::infrastructure("nvcc not found at /usr/local/cuda/bin/nvcc; CUDA reports need the CUDA toolkit"));
    if (run->verdict != core::Verdict::ok) {
        std::string first;
        std::istringstream in(run->stderr_data);
        for (std::string line; std::getline(in, line);)
            if (line.find("error") != std::string::npos) {
                first = line;
                break;
            }
        for (std::size_t at; (at = first.find("/work/")) != std::string::npos;) first.erase(at, 6);
        return core::fail(core::Error::input(file_name + ": nvcc failed: " + (first.empty() ? run->detail : first)));
    }
    auto kernels = parse_resource_usage(run->stdout_data + run->stderr_data);
    const auto launches = launch_block_sizes(source);
    for (auto& k : kernels) {
        int block = default_block_size;
        for (const auto& [name, size] : launches)
            if (name == simple_name(k.name)) {
                block = size;
                k.block_size_from_launch = true;
                break;
            }
        compute_occupancy_sm90(k, block);
    }
    return kernels;
}

}  // namespace optiloop::analyzer

// optiloop-kernels: checks the CUDA attention kernels against the float64 reference and measures
// them, on a GPU machine that has only CMake, ninja and the CUDA toolkit. It depends on nothing
// but the CUDA runtime, cuBLAS and the kernels module.
#include <unistd.h>

#include <cuda_runtime_api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <optiloop/kernels/attention_check.hpp>
#include <optiloop/kernels/attention_cuda.hpp>
#include <optiloop/kernels/fragment_probe.hpp>

namespace optiloop::kernels {
namespace {

enum ExitCode : int { k_exit_ok = 0, k_exit_failed = 1, k_exit_usage = 2, k_exit_infrastructure = 3 };

std::string cuda_check(cudaError_t error, const char* what) {
    return error == cudaSuccess ? "" : std::string(what) + ": " + cudaGetErrorString(error);
}

// --family NAME: one kernel family, so that kernels/device-check.sh can run each in a process of
// its own (a kernel that faults leaves a sticky CUDA error that fails every later call of the
// process). False after saying what was expected.
bool parse_family(const char* command, const std::string& text, std::optional<AttentionKernel>* family) {
    for (AttentionKernel kernel : {AttentionKernel::naive, AttentionKernel::prefill, AttentionKernel::decode})
        if (text == kernel_name(kernel)) {
            *family = kernel;
            return true;
        }
    std::fprintf(stderr, "optiloop-kernels %s: --family expects naive, prefill or decode, not '%s'\n", command,
                 text.c_str());
    return false;
}

bool selected(const std::optional<AttentionKernel>& family, AttentionKernel kernel) {
    return !family || *family == kernel;
}

// "12.5% 4.1e-01" (and " 3 NaN"): a bucket's share of the squared error and its largest error.
std::string bucket_text(const ErrorBucket& bucket, double total_squared_error) {
    char text[64];
    const double share = total_squared_error > 0 ? 100 * bucket.squared_error / total_squared_error : 0.0;
    if (bucket.nan > 0)
        std::snprintf(text, sizeof text, "%5.1f%% %.1e %zu NaN", share, bucket.max_error, bucket.nan);
    else
        std::snprintf(text, sizeof text, "%5.1f%% %.1e", share, bucket.max_error);
    return text;
}

void print_buckets(const char* title, const ErrorBucket* buckets, std::size_t count, double total_squared_error) {
    std::printf("  %s:\n", title);
    for (std::size_t first = 0; first < count; first += 8) {
        std::string line = "   ";
        for (std::size_t i = first; i < std::min(count, first + 8); ++i) {
            char entry[48];
            std::snprintf(entry, sizeof entry, " %2zu: %-16s", i, bucket_text(buckets[i], total_squared_error).c_str());
            line += entry;
        }
        line.erase(line.find_last_not_of(' ') + 1);
        std::printf("%s\n", line.c_str());
    }
}

// Where the first failing case's error lies: its worst rows, and the error by fragment row and
// column and by key tile (lines indented, so that no line starts with ok or FAIL).
void print_diagnosis(const std::string& name, const CheckDiagnosis& diagnosis) {
    std::printf("  diagnosis of %s (sampled rows; printed for the first failing case only)\n", name.c_str());
    std::printf("  worst rows:\n");
    for (const RowError& row : diagnosis.worst_rows)
        std::printf("    b=%zu h=%zu q=%zu: max |error| %.2e at dim %zu (got %.5g, expected %.5g), row rel_l2 %.2e, "
                    "lse error %.2e\n",
                    row.batch, row.head, row.position, row.max_error, row.dimension, row.got, row.expected,
                    row.relative_l2, row.lse_error);
    const double total = diagnosis.total_squared_error;
    print_buckets("by query row mod 16 (mma row; share of the squared error, max |error|)",
                  diagnosis.by_row_mod_16.data(), diagnosis.by_row_mod_16.size(), total);
    print_buckets("by dim mod 8 (mma column)", diagnosis.by_column_mod_8.data(), diagnosis.by_column_mod_8.size(), total);
    const std::string tiles =
        "by key tile of the row's last visible key (" + std::to_string(diagnosis.key_tile_keys) + " keys per tile)";
    print_buckets(tiles.c_str(), diagnosis.by_key_tile.data(), diagnosis.by_key_tile.size(), total);
    if (diagnosis.rows_without_keys.elements > 0)
        std::printf("  rows that see no key: %s\n", bucket_text(diagnosis.rows_without_keys, total).c_str());
}

int run_check_command(const std::vector<std::string>& arguments) {
    std::string filter;
    std::optional<AttentionKernel> family;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        if (arguments[i] == "--filter" && i + 1 < arguments.size()) {
            filter = arguments[++i];
        } else if (arguments[i] == "--family" && i + 1 < arguments.size()) {
            if (!parse_family("check", arguments[++i], &family)) return k_exit_usage;
        } else {
            std::fprintf(stderr,
                         "optiloop-kernels check: unknown argument '%s' (usage: check [--family naive|prefill|decode] "
                         "[--filter TEXT])\n",
                         arguments[i].c_str());
            return k_exit_usage;
        }
    }
    std::string why;
    if (!cuda_device_available(&why)) {
        std::fprintf(stderr, "optiloop-kernels check: %s\n", why.c_str());
        return k_exit_infrastructure;
    }
    std::size_t passed = 0;
    std::size_t failed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (const CheckCase& c : check_cases()) {
        const std::string name = describe(c);
        if (!selected(family, c.kernel)) continue;
        if (!filter.empty() && name.find(filter) == std::string::npos) continue;
        const CheckResult result = run_check(c);
        std::printf("%-4s %-58s rel_l2=%.2e lse_err=%.2e rows=%zu%s%s\n", result.passed ? "ok" : "FAIL", name.c_str(),
                    result.output_error, result.lse_error, result.rows_checked, result.message.empty() ? "" : "  ",
                    result.message.c_str());
        if (!result.passed && failed == 0 && result.diagnosis) print_diagnosis(name, *result.diagnosis);
        std::fflush(stdout);
        (result.passed ? passed : failed) += 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("check: %zu passed, %zu failed (%.1f s)\n", passed, failed, seconds);
    return failed == 0 ? k_exit_ok : k_exit_failed;
}

// ---- benchmarks ----

class Timer {
public:
    Timer() {
        int device = 0;
        int l2_bytes = 0;
        cudaGetDevice(&device);
        cudaDeviceGetAttribute(&l2_bytes, cudaDevAttrL2CacheSize, device);
        // Twice the L2 so that nothing of the previous run survives.
        m_flush = std::make_unique<DeviceBuffer>(std::max<std::size_t>(2 * static_cast<std::size_t>(l2_bytes), 1 << 20));
    }
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;
    ~Timer() {
        for (cudaEvent_t event : m_starts) cudaEventDestroy(event);
        for (cudaEvent_t event : m_stops) cudaEventDestroy(event);
    }

    // Median milliseconds of `runs` timed calls after 3 warm-ups, L2 flushed before each call;
    // negative when a call fails (the error in *error). As the anchors time (Triton's do_bench,
    // FlashAttention's benchmarks), every flush, event pair and call is enqueued first and the host
    // waits once at the end: the GPU never idles waiting for the host between runs.
    double median_ms(const std::function<std::string()>& call, int runs, std::string* error) {
        const std::size_t total = k_warmups + static_cast<std::size_t>(runs);
        *error = reserve_events(total);
        if (!error->empty()) return -1;
        std::size_t enqueued = 0;
        while (enqueued < total && error->empty()) {
            *error = cuda_check(cudaMemsetAsync(m_flush->get(), static_cast<int>(enqueued & 0xff), m_flush->bytes()),
                                "L2 flush");
            if (error->empty()) *error = cuda_check(cudaEventRecord(m_starts[enqueued]), "cudaEventRecord");
            if (error->empty()) *error = call();
            const std::string stop_error = cuda_check(cudaEventRecord(m_stops[enqueued]), "cudaEventRecord");
            if (error->empty()) *error = stop_error;
            ++enqueued;
        }
        // The one wait, also after a failed call: what was enqueued must finish before it is reused.
        const std::string wait_error = cuda_check(cudaDeviceSynchronize(), "timed runs");
        if (error->empty()) *error = wait_error;
        if (!error->empty()) return -1;
        std::vector<float> times;
        for (std::size_t i = k_warmups; i < total; ++i) {
            float ms = 0;
            *error = cuda_check(cudaEventElapsedTime(&ms, m_starts[i], m_stops[i]), "cudaEventElapsedTime");
            if (!error->empty()) return -1;
            times.push_back(ms);
        }
        std::sort(times.begin(), times.end());
        return times[times.size() / 2];
    }

private:
    static constexpr std::size_t k_warmups = 3;

    // One start and one stop event per run of the longest series so far.
    std::string reserve_events(std::size_t count) {
        while (m_stops.size() < count) {
            cudaEvent_t start = nullptr;
            cudaEvent_t stop = nullptr;
            std::string problem = cuda_check(cudaEventCreate(&start), "cudaEventCreate");
            if (problem.empty()) problem = cuda_check(cudaEventCreate(&stop), "cudaEventCreate");
            if (!problem.empty()) {
                if (start != nullptr) cudaEventDestroy(start);
                return problem;
            }
            m_starts.push_back(start);
            m_stops.push_back(stop);
        }
        return "";
    }

    std::vector<cudaEvent_t> m_starts;
    std::vector<cudaEvent_t> m_stops;
    std::unique_ptr<DeviceBuffer> m_flush;
};

struct PrefillShape {
    std::size_t batch, heads, seq;
};
struct DecodeShape {
    std::size_t batch, context;
};

struct BenchOptions {
    std::string json_path;
    int runs = 20;
    // H100/H200-sized defaults: thousands of CTAs per prefill shape, decode contexts up to 512k.
    std::vector<PrefillShape> prefill = {{16, 32, 1024}, {4, 32, 4096}, {1, 32, 16384}};
    std::vector<DecodeShape> decode = {{1, 8192},   {16, 8192},   {1, 32768},  {16, 32768},
                                       {1, 131072}, {16, 131072}, {1, 524288}, {16, 524288}};
};

// "4x32x4096" into its `count` positive numbers; false for anything else.
bool parse_dimensions(const std::string& text, std::size_t count, std::vector<std::size_t>* out) {
    out->clear();
    std::size_t at = 0;
    for (;;) {
        const std::size_t end = std::min(text.find('x', at), text.size());
        const std::string part = text.substr(at, end - at);
        if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos) return false;
        out->push_back(std::stoul(part));
        if (out->back() == 0) return false;
        if (end == text.size()) break;
        at = end + 1;
    }
    return out->size() == count;
}

std::string json_escape(const std::string& text) {
    std::string escaped;
    for (char ch : text) {
        if (ch == '"' || ch == '\\') escaped += '\\';
        if (static_cast<unsigned char>(ch) >= 0x20) escaped += ch;
    }
    return escaped;
}

// A JSON array written entry by entry.
class JsonList {
public:
    void add(const std::string& entry) {
        m_text << (m_empty ? "" : ",") << "\n    {" << entry << "}";
        m_empty = false;
    }
    [[nodiscard]] std::string str() const {
        std::string text = "[";
        text += m_text.str();
        text += "\n  ]";
        return text;
    }

private:
    std::ostringstream m_text;
    bool m_empty = true;
};

// In double, so that the shapes a user may ask for cannot overflow the sum.
bool fits(double bytes) {
    std::size_t free_bytes = 0;
    std::size_t total_bytes = 0;
    if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) return false;
    return bytes + static_cast<double>(std::size_t{2} << 30) < static_cast<double>(free_bytes);  // 2 GiB for cuBLAS and the flush
}

// One timed prefill configuration: printed as a line and added to `list`. `label` is "prefill"
// or "naive"; tile is the prefill kernel's tile shape (empty for naive).
void report_prefill(JsonList& list, const char* label, DType dtype, const AttentionShape& s, double flops, double ms,
                    const std::string& error, const std::string& tile) {
    const double tflops = ms > 0 ? flops / (ms * 1e9) : 0;
    const std::string tile_text = tile.empty() ? "" : "  tile=" + tile;
    std::printf("%-7s %-4s d=%-3zu B=%-2zu H=%zu N=%-5zu %-9s %9.3f ms %7.1f TFLOP/s%s%s%s\n", label, dtype_name(dtype),
                s.head_dim, s.batch, s.heads, s.q_len, s.causal ? "causal" : "noncausal", ms, tflops, tile_text.c_str(),
                error.empty() ? "" : "  error: ", error.c_str());
    std::fflush(stdout);
    std::ostringstream entry;
    entry << "\"dtype\": \"" << dtype_name(dtype) << "\", \"head_dim\": " << s.head_dim << ", \"batch\": " << s.batch
          << ", \"heads\": " << s.heads << ", \"seq\": " << s.q_len << ", \"causal\": " << (s.causal ? "true" : "false");
    if (!tile.empty()) entry << ", \"tile\": \"" << tile << "\"";
    entry << ", \"ms\": " << ms << ", \"tflops\": " << tflops;
    if (!error.empty()) entry << ", \"error\": \"" << json_escape(error) << "\"";
    list.add(entry.str());
}

// Writes `text` to `path` whole or not at all (through a temporary file beside it).
bool write_file(const std::string& path, const std::string& text) {
    const std::string partial = path + ".partial";
    {
        std::ofstream file(partial);
        file << text;
        if (!file.flush()) {
            std::remove(partial.c_str());
            return false;
        }
    }
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        std::remove(partial.c_str());
        return false;
    }
    return true;
}

// The bench's JSON document, rewritten whole after every shape (write_file: a temporary file
// renamed over it), so that a run cut short by a timeout or a crash keeps the shapes that
// finished; "complete" says whether the run reached its end.
class BenchReport {
public:
    BenchReport(std::string path, std::string header) : m_path(std::move(path)), m_header(std::move(header)) {}

    JsonList prefill, naive, prefill_variants, decode, decode_variants;
    double copy_gbs = 0;  // 0 when not measured (no decode in this run)

    // False once the file could not be written (said once on stderr); a run without --json saves nothing.
    bool save(bool complete) {
        if (m_path.empty() || m_failed) return !m_failed;
        std::ostringstream json;
        json << "{\n" << m_header << "  \"complete\": " << (complete ? "true" : "false")
             << ",\n  \"copy_bandwidth_gbs\": " << copy_gbs << ",\n  \"prefill\": " << prefill.str()
             << ",\n  \"naive\": " << naive.str() << ",\n  \"prefill_variants\": " << prefill_variants.str()
             << ",\n  \"decode\": " << decode.str() << ",\n  \"decode_variants\": " << decode_variants.str() << "\n}\n";
        if (write_file(m_path, json.str())) return true;
        std::fprintf(stderr, "optiloop-kernels bench: cannot write %s\n", m_path.c_str());
        m_failed = true;
        return false;
    }
    [[nodiscard]] bool failed() const { return m_failed; }

private:
    std::string m_path;
    std::string m_header;
    bool m_failed = false;
};

int run_bench_command(const std::vector<std::string>& arguments) {
    constexpr const char* usage =
        "usage: bench [--json FILE] [--runs N] [--quick] [--family naive|prefill|decode] [--prefill BxHxN]... "
        "[--decode BxCONTEXT]...";
    BenchOptions options;
    bool quick = false;  // the smallest default shapes only, for a smoke test
    std::optional<AttentionKernel> family;
    std::vector<PrefillShape> prefill;
    std::vector<DecodeShape> decode;
    // The value after flag `i` as `count` numbers joined by 'x' (see parse_dimensions), each at
    // most `largest`; false after saying what was expected, naming the flag.
    std::vector<std::size_t> numbers;
    constexpr std::size_t k_any = std::numeric_limits<std::size_t>::max();
    auto take = [&](std::size_t& i, std::size_t count, std::size_t largest, const char* expected) {
        const std::string& flag = arguments[i];
        const std::string& value = arguments[++i];
        if (parse_dimensions(value, count, &numbers) &&
            std::all_of(numbers.begin(), numbers.end(), [largest](std::size_t n) { return n <= largest; }))
            return true;
        std::fprintf(stderr, "optiloop-kernels bench: %s expects %s, not '%s'\n", flag.c_str(), expected, value.c_str());
        return false;
    };
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& flag = arguments[i];
        const bool has_value = i + 1 < arguments.size();
        if (flag == "--json" && has_value) {
            options.json_path = arguments[++i];
        } else if (flag == "--runs" && has_value) {
            if (!take(i, 1, 1000, "a whole number from 1 to 1000")) return k_exit_usage;
            options.runs = static_cast<int>(numbers[0]);
        } else if (flag == "--quick") {
            quick = true;
        } else if (flag == "--family" && has_value) {
            if (!parse_family("bench", arguments[++i], &family)) return k_exit_usage;
        } else if (flag == "--prefill" && has_value) {
            if (!take(i, 3, k_any, "BATCHxHEADSxSEQ of positive numbers (e.g. 4x32x4096)")) return k_exit_usage;
            prefill.push_back({numbers[0], numbers[1], numbers[2]});
        } else if (flag == "--decode" && has_value) {
            if (!take(i, 2, k_any, "BATCHxCONTEXT of positive numbers (e.g. 1x131072)")) return k_exit_usage;
            decode.push_back({numbers[0], numbers[1]});
        } else {
            std::fprintf(stderr, "optiloop-kernels bench: unknown or incomplete argument '%s' (%s)\n", flag.c_str(), usage);
            return k_exit_usage;
        }
    }
    // Shapes on the command line replace all the defaults; --quick keeps the smallest of each.
    if (!prefill.empty() || !decode.empty()) {
        options.prefill = prefill;
        options.decode = decode;
    } else if (quick) {
        options.prefill.resize(1);
        options.decode.resize(1);
    }
    if (!options.json_path.empty()) {
        namespace fs = std::filesystem;
        const fs::path directory = fs::absolute(options.json_path).parent_path();
        std::error_code ec;
        if (!fs::is_directory(directory, ec) || access(directory.c_str(), W_OK) != 0) {
            std::fprintf(stderr, "optiloop-kernels bench: --json: cannot write into %s (not a writable folder)\n",
                         directory.c_str());
            return k_exit_usage;
        }
    }
    std::string why;
    if (!cuda_device_available(&why)) {
        std::fprintf(stderr, "optiloop-kernels bench: %s\n", why.c_str());
        return k_exit_infrastructure;
    }
    const bool run_prefill = selected(family, AttentionKernel::prefill);
    const bool run_naive = selected(family, AttentionKernel::naive);
    const bool run_decode = selected(family, AttentionKernel::decode);
    int device = 0;
    cudaGetDevice(&device);
    cudaDeviceProp properties{};
    cudaGetDeviceProperties(&properties, device);
    Timer timer;
    std::string error;
    std::ostringstream header;
    header << "  \"device\": \"" << json_escape(properties.name) << "\",\n  \"sm_count\": "
           << properties.multiProcessorCount << ",\n  \"runs\": " << options.runs << ",\n  \"families\": [";
    const char* separator = "";
    for (AttentionKernel kernel : {AttentionKernel::prefill, AttentionKernel::naive, AttentionKernel::decode})
        if (selected(family, kernel)) {
            header << separator << "\"" << kernel_name(kernel) << "\"";
            separator = ", ";
        }
    header << "],\n";
    BenchReport report(options.json_path, header.str());
    report.save(false);  // from the start: a run that never gets past the first shape still says so
    bool any_failed = false;

    // Device-to-device copy bandwidth, counting the bytes read and written: what decode is measured against.
    if (run_decode) {
        const std::size_t bytes = std::size_t{1} << 30;
        DeviceBuffer source(bytes), destination(bytes);
        if (source.ok() && destination.ok()) {
            const double ms = timer.median_ms(
                [&] {
                    return cuda_check(cudaMemcpyAsync(destination.get(), source.get(), bytes, cudaMemcpyDeviceToDevice),
                                      "cudaMemcpyAsync");
                },
                options.runs, &error);
            if (ms > 0) report.copy_gbs = 2.0 * static_cast<double>(bytes) / (ms * 1e6);
        }
        std::printf("copy    device-to-device %.1f GB/s (read + write)\n", report.copy_gbs);
    }
    report.save(false);

    for (std::size_t d : {64u, 128u})
        for (const PrefillShape& p : options.prefill)
            for (bool causal : {false, true})
                for (DType dtype : {DType::f16, DType::bf16}) {
                    // The cuBLAS baseline runs on fp16 only: a naive-only run skips the rest.
                    if (!run_prefill && (!run_naive || dtype != DType::f16)) continue;
                    const AttentionShape s = make_shape(p.batch, p.heads, p.heads, p.seq, p.seq, d, causal);
                    const double rows = static_cast<double>(p.batch) * static_cast<double>(p.heads) * static_cast<double>(p.seq);
                    const double bytes = rows * (4.0 * 2 * static_cast<double>(d) + sizeof(float));  // q k v out, lse
                    if (!fits(bytes)) {
                        std::printf("prefill %-4s d=%-3zu B=%-2zu H=%zu N=%-5zu skipped: %.1f GB of inputs and outputs "
                                    "do not fit\n",
                                    dtype_name(dtype), d, s.batch, s.heads, s.q_len, bytes / 1e9);
                        continue;
                    }
                    DeviceBuffer q(s.q_elements() * 2), k(s.kv_elements() * 2), v(s.kv_elements() * 2),
                        out(s.q_elements() * 2), lse(s.batch * s.heads * s.q_len * sizeof(float));
                    if (!q.ok() || !k.ok() || !v.ok() || !out.ok() || !lse.ok()) continue;
                    std::string fill_error = fill_uniform(dtype, q.get(), s.q_elements(), 1, nullptr);
                    if (fill_error.empty()) fill_error = fill_uniform(dtype, k.get(), s.kv_elements(), 2, nullptr);
                    if (fill_error.empty()) fill_error = fill_uniform(dtype, v.get(), s.kv_elements(), 3, nullptr);
                    const double flops = 4.0 * static_cast<double>(s.batch * s.heads) * static_cast<double>(s.q_len) *
                                         static_cast<double>(s.kv_len) * static_cast<double>(d) * (causal ? 0.5 : 1.0);
                    // The kernel with a tile shape (0: its default), timed; -1 ms when it failed.
                    auto time_prefill = [&](PrefillTuning tuning) {
                        error = fill_error;
                        if (!error.empty()) return -1.0;
                        return timer.median_ms(
                            [&] {
                                return attention_prefill(s, dtype, q.get(), k.get(), v.get(), out.get(),
                                                         static_cast<float*>(lse.get()), 0, nullptr, tuning);
                            },
                            options.runs, &error);
                    };
                    if (run_prefill) {
                        const std::vector<PrefillTuning> tiles = prefill_tile_shapes(d);
                        report_prefill(report.prefill, "prefill", dtype, s, flops, time_prefill({}), error,
                                       tile_shape_name(tiles.front()));
                        any_failed = any_failed || !error.empty();

                        // The other tile shapes, fp16: what the default may yet become, timed beside it
                        // in the same run.
                        if (dtype == DType::f16)
                            for (auto tile = tiles.begin() + 1; tile != tiles.end(); ++tile) {
                                report_prefill(report.prefill_variants, "prefill", dtype, s, flops, time_prefill(*tile),
                                               error, tile_shape_name(*tile));
                                any_failed = any_failed || !error.empty();
                            }
                        report.save(false);
                    }

                    // The cuBLAS baseline on the same shape, fp16 only, where its score matrix fits.
                    const std::size_t naive_bytes = attention_naive_workspace_bytes(s);
                    if (!run_naive || dtype != DType::f16 || !fits(static_cast<double>(naive_bytes))) continue;
                    DeviceBuffer workspace(naive_bytes);
                    if (!workspace.ok()) continue;
                    error = fill_error;
                    double naive_ms = -1;
                    if (error.empty())
                        naive_ms = timer.median_ms(
                            [&] {
                                return attention_naive(s, dtype, q.get(), k.get(), v.get(), out.get(),
                                                       static_cast<float*>(lse.get()), 0, workspace.get(), naive_bytes,
                                                       nullptr);
                            },
                            std::min(options.runs, 10), &error);
                    report_prefill(report.naive, "naive", dtype, s, flops, naive_ms, error, "");
                    report.save(false);
                }

    // Decode: GQA 32/8, head_dim 128, fp16; bytes = the K and V that must be read.
    const std::vector<DecodeShape> no_shapes;
    for (const DecodeShape& shape : run_decode ? options.decode : no_shapes) {
        const AttentionShape s = make_shape(shape.batch, 32, 8, 1, shape.context, 128, false);
        const DType dtype = DType::f16;
        // K and V: batch x 8 KV heads x context rows of 128 fp16 each (in double: any shape given).
        const double kv_gb = static_cast<double>(shape.batch) * 8 * static_cast<double>(shape.context) * 128 * 2 * 2 / 1e9;
        const std::size_t workspace_bytes = attention_decode_workspace_bytes(s, cuda_sm_count());
        if (!fits(kv_gb * 1e9 + static_cast<double>(workspace_bytes))) {
            std::printf("decode  context %zu batch %zu skipped: %.1f GB of K/V does not fit\n", shape.context,
                        shape.batch, kv_gb);
            continue;
        }
        const std::size_t kv_bytes = 2 * s.kv_elements() * 2;
        DeviceBuffer q(s.q_elements() * 2), k(s.kv_elements() * 2), v(s.kv_elements() * 2), out(s.q_elements() * 2),
            lse(s.batch * s.heads * sizeof(float)), workspace(workspace_bytes);
        if (!q.ok() || !k.ok() || !v.ok() || !out.ok() || !lse.ok() || !workspace.ok()) continue;
        error = fill_uniform(dtype, q.get(), s.q_elements(), 4, nullptr);
        if (error.empty()) error = fill_uniform(dtype, k.get(), s.kv_elements(), 5, nullptr);
        if (error.empty()) error = fill_uniform(dtype, v.get(), s.kv_elements(), 6, nullptr);
        const std::string fill_error = error;
        // The default, then the prefetching variant timed beside it in the same run.
        for (const DecodeTuning tuning : {DecodeTuning{false}, DecodeTuning{true}}) {
            error = fill_error;
            double ms = -1;
            if (error.empty())
                ms = timer.median_ms(
                    [&] {
                        return attention_decode(s, dtype, q.get(), k.get(), v.get(), out.get(),
                                                static_cast<float*>(lse.get()), 0, workspace.get(), workspace_bytes,
                                                nullptr, tuning);
                    },
                    options.runs, &error);
            const double gbs = ms > 0 ? static_cast<double>(kv_bytes) / (ms * 1e6) : 0;
            const double percent = report.copy_gbs > 0 ? 100.0 * gbs / report.copy_gbs : 0;
            std::printf("decode  f16  d=128 B=%-2zu H=32/8 context=%-6zu %9.3f ms %7.1f GB/s %5.1f%% of copy%s%s%s\n",
                        shape.batch, shape.context, ms, gbs, percent, tuning.prefetch ? "  prefetch" : "",
                        error.empty() ? "" : "  error: ", error.c_str());
            std::fflush(stdout);
            any_failed = any_failed || !error.empty();
            std::ostringstream entry;
            entry << "\"dtype\": \"f16\", \"head_dim\": 128, \"batch\": " << shape.batch
                  << ", \"heads\": 32, \"kv_heads\": 8, \"context\": " << shape.context
                  << ", \"prefetch\": " << (tuning.prefetch ? "true" : "false") << ", \"ms\": " << ms
                  << ", \"gbs\": " << gbs << ", \"percent_of_copy\": " << percent;
            if (!error.empty()) entry << ", \"error\": \"" << json_escape(error) << "\"";
            (tuning.prefetch ? report.decode_variants : report.decode).add(entry.str());
        }
        report.save(false);
    }

    if (!report.save(true)) return k_exit_infrastructure;
    return any_failed ? k_exit_failed : k_exit_ok;
}

int run_probe_command(const std::vector<std::string>& arguments) {
    if (!arguments.empty()) {
        std::fprintf(stderr, "optiloop-kernels probe: unknown argument '%s' (usage: probe)\n", arguments[0].c_str());
        return k_exit_usage;
    }
    std::string why;
    if (!cuda_device_available(&why)) {
        std::fprintf(stderr, "optiloop-kernels probe: %s\n", why.c_str());
        return k_exit_infrastructure;
    }
    std::size_t passed = 0;
    std::size_t failed = 0;
    const auto start = std::chrono::steady_clock::now();
    run_fragment_probes([&](const ProbeResult& result) {
        std::string detail;
        if (!result.error.empty()) {
            detail = "error: " + result.error;
        } else if (result.mismatched > 0) {
            detail = std::to_string(result.mismatched) + " of " + std::to_string(result.checked) +
                     " values not where the PTX ISA puts them:";
            for (std::size_t i = 0; i < result.first_mismatches.size(); ++i) {
                const ProbeMismatch& m = result.first_mismatches[i];
                detail += (i == 0 ? " " : "; ") + m.where + ": expected " + m.expected + ", got " + m.got;
            }
            if (result.mismatched > result.first_mismatches.size()) detail += "; ...";
        } else {
            detail = std::to_string(result.checked) + " values";
        }
        std::printf("%-4s %-30s %s\n", result.passed() ? "ok" : "FAIL", result.name.c_str(), detail.c_str());
        std::fflush(stdout);
        (result.passed() ? passed : failed) += 1;
    });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("probe: %zu ok, %zu failed (%.1f s)\n", passed, failed, seconds);
    return failed == 0 ? k_exit_ok : k_exit_failed;
}

int run_info_command(const std::vector<std::string>&) {
    std::string why;
    if (!cuda_device_available(&why)) {
        std::printf("no usable GPU: %s\n", why.c_str());
        return k_exit_infrastructure;
    }
    int device = 0;
    cudaGetDevice(&device);
    cudaDeviceProp properties{};
    cudaGetDeviceProperties(&properties, device);
    std::printf("%s: compute capability %d.%d, %d SMs, %.1f GiB, L2 %d KiB\n", properties.name, properties.major,
                properties.minor, properties.multiProcessorCount,
                static_cast<double>(properties.totalGlobalMem) / (1 << 30), properties.l2CacheSize / 1024);
    return k_exit_ok;
}

struct Subcommand {
    const char* name;
    const char* description;
    int (*run)(const std::vector<std::string>&);
};

constexpr Subcommand k_subcommands[] = {
    {"check",
     "compare every kernel with the float64 reference (exit 1 on a failure, 3 without a GPU) "
     "[--family naive|prefill|decode] [--filter TEXT]",
     run_check_command},
    {"bench",
     "time prefill (TFLOP/s), decode (GB/s vs copy bandwidth) and the cuBLAS baseline [--json FILE] [--runs N] "
     "[--quick] [--family naive|prefill|decode] [--prefill BxHxN]... [--decode BxCONTEXT]...",
     run_bench_command},
    {"probe",
     "one warp of ldmatrix.x4(.trans) and mma.sync m16n8k16, lane by lane against the PTX ISA's fragment "
     "formulas, and one-tile prefills whose output says which key and dim each element used (exit 1 on a "
     "mismatch, 3 without a GPU)",
     run_probe_command},
    {"info", "describe the GPU", run_info_command},
};

void print_usage(std::FILE* stream) {
    std::fprintf(stream, "usage: optiloop-kernels <subcommand> [options]\n\nsubcommands:\n");
    for (const Subcommand& subcommand : k_subcommands)
        std::fprintf(stream, "  %-6s %s\n", subcommand.name, subcommand.description);
}

#if defined(OPTILOOP_SIMT_EMULATION)
// OPTILOOP_SIMT_SWAP_LANES=ldmatrix:A,B (or mma:A,B), for tests only and only in this emulated
// build: the emulator exchanges lanes A and B's results of every ldmatrix (mma), a wrong fragment
// layout on purpose (simt::Device::swap_lanes), so that a test can show that `probe` and `check`
// catch one. False after saying what is wrong with the value.
bool set_emulator_fault() {
    const char* value = std::getenv("OPTILOOP_SIMT_SWAP_LANES");
    if (value == nullptr || *value == '\0') return true;
    char operation[16] = {};
    int lanes[2] = {-1, -1};
    int consumed = 0;
    using Operation = simt::Device::LaneSwap::Operation;
    const bool parsed = std::sscanf(value, "%15[a-z]:%d,%d%n", operation, &lanes[0], &lanes[1], &consumed) == 3 &&
                        value[consumed] == '\0' && lanes[0] >= 0 && lanes[0] < 32 && lanes[1] >= 0 && lanes[1] < 32;
    const std::string name = operation;
    if (!parsed || (name != "ldmatrix" && name != "mma")) {
        std::fprintf(stderr, "optiloop-kernels: OPTILOOP_SIMT_SWAP_LANES expects ldmatrix:A,B or mma:A,B (lanes 0-31), "
                             "not '%s'\n", value);
        return false;
    }
    simt::Device::LaneSwap& swap = simt::device().swap_lanes;
    swap.operation = name == "ldmatrix" ? Operation::ldmatrix : Operation::mma;
    swap.lanes[0] = lanes[0];
    swap.lanes[1] = lanes[1];
    std::fprintf(stderr, "optiloop-kernels: test fault: the emulator swaps lanes %d and %d of every %s\n", lanes[0],
                 lanes[1], name.c_str());
    return true;
}
#endif

}  // namespace
}  // namespace optiloop::kernels

int main(int argc, char** argv) {
    using namespace optiloop::kernels;
#if defined(OPTILOOP_SIMT_EMULATION)
    if (!set_emulator_fault()) return k_exit_usage;
#endif
    if (argc < 2) {
        print_usage(stderr);
        return k_exit_usage;
    }
    const std::string name = argv[1];
    if (name == "-h" || name == "--help" || name == "help") {
        print_usage(stdout);
        return k_exit_ok;
    }
    const std::vector<std::string> arguments(argv + 2, argv + argc);
    for (const Subcommand& subcommand : k_subcommands)
        if (name == subcommand.name) return subcommand.run(arguments);
    std::fprintf(stderr, "optiloop-kernels: unknown subcommand '%s'\n", name.c_str());
    print_usage(stderr);
    return k_exit_usage;
}

// `optiloop kernels check|bench|probe`: optiloop's own CUDA attention kernels. The work is done by
// the optiloop-kernels tool built beside this binary (it links only the CUDA runtime and cuBLAS,
// so kernels/device-check.sh can build it alone on a bare GPU machine).
#include <unistd.h>

#include <filesystem>
#include <ostream>

#include <optiloop/runner/repository.hpp>

#include "commands.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

Action setup_kernels(CLI::App& app) {
    struct Args {
        std::string what;
        std::string json;
        std::string filter;
        std::string family;
        std::string runs;
        bool quick = false;
        std::vector<std::string> prefill;
        std::vector<std::string> decode;
    };
    auto a = std::make_shared<Args>();
    app.add_option("what", a->what,
                   "check: correctness against the float64 reference; bench: TFLOP/s and GB/s; probe: the fragment layouts of "
                   "ldmatrix and mma.sync, lane by lane, against the PTX ISA")
        ->check(CLI::IsMember({"check", "bench", "probe"}))
        ->required();
    app.add_option("--filter", a->filter, "check: only the cases whose description contains this text");
    app.add_option("--family", a->family, "check, bench: one kernel family (naive, prefill, decode)");
    app.add_option("--json", a->json, "bench: also write the results as JSON to this file");
    app.add_option("--runs", a->runs, "bench: timed runs per shape (median; default 20)");
    app.add_flag("--quick", a->quick, "bench: only the smallest default shapes");
    app.add_option("--prefill", a->prefill, "bench: a prefill shape BATCHxHEADSxSEQ (repeatable; replaces the defaults)")
        ->allow_extra_args(false);
    app.add_option("--decode", a->decode, "bench: a decode shape BATCHxCONTEXT (repeatable; replaces the defaults)")
        ->allow_extra_args(false);
    return [a](Streams& s) {
        // Each flag belongs to one subcommand; the tool checks the values.
        const bool bench_flags = !a->json.empty() || !a->runs.empty() || a->quick || !a->prefill.empty() || !a->decode.empty();
        if (a->what == "check" && bench_flags) {
            s.err << "optiloop kernels: --json, --runs, --quick, --prefill and --decode are for bench\n";
            return static_cast<int>(core::ExitCode::usage);
        }
        if (a->what == "bench" && !a->filter.empty()) {
            s.err << "optiloop kernels: --filter is for check\n";
            return static_cast<int>(core::ExitCode::usage);
        }
        if (a->what == "probe" && (bench_flags || !a->filter.empty() || !a->family.empty())) {
            s.err << "optiloop kernels: probe takes no flags\n";
            return static_cast<int>(core::ExitCode::usage);
        }
        std::error_code ec;
        const fs::path self = fs::read_symlink("/proc/self/exe", ec);
        const fs::path tool = self.parent_path() / "optiloop-kernels";
        if (ec || !fs::exists(tool)) {
            s.err << "optiloop kernels: the CUDA kernels are not built here (no nvcc when optiloop was built; "
                  << "on a GPU machine run kernels/device-check.sh)\n";
            return static_cast<int>(core::ExitCode::infrastructure);
        }
        std::vector<std::string> argv = {tool.string(), a->what};
        auto forward = [&argv](const char* flag, const std::string& value) {
            if (!value.empty()) argv.insert(argv.end(), {flag, value});
        };
        forward("--filter", a->filter);
        forward("--family", a->family);
        forward("--json", a->json);
        forward("--runs", a->runs);
        if (a->quick) argv.emplace_back("--quick");
        for (const std::string& shape : a->prefill) forward("--prefill", shape);
        for (const std::string& shape : a->decode) forward("--decode", shape);
        // Streamed: a bench runs for minutes, one line per shape.
        const auto run = runner::run_host(argv, {}, [&s](std::string_view chunk) { s.out << chunk << std::flush; });
        return run.exit_code < 0 ? static_cast<int>(core::ExitCode::infrastructure) : run.exit_code;
    };
}

}  // namespace optiloop::cli

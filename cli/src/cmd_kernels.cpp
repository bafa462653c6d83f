// `optiloop kernels check|bench`: optiloop's own CUDA attention kernels. The work is done by
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
    };
    auto a = std::make_shared<Args>();
    app.add_option("what", a->what, "check: correctness against the float64 reference; bench: TFLOP/s and GB/s")
        ->check(CLI::IsMember({"check", "bench"}))
        ->required();
    app.add_option("--json", a->json, "bench: also write the results as JSON to this file");
    return [a](Streams& s) {
        std::error_code ec;
        const fs::path self = fs::read_symlink("/proc/self/exe", ec);
        const fs::path tool = self.parent_path() / "optiloop-kernels";
        if (ec || !fs::exists(tool)) {
            s.err << "optiloop kernels: the CUDA kernels are not built here (no nvcc when optiloop was built; "
                  << "on a GPU machine run kernels/device-check.sh)\n";
            return static_cast<int>(core::ExitCode::infrastructure);
        }
        std::vector<std::string> argv = {tool.string(), a->what};
        if (!a->json.empty()) {
            if (a->what != "bench") {
                s.err << "optiloop kernels: --json is for bench\n";
                return static_cast<int>(core::ExitCode::usage);
            }
            argv.insert(argv.end(), {"--json", a->json});
        }
        const auto run = runner::run_host(argv);
        s.out << run.output;
        return run.exit_code < 0 ? static_cast<int>(core::ExitCode::infrastructure) : run.exit_code;
    };
}

}  // namespace optiloop::cli

// `optiloop sandbox --check`: which isolation layers work here; `optiloop sandbox -- CMD`: run
// one command in the sandbox and print its verdict (for trying the sandbox by hand).
#include <iomanip>
#include <ostream>

#include <nlohmann/json.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/sandbox/sandbox.hpp>

#include "commands.hpp"

namespace optiloop::cli {

namespace {

struct SandboxOptions {
    bool check = false;
    bool json = false;
    double time = 10;
    double memory_mb = 1024;
    bool network = false;
    std::vector<std::string> command;
};

}  // namespace

Action setup_sandbox(CLI::App& app) {
    auto options = std::make_shared<SandboxOptions>();
    app.add_flag("--check", options->check, "Report which isolation layers are active on this machine");
    app.add_flag("--json", options->json, "Print JSON");
    app.add_option("--time", options->time, "CPU time limit in seconds (wall limit is twice that)")->check(positive_up_to(86400));
    app.add_option("--memory", options->memory_mb, "Memory limit in MiB")->check(positive_up_to(1 << 20));
    app.add_flag("--network", options->network, "Allow network access (off by default)");
    app.footer("Usage: optiloop sandbox [limits] -- /absolute/path/to/program ARGS...");
    return [options](Streams& s) {
        options->command = s.trailing;
        if (options->check) {
            const auto& layers = sandbox::probe_layers();
            if (options->json) {
                nlohmann::json j = nlohmann::json::array();
                for (const auto& l : layers)
                    j.push_back({{"layer", sandbox::to_string(l.layer)}, {"active", l.active}, {"reason", l.reason}});
                s.out << j.dump(2) << "\n";
            } else {
                for (const auto& l : layers) {
                    s.out << std::left << std::setw(20) << sandbox::to_string(l.layer) << (l.active ? "active" : "off");
                    if (!l.reason.empty()) s.out << "  (" << l.reason << ")";
                    s.out << "\n";
                }
            }
            return 0;
        }
        if (options->command.empty()) {
            s.err << "optiloop sandbox: give --check, or a command to run after --\n";
            return static_cast<int>(core::ExitCode::usage);
        }
        sandbox::Spec spec;
        spec.argv = options->command;
        spec.limits.cpu_seconds = options->time;
        spec.limits.wall_seconds = options->time * 2;
        spec.limits.memory_bytes = static_cast<std::int64_t>(options->memory_mb * (1 << 20));
        spec.network = options->network;
        spec.env = {"PATH=/usr/bin:/bin"};
        auto result = sandbox::run(spec);
        if (!result) {
            s.err << "optiloop sandbox: " << result.error().message << "\n";
            return static_cast<int>(result.error().exit_code());
        }
        s.out << result->stdout_data;
        s.err << result->stderr_data;
        s.err << "verdict " << core::to_string(result->verdict) << (result->detail.empty() ? "" : ": " + result->detail)
              << "; wall " << result->wall_seconds << " s, cpu " << result->cpu_user_seconds + result->cpu_sys_seconds
              << " s, peak memory " << (result->peak_rss_bytes >> 10) << " KiB\n";
        return result->verdict == core::Verdict::ok ? 0 : 1;
    };
}

}  // namespace optiloop::cli

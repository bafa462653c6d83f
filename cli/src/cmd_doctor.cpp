// `optiloop doctor`: what this machine gives optiloop, each line with what to do when a part is
// missing. Exit 0 when optiloop can verify candidates here, 3 when it cannot.
#include <unistd.h>

#include <filesystem>
#include <ostream>

#include <optiloop/core/error.hpp>
#include <optiloop/llm/secrets.hpp>
#include <optiloop/runner/build.hpp>
#include <optiloop/runner/counter.hpp>
#include <optiloop/sandbox/sandbox.hpp>

#include <optiloop/llm/provider.hpp>

#include "commands.hpp"
#include "config.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

Action setup_doctor(CLI::App&) {
    return [](Streams& s) {
        bool usable = true;
        auto line = [&](bool ok, const std::string& what, const std::string& detail) {
            s.out << (ok ? "ok    " : "MISS  ") << what << (detail.empty() ? "" : ": " + detail) << "\n";
        };

        const auto& counters = runner::probe_counters();
        line(counters.perf, "hardware instruction counter (perf_event)",
             counters.perf ? counters.perf_event : counters.perf_reason + "; optiloop counts with valgrind instead");
        line(counters.valgrind, "valgrind (cachegrind) instruction counter",
             counters.valgrind ? "exact counts, about 10x slower than native" : counters.valgrind_reason);
        if (!counters.perf && !counters.valgrind) usable = false;
        s.out << "      counter in use: " << core::to_string(counters.kind) << "\n";

        int active = 0;
        std::string missing;
        for (const auto& l : sandbox::probe_layers()) {
            if (l.active) ++active;
            else if (l.layer != sandbox::Layer::user_namespace || ::geteuid() != 0)
                missing += std::string(missing.empty() ? "" : "; ") + std::string(sandbox::to_string(l.layer)) + " (" + l.reason + ")";
        }
        line(missing.empty(), "sandbox layers", std::to_string(active) + " active" + (missing.empty() ? "" : "; missing: " + missing));

        auto gxx = runner::compiler_version("g++");
        line(static_cast<bool>(gxx), "C++ compiler g++",
             gxx ? gxx->substr(gxx->find('\n') + 1, gxx->find('\n', gxx->find('\n') + 1) - gxx->find('\n') - 1)
                 : gxx.error().message + " (apt-get install g++)");
        if (!gxx) usable = false;

        auto nvcc = runner::compiler_version("nvcc");
        line(static_cast<bool>(nvcc), "CUDA compiler nvcc", nvcc ? "found" : "not found; CUDA tasks and kernels are skipped");
        const bool gpu = !sandbox::gpu_devices().empty();
        line(gpu, "GPU", gpu ? "an NVIDIA device node is present" : "none; CUDA code compiles here but runs only on a GPU machine");

        // The provider: what is configured, and whether its server answers.
        auto settings = Settings::load("");
        if (!settings) {
            line(false, "settings", settings.error().message);
        } else {
            const std::string provider = settings->get("provider").value;
            if (provider == "rules" || provider == "clang-tidy" || provider == "replay") {
                line(true, "proposer", provider + " (offline); an LLM provider is chosen with --provider openai|anthropic --model NAME");
            } else {
                llm::ProviderOptions o;
                o.api = provider == "anthropic" ? llm::Api::anthropic : llm::Api::openai;
                o.model = settings->get("model").value;
                o.base_url = settings->get("base_url").value;
                const auto key = llm::api_key_for(provider);
                if (key) o.api_key = key->value;
                auto reached = llm::check_provider(o);
                line(static_cast<bool>(reached), "LLM provider " + provider + (o.model.empty() ? "" : " " + o.model),
                     (reached ? *reached : reached.error().message) + (key ? "; key from " + key->source : "; no API key set"));
            }
        }

        s.out << (usable ? "optiloop can build, sandbox and measure candidates on this machine\n"
                         : "optiloop cannot verify candidates here: fix the MISS lines above\n");
        return usable ? 0 : static_cast<int>(core::ExitCode::infrastructure);
    };
}

}  // namespace optiloop::cli

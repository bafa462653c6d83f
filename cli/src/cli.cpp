#include <algorithm>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

#include <optiloop/cli/cli.hpp>
#include <optiloop/core/error.hpp>

#include "commands.hpp"
#include "secrets.hpp"

namespace optiloop::cli {

namespace {

using core::ExitCode;

// Every subcommand in one table, with its one-line description.
const Command k_commands[] = {
    {"optimize", "Propose, verify and rank faster versions of a program, task or function", setup_optimize, nullptr},
    {"eval", "Run the optimizer over a dataset; --validate and --list inspect one", setup_eval, nullptr},
    {"measure", "Build a program, check it on tests and measure its cost", setup_measure, nullptr},
    {"analyze", "Show functions, loops, calls and what the rewrite rules find in source files", setup_analyze, nullptr},
    {"report", "Summarise a results database as text, JSON, Markdown or HTML", setup_report, nullptr},
    {"ci", "Suggest verified optimizations for the functions a change touched (SARIF, Markdown)", setup_ci, nullptr},
    {"kernels", "Test and benchmark optiloop's own CUDA attention kernels (check, bench)", setup_kernels, nullptr},
    {"sandbox", "Run a command in the sandbox, or --check which isolation layers work here", setup_sandbox, nullptr},
    {"config", "Show the effective settings and where each comes from (flag, env, optiloop.toml, default)", setup_config, nullptr},
    {"doctor", "Check what this machine gives optiloop: counters, sandbox, compilers, GPU, provider", setup_doctor, nullptr},
};

int code(ExitCode c) { return static_cast<int>(c); }

}  // namespace

CLI::Validator positive_up_to(double largest) {
    std::ostringstream bound;
    bound << std::setprecision(15) << largest;
    const std::string text = bound.str();
    return CLI::Validator(
        [largest, text](std::string& input) -> std::string {
            double value = 0;
            if (CLI::detail::lexical_cast(input, value) && value > 0 && value <= largest) return "";
            return "expected a number above 0 and at most " + text + ", not " + input;
        },
        "(0, " + text + "]");
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    capture_secrets();  // before anything can start a child process
    CLI::App app{"optiloop: finds faster versions of C++ and CUDA code and proves them", "optiloop"};
    app.set_version_flag("--version", std::string("optiloop ") + OPTILOOP_VERSION);
    app.require_subcommand(0, 1);
    app.footer("Exit codes: 0 ok, 1 findings or failed candidates (where asked), 2 usage or input error,\n"
               "3 infrastructure (compiler missing, LLM unreachable), 130 interrupted.");

    std::vector<std::pair<CLI::App*, Action>> actions;
    for (const Command& command : k_commands) {
        CLI::App* sub = app.add_subcommand(command.name, command.description);
        Action action;
        if (command.setup) {
            action = command.setup(*sub);
        } else {
            sub->allow_extras();
            const std::string name = command.name, issue = command.issue;
            action = [name, issue](Streams& s) {
                s.err << "optiloop " << name << ": not built yet (tracked in issue " << issue << ")\n";
                return code(ExitCode::usage);
            };
        }
        actions.emplace_back(sub, std::move(action));
    }

    // Everything after "--" is a command line of its own (optiloop sandbox -- PROGRAM ARGS).
    std::vector<std::string> trailing;
    auto separator = std::find(args.begin(), args.end(), "--");
    if (separator != args.end()) trailing.assign(separator + 1, args.end());
    std::vector<std::string> reversed(std::make_reverse_iterator(separator), args.rend());
    if (!reversed.empty()) reversed.pop_back();  // argv[0]
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        out << app.help();
        return code(ExitCode::ok);
    } catch (const CLI::CallForAllHelp&) {
        out << app.help("", CLI::AppFormatMode::All);
        return code(ExitCode::ok);
    } catch (const CLI::CallForVersion&) {
        out << "optiloop " << OPTILOOP_VERSION << "\n";
        return code(ExitCode::ok);
    } catch (const CLI::ParseError& e) {
        err << "optiloop: " << e.what() << "\n";
        return code(ExitCode::usage);
    }

    Streams streams{out, err, std::move(trailing)};
    for (auto& [sub, action] : actions) {
        if (!sub->parsed()) continue;
        try {
            return action(streams);
        } catch (const std::exception& e) {
            err << "optiloop " << sub->get_name() << ": internal error: " << e.what() << "\n";
            return code(ExitCode::infrastructure);
        }
    }
    out << app.help();
    return code(ExitCode::ok);
}

int run(int argc, const char* const* argv) {
    std::vector<std::string> args(argv, argv + argc);
    return run(args, std::cout, std::cerr);
}

}  // namespace optiloop::cli

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <sstream>

#include <optiloop/cli/cli.hpp>
#include <optiloop/core/error.hpp>
#include <optiloop/llm/secrets.hpp>

#include "commands.hpp"
#include "config.hpp"

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
    {"explain", "What a rule finds, why it is slow, its rewrite, when it stays silent (or where a clang-tidy check is documented)", setup_explain, nullptr},
    {"ci", "Suggest verified optimizations for the functions a change touched (SARIF, Markdown)", setup_ci, nullptr},
    {"kernels", "Test and benchmark optiloop's own CUDA attention kernels (check, bench)", setup_kernels, nullptr},
    {"sandbox", "Run a command in the sandbox, or --check which isolation layers work here", setup_sandbox, nullptr},
    {"config", "Show the effective settings and where each comes from (flag, env, optiloop.toml, default)", setup_config, nullptr},
    {"doctor", "Check what this machine gives optiloop: counters, sandbox, compilers, GPU, provider", setup_doctor, nullptr},
};

int code(ExitCode c) { return static_cast<int>(c); }

// A compiler flag as users type them after --flags (-Ibuild -DNDEBUG -std=c++20 -O2 -pthread);
// never one of optiloop's own short options (-j, -k, -p DIR).
bool compiler_flag(const std::string& t) {
    if (t.size() < 2 || t[0] != '-' || t[1] == '-') return false;
    if (t == "-p") return false;
    return std::string("IDUWfOmgiLlsxnp").find(t[1]) != std::string::npos;
}

// The flags that take their value as the next word (-I DIR, -isystem DIR, -include FILE).
bool takes_next(const std::string& t) {
    return t == "-I" || t == "-D" || t == "-U" || t == "-isystem" || t == "-iquote" || t == "-idirafter" || t == "-include" || t == "-x";
}

// `--flags -Ibuild -DX FILE`: CLI11 reads -DX as an option of optiloop's; joins the compiler flags
// that follow --flags into its one value (the option splits it at spaces), up to the first word
// that is not one.
void join_compiler_flags(std::vector<std::string>& args, std::size_t end) {
    for (std::size_t i = 0; i + 1 < end; ++i) {
        const bool separate = args[i] == "--flags";
        if (!separate && args[i].rfind("--flags=", 0) != 0) continue;
        const std::size_t value = separate ? i + 1 : i;
        std::size_t j = value + 1;
        if (separate && takes_next(args[value]) && j < end) args[value] += " " + args[j++];
        while (j < end && compiler_flag(args[j])) {
            args[value] += " " + args[j];
            ++j;
            if (takes_next(args[j - 1]) && j < end) args[value] += " " + args[j++];
        }
        args.erase(args.begin() + static_cast<std::ptrdiff_t>(value + 1), args.begin() + static_cast<std::ptrdiff_t>(j));
        end -= j - value - 1;
    }
}

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

int run(const std::vector<std::string>& given, std::ostream& out, std::ostream& err) {
    llm::capture_secrets();  // before anything can start a child process
    const SettingsScope settings_scope;  // outlives the apps below
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
    std::vector<std::string> args = given;
    join_compiler_flags(args, static_cast<std::size_t>(std::find(args.begin(), args.end(), "--") - args.begin()));
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

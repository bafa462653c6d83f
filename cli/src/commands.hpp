// The subcommands: each registers its flags on a CLI11 app and returns a runner closure.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace optiloop::cli {

struct Streams {
    std::ostream& out;  // results
    std::ostream& err;  // logs, progress, errors
    std::vector<std::string> trailing;  // the arguments after "--", for commands that run one
};

using Action = std::function<int(Streams&)>;

// A number in (0, largest] (largest: a bound no real use reaches, in the option's unit), with a
// message that says so. CLI::PositiveNumber accepts 1e300, which no limit converts safely, and
// names the largest double in its message.
CLI::Validator positive_up_to(double largest);

struct Command {
    const char* name;
    const char* description;
    // Adds the subcommand's options to `app` and returns what runs it; null when not built yet.
    Action (*setup)(CLI::App& app);
    const char* issue;  // when not built yet: where the work is tracked
};

Action setup_sandbox(CLI::App& app);
Action setup_measure(CLI::App& app);
Action setup_eval(CLI::App& app);
Action setup_optimize(CLI::App& app);
Action setup_analyze(CLI::App& app);
Action setup_doctor(CLI::App& app);
Action setup_report(CLI::App& app);
Action setup_config(CLI::App& app);
Action setup_ci(CLI::App& app);
Action setup_kernels(CLI::App& app);
Action setup_explain(CLI::App& app);

}  // namespace optiloop::cli

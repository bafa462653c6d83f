// The proposer's and the search's options for optimize, eval and ci (the proposer itself is built
// by optimizer/proposers.hpp).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include <optiloop/core/proposer.hpp>
#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/optimizer/proposers.hpp>

#include "config.hpp"

namespace optiloop::cli {

using optimizer::ProposerSource;
using optimizer::proposer_source;
using ProposerArgs = optimizer::ProposerSettings;

// The proposer's settings (add_setting: apply_settings fills them) and its other options.
void add_proposer_options(CLI::App& app, ProposerArgs& args);
// Whether the provider and the LLM timeout were chosen by the user (a flag, the environment or a
// config file) rather than defaulted.
void note_proposer_sources(const CLI::App& app, const Settings& settings, ProposerArgs& args);

// How the optimizer searches (optimize and eval): --search, --population, --no-polish.
struct SearchArgs {
    std::string search = "population";
    int population = 3;
    int islands = 2;
    int migrate_every = 2;
    bool no_polish = false;
};
void add_search_options(CLI::App& app, SearchArgs& args);
void apply_search(const SearchArgs& args, const ProposerArgs& proposer, optimizer::Options& options);

}  // namespace optiloop::cli

// Choosing and building the proposer for optimize and eval: rules (offline), replay, or an LLM
// provider with its options (the flags, environment and config keys of the settings table).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include <optiloop/core/proposer.hpp>
#include <optiloop/llm/provider.hpp>
#include <optiloop/optimizer/optimizer.hpp>

#include "config.hpp"

namespace optiloop::cli {

struct ProposerArgs {
    std::string provider = "rules";
    std::string model;
    std::string base_url;
    double temperature = 0.7;
    int max_tokens = 4096;
    int llm_concurrency = 4;
    int llm_timeout = 300;
    int llm_retries = 6;
    int token_budget = 0;
    std::string edit_format = "auto";
    int examples = 2;
    std::string examples_from;
    std::string prompt_dir;
    std::string replay;
    std::string record;                       // --record FILE.jsonl: every exchange, for --replay
    std::string paste_dir = "optiloop-paste";  // --provider paste: where prompts and answers go
    bool no_cache = false;
    bool no_stream = false;
    bool provider_given = false;  // by a flag, the environment or a config file
    bool llm_timeout_given = false;
};

// The proposer's settings (add_setting: apply_settings fills them) and its other options.
void add_proposer_options(CLI::App& app, ProposerArgs& args);
// Whether the provider and the LLM timeout were chosen by the user (a flag, the environment or a
// config file) rather than defaulted.
void note_proposer_sources(const CLI::App& app, const Settings& settings, ProposerArgs& args);

// How the optimizer searches (optimize and eval): --search, --population, --no-polish.
struct SearchArgs {
    std::string search = "population";
    int population = 3;
    bool no_polish = false;
};
void add_search_options(CLI::App& app, SearchArgs& args);
void apply_search(const SearchArgs& args, const ProposerArgs& proposer, optimizer::Options& options);

// Makes one proposer per task; LLM proposers share one cache, one request limiter and one
// usage total.
struct ProposerSource {
    std::function<std::unique_ptr<core::Proposer>()> make;
    std::shared_ptr<llm::UsageTotals> usage;  // null for offline proposers
    std::string description;                  // "openai gpt-4o at https://...", "rules"
};
core::Result<ProposerSource> proposer_source(const ProposerArgs& args, const std::function<void(const std::string&)>& log);

// "3 requests (1 retried, 2 cached), 12,345 prompt + 2,345 completion tokens"
std::string usage_line(const core::ProposerUsage& usage);

}  // namespace optiloop::cli

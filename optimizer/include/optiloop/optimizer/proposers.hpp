// Choosing and building the proposer a run asks: the rules (offline), clang-tidy's fixes, a
// replayed recording, a person pasting answers, or an LLM provider over HTTP with its options.
// The settings come from the command line, the environment and optiloop.toml (cli/config.cpp's
// settings table); the API key from llm/secrets.hpp, never from here.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <optiloop/core/error.hpp>
#include <optiloop/core/proposer.hpp>
#include <optiloop/llm/provider.hpp>

namespace optiloop::optimizer {

struct ProposerSettings {
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

// Makes one proposer per task; LLM proposers share one cache, one request limiter and one
// usage total.
struct ProposerSource {
    std::function<std::unique_ptr<core::Proposer>()> make;
    std::shared_ptr<llm::UsageTotals> usage;  // null for offline proposers
    std::string description;                  // "openai gpt-4o at https://...", "rules"
};
core::Result<ProposerSource> proposer_source(const ProposerSettings& settings, const std::function<void(const std::string&)>& log);

}  // namespace optiloop::optimizer

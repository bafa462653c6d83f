#include "proposers.hpp"

namespace optiloop::cli {

void add_proposer_options(CLI::App& app, ProposerArgs& a) {
    add_setting(app, "provider", a.provider);
    add_setting(app, "model", a.model);
    add_setting(app, "base_url", a.base_url);
    add_setting(app, "temperature", a.temperature);
    add_setting(app, "max_tokens", a.max_tokens);
    add_setting(app, "llm_concurrency", a.llm_concurrency);
    add_setting(app, "llm_timeout", a.llm_timeout);
    add_setting(app, "llm_retries", a.llm_retries);
    add_setting(app, "token_budget", a.token_budget);
    add_setting(app, "edit_format", a.edit_format);
    add_setting(app, "examples", a.examples);
    add_setting(app, "examples_from", a.examples_from);
    add_setting(app, "prompt_dir", a.prompt_dir);
    app.add_option("--replay", a.replay, "With --provider replay: a JSONL file of recorded answers to replay");
    app.add_option("--record", a.record, "Write every exchange with the proposer to this JSONL file (--provider replay --replay FILE plays it back)");
    app.add_option("--paste-dir", a.paste_dir, "With --provider paste: the folder prompts are written to and answers read from");
    app.add_flag("--no-cache", a.no_cache, "Ask the server even when the response cache has the answer");
    app.add_flag("--no-stream", a.no_stream, "Ask for whole answers instead of server-sent event streams");
}

void note_proposer_sources(const CLI::App& app, const Settings& settings, ProposerArgs& a) {
    a.provider_given = app.count("--provider") > 0 || settings.get("provider").source != "default";
    a.llm_timeout_given = app.count("--llm-timeout") > 0 || settings.get("llm_timeout").source != "default";
}

void add_search_options(CLI::App& app, SearchArgs& a) {
    add_setting(app, "search", a.search);
    add_setting(app, "population", a.population);
    add_setting(app, "islands", a.islands);
    add_setting(app, "migrate_every", a.migrate_every);
    app.add_flag("--no-polish", a.no_polish, "Do not let the rules proposer polish a model's new best");
}

void apply_search(const SearchArgs& a, const ProposerArgs& proposer, optimizer::Options& options) {
    options.search = a.search == "greedy"    ? optimizer::Search::greedy
                     : a.search == "islands" ? optimizer::Search::islands
                     : a.search == "elites"  ? optimizer::Search::elites
                                             : optimizer::Search::population;
    options.population = a.population;
    options.islands = a.islands;
    options.migrate_every = a.migrate_every;
    options.polish = !a.no_polish;
    options.token_budget = proposer.token_budget;
}


}  // namespace optiloop::cli

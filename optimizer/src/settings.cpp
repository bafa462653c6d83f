#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <stdexcept>

#include <toml++/toml.h>

#include <optiloop/llm/secrets.hpp>
#include <optiloop/optimizer/settings.hpp>

namespace optiloop::optimizer {

namespace fs = std::filesystem;

namespace {

using Kind = SettingCheck::Kind;

SettingCheck integer(double low, double high) { return {Kind::integer, low, high, {}}; }
SettingCheck number(double low, double high) { return {Kind::number, low, high, {}}; }
SettingCheck one_of(std::vector<const char*> choices) { return {Kind::choice, 0, 0, std::move(choices)}; }

}  // namespace

const std::vector<SettingInfo>& setting_table() {
    static const std::vector<SettingInfo> table = {
        {"provider", "--provider", {"OPTILOOP_PROVIDER"}, "rules",
         "Who proposes edits: rules (offline, the default), clang-tidy, replay, paste (you answer the prompts), openai, anthropic",
         one_of({"rules", "clang-tidy", "replay", "paste", "openai", "anthropic"})},
        {"model", "--model", {"OPTILOOP_MODEL"}, "", "Model name for an LLM provider", {}},
        {"base_url", "--base-url", {"OPTILOOP_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_BASE"}, "",
         "OpenAI-compatible server (vLLM, llama.cpp, Ollama: http://host:port/v1) or Anthropic endpoint", {}},
        {"samples", "-k,--samples", {"OPTILOOP_SAMPLES"}, "4", "Candidates per round", integer(1, 64)},
        {"rounds", "--rounds", {"OPTILOOP_ROUNDS"}, "3", "Rounds of propose / verify / feed back", integer(1, 50)},
        {"search", "--search", {"OPTILOOP_SEARCH"}, "population",
         "population (the default: the best few programs, repair rounds, rules polish); greedy (the first loop), islands or elites (MAP-Elites), for comparison",
         one_of({"population", "greedy", "islands", "elites"})},
        {"population", "--population", {"OPTILOOP_POPULATION"}, "3",
         "Distinct correct programs the search draws its prompts from (per island; --search elites: the grid's cells)", integer(1, 16)},
        {"islands", "--islands", {"OPTILOOP_ISLANDS"}, "2", "--search islands: how many islands", integer(2, 8)},
        {"migrate_every", "--migrate-every", {"OPTILOOP_MIGRATE_EVERY"}, "2", "--search islands: rounds between migrations of each island's best", integer(1, 50)},
        // [repository] in optiloop.toml: the commands of `optimize --repo` and `ci --verify`, so
        // that `optiloop ci --base origin/main --verify` is the whole command in a configured project.
        {"repository.build", "--build", {}, "", "Repository mode: the build command, run from the repository root (in the sandbox)", {}},
        {"repository.test", "--test", {}, "", "Repository mode: the test command; exit code 0 means correct", {}},
        {"repository.bench", "--bench", {}, "", "Repository mode: the command whose cost is measured (default: the test command)", {}},
        {"repository.bench_format", "--bench-format", {}, "instructions",
         "gbench: Google Benchmark JSON times; instructions: count the command's instructions (default)", one_of({"instructions", "gbench"})},
        {"repository.bench_filter", "--bench-filter", {}, "", "gbench: only the benchmarks matching this regex", {}},
        {"repository.bench_metric", "--bench-metric", {}, "cpu_time", "gbench: cpu_time (the default: steadier on a shared machine) or real_time",
         one_of({"real_time", "cpu_time"})},
        {"repository.bench_repetitions", "--bench-repetitions", {}, "5", "gbench: repetitions per benchmark (the median counts)", integer(1, 100)},
        {"repository.compile_commands", "-p,--compile-commands", {}, "",
         "The build folder holding compile_commands.json, for parsing (default: build/ or the repository root when it has one)", {}},
        {"repository.build_timeout", "--build-timeout", {}, "1800", "Repository mode: seconds the build command may run", integer(1, 86400)},
        {"repository.test_timeout", "--test-timeout", {}, "600", "Repository mode: seconds the test command may run", integer(1, 86400)},
        {"repository.bench_timeout", "--bench-timeout", {}, "900", "Repository mode: seconds one bench run may take", integer(1, 86400)},
        {"counter", "--counter", {"OPTILOOP_COUNTER"}, "auto", "Instruction counter: auto, perf, cachegrind, callgrind, none",
         one_of({"auto", "perf", "cachegrind", "callgrind", "none"})},
        {"jobs", "--jobs,-j", {"OPTILOOP_JOBS"}, "0",
         "Work at once: tests run in parallel for correctness (optimize, measure) or tasks evaluated in parallel (eval); 0: the number of cores",
         integer(0, 1024)},
        {"repeat", "--repeat", {"OPTILOOP_REPEAT"}, "3", "Wall-time repetitions per cost test", integer(1, 100)},
        {"temperature", "--temperature", {"OPTILOOP_TEMPERATURE"}, "0.7", "Sampling temperature of an LLM provider", number(0, 2)},
        {"max_tokens", "--max-tokens", {"OPTILOOP_MAX_TOKENS"}, "4096", "Longest answer an LLM may give, in tokens", integer(1, 1000000)},
        {"llm_concurrency", "--llm-concurrency", {"OPTILOOP_LLM_CONCURRENCY"}, "4", "LLM requests in flight at most", integer(1, 64)},
        {"llm_retries", "--llm-retries", {"OPTILOOP_LLM_RETRIES"}, "6", "Tries per LLM request before giving up (429, 5xx, resets, timeouts)",
         integer(1, 20)},
        {"token_budget", "--token-budget", {"OPTILOOP_TOKEN_BUDGET"}, "0", "Stop asking the LLM once the run has spent this many tokens (0: no limit)",
         integer(0, 2000000000)},
        {"llm_timeout", "--llm-timeout", {"OPTILOOP_LLM_TIMEOUT"}, "300", "Seconds one LLM request may take", integer(1, 3600)},
        {"edit_format", "--edit-format", {"OPTILOOP_EDIT_FORMAT"}, "auto", "How the model answers: auto, whole-file, search-replace",
         one_of({"auto", "whole-file", "search-replace"})},
        {"examples", "--examples", {"OPTILOOP_EXAMPLES"}, "2", "Few-shot examples retrieved into each prompt", integer(0, 8)},
        {"examples_from", "--examples-from", {"OPTILOOP_EXAMPLES_FROM"}, "", "Dataset folder the examples come from (default: the built-in dataset)", {}},
        {"prompt_dir", "--prompt-dir", {"OPTILOOP_PROMPT_DIR"}, "",
         "Directory of prompt templates (system.md, user.md, ...) replacing the built-in ones", {}},
    };
    return table;
}

const SettingInfo& setting(const std::string& key) {
    for (const auto& info : setting_table())
        if (key == info.key) return info;
    throw std::logic_error("no setting " + key);  // a typo in optiloop's own code, caught by its tests
}

namespace {

std::string number_text(double x) {
    std::ostringstream out;
    out << x;
    return out.str();
}

// "a, b or c"
std::string choice_list(const std::vector<const char*>& choices) {
    std::string out;
    for (std::size_t i = 0; i < choices.size(); ++i) out += std::string(i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    return out;
}

// Checks a value against what its key accepts; the message names the key and the source.
core::Result<void> validate(const std::string& key, const std::string& value, const std::string& source) {
    const SettingCheck& check = setting(key).check;
    auto bad = [&](const std::string& expected) {
        return core::fail(core::Error::input(source + ": " + key + ": expected " + expected + ", got \"" + value + "\""));
    };
    switch (check.kind) {
    case Kind::text: return {};
    case Kind::choice:
        if (std::find(check.choices.begin(), check.choices.end(), value) == check.choices.end()) return bad(choice_list(check.choices));
        return {};
    case Kind::integer:
    case Kind::number: {
        const bool whole = check.kind == Kind::integer;
        const std::string expected = std::string(whole ? "an integer" : "a number") + " from " + number_text(check.low) + " to " + number_text(check.high);
        std::size_t used = 0;
        double x = 0;
        try {
            x = whole ? static_cast<double>(std::stoll(value, &used)) : std::stod(value, &used);
        } catch (...) {
            return bad(expected);
        }
        if (used != value.size() || x < check.low || x > check.high) return bad(expected);
        return {};
    }
    }
    return {};
}

core::Result<void> read_file(const fs::path& path, std::map<std::string, SettingValue>& values) {
    toml::table table;
    try {
        table = toml::parse_file(path.string());
    } catch (const toml::parse_error& error) {
        std::ostringstream where;
        where << path.string() << ":" << error.source().begin.line << ":" << error.source().begin.column << ": " << error.description();
        return core::fail(core::Error::input(where.str()));
    }
    // Top-level keys, and the keys of a [repository] table as "repository.KEY".
    std::vector<std::pair<std::string, const toml::node*>> entries;
    for (const auto& [key, node] : table) {
        if (key.str() == "repository" && node.is_table()) {
            for (const auto& [inner, value] : *node.as_table()) entries.emplace_back("repository." + std::string(inner.str()), &value);
            continue;
        }
        entries.emplace_back(std::string(key.str()), &node);
    }
    for (const auto& [name, node_pointer] : entries) {
        const toml::node& node = *node_pointer;
        if (name == "api_key")
            return core::fail(core::Error::input(path.string() + ": api_key: keys do not belong in a config file; set OPTILOOP_API_KEY, OPENAI_API_KEY or ANTHROPIC_API_KEY"));
        const auto& known = setting_table();
        if (std::none_of(known.begin(), known.end(), [&](const SettingInfo& s) { return name == s.key; }))
            return core::fail(core::Error::input(path.string() + ": " + name + ": unknown setting (see optiloop config show)"));
        std::string value;
        if (auto s = node.value<std::string>()) value = *s;
        else if (auto i = node.value<std::int64_t>()) value = std::to_string(*i);
        else return core::fail(core::Error::input(path.string() + ": " + name + ": expected a string or an integer"));
        if (auto ok = validate(name, value, path.string()); !ok) return core::fail(ok.error());
        values[name] = {value, path.string()};
    }
    return {};
}

}  // namespace

core::Result<Settings> Settings::load(const std::string& config_file) {
    Settings s;
    for (const auto& info : setting_table()) s.m_values[info.key] = {info.fallback, "default"};
    // Lowest first: the user's file, then the project's (or --config), then the environment.
    fs::path user_dir;
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) user_dir = fs::path(xdg) / "optiloop";
    else if (const char* home = std::getenv("HOME"); home && *home) user_dir = fs::path(home) / ".config" / "optiloop";
    if (!user_dir.empty() && fs::exists(user_dir / "config.toml"))
        if (auto r = read_file(user_dir / "config.toml", s.m_values); !r) return core::fail(r.error());
    if (!config_file.empty()) {
        if (!fs::exists(config_file)) return core::fail(core::Error::input("--config " + config_file + ": no such file"));
        if (auto r = read_file(config_file, s.m_values); !r) return core::fail(r.error());
    } else if (fs::exists("optiloop.toml")) {
        if (auto r = read_file("optiloop.toml", s.m_values); !r) return core::fail(r.error());
    }
    for (const auto& info : setting_table())
        for (const char* env : info.env)
            if (const char* v = std::getenv(env); v && *v) {
                if (auto ok = validate(info.key, v, std::string("environment variable ") + env); !ok) return core::fail(ok.error());
                s.m_values[info.key] = {v, std::string("env ") + env};
                break;
            }
    if (auto key = llm::any_api_key()) s.m_api_key_source = key->source;
    return s;
}

void Settings::set_flag(const std::string& key, const std::string& value, const std::string& flag) {
    m_values[key] = {value, "flag " + flag};
}

}  // namespace optiloop::optimizer

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <iomanip>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "commands.hpp"
#include "config.hpp"
#include "secrets.hpp"

namespace optiloop::cli {

namespace fs = std::filesystem;

const std::vector<SettingInfo>& setting_table() {
    static const std::vector<SettingInfo> table = {
        {"provider", "--provider", {"OPTILOOP_PROVIDER"}, "rules", "who proposes edits: rules, clang-tidy, replay, paste, openai, anthropic"},
        {"model", "--model", {"OPTILOOP_MODEL"}, "", "model name for an LLM provider"},
        {"base_url", "--base-url", {"OPTILOOP_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_BASE"}, "", "OpenAI-compatible server"},
        {"samples", "-k", {"OPTILOOP_SAMPLES"}, "4", "candidates per round"},
        {"rounds", "--rounds", {"OPTILOOP_ROUNDS"}, "3", "rounds of propose / verify / feed back"},
        {"search", "--search", {"OPTILOOP_SEARCH"}, "population", "how rounds are searched: population or greedy"},
        {"population", "--population", {"OPTILOOP_POPULATION"}, "3", "distinct correct programs the search draws prompts from"},
        // [repository] in optiloop.toml: the commands of `optimize --repo` and `ci --verify`, so
        // that `optiloop ci --base origin/main --verify` is the whole command in a configured project.
        {"repository.build", "--build", {}, "", "repository mode: the build command"},
        {"repository.test", "--test", {}, "", "repository mode: the test command (exit 0 = correct)"},
        {"repository.bench", "--bench", {}, "", "repository mode: the command whose cost is measured"},
        {"repository.bench_format", "--bench-format", {}, "instructions", "repository mode: instructions or gbench"},
        {"repository.bench_filter", "--bench-filter", {}, "", "repository mode, gbench: the benchmarks to run (regex)"},
        {"repository.bench_metric", "--bench-metric", {}, "cpu_time", "repository mode, gbench: cpu_time or real_time"},
        {"repository.bench_repetitions", "--bench-repetitions", {}, "5", "repository mode, gbench: repetitions per benchmark"},
        {"repository.compile_commands", "--compile-commands", {}, "", "the folder holding compile_commands.json"},
        {"repository.build_timeout", "--build-timeout", {}, "1800", "repository mode: seconds the build command may run"},
        {"repository.test_timeout", "--test-timeout", {}, "600", "repository mode: seconds the test command may run"},
        {"repository.bench_timeout", "--bench-timeout", {}, "900", "repository mode: seconds one bench run may take"},
        {"counter", "--counter", {"OPTILOOP_COUNTER"}, "auto", "instruction counter: auto, perf, cachegrind, callgrind, none"},
        {"jobs", "--jobs", {"OPTILOOP_JOBS"}, "0", "parallel test runs (0: the number of cores)"},
        {"repeat", "--repeat", {"OPTILOOP_REPEAT"}, "3", "wall-time repetitions per cost test"},
        {"temperature", "--temperature", {"OPTILOOP_TEMPERATURE"}, "0.7", "sampling temperature of an LLM provider"},
        {"max_tokens", "--max-tokens", {"OPTILOOP_MAX_TOKENS"}, "4096", "longest answer an LLM may give, in tokens"},
        {"llm_concurrency", "--llm-concurrency", {"OPTILOOP_LLM_CONCURRENCY"}, "4", "LLM requests in flight at most"},
        {"llm_retries", "--llm-retries", {"OPTILOOP_LLM_RETRIES"}, "6", "tries per LLM request before giving up (429, 5xx, resets, timeouts)"},
        {"token_budget", "--token-budget", {"OPTILOOP_TOKEN_BUDGET"}, "0", "stop asking the LLM after this many tokens in a run (0: no limit)"},
        {"llm_timeout", "--llm-timeout", {"OPTILOOP_LLM_TIMEOUT"}, "300", "seconds one LLM request may take"},
        {"edit_format", "--edit-format", {"OPTILOOP_EDIT_FORMAT"}, "auto", "how the model answers: auto, whole-file, search-replace"},
        {"examples", "--examples", {"OPTILOOP_EXAMPLES"}, "2", "few-shot examples retrieved into each prompt"},
        {"examples_from", "--examples-from", {"OPTILOOP_EXAMPLES_FROM"}, "", "dataset the examples come from (default: the built-in one)"},
        {"prompt_dir", "--prompt-dir", {"OPTILOOP_PROMPT_DIR"}, "", "directory of prompt templates that replace the built-in ones"},
    };
    return table;
}

namespace {

// Checks a value against what its key accepts; the message names the key and the source.
core::Result<void> validate(const std::string& key, const std::string& value, const std::string& source) {
    auto bad = [&](const std::string& expected) {
        return core::fail(core::Error::input(source + ": " + key + ": expected " + expected + ", got \"" + value + "\""));
    };
    auto integer_in = [&](int lo, int hi) -> core::Result<void> {
        std::size_t used = 0;
        int n = 0;
        try {
            n = std::stoi(value, &used);
        } catch (...) {
            return bad("an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
        }
        if (used != value.size() || n < lo || n > hi) return bad("an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
        return {};
    };
    if (key == "provider" && value != "rules" && value != "clang-tidy" && value != "replay" && value != "paste" && value != "openai" && value != "anthropic")
        return bad("rules, clang-tidy, replay, paste, openai or anthropic");
    if (key == "search" && value != "population" && value != "greedy") return bad("population or greedy");
    if (key == "population") return integer_in(1, 16);
    if (key == "counter" && value != "auto" && value != "perf" && value != "cachegrind" && value != "callgrind" && value != "none")
        return bad("auto, perf, cachegrind, callgrind or none");
    if (key == "repository.bench_format" && value != "instructions" && value != "gbench") return bad("instructions or gbench");
    if (key == "repository.bench_metric" && value != "real_time" && value != "cpu_time") return bad("real_time or cpu_time");
    if (key == "repository.bench_repetitions") return integer_in(1, 100);
    if (key == "repository.build_timeout" || key == "repository.test_timeout" || key == "repository.bench_timeout") return integer_in(1, 86400);
    if (key == "samples") return integer_in(1, 64);
    if (key == "rounds") return integer_in(1, 50);
    if (key == "jobs") return integer_in(0, 256);
    if (key == "repeat") return integer_in(1, 100);
    if (key == "max_tokens") return integer_in(1, 1000000);
    if (key == "llm_concurrency") return integer_in(1, 64);
    if (key == "llm_timeout") return integer_in(1, 3600);
    if (key == "llm_retries") return integer_in(1, 20);
    if (key == "token_budget") return integer_in(0, 2000000000);
    if (key == "examples") return integer_in(0, 8);
    if (key == "edit_format" && value != "auto" && value != "whole-file" && value != "search-replace") return bad("auto, whole-file or search-replace");
    if (key == "temperature") {
        std::size_t used = 0;
        double t = -1;
        try {
            t = std::stod(value, &used);
        } catch (...) {
        }
        if (used != value.size() || t < 0 || t > 2) return bad("a number from 0 to 2");
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
    if (auto key = any_api_key()) s.m_api_key_source = key->source;
    return s;
}

void Settings::set_flag(const std::string& key, const std::string& value, const std::string& flag) {
    m_values[key] = {value, "flag " + flag};
}

void apply_unset(const CLI::App& app, const Settings& settings, const std::string& key, std::string& target) {
    for (const auto& info : setting_table())
        if (key == info.key && app.get_option_no_throw(info.flag) && app.count(info.flag) == 0) target = settings.get(key).value;
}

void apply_unset(const CLI::App& app, const Settings& settings, const std::string& key, double& target) {
    for (const auto& info : setting_table())
        if (key == info.key && app.get_option_no_throw(info.flag) && app.count(info.flag) == 0) target = std::stod(settings.get(key).value);
}

void apply_unset(const CLI::App& app, const Settings& settings, const std::string& key, int& target) {
    for (const auto& info : setting_table())
        if (key == info.key && app.get_option_no_throw(info.flag) && app.count(info.flag) == 0) target = settings.get_int(key);
}

Action setup_config(CLI::App& app) {
    struct Args {
        std::string what = "show";
        std::string file;
        bool json = false;
    };
    auto a = std::make_shared<Args>();
    app.add_option("what", a->what, "show (the default): the effective settings and where each comes from")->check(CLI::IsMember({"show"}));
    app.add_option("--config", a->file, "A config file instead of ./optiloop.toml");
    app.add_flag("--json", a->json, "Print JSON");
    return [a](Streams& s) {
        auto settings = Settings::load(a->file);
        if (!settings) {
            s.err << "optiloop config: " << settings.error().message << "\n";
            return 2;
        }
        const std::string key_source = settings->api_key_source();
        if (a->json) {
            nlohmann::json j;
            for (const auto& [k, v] : settings->all()) j[k] = {{"value", v.value}, {"source", v.source}};
            j["api_key"] = {{"value", key_source.empty() ? "not set" : "set"}, {"source", key_source.empty() ? "none" : key_source}};
            s.out << j.dump(2) << "\n";
            return 0;
        }
        for (const auto& info : setting_table()) {
            const auto& v = settings->get(info.key);
            s.out << std::left << std::setw(17) << info.key << std::setw(14) << (v.value.empty() ? "(none)" : v.value) << v.source << "\n";
        }
        s.out << std::left << std::setw(17) << "api_key" << std::setw(14) << (key_source.empty() ? "not set" : "set") << (key_source.empty() ? "" : key_source)
              << "\n";
        return 0;
    };
}

}  // namespace optiloop::cli

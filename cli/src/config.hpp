// Settings: one table of keys, each with its flag, its OPTILOOP_* environment variable and its
// config-file key. Precedence: flag > environment > --config FILE or ./optiloop.toml > the
// user's config ($XDG_CONFIG_HOME/optiloop/config.toml) > default. API keys are only ever
// reported as set or not set, with where from.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <optiloop/core/error.hpp>

namespace optiloop::cli {

struct SettingValue {
    std::string value;
    std::string source;  // "default", "flag --rounds", "env OPTILOOP_ROUNDS", "optiloop.toml", ...
};

class Settings {
public:
    // Reads the environment and the config files; `config_file` is --config when given.
    static core::Result<Settings> load(const std::string& config_file);

    // A flag given on the command line wins over everything else.
    void set_flag(const std::string& key, const std::string& value, const std::string& flag);

    [[nodiscard]] const SettingValue& get(const std::string& key) const { return m_values.at(key); }
    [[nodiscard]] int get_int(const std::string& key) const { return std::stoi(get(key).value); }
    [[nodiscard]] const std::map<std::string, SettingValue>& all() const { return m_values; }
    // Where the API key would come from ("env OPENAI_API_KEY"), or empty when none is set.
    [[nodiscard]] std::string api_key_source() const { return m_api_key_source; }

private:
    std::map<std::string, SettingValue> m_values;
    std::string m_api_key_source;
};

struct SettingInfo {
    const char* key;
    const char* flag;
    std::vector<const char*> env;
    const char* fallback;
    const char* description;
};

const std::vector<SettingInfo>& setting_table();

// Applies the settings to options the user did not give on the command line.
void apply_unset(const CLI::App& app, const Settings& settings, const std::string& key, std::string& target);
void apply_unset(const CLI::App& app, const Settings& settings, const std::string& key, int& target);
void apply_unset(const CLI::App& app, const Settings& settings, const std::string& key, double& target);

}  // namespace optiloop::cli

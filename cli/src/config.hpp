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

// What a setting accepts: one rule for its flag (a CLI11 check), its environment variables and
// the config files.
struct SettingCheck {
    enum class Kind { text, integer, number, choice };
    Kind kind = Kind::text;
    double low = 0, high = 0;          // integer and number: the closed range
    std::vector<const char*> choices;  // choice: the accepted values
};

struct SettingInfo {
    const char* key;   // the config-file key; "repository.X" is X in a [repository] table
    const char* flag;  // the option's names, as CLI11 takes them ("-k,--samples")
    std::vector<const char*> env;
    const char* fallback;     // the default, unless a command keeps its own (see add_setting)
    const char* description;  // the option's help
    SettingCheck check;
};

// The one table: the CLI11 options (add_setting), `optiloop config show` and the config and
// environment readers are all made from it.
const std::vector<SettingInfo>& setting_table();
const SettingInfo& setting(const std::string& key);

// Adds setting `key` to `app` as an option bound to `target`, with the table's names, check and
// help (the help prefixed by `context`, e.g. "With --verify: "). `target` keeps the command's own
// default; apply_settings fills it from the environment or a config file when the user set it
// there. Every command that lists a setting in its help honours it that way.
CLI::Option* add_setting(CLI::App& app, const std::string& key, std::string& target, const std::string& context = "");
CLI::Option* add_setting(CLI::App& app, const std::string& key, int& target, const std::string& context = "");
CLI::Option* add_setting(CLI::App& app, const std::string& key, double& target, const std::string& context = "");

// After parsing: each setting added to `app` that its command line did not give and the user
// set in the environment or a config file takes that value. `table` empty: the top-level
// settings; "repository": those of [repository], which apply in repository mode only.
void apply_settings(const CLI::App& app, const Settings& settings, const std::string& table = "");

// What add_setting registered belongs to one run of the CLI: its apps and the targets they bind
// die with it. A run holds one of these, which forgets them at both ends, so a later run in the
// same process (the in-process tests) never meets another's bindings at a reused address.
class SettingsScope {
public:
    SettingsScope();
    ~SettingsScope();
    SettingsScope(const SettingsScope&) = delete;
    SettingsScope& operator=(const SettingsScope&) = delete;
};

}  // namespace optiloop::cli

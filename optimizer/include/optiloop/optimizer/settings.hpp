// Settings: one table of keys, each with its flag, its OPTILOOP_* environment variable and its
// config-file key. Precedence: flag > environment > --config FILE or ./optiloop.toml > the
// user's config ($XDG_CONFIG_HOME/optiloop/config.toml) > default. API keys are only ever
// reported as set or not set, with where from. The CLI makes its options from the same table
// (cli/src/config.hpp: add_setting, apply_settings).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <optiloop/core/error.hpp>

namespace optiloop::optimizer {

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

// The one table: the CLI11 options (the CLI's add_setting), `optiloop config show` and the config
// and environment readers are all made from it.
const std::vector<SettingInfo>& setting_table();
const SettingInfo& setting(const std::string& key);

}  // namespace optiloop::optimizer

// The settings as CLI11 options: each command adds the settings it honours from the one table
// (optimizer/settings.hpp), and after parsing takes what the environment or a config file set.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/optimizer/settings.hpp>

namespace optiloop::cli {

using optimizer::setting;
using optimizer::setting_table;
using optimizer::SettingCheck;
using optimizer::SettingInfo;
using optimizer::Settings;
using optimizer::SettingValue;

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

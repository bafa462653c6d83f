#include <functional>
#include <iomanip>
#include <map>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "config.hpp"

namespace optiloop::cli {

namespace {

using Kind = SettingCheck::Kind;

// The settings each parsed command added, with what sets their targets.
struct Binding {
    std::string key;
    const CLI::Option* option;
    std::function<void(const std::string&)> set;
};
std::map<const CLI::App*, std::vector<Binding>>& bindings() {
    static std::map<const CLI::App*, std::vector<Binding>> all;
    return all;
}

// The option of `key` bound to `target`; `set` gives target a configured value after parsing.
template <class T>
CLI::Option* bind_setting(CLI::App& app, const std::string& key, T& target, const std::string& context, std::function<void(const std::string&)> set) {
    const SettingInfo& info = setting(key);
    std::string help = context + info.description;
    if (!info.env.empty()) help += std::string(" [env ") + info.env.front() + "]";
    CLI::Option* option = app.add_option(info.flag, target, help);
    switch (info.check.kind) {
    case Kind::text: break;
    case Kind::choice: option->check(CLI::IsMember(std::vector<std::string>(info.check.choices.begin(), info.check.choices.end()))); break;
    case Kind::integer:
    case Kind::number: option->check(CLI::Range(info.check.low, info.check.high)); break;
    }
    bindings()[&app].push_back({key, option, std::move(set)});
    return option;
}

}  // namespace

CLI::Option* add_setting(CLI::App& app, const std::string& key, std::string& target, const std::string& context) {
    return bind_setting(app, key, target, context, [&target](const std::string& value) { target = value; });
}

CLI::Option* add_setting(CLI::App& app, const std::string& key, int& target, const std::string& context) {
    return bind_setting(app, key, target, context, [&target](const std::string& value) { target = std::stoi(value); });
}

CLI::Option* add_setting(CLI::App& app, const std::string& key, double& target, const std::string& context) {
    return bind_setting(app, key, target, context, [&target](const std::string& value) { target = std::stod(value); });
}

SettingsScope::SettingsScope() { bindings().clear(); }

SettingsScope::~SettingsScope() { bindings().clear(); }

void apply_settings(const CLI::App& app, const Settings& settings, const std::string& table) {
    const auto found = bindings().find(&app);
    if (found == bindings().end()) return;
    // Values were validated when read; a flag on the command line wins.
    for (const Binding& binding : found->second)
        if (const auto dot = binding.key.find('.'); (dot == std::string::npos ? "" : binding.key.substr(0, dot)) != table) continue;
        else if (binding.option->count() == 0 && settings.get(binding.key).source != "default") binding.set(settings.get(binding.key).value);
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
            for (const auto& info : setting_table()) {
                const auto& v = settings->get(info.key);
                j[info.key] = {{"value", v.value}, {"source", v.source}, {"flag", info.flag}, {"env", info.env}, {"default", info.fallback}};
            }
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

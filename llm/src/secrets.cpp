#include <cstdlib>
#include <map>
#include <mutex>

#include <optiloop/llm/secrets.hpp>

namespace optiloop::llm {

namespace {

constexpr const char* k_key_variables[] = {"OPTILOOP_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"};

std::mutex g_mutex;
std::map<std::string, std::string> g_keys;

std::optional<Secret> lookup(std::initializer_list<const char*> names) {
    std::lock_guard lock(g_mutex);
    for (const char* name : names)
        if (auto it = g_keys.find(name); it != g_keys.end() && !it->second.empty()) return Secret{it->second, std::string("env ") + name};
    return std::nullopt;
}

}  // namespace

void capture_secrets() {
    std::lock_guard lock(g_mutex);
    // What the environment holds now is what this run has (a test may run the CLI many times).
    g_keys.clear();
    for (const char* name : k_key_variables) {
        if (const char* value = std::getenv(name)) g_keys[name] = value;
        ::unsetenv(name);
    }
}

std::optional<Secret> api_key_for(const std::string& provider) {
    if (provider == "anthropic") return lookup({"OPTILOOP_API_KEY", "ANTHROPIC_API_KEY"});
    return lookup({"OPTILOOP_API_KEY", "OPENAI_API_KEY"});
}

std::optional<Secret> any_api_key() { return lookup({"OPTILOOP_API_KEY", "OPENAI_API_KEY", "ANTHROPIC_API_KEY"}); }

std::vector<std::string> secret_environment() {
    std::lock_guard lock(g_mutex);
    std::vector<std::string> out;
    for (const auto& [name, value] : g_keys)
        if (!value.empty()) out.push_back(name + "=" + value);
    return out;
}

}  // namespace optiloop::llm

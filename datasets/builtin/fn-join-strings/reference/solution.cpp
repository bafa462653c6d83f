#include "api.hpp"

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    if (parts.empty()) return std::string();
    std::size_t total = sep.size() * (parts.size() - 1);
    for (const auto& p : parts) total += p.size();
    std::string result;
    result.reserve(total);
    result += parts[0];
    for (std::size_t i = 1; i < parts.size(); ++i) {
        result += sep;
        result += parts[i];
    }
    return result;
}

#include "api.hpp"

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string result;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i == 0)
            result = parts[i];
        else
            result = result + sep + parts[i];
    }
    return result;
}

#include "api.hpp"
#include <unordered_map>

std::vector<int> running_counts(const std::vector<std::string>& words) {
    std::unordered_map<std::string, int> seen;
    seen.reserve(words.size());
    std::vector<int> result;
    result.reserve(words.size());
    for (const std::string& w : words) result.push_back(++seen[w]);
    return result;
}

#include "api.hpp"
#include <map>

std::vector<int> running_counts(const std::vector<std::string>& words) {
    std::map<std::string, int> seen;
    std::vector<int> result;
    for (const std::string& w : words) {
        seen[w]++;
        result.push_back(seen[w]);
    }
    return result;
}

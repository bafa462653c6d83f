#include "api.hpp"
#include <sstream>

std::vector<long long> parse_ints(const std::string& text) {
    std::istringstream in(text);
    std::vector<long long> values;
    long long x;
    while (in >> x) values.push_back(x);
    return values;
}

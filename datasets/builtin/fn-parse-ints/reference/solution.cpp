#include "api.hpp"

std::vector<long long> parse_ints(const std::string& text) {
    std::vector<long long> values;
    values.reserve(text.size() / 2 + 1);
    const char* p = text.data();
    const char* end = p + text.size();
    while (true) {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')) ++p;
        if (p == end) break;
        bool neg = false;
        if (*p == '-') {
            neg = true;
            ++p;
        }
        unsigned long long v = 0;  // unsigned so that -9223372036854775808 does not overflow
        while (p < end && static_cast<unsigned>(*p - '0') < 10u) v = v * 10 + static_cast<unsigned>(*p++ - '0');
        values.push_back(static_cast<long long>(neg ? 0ULL - v : v));
    }
    return values;
}

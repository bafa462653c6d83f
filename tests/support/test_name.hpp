// A GoogleTest parameter name from any text: the names allow only [A-Za-z0-9_], so every other
// character becomes '_'.
#pragma once

#include <cctype>
#include <string>

namespace test_support {

inline std::string test_name(std::string text) {
    for (char& ch : text)
        if (std::isalnum(static_cast<unsigned char>(ch)) == 0) ch = '_';
    return text;
}

}  // namespace test_support

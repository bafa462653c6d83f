#pragma once
#include <string>
#include <vector>

// parts[0] + sep + parts[1] + sep + ... + parts[n-1]; the empty string when parts is empty.
std::string join(const std::vector<std::string>& parts, const std::string& sep);

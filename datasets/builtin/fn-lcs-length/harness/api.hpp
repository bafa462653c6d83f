#pragma once
#include <string>

// Length of the longest common subsequence of a and b (strings of lowercase letters).
int lcs_length(const std::string& a, const std::string& b);

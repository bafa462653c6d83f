#pragma once
#include <string>
#include <vector>

// The integers written in text, in order. text consists of tokens separated by whitespace
// (spaces, tabs, newlines); each token is an optional '-' followed by decimal digits, and its
// value fits in a long long.
std::vector<long long> parse_ints(const std::string& text);

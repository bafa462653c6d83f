#pragma once
#include <string>
#include <vector>

// result[i] = number of j <= i with words[j] == words[i].
std::vector<int> running_counts(const std::vector<std::string>& words);

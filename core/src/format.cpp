#include <optiloop/core/format.hpp>

namespace optiloop::core {

std::string usage_line(const ProposerUsage& u) {
    std::string line = std::to_string(u.requests) + " request" + (u.requests == 1 ? "" : "s");
    if (u.retries || u.cached)
        line += " (" + (u.retries ? std::to_string(u.retries) + " retried" : "") + (u.retries && u.cached ? ", " : "") +
                (u.cached ? std::to_string(u.cached) + " answers from the cache" : "") + ")";
    return line + ", " + format_count(static_cast<double>(u.prompt_tokens)) + " prompt + " + format_count(static_cast<double>(u.completion_tokens)) + " completion tokens";
}

}  // namespace optiloop::core

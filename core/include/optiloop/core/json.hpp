// JSON (de)serialisation of the core model. Reading validates every field and names the one
// that is wrong ("limits.time_s: expected a number"), so a malformed file gives one clear line.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <optiloop/core/error.hpp>
#include <optiloop/core/model.hpp>
#include <optiloop/core/proposer.hpp>

namespace optiloop::core {

nlohmann::json to_json(const Task& task);
nlohmann::json to_json(const Edit& edit);
nlohmann::json to_json(const Candidate& candidate);
nlohmann::json to_json(const Measurement& measurement);
// {requests, retries, cached, prompt_tokens, completion_tokens}
nlohmann::json to_json(const ProposerUsage& usage);

Result<Task> task_from_json(const nlohmann::json& json);
Result<Edit> edit_from_json(const nlohmann::json& json);
Result<Candidate> candidate_from_json(const nlohmann::json& json);
Result<Measurement> measurement_from_json(const nlohmann::json& json);

// Parses text as JSON; the error names `origin` (a path or "stdin") and the position.
Result<nlohmann::json> parse_json(const std::string& text, const std::string& origin);

}  // namespace optiloop::core

#include <fstream>

#include <nlohmann/json.hpp>

#include <optiloop/core/json.hpp>
#include <optiloop/llm/parse.hpp>
#include <optiloop/llm/replay.hpp>

namespace optiloop::llm {

core::Result<ReplayProposer> ReplayProposer::from_recording(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return core::fail(core::Error::input("--replay " + path.string() + ": cannot read it"));
    ReplayProposer replay;
    replay.m_recorded = true;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = path.string() + ":" + std::to_string(number);
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return core::fail(core::Error::input(where + ": not a JSON object"));
        if (!j.contains("task") || !j["task"].is_string()) return core::fail(core::Error::input(where + ": task: expected a string"));
        int round = 1;
        if (j.contains("round")) {
            if (!j["round"].is_number_integer() || j["round"].get<int>() < 1) return core::fail(core::Error::input(where + ": round: expected an integer >= 1"));
            round = j["round"].get<int>();
        }
        Recorded r;
        if (j.contains("answer")) {
            if (!j["answer"].is_string()) return core::fail(core::Error::input(where + ": answer: expected a string"));
            r.answer = j["answer"].get<std::string>();
        } else if (j.contains("edit")) {
            auto edit = core::edit_from_json(j["edit"]);
            if (!edit) return core::fail(core::Error::input(where + ": edit: " + edit.error().message));
            r.edit = *edit;
        } else {
            return core::fail(core::Error::input(where + ": expected an answer or an edit field"));
        }
        replay.m_records[{j["task"].get<std::string>(), round}].push_back(std::move(r));
    }
    return replay;
}

core::Result<std::vector<core::Edit>> ReplayProposer::propose(const core::Task& task, const core::ProposalContext& context) {
    if (m_recorded) {
        std::vector<core::Edit> edits;
        auto it = m_records.find({task.id, context.round});
        if (it == m_records.end()) return edits;
        for (const auto& r : it->second) {
            if (static_cast<int>(edits.size()) >= context.samples) break;
            if (r.edit) {
                edits.push_back(*r.edit);
                edits.back().proposer = name();
                continue;
            }
            auto edit = parse_answer(r.answer, context.current, name());
            if (edit) edits.push_back(std::move(*edit));
            else edits.push_back(core::Edit{name(), r.answer.substr(0, 160), {}, {}, "the answer could not be applied: " + edit.error().message});
        }
        return edits;
    }
    if (task.reference.empty())
        return core::fail(core::Error::input("--provider replay: task " + task.id + " has no reference/ to replay (give --replay FILE with recorded answers)"));
    // The reference is offered once; after it became the current version there is nothing new.
    if (context.current == task.reference) return std::vector<core::Edit>{};
    return std::vector<core::Edit>{core::Edit{name(), "the task's reference solution", task.reference, {}, {}}};
}

}  // namespace optiloop::llm

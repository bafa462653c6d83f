#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

#include <optiloop/core/json.hpp>
#include <optiloop/llm/parse.hpp>
#include <optiloop/llm/replay.hpp>

namespace optiloop::llm {

core::Result<ReplayProposer> ReplayProposer::from_recording(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in || std::filesystem::is_directory(path)) return core::fail(core::Error::input("--replay " + path.string() + ": cannot read it"));
    ReplayProposer replay;
    replay.m_recorded = true;
    replay.m_path = path;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        const std::string where = path.string() + ":" + std::to_string(number);
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return core::fail(core::Error::input(where + ": not a JSON object"));
        if (!j.contains("task") || !j["task"].is_string()) return core::fail(core::Error::input(where + ": task: expected a string"));
        const std::string task = j["task"].get<std::string>();
        int round = 1;
        if (j.contains("round")) {
            if (!j["round"].is_number_integer() || j["round"].get<int>() < 1) return core::fail(core::Error::input(where + ": round: expected an integer >= 1"));
            round = j["round"].get<int>();
        }
        if (j.contains("request") || j.contains("call")) {
            const bool numbered = !j.contains("request");
            const char* field = numbered ? "call" : "request";
            const int least = numbered ? 1 : 0;
            if (!j[field].is_number_integer() || j[field].get<int>() < least)
                return core::fail(core::Error::input(where + ": " + field + ": expected an integer >= " + std::to_string(least)));
            if (!j.contains("samples") || !j["samples"].is_number_integer() || j["samples"].get<int>() < 1)
                return core::fail(core::Error::input(where + ": samples: expected an integer >= 1"));
            if (!j.contains("edits") || !j["edits"].is_array()) return core::fail(core::Error::input(where + ": edits: expected an array of edits"));
            Exchange e{round, j["samples"].get<int>(), {}};
            for (const auto& edit_json : j["edits"]) {
                auto edit = core::edit_from_json(edit_json);
                if (!edit) return core::fail(core::Error::input(where + ": edits: " + edit.error().message));
                e.edits.push_back(*edit);
            }
            const int number = j[field].get<int>();
            replay.m_numbered_calls = replay.m_numbered_calls || numbered;
            const auto key = numbered ? std::make_tuple(task, 0, number - 1) : std::make_tuple(task, round, number);
            if (!replay.m_exchanges.emplace(key, std::move(e)).second)
                return core::fail(core::Error::input(where + ": " + field + " " + std::to_string(number) + (numbered ? "" : " of round " + std::to_string(round)) +
                                                     " of task " + task + " is recorded twice"));
            continue;
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
            return core::fail(core::Error::input(where + ": expected an answer, an edit or a call with its edits"));
        }
        replay.m_records[{task, round}].push_back(std::move(r));
    }
    return replay;
}

core::Result<std::vector<core::Edit>> ReplayProposer::propose(const core::Task& task, const core::ProposalContext& context) {
    if (m_recorded) {
        const int call = m_numbered_calls ? ++m_calls[task.id] : 0;
        const auto found = m_numbered_calls ? m_exchanges.find({task.id, 0, call - 1}) : m_exchanges.find({task.id, context.round, context.request});
        if (found != m_exchanges.end()) {
            const auto& e = found->second;
            const std::string which = m_numbered_calls ? "request " + std::to_string(call) + " of task " + task.id
                                                       : "request " + std::to_string(context.request) + " of round " + std::to_string(context.round) + " of task " + task.id;
            if (e.round != context.round || e.samples != context.samples)
                return core::fail(core::Error::input("--replay " + m_path.string() + ": " + which + " was recorded in round " + std::to_string(e.round) + " for " +
                                                     std::to_string(e.samples) + " samples, but this run asks in round " + std::to_string(context.round) + " for " +
                                                     std::to_string(context.samples) + " (the search took another path: other options or another optiloop?)"));
            return e.edits;
        }
        std::vector<core::Edit> edits;
        auto it = m_records.find({task.id, context.round});
        if (it == m_records.end()) return edits;
        // This request's share of the round's answers: from its first sample on.
        for (auto used = static_cast<std::size_t>(std::max(0, context.first_sample));
             used < it->second.size() && static_cast<int>(edits.size()) < context.samples;) {
            const auto& r = it->second[used++];
            if (r.edit) {
                edits.push_back(*r.edit);
                edits.back().proposer = name();
                continue;
            }
            if (r.answer.find_first_not_of(" \t\r\n") == std::string::npos) {
                edits.push_back(core::Edit{name(), "", {}, {}, "the answer was empty", {}});
                continue;
            }
            auto edit = parse_answer(r.answer, context.current, name());
            if (edit) edits.push_back(std::move(*edit));
            else edits.push_back(core::Edit{name(), r.answer.substr(0, 160), {}, {}, "the answer could not be applied: " + edit.error().message, {}});
        }
        return edits;
    }
    if (task.reference.empty())
        return core::fail(core::Error::input("--provider replay: task " + task.id + " has no reference/ to replay (give --replay FILE with recorded answers)"));
    // The reference is offered once; after it became the current version there is nothing new.
    if (context.current == task.reference) return std::vector<core::Edit>{};
    return std::vector<core::Edit>{core::Edit{name(), "the task's reference solution", task.reference, {}, {}, {}}};
}

core::Result<std::shared_ptr<RecordFile>> RecordFile::create(const std::filesystem::path& path) {
    auto file = std::make_shared<RecordFile>();
    file->m_path = path;
    file->m_fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (file->m_fd < 0) return core::fail(core::Error::input("--record " + path.string() + ": cannot write it (" + std::strerror(errno) + ")"));
    return file;
}

RecordFile::~RecordFile() {
    if (m_fd >= 0) ::close(m_fd);
}

core::Result<void> RecordFile::write(const std::string& line) {
    std::lock_guard lock(m_mutex);
    const std::string text = line + "\n";
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(m_fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return core::fail(core::Error::infrastructure("--record " + m_path.string() + ": cannot write (" + std::strerror(errno) + ")"));
        done += static_cast<std::size_t>(n);
    }
    return {};
}

core::Result<std::vector<core::Edit>> RecordingProposer::propose(const core::Task& task, const core::ProposalContext& context) {
    auto edits = m_inner->propose(task, context);
    if (!edits) return edits;
    nlohmann::json line = {{"task", task.id}, {"round", context.round}, {"request", context.request}, {"samples", context.samples}};
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : *edits) list.push_back(core::to_json(e));
    line["edits"] = list;
    if (auto written = m_file->write(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)); !written) return core::fail(written.error());
    return edits;
}

}  // namespace optiloop::llm

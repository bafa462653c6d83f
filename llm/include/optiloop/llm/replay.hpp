// Replaying and recording what a proposer said.
//
// The replay proposer: without a recording it returns the task's reference as a whole-file edit
// (to check the harness end to end); with a JSONL recording it plays the answers back, parsed
// exactly as live answers are. Two kinds of line:
//   {"task": ID, "round": N (default 1), "answer": "model text"} or {..., "edit": Edit}
//     answers of a round, handed out in order to the round's requests (a round with a population
//     asks several times); written by hand, or to compare searches on the same answers;
//   {"task": ID, "call": N, "round": R, "samples": K, "edits": [Edit, ...]}
//     one exchange as `--record` writes it: the N-th request of the task gets exactly these edits,
//     so a replay makes the same search decisions. A request that does not match its record
//     (another round or sample count: the search took another path) is an error.
//
// The recording proposer wraps any proposer and writes each exchange as the second kind.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <optiloop/core/proposer.hpp>

namespace optiloop::llm {

class ReplayProposer : public core::Proposer {
public:
    ReplayProposer() = default;
    // Reads a recording; a malformed line is an error naming the file, the line and the field.
    static core::Result<ReplayProposer> from_recording(const std::filesystem::path& path);

    [[nodiscard]] std::string name() const override { return "replay"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;

private:
    struct Recorded {
        std::string answer;
        std::optional<core::Edit> edit;
    };
    struct Exchange {
        int round = 1;
        int samples = 1;
        std::vector<core::Edit> edits;
    };
    bool m_recorded = false;
    std::filesystem::path m_path;
    std::map<std::pair<std::string, int>, std::vector<Recorded>> m_records;  // (task, round) -> answers
    std::map<std::pair<std::string, int>, std::size_t> m_used;               // (task, round) -> answers handed out
    std::map<std::pair<std::string, int>, Exchange> m_exchanges;             // (task, call) -> what was said
    std::map<std::string, int> m_calls;                                      // task -> requests so far
};

// One JSONL file of exchanges, shared by the proposers of a run (eval works on tasks in parallel).
class RecordFile {
public:
    // Creates or truncates the file; an error names it.
    static core::Result<std::shared_ptr<RecordFile>> create(const std::filesystem::path& path);
    core::Result<void> write(const std::string& line);
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
    std::mutex m_mutex;
    int m_fd = -1;

public:
    ~RecordFile();
    RecordFile() = default;
    RecordFile(const RecordFile&) = delete;
    RecordFile& operator=(const RecordFile&) = delete;
};

class RecordingProposer : public core::Proposer {
public:
    RecordingProposer(std::unique_ptr<core::Proposer> inner, std::shared_ptr<RecordFile> file) : m_inner(std::move(inner)), m_file(std::move(file)) {}
    [[nodiscard]] std::string name() const override { return m_inner->name(); }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;
    [[nodiscard]] bool wants_hints() const override { return m_inner->wants_hints(); }
    [[nodiscard]] core::ProposerUsage usage() const override { return m_inner->usage(); }

private:
    std::unique_ptr<core::Proposer> m_inner;
    std::shared_ptr<RecordFile> m_file;
    std::map<std::string, int> m_calls;
};

}  // namespace optiloop::llm

// Replaying and recording what a proposer said.
//
// The replay proposer: without a recording it returns the task's reference as a whole-file edit
// (to check the harness end to end); with a JSONL recording it plays the answers back, parsed
// exactly as live answers are. Two kinds of line:
//   {"task": ID, "round": N (default 1), "answer": "model text"} or {..., "edit": Edit}
//     answers of a round, in the order of the round's samples (a round with a population asks
//     once per member; a request gets the answers from its first sample on); written by hand, or
//     to compare searches on the same answers;
//   {"task": ID, "round": R, "request": Q, "samples": K, "edits": [Edit, ...]}
//     one exchange as `--record` writes it: request Q (from 0) of round R gets exactly these
//     edits, so a replay makes the same search decisions however the requests were scheduled.
//     A request that does not match its record (another sample count: the search took another
//     path) is an error. Recordings of optiloop 0.1 numbered the task's requests instead
//     ("call": N, from 1); they replay by the order of the requests, one at a time.
//
// The recording proposer wraps any proposer and writes each exchange as the second kind.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include <optiloop/core/proposer.hpp>

namespace optiloop::llm {

class ReplayProposer : public core::Proposer {
public:
    ReplayProposer() = default;
    // Reads a recording; a malformed line is an error naming the file, the line and the field.
    static core::Result<ReplayProposer> from_recording(const std::filesystem::path& path);

    [[nodiscard]] std::string name() const override { return "replay"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;
    // Answers are keyed by round and request, so any schedule gets the same ones; a recording that
    // numbers calls is replayed in call order, which needs the requests one at a time.
    [[nodiscard]] bool concurrent() const override { return !m_numbered_calls; }

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
    bool m_numbered_calls = false;
    std::filesystem::path m_path;
    std::map<std::pair<std::string, int>, std::vector<Recorded>> m_records;  // (task, round) -> answers
    // (task, round, request) -> what was said; round 0 and request N-1 for a numbered call N.
    std::map<std::tuple<std::string, int, int>, Exchange> m_exchanges;
    std::map<std::string, int> m_calls;  // task -> requests so far (numbered calls, made one at a time)
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
    [[nodiscard]] bool concurrent() const override { return m_inner->concurrent(); }

private:
    std::unique_ptr<core::Proposer> m_inner;
    std::shared_ptr<RecordFile> m_file;
};

}  // namespace optiloop::llm

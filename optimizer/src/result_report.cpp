#include <optiloop/optimizer/result_report.hpp>

#include <cmath>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include <optiloop/core/diff.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/format.hpp>
#include <optiloop/core/json.hpp>

namespace optiloop::optimizer {

namespace fs = std::filesystem;

namespace {

std::string best_patch(const core::Task& task, const Result& r) {
    return r.best ? core::patch_diff(task.baseline, best_sources(task, r)) : "";
}

std::string what_changed(const core::Edit& edit) {
    if (edit.rules.empty()) return edit.proposer + ": " + edit.explanation.substr(0, edit.explanation.find('\n'));
    std::string summary;
    for (const auto& r : edit.rules) summary += (summary.empty() ? "" : " + ") + r;
    return summary;
}

nlohmann::json candidate_json(const CandidateResult& c, const core::Measurement& baseline) {
    nlohmann::json j = {{"id", c.candidate.id}, {"parent", c.candidate.parent}, {"round", c.round},
                        {"edit", core::to_json(c.candidate.edit)}, {"change_size", c.change_size}};
    if (c.measurement) j["measurement"] = core::to_json(*c.measurement);
    if (!c.note.empty()) j["note"] = c.note;
    j["speedup"] = c.speedup ? nlohmann::json(*c.speedup) : nlohmann::json();
    j["wall_speedup"] = c.wall_speedup ? nlohmann::json(*c.wall_speedup) : nlohmann::json();
    // The mild note of the text output: the two ratios differ by more than their noise.
    j["ratios_disagree"] = c.measurement && runner::ratios_disagree(baseline, *c.measurement);
    // A speedup that wall time contradicts is reported, but never as verified.
    j["contradicted"] = c.contradicted;
    j["contradiction"] = c.contradiction;
    j["polish"] = c.polish;
    return j;
}

std::string dump(const nlohmann::json& j, int indent) { return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace

const std::vector<core::SourceFile>& best_sources(const core::Task& task, const Result& result) {
    return result.best ? result.candidates[*result.best].candidate.sources : task.baseline;
}

nlohmann::json result_json(const core::Task& task, const Result& r, const RunDescription& run) {
    const CandidateResult* best = r.best ? &r.candidates[*r.best] : nullptr;
    nlohmann::json summary = {{"task", task.id},
                              {"provider", run.provider},
                              {"counter", r.baseline_measured ? nlohmann::json(core::to_string(r.baseline.counter)) : nlohmann::json()},
                              {"baseline", r.baseline_measured ? core::to_json(r.baseline) : nlohmann::json()},
                              {"search", to_string(run.search)},
                              {"rounds", r.rounds_run},
                              {"stop", to_string(r.stop)},
                              {"stop_reason", r.stop_reason},
                              {"population", r.population},
                              {"answers", r.answers},
                              {"verified", best != nullptr},
                              {"best", best ? nlohmann::json(best->candidate.id) : nlohmann::json()},
                              {"speedup", best && best->speedup ? nlohmann::json(*best->speedup) : nlohmann::json()},
                              {"wall_speedup", best && best->wall_speedup ? nlohmann::json(*best->wall_speedup) : nlohmann::json()},
                              {"noise_band", r.noise_band},
                              {"ratios_disagree", best && runner::ratios_disagree(r.baseline, *best->measurement)},
                              {"patch", best_patch(task, r)}};
    if (run.usage)
        summary["usage"] = core::to_json(*run.usage);
    nlohmann::json candidates = nlohmann::json::array();
    nlohmann::json contradicted = nlohmann::json::array();
    for (const auto& c : r.candidates) {
        candidates.push_back(candidate_json(c, r.baseline));
        if (c.contradicted) contradicted.push_back(c.candidate.id);
    }
    summary["contradicted"] = contradicted;
    summary["candidates"] = candidates;
    return summary;
}

core::Result<void> write_result_folder(const std::string& folder, const core::Task& task, const Result& result, const RunDescription& run) {
    const fs::path out(folder);
    const std::vector<core::SourceFile>& best = best_sources(task, result);
    const nlohmann::json summary = result_json(task, result, run);
    std::error_code ec;
    fs::create_directories(out, ec);
    bool ok = !ec;
    // best.cc for a .cc file, best.cu for a kernel: the name keeps the source's extension.
    if (best.size() == 1) {
        const std::string extension = fs::path(best[0].path).extension().string();
        ok = ok && core::write_file_atomically(out / ("best" + (extension.empty() ? std::string(".cpp") : extension)), best[0].content);
    }
    for (const auto& f : best)
        if (best.size() > 1) {
            fs::create_directories((out / "best" / f.path).parent_path(), ec);
            ok = ok && core::write_file_atomically(out / "best" / f.path, f.content);
        }
    // No patch when nothing was verified, and none left over from an earlier run either.
    const std::string patch = summary["patch"].get<std::string>();
    if (!patch.empty()) ok = ok && core::write_file_atomically(out / "best.patch", patch);
    else fs::remove(out / "best.patch", ec);
    std::string lines;
    for (const auto& c : summary["candidates"]) lines += dump(c, -1) + "\n";
    ok = ok && core::write_file_atomically(out / "candidates.jsonl", lines);
    ok = ok && core::write_file_atomically(out / "result.json", dump(summary, 2) + "\n");
    if (!ok) return core::fail(core::Error::input(folder + ": cannot write there"));
    return {};
}

std::string result_text(const core::Task& task, const Result& r, const RunDescription& run) {
    std::ostringstream out;
    const std::string tests = std::to_string(task.tests.size() + task.stress.size());
    const std::string baseline_text = !r.baseline_measured ? "not measured"
                                      : r.baseline.total_cost ? core::format_count(*r.baseline.total_cost) + " instructions (" + std::string(core::to_string(r.baseline.counter)) + ")"
                                                              : core::format_seconds(r.baseline.wall_seconds);
    out << "task " << task.id << ": baseline " << baseline_text << ", " << (run.repository ? "the project's build and test commands" : tests + " tests") << "\n";
    // Timed costs carry their noise band beside every ratio: "1.09x ±4%".
    const bool timed = r.baseline_measured && !r.baseline.total_cost;
    const std::string band = timed ? " ±" + std::to_string(static_cast<int>(std::lround(r.noise_band * 100))) + "%" : "";
    out << std::left << std::setw(6) << "cand" << std::setw(7) << "round" << std::setw(10) << "verdict" << std::right << std::setw(16) << "cost" << std::setw(10)
        << "speedup" << std::string(band.size(), ' ') << std::setw(12) << "wall ratio" << "  " << std::left << "what changed\n";
    for (const auto& c : r.candidates) {
        const std::string verdict = c.measurement ? std::string(core::to_string(c.measurement->verdict)) : "skipped";
        const std::string cost = c.measurement && c.measurement->total_cost ? core::format_count(*c.measurement->total_cost)
                                 : c.measurement && c.measurement->verdict == core::Verdict::ok ? core::format_seconds(c.measurement->wall_seconds) : "-";
        out << std::left << std::setw(6) << c.candidate.id << std::setw(7) << c.round << std::setw(10) << verdict << std::right << std::setw(16) << cost
            << std::setw(10) << (c.speedup ? core::format_ratio(*c.speedup) : "-") << (timed ? band : std::string(band.size(), ' '))
            // Without a counter the speedup is the wall ratio already: not shown twice.
            << std::setw(12) << (c.wall_speedup && r.baseline.total_cost ? core::format_ratio(*c.wall_speedup) : "-") << "  "
            << what_changed(c.candidate.edit) << (c.note.empty() ? "" : " (" + c.note + ")") << (r.best && &c == &r.candidates[*r.best] ? "  <- best" : "")
            << (c.contradicted ? "  <- not verified" : "") << "\n";
    }
    // Beyond the mild "ratios disagree" note: these gains are contradicted, so never verified.
    bool first_contradicted = true;
    for (const auto& c : r.candidates)
        if (c.contradicted) {
            out << (first_contradicted ? "\n" : "") << "not verified: " << c.candidate.id << ": wall time contradicts its instruction gain: " << c.contradiction << "\n";
            first_contradicted = false;
        }
    if (r.best) {
        const auto& b = r.candidates[*r.best];
        const std::string measure = r.baseline.total_cost ? " fewer instructions than the baseline" : " faster than the baseline (" + r.baseline.cost_unit + ", medians)";
        const std::string correct = run.repository ? "the project builds and its tests pass" : "correct on all " + tests + " tests";
        out << "\nbest: " << b.candidate.id << ", " << (b.speedup ? core::format_ratio(*b.speedup) : "?") << band << measure
            << (b.wall_speedup && r.baseline.total_cost ? ", wall time " + core::format_ratio(*b.wall_speedup) : "") << "; " << correct << "\n";
        if (runner::ratios_disagree(r.baseline, *b.measurement))
            out << "note: the instruction ratio and the wall-time ratio disagree by more than their noise\n";
        out << best_patch(task, r);
    } else {
        out << "\nno verified speedup found";
        if (!r.candidates.empty()) out << " among " << r.candidates.size() << " candidates";
        out << "\n";
    }
    out << "stopped: " << r.stop_reason << " (" << r.rounds_run << " round" << (r.rounds_run == 1 ? "" : "s") << ", " << r.answers << " proposals";
    if (run.search != Search::greedy) {
        out << "; " << (run.search == Search::islands ? "islands" : run.search == Search::elites ? "grid" : "population") << ":";
        for (const auto& id : r.population) out << " " << id;
    }
    out << ")\n";
    if (run.usage) out << run.proposer << ": " << core::usage_line(*run.usage) << "\n";
    return out.str();
}

core::Result<bool> apply_best(const core::Task& task, const Result& result, const ApplyTo& to) {
    if (!result.best) return false;
    if (task.baseline.size() != 1) return core::fail(core::Error::input("--apply: the task has several source files; use --out DIR and best.patch"));
    const std::string path = to.path.string();
    if (to.require_baseline) {
        const auto now = core::read_file(to.path);
        if (!now || *now != task.baseline[0].content)
            return core::fail(core::Error::input("--apply: " + path + " differs from HEAD (uncommitted changes?); apply best.patch by hand"));
    }
    std::error_code ec;
    if (to.keep_original) fs::copy_file(to.path, path + ".orig", fs::copy_options::overwrite_existing, ec);
    if (ec || !core::write_file_atomically(to.path, best_sources(task, result)[0].content))
        return core::fail(core::Error::input("--apply: cannot write " + path));
    return true;
}

}  // namespace optiloop::optimizer

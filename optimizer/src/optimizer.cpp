#include <algorithm>
#include <chrono>
#include <set>
#include <sstream>

#include <optiloop/core/hash.hpp>
#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/metrics.hpp>
#include <optiloop/runner/profile.hpp>
#include <optiloop/runner/verify.hpp>
#include <optiloop/llm/edit.hpp>
#include <optiloop/optimizer/optimizer.hpp>

namespace optiloop::optimizer {

namespace {

std::string sources_hash(const std::vector<core::SourceFile>& sources) {
    core::Hasher h;
    for (const auto& f : sources) h.add(f.path).add(f.content);
    return h.hex();
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// What a measurement is ranked by: its counted cost, or wall time where nothing was counted.
double cost_of(const core::Measurement& m) { return m.total_cost ? *m.total_cost : m.wall_seconds; }

// The first line, and how many more follow: an edit that combines several findings says so.
std::string headline(const std::string& text) {
    const auto more = std::count(text.begin(), text.end(), '\n') - (text.ends_with('\n') ? 1 : 0);
    return first_line(text) + (more > 0 ? "; and " + std::to_string(more) + " more" : "");
}

// What the proposer hears about a round: each candidate's fate, precisely enough to act on.
std::string feedback_of(const std::vector<CandidateResult>& round) {
    std::ostringstream out;
    for (const auto& c : round) {
        out << c.candidate.id << ": ";
        if (!c.measurement) {
            out << "not applied: " << c.note << "\n";
            continue;
        }
        const auto& m = *c.measurement;
        out << core::to_string(m.verdict);
        if (m.verdict == core::Verdict::compile_error) out << "\n" << m.compile_output;
        for (const auto& t : m.tests)
            if (t.verdict != core::Verdict::ok) {
                out << " on test " << t.name << ": " << t.detail;
                break;
            }
        if (c.speedup) out << ", " << *c.speedup << "x fewer " << m.cost_unit << " than the baseline";
        // Said plainly, so a model learns that gaming the counter does not pay.
        if (c.contradicted) out << "; not counted as a speedup, because wall time contradicts it: " << c.contradiction;
        out << "\n";
    }
    return out.str();
}

// What a model is told about the current version: where its instructions go (a callgrind profile
// of one stress test mapped onto the functions and loops) and which anti-patterns the rules see.
// Best effort: a version that cannot be profiled or parsed simply gets fewer hints.
std::string hints_for(const core::Task& task, const std::vector<core::SourceFile>& sources) {
    std::vector<core::SourceFile> all = sources;
    all.insert(all.end(), task.harness.begin(), task.harness.end());
    analyzer::AnalyzeOptions options;
    options.flags = task.build.flags;
    for (const auto& h : task.harness) options.fixed_files.push_back(h.path);
    auto analysis = analyzer::analyze(all, options);
    std::ostringstream out;
    const core::TestCase* test = !task.stress.empty() ? &task.stress.front() : !task.tests.empty() ? &task.tests.front() : nullptr;
    if (analysis && test && task.language == core::Language::cpp)
        if (auto profile = runner::profile(task, sources, *test)) {
            const auto spots = analyzer::hot_spots(*analysis, *profile);
            if (!spots.empty()) out << "Instructions by function and loop on test " << test->name << ":\n" << analyzer::describe(spots) << "\n";
        }
    if (analysis && !analysis->findings.empty()) {
        out << "Patterns that are often slow, found by optiloop's rules:\n";
        std::size_t shown = 0;
        for (const auto& f : analysis->findings) {
            if (++shown > 8) break;
            out << "- " << f.file << ":" << f.line << ": " << f.message << " [" << f.rule << "]\n";
        }
    }
    return out.str();
}

// The lines of the baseline outside `function`: a repository candidate may change only the
// function the user named, so its text before and after the function must stay as it was.
struct Scope {
    std::string path;
    std::string before, after;  // the baseline's text before the function's first line and after its last
};

core::Result<std::optional<Scope>> scope_of(const core::Task& task) {
    if (task.kind != core::TaskKind::repository || task.function_name.empty()) return std::optional<Scope>();
    analyzer::AnalyzeOptions options;
    options.flags = task.build.flags;
    auto analysis = analyzer::analyze(task.baseline, options);
    if (!analysis) return core::fail(analysis.error());
    for (const auto& fn : analysis->functions) {
        if (!analyzer::names_function(fn.name, task.function_name)) continue;
        for (const auto& file : task.baseline) {
            if (file.path != fn.file) continue;
            std::size_t begin = 0, end = 0, line = 1;
            for (std::size_t i = 0; i <= file.content.size(); ++i) {
                if (line == fn.begin_line && begin == 0 && (i == 0 || file.content[i - 1] == '\n')) begin = i;
                if (i == file.content.size() || file.content[i] == '\n') {
                    if (line == fn.end_line) {
                        end = std::min(file.content.size(), i + 1);
                        break;
                    }
                    ++line;
                }
            }
            return std::optional<Scope>(Scope{file.path, file.content.substr(0, begin), file.content.substr(end)});
        }
    }
    std::string files;
    for (const auto& f : task.baseline) files += (files.empty() ? "" : ", ") + f.path;
    return core::fail(core::Error::input("--function " + task.function_name + ": no function of that name is defined in " + files));
}

bool within_scope(const Scope& scope, const std::vector<core::SourceFile>& sources) {
    for (const auto& f : sources)
        if (f.path == scope.path)
            return f.content.size() >= scope.before.size() + scope.after.size() && f.content.starts_with(scope.before) && f.content.ends_with(scope.after);
    return false;
}

}  // namespace

std::vector<std::size_t> rank_candidates(const std::vector<CandidateResult>& candidates, const core::Measurement& baseline) {
    std::vector<analyzer::Sample> samples;
    for (const auto& c : candidates) {
        const bool correct = c.measurement && c.measurement->verdict == core::Verdict::ok;
        samples.push_back({correct, correct ? std::optional<double>(cost_of(*c.measurement)) : std::nullopt, c.change_size, c.contradicted});
    }
    return analyzer::rank(samples, cost_of(baseline));
}

core::Result<Result> optimize(const core::Task& task, core::Proposer& proposer, const Options& options, const Log& log) {
    auto say = [&](const std::string& line) {
        if (log) log(line);
    };
    Result result;
    const auto started = std::chrono::steady_clock::now();
    auto over_budget = [&] {
        return options.time_budget_seconds > 0 &&
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > options.time_budget_seconds;
    };
    auto scope = scope_of(task);
    if (!scope) return core::fail(scope.error());
    say(options.baseline ? "reusing the baseline's measurement" : "measuring the baseline");
    auto baseline = options.baseline ? core::Result<core::Measurement>(*options.baseline) : runner::measure(task, task.baseline, options.measure);
    if (!baseline) return core::fail(baseline.error());
    if (baseline->verdict != core::Verdict::ok) {
        std::string why = baseline->compile_output;
        for (const auto& t : baseline->tests)
            if (t.verdict != core::Verdict::ok) {
                why = "test " + t.name + ": " + std::string(core::to_string(t.verdict)) + " " + t.detail;
                break;
            }
        return core::fail(core::Error::input("task " + task.id + ": the baseline itself fails (" + std::string(core::to_string(baseline->verdict)) +
                                             "): " + first_line(why)));
    }
    result.baseline = *baseline;
    // Wall time is noisy: without a counter, a gain must clear twice the spread seen.
    double min_gain = options.min_gain;
    if (!baseline->total_cost)
        for (const auto& t : baseline->tests) min_gain = std::max(min_gain, 2 * t.wall_cv);

    std::vector<core::SourceFile> current = task.baseline;
    core::Measurement current_measurement = *baseline;
    std::string current_id = "baseline";
    std::string feedback;
    std::string hints, hints_of;
    std::set<std::string> seen = {sources_hash(current)};
    int counter = 0;

    for (int round = 1; round <= options.rounds; ++round) {
        if (over_budget()) {
            result.stop_reason = "the time budget of " + std::to_string(static_cast<int>(options.time_budget_seconds)) + " s is spent";
            break;
        }
        result.rounds_run = round;
        if (proposer.wants_hints() && hints_of != current_id) {
            say("profiling " + current_id + " for hints");
            hints = hints_for(task, current);
            hints_of = current_id;
        }
        core::ProposalContext context{current, feedback, hints, round, options.samples, options.seed + static_cast<unsigned>(round)};
        auto edits = proposer.propose(task, context);
        if (!edits) {
            // What was verified in earlier rounds stays; a failure in the first round is the run's.
            if (round == 1 || edits.error().kind == core::ErrorKind::internal) return core::fail(edits.error());
            result.rounds_run = round - 1;
            result.stop_reason = "the " + proposer.name() + " proposer failed in round " + std::to_string(round) + ": " + edits.error().message;
            break;
        }
        if (edits->empty()) {
            result.stop_reason = "the " + proposer.name() + " proposer has nothing more to suggest";
            break;
        }
        std::vector<CandidateResult> this_round;
        for (const auto& edit : *edits) {
            if (over_budget()) break;  // what was measured so far still counts
            CandidateResult c;
            c.round = round;
            c.candidate.id = "c" + std::to_string(++counter);
            c.candidate.parent = current_id;
            c.candidate.edit = edit;
            auto applied = llm::apply_edit(current, edit);
            if (!applied) {
                c.note = applied.error().message;
                this_round.push_back(std::move(c));
                continue;
            }
            c.candidate.sources = *applied;
            c.change_size = llm::change_size(task.baseline, *applied);
            if (*scope && !within_scope(**scope, *applied)) {
                c.note = "it changes code outside the function " + task.function_name + ", which is the only part that may change";
                this_round.push_back(std::move(c));
                continue;
            }
            if (!seen.insert(sources_hash(*applied)).second) {
                c.note = "identical to an earlier candidate";
                this_round.push_back(std::move(c));
                continue;
            }
            say("round " + std::to_string(round) + ": evaluating " + c.candidate.id + " (" + headline(edit.explanation) + ")");
            auto m = runner::measure(task, *applied, options.measure);
            if (!m) return core::fail(m.error());
            c.measurement = *m;
            c.speedup = runner::speedup(*baseline, *m);
            if (!baseline->total_cost && m->verdict == core::Verdict::ok) c.speedup = runner::wall_speedup(*baseline, *m);
            c.wall_speedup = runner::wall_speedup(*baseline, *m);
            // Against the baseline, and against the version it improves on: a gain claimed over an
            // earlier best must stand up in wall time too.
            auto why = runner::time_contradiction(*baseline, *m);
            if (!why && current_id != "baseline")
                if (auto over_current = runner::time_contradiction(current_measurement, *m)) why = "over " + current_id + ": " + *over_current;
            if (why) {
                c.contradicted = true;
                c.contradiction = *why;
                say("round " + std::to_string(round) + ": " + c.candidate.id + " is not verified: " + *why);
            }
            this_round.push_back(std::move(c));
        }
        // The best correct candidate of the round, ranked as the analyzer ranks: by speedup, then
        // by the smaller change. A contradicted candidate ranks last and can never win: its gain is
        // exactly what is in doubt.
        auto ranked = rank_candidates(this_round, *baseline);
        std::string contradicted;
        for (const auto& c : this_round)
            if (c.contradicted) contradicted += (contradicted.empty() ? "" : ", ") + c.candidate.id;
        std::erase_if(ranked, [&](std::size_t i) { return this_round[i].contradicted; });
        feedback = feedback_of(this_round);
        const std::size_t offset = result.candidates.size();
        for (auto& c : this_round) result.candidates.push_back(std::move(c));
        // A new best must be faster than the current one by more than the gain the noise allows.
        if (!ranked.empty() && cost_of(*result.candidates[offset + ranked.front()].measurement) * (1 + min_gain) < cost_of(current_measurement)) {
            const auto& winner = result.candidates[offset + ranked.front()];
            current = winner.candidate.sources;
            current_measurement = *winner.measurement;
            current_id = winner.candidate.id;
            result.best = offset + ranked.front();
            say("round " + std::to_string(round) + ": " + current_id + " is the new best");
            if (round == options.rounds) result.stop_reason = "reached --rounds " + std::to_string(options.rounds);
            continue;
        }
        result.stop_reason = "no candidate of round " + std::to_string(round) + " beat the current best by more than " +
                             std::to_string(static_cast<int>(min_gain * 1000) / 10.0).substr(0, 4) + "%";
        if (!contradicted.empty()) result.stop_reason += " (not counting " + contradicted + ", whose instruction gain wall time contradicts)";
        break;
    }
    return result;
}

}  // namespace optiloop::optimizer

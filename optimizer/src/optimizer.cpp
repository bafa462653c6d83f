#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <optiloop/core/text.hpp>
#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/cuda_report.hpp>
#include <optiloop/analyzer/metrics.hpp>
#include <optiloop/analyzer/rules_proposer.hpp>
#include <optiloop/core/diff.hpp>
#include <optiloop/core/files.hpp>
#include <optiloop/core/hash.hpp>
#include <optiloop/llm/edit.hpp>
#include <optiloop/optimizer/optimizer.hpp>
#include <optiloop/runner/profile.hpp>
#include <optiloop/runner/verify.hpp>

namespace optiloop::optimizer {

namespace fs = std::filesystem;

const char* to_string(Search search) {
    switch (search) {
    case Search::population: return "population";
    case Search::greedy: return "greedy";
    case Search::islands: return "islands";
    case Search::elites: return "elites";
    }
    return "population";
}

const char* to_string(Stop stop) {
    switch (stop) {
    case Stop::rounds: return "rounds";
    case Stop::no_progress: return "no_progress";
    case Stop::proposer_empty: return "proposer_empty";
    case Stop::proposer_failed: return "proposer_failed";
    case Stop::time_budget: return "time_budget";
    case Stop::token_budget: return "token_budget";
    }
    return "rounds";
}

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

std::string count_text(double n) {
    std::ostringstream out;
    if (n >= 1e9) out << std::lround(n / 1e8) / 10.0 << " billion";
    else if (n >= 1e6) out << std::lround(n / 1e5) / 10.0 << " million";
    else if (n >= 1e4) out << std::lround(n / 1e2) / 10.0 << " thousand";
    else out << std::llround(n);
    return out.str();
}

std::string bytes_text(std::uintmax_t n) {
    if (n >= (1u << 20)) return std::to_string((n * 10 >> 20) / 10.0).substr(0, std::to_string(n >> 20).size() + 2) + " MiB";
    if (n >= (1u << 10)) return std::to_string((n * 10 >> 10) / 10.0).substr(0, std::to_string(n >> 10).size() + 2) + " KiB";
    return std::to_string(n) + " bytes";
}

std::string ratio_text(double r) {
    std::ostringstream out;
    out.precision(r >= 100 ? 0 : r >= 10 ? 1 : 2);
    out << std::fixed << r << "x";
    return out.str();
}

std::uintmax_t input_size(const core::TestCase& t) {
    std::error_code ec;
    const auto n = fs::file_size(t.input, ec);
    return ec ? 0 : n;
}

// The first `limit` bytes of a test's input (a task's inputs are checked regular files; read
// bounded all the same, a stress input can be large).
std::string input_head(const core::TestCase& t, std::size_t limit) {
    auto opened = core::open_regular_file(t.input, std::uintmax_t{1} << 30);
    if (!opened) return "";
    std::string head(limit, '\0');
    const ssize_t n = ::pread(opened->descriptor(), head.data(), limit, 0);
    head.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return head;
}

// The first lines of a compiler's output that matter: its errors with the lines that follow them.
std::string first_errors(const std::string& output, std::size_t max_lines = 20) {
    std::istringstream in(output);
    std::string line, out;
    std::size_t kept = 0;
    bool seen_error = false;
    while (std::getline(in, line) && kept < max_lines) {
        if (!seen_error && line.find("error") == std::string::npos) continue;
        seen_error = true;
        out += line.substr(0, 300) + "\n";
        ++kept;
    }
    if (out.empty()) {  // no line says "error": the first lines then
        std::istringstream again(output);
        while (std::getline(again, line) && kept++ < max_lines) out += line.substr(0, 300) + "\n";
    }
    return out;
}

const core::TestCase* find_test(const core::Task& task, const std::string& name) {
    for (const auto* list : {&task.tests, &task.stress})
        for (const auto& t : *list)
            if (t.name == name) return &t;
    return nullptr;
}

// The greedy loop's feedback: each candidate of the last round by its id.
std::string round_feedback(const std::vector<CandidateResult>& round) {
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
        if (c.contradicted) out << "; not counted as a speedup, because wall time contradicts it: " << c.contradiction;
        out << "\n";
    }
    return out.str();
}

bool repairable(const CandidateResult& c) {
    if (!c.measurement) return !c.note.starts_with("identical to");  // an answer that did not apply can be answered again
    using core::Verdict;
    const auto v = c.measurement->verdict;
    return v == Verdict::compile_error || v == Verdict::wrong_answer || v == Verdict::runtime_error || v == Verdict::time_limit ||
           v == Verdict::memory_limit;
}

}  // namespace

std::string attempt_feedback(const core::Task& task, const std::vector<core::SourceFile>& parent, const std::vector<const CandidateResult*>& attempts) {
    std::ostringstream out;
    for (const auto* a : attempts) {
        const auto& c = *a;
        out << "### Attempt " << c.candidate.id << " (round " << c.round << ")";
        if (!c.measurement) {
            out << ": not built\n" << c.note << "\n";
            if (!c.candidate.edit.explanation.empty()) out << "Its answer began: " << first_line(c.candidate.edit.explanation).substr(0, 160) << "\n";
            out << "\n";
            continue;
        }
        const auto& m = *c.measurement;
        const bool ok = m.verdict == core::Verdict::ok;
        out << ": " << (ok ? (c.contradicted ? "correct, but not verified" : "correct") : std::string(core::to_string(m.verdict))) << "\n";
        std::string diff;
        for (const auto& f : c.candidate.sources) {
            std::string before;
            for (const auto& p : parent)
                if (p.path == f.path) before = p.content;
            diff += core::unified_diff(f.path, before, f.content, 2, 60);
        }
        if (!diff.empty()) out << "Its change to the program above:\n" << core::fenced(diff, "diff");
        if (m.verdict == core::Verdict::compile_error) out << "The compiler said:\n" << core::fenced(first_errors(m.compile_output));
        for (const auto& t : m.tests) {
            if (t.verdict == core::Verdict::ok) continue;
            out << "Test " << t.name << ": " << core::to_string(t.verdict) << (t.detail.empty() ? "" : ": " + t.detail) << "\n";
            if (const auto* test = find_test(task, t.name)) {
                const auto size = input_size(*test);
                const std::string head = input_head(*test, 300);
                out << "Its input (" << bytes_text(size) << (size > head.size() ? ", the first " + std::to_string(head.size()) + " bytes" : "") << "):\n" << core::fenced(head);
            }
            break;  // the first failing test says enough
        }
        if (ok && c.speedup)
            out << ratio_text(*c.speedup) << " fewer " << (m.total_cost ? m.cost_unit : "seconds") << " than the baseline"
                << (c.speedup && *c.speedup <= 1.0 ? " (no faster)" : "") << "\n";
        if (c.contradicted) out << "Not counted as a speedup: wall time contradicts it (" << c.contradiction << ")\n";
        out << "\n";
    }
    return out.str();
}

namespace {

std::string percent(double share) { return std::to_string(static_cast<int>(std::lround(share * 100))) + "%"; }

std::string line_text(const std::vector<core::SourceFile>& sources, const std::string& file, unsigned line) {
    for (const auto& f : sources) {
        if (f.path != file) continue;
        std::size_t start = 0;
        for (unsigned l = 1; l < line && start != std::string::npos; ++l) {
            start = f.content.find('\n', start);
            if (start != std::string::npos) ++start;
        }
        if (start == std::string::npos || start >= f.content.size()) return "";
        std::string text = f.content.substr(start, f.content.find('\n', start) - start);
        text.erase(0, text.find_first_not_of(" \t"));
        return text.substr(0, 120);
    }
    return "";
}

}  // namespace

// What a model is told about one version of the program: the facts that bound the headroom (its
// cost and the baseline's, each test's input size and cost), where its instructions go on the
// largest test (functions and loops, inclusive of what they call; the hottest lines, a library
// call counted on the line that makes it), and the rules' findings, the ones on hot lines first.
// Best effort: a version that cannot be profiled or parsed simply gets fewer hints.
static std::string hints_for(const core::Task& task, const std::vector<core::SourceFile>& sources, const core::Measurement& measured,
                      const core::Measurement& baseline, const runner::MeasureOptions& measure_options, std::optional<double> floor) {
    std::ostringstream out;
    const bool counted = measured.total_cost.has_value();
    const std::string unit = counted ? measured.cost_unit : "seconds";
    if (counted && floor) {
        // The floor no rewrite gets under: what the C++ runtime costs to start and stop.
        std::size_t runs = 0;
        for (const auto& t : measured.tests) runs += t.cost ? 1 : 0;
        out << "An empty program with the same #include lines costs " << count_text(*floor) << " " << unit
            << " per run (the C++ runtime starting and stopping)";
        if (runs > 0 && *measured.total_cost > 0)
            out << ": " << percent(*floor * static_cast<double>(runs) / *measured.total_cost) << " of this version's cost over its " << runs << " counted run"
                << (runs == 1 ? "" : "s") << " is that floor";
        out << ".\n";
    }
    if (counted && baseline.total_cost) {
        out << "This version costs " << count_text(*measured.total_cost) << " " << unit << " over all tests";
        if (&measured != &baseline && *measured.total_cost != *baseline.total_cost) out << " (the original program: " << count_text(*baseline.total_cost) << ")";
        out << ". By test:\n";
        std::size_t shown = 0;
        for (const auto& t : measured.tests) {
            if (++shown > 8) {
                out << "- and " << measured.tests.size() - 8 << " more tests\n";
                break;
            }
            const auto* test = find_test(task, t.name);
            std::string input = test ? bytes_text(input_size(*test)) : "?";
            // A short input is shown whole: "200000" says more than "7 bytes".
            if (test && input_size(*test) <= 40) {
                std::string head = input_head(*test, 40);
                while (!head.empty() && (head.back() == '\n' || head.back() == '\r')) head.pop_back();
                if (head.find_first_of("\n\r") != std::string::npos) std::replace(head.begin(), head.end(), '\n', ' ');
                if (std::all_of(head.begin(), head.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; })) input = "\"" + head + "\"";
            }
            out << "- " << t.name << (t.stress ? " (stress)" : "") << ": input " << input << ", "
                << (t.cost ? count_text(*t.cost) + " " + unit : "checked for correctness only") << "\n";
        }
        out << "\n";
    }
    if (task.language == core::Language::cuda) {
        // What a kernel engineer looks at first: the cost is GPU time from the harness's CUDA
        // events, the tolerance results are held to, and each kernel's resources and occupancy.
        out << "The cost is GPU time of the timed launches, measured by the task's harness with CUDA events";
        if (task.checker.type == core::CheckerType::floating)
            out << "; results must match within abs " << task.checker.abs_tolerance << " / rel " << task.checker.rel_tolerance
                << (task.checker.abs_tolerance == 0 && task.checker.rel_tolerance == 0 ? " (exactly)" : "");
        out << ".\n";
        for (const auto& f : sources) {
            if (!f.path.ends_with(".cu")) continue;
            auto kernels = analyzer::cuda_report(f.path, f.content, 256, task.harness);
            if (!kernels) {
                out << f.path << ": no resource report (" << first_line(kernels.error().message) << ")\n";
                continue;
            }
            for (const auto& k : *kernels) {
                out << "- kernel " << k.name << ": " << k.registers << " registers, " << k.shared_bytes << " B static shared memory, spills "
                    << k.spill_store_bytes << "/" << k.spill_load_bytes << " B (store/load); occupancy on sm_90 at " << k.block_size << " threads"
                    << (k.block_size_from_launch ? " (its launch)" : " (assumed)") << ": " << percent(k.occupancy) << ", limited by " << k.limited_by << "\n";
                for (const auto& h : k.hints) out << "  hint: " << h << "\n";
            }
        }
        return out.str();
    }
    std::vector<core::SourceFile> all = sources;
    all.insert(all.end(), task.harness.begin(), task.harness.end());
    analyzer::AnalyzeOptions options;
    options.flags = task.build.flags;
    for (const auto& h : task.harness) options.fixed_files.push_back(h.path);
    auto analysis = analyzer::analyze(all, options);
    std::optional<core::LineProfile> profile;
    const core::TestCase* test = runner::largest_test(task);
    if (test && task.language == core::Language::cpp)
        if (auto p = runner::profile(task, sources, *test)) profile = std::move(*p);
    if (profile && profile->total > 0) {
        if (analysis) {
            const auto spots = analyzer::hot_spots(*analysis, *profile);
            if (!spots.empty())
                out << "Instructions by function and loop on test " << test->name << " (" << bytes_text(input_size(*test))
                    << " of input; a function's figure includes the functions and library calls it makes, so figures overlap):\n"
                    << analyzer::describe(spots) << "\n";
        }
        auto lines = profile->lines;
        std::sort(lines.begin(), lines.end(), [](const core::LineCost& a, const core::LineCost& b) { return a.cost > b.cost; });
        std::ostringstream hot;
        std::size_t shown = 0;
        for (const auto& l : lines) {
            if (shown >= 6 || l.cost / profile->total < 0.02) break;
            ++shown;
            hot << "- " << l.file << ":" << l.line << ": " << percent(l.cost / profile->total) << "  `" << line_text(sources, l.file, l.line) << "`\n";
        }
        if (shown) out << "The hottest lines (each counts the library and function calls made from it):\n" << hot.str() << "\n";
    }
    // Each rule's own fix, measured: a finding whose fix changes nothing measurable (g++ -O3 does
    // it already, or the line is cold) would only cost the model a round, so it is left out; the
    // others say what their fix saves.
    std::map<std::string, double> rule_gain;  // rule -> fraction of the cost its fix saves
    if (analysis && !analysis->findings.empty() && counted) {
        analyzer::RulesProposer rules;
        std::vector<std::pair<std::string, std::vector<core::SourceFile>>> fixes;
        if (auto edits = rules.propose(task, core::ProposalContext{sources, "", "", 1, 0, 0}))
            for (const auto& e : *edits) {
                if (e.rules.size() != 1) continue;  // the edit with every rule at once
                if (auto applied = llm::apply_edit(sources, e)) fixes.emplace_back(e.rules.front(), std::move(*applied));
            }
        std::vector<std::optional<double>> costs(fixes.size());
        runner::MeasureOptions one = measure_options;
        one.repeats = 1;
        one.warmups = 0;
        one.jobs = 1;
        const int threads = measure_options.jobs > 0 ? measure_options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        (void)core::parallel_for(fixes.size(), threads, [&](std::size_t i) -> core::Result<void> {
            if (auto m = runner::measure(task, fixes[i].second, one); m && m->verdict == core::Verdict::ok) costs[i] = m->total_cost;
            return {};
        });
        for (std::size_t i = 0; i < fixes.size(); ++i)
            if (costs[i]) rule_gain[fixes[i].first] = 1 - *costs[i] / *measured.total_cost;
    }
    if (analysis && !analysis->findings.empty()) {
        std::vector<std::string> dropped;
        std::erase_if(analysis->findings, [&](const analyzer::Finding& f) {
            auto it = rule_gain.find(f.rule);
            if (it == rule_gain.end() || std::fabs(it->second) >= 0.005) return false;
            if (std::find(dropped.begin(), dropped.end(), f.rule) == dropped.end()) dropped.push_back(f.rule);
            return true;
        });
        if (!dropped.empty()) {
            out << "Left out: findings of ";
            for (std::size_t i = 0; i < dropped.size(); ++i) out << (i ? ", " : "") << dropped[i];
            out << ", whose fix changes the instruction count by less than 0.5% here (the compiler already does it, or the line is cold).\n";
        }
    }
    if (analysis && !analysis->findings.empty()) {
        // Weighed by what their line costs, so that a finding on a cold line does not cost a round.
        auto line_cost = [&](const analyzer::Finding& f) {
            double cost = 0;
            if (profile)
                for (const auto& l : profile->lines)
                    if (l.file == f.file && l.line == f.line) cost += l.cost;
            return cost;
        };
        // What is at stake: the measured gain of the rule's fix where there is one, else the line's share.
        auto stake = [&](const analyzer::Finding& f) {
            if (auto it = rule_gain.find(f.rule); it != rule_gain.end()) return it->second;
            return profile && profile->total > 0 ? line_cost(f) / profile->total : 0.0;
        };
        auto findings = analysis->findings;
        std::stable_sort(findings.begin(), findings.end(), [&](const auto& a, const auto& b) { return stake(a) > stake(b); });
        out << "Patterns that are often slow, found by optiloop's rules" << (profile ? " (hottest first)" : "") << ":\n";
        std::size_t shown = 0;
        for (const auto& f : findings) {
            if (++shown > 8) break;
            out << "- " << f.file << ":" << f.line << ": " << f.message << " [" << f.rule << "]";
            if (profile && profile->total > 0) out << " (line cost " << percent(line_cost(f) / profile->total) << ")";
            if (auto it = rule_gain.find(f.rule); it != rule_gain.end())
                out << " (fixing this rule's findings alone: " << (it->second >= 0 ? "-" : "+") << std::lround(std::fabs(it->second) * 1000) / 10.0 << "% "
                    << measured.cost_unit << ", measured)";
            out << "\n";
        }
    }
    return out.str();
}

namespace {

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
    // A typo gets the nearest name defined there (edit distance at most a third of its length).
    std::vector<std::string> names;
    for (const auto& fn : analysis->functions) {
        names.push_back(fn.name);
        names.push_back(fn.name.substr(fn.name.rfind(':') == std::string::npos ? 0 : fn.name.rfind(':') + 1));
    }
    const std::string nearest = core::nearest(task.function_name, names);
    return core::fail(core::Error::input("--function " + task.function_name + ": no function of that name is defined in " + files +
                                         (nearest.empty() ? "" : "; did you mean " + nearest + "?")));
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
    std::mutex log_mutex;
    auto say = [&](const std::string& line) {
        std::lock_guard lock(log_mutex);
        if (log) log(line);
    };
    const bool greedy = options.search == Search::greedy;
    Result result;
    const auto started = std::chrono::steady_clock::now();
    auto over_budget = [&] {
        return options.time_budget_seconds > 0 &&
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() > options.time_budget_seconds;
    };
    auto tokens_spent = [&] {
        const auto u = proposer.usage();
        return u.prompt_tokens + u.completion_tokens;
    };
    auto scope = scope_of(task);
    if (!scope) return core::fail(scope.error());
    // A proposer that needs no measured hints is asked first: when it has nothing for this task
    // (or this function), there is no point in building and benchmarking the baseline.
    std::optional<std::vector<core::Edit>> first_edits;
    const unsigned first_seed = options.seed + 101u;
    if (!options.baseline && !proposer.wants_hints() && options.rounds >= 1) {
        // The first island's share of round 1 (all of it without islands).
        const int islands_asked = options.search == Search::islands ? std::max(1, options.islands) : 1;
        auto edits = proposer.propose(task, core::ProposalContext{task.baseline, "", "", 1, (options.samples + islands_asked - 1) / islands_asked, first_seed});
        if (!edits) return core::fail(edits.error());
        if (edits->empty()) {
            result.baseline_measured = false;
            result.rounds_run = 1;
            result.stop = Stop::proposer_empty;
            result.stop_reason = "the " + proposer.name() + " proposer has nothing to suggest" +
                                 (task.function_name.empty() ? "" : " for " + task.function_name) + "; the baseline was not measured";
            result.population = {"baseline"};
            return result;
        }
        first_edits = std::move(*edits);
    }
    say(options.baseline ? "reusing the baseline's measurement" : "measuring the baseline");
    // A repository's steps report their progress through the log.
    runner::MeasureOptions baseline_measure = options.measure;
    if (task.kind == core::TaskKind::repository && log) baseline_measure.progress = [&](const std::string& line) { say("  baseline: " + line); };
    auto baseline = options.baseline ? core::Result<core::Measurement>(*options.baseline) : runner::measure(task, task.baseline, baseline_measure);
    if (!baseline) return core::fail(baseline.error());
    if (baseline->verdict != core::Verdict::ok) {
        // What a user can act on: the compiler's errors (file:line first) or the failing test's
        // detail with the end of its output, not only a first line.
        std::string why;
        if (baseline->verdict == core::Verdict::compile_error) {
            const std::string& out = baseline->compile_output;
            const std::size_t eol = out.find('\n');
            why = first_line(out) + (eol == std::string::npos ? "" : "\n" + first_errors(out.substr(eol + 1), 30));
        }
        for (const auto& t : baseline->tests)
            if (t.verdict != core::Verdict::ok) {
                why = "test " + t.name + ": " + std::string(core::to_string(t.verdict)) + " " + t.detail;
                break;
            }
        if (why.empty()) why = baseline->compile_output;
        while (why.ends_with('\n')) why.pop_back();
        std::string indented;
        for (char c : why) indented += c == '\n' ? std::string("\n  ") : std::string(1, c);
        return core::fail(core::Error::input("task " + task.id + ": the baseline itself fails (" + std::string(core::to_string(baseline->verdict)) + "): " + indented));
    }
    result.baseline = *baseline;
    // Wall time is noisy: without a counter, a gain must clear twice the spread seen.
    double min_gain = options.min_gain;
    if (!baseline->total_cost)
        for (const auto& t : baseline->tests) min_gain = std::max(min_gain, 2 * t.wall_cv);
    result.noise_band = min_gain;

    // Candidates measured at once. Instruction counts do not change with load, so a round runs
    // side by side within --jobs; wall time and GPU time do, so those are measured one by one.
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    const int jobs = options.measure.jobs > 0 ? options.measure.jobs : cores;
    const bool load_sensitive = !baseline->total_cost || task.language == core::Language::cuda;
    const int parallel = load_sensitive ? 1 : std::max(1, options.parallel > 0 ? std::min(options.parallel, jobs) : jobs);

    struct Member {
        std::string id;
        std::vector<core::SourceFile> sources;
        core::Measurement measurement;
        std::size_t cell = 0;  // Search::elites: its cell of the grid
    };
    // Best first; the baseline stays a member until better programs push it out. One population,
    // or one per island (each starting from the baseline).
    const bool elites = options.search == Search::elites;
    const std::size_t island_count = options.search == Search::islands ? static_cast<std::size_t>(std::max(1, options.islands)) : 1;
    std::vector<std::vector<Member>> islands(island_count, std::vector<Member>{{"baseline", task.baseline, *baseline, 0}});
    const std::size_t population_size = greedy ? 1 : static_cast<std::size_t>(std::max(1, options.population));
    // The grid's feature: the share of the original program's bytes a candidate changed.
    std::size_t baseline_bytes = 0;
    for (const auto& f : task.baseline) baseline_bytes += f.content.size();
    auto cell_of = [&](const CandidateResult& c) {
        const double share = static_cast<double>(c.change_size) / static_cast<double>(std::max<std::size_t>(1, baseline_bytes));
        return std::min(population_size - 1, static_cast<std::size_t>(share * static_cast<double>(population_size)));
    };
    std::map<std::size_t, std::size_t> island_of;  // candidate index -> the island it was made in
    // (member id, island) -> candidates made from it there: islands do not see each other's attempts
    std::map<std::pair<std::string, std::size_t>, std::vector<std::size_t>> attempts_from;
    std::map<std::string, std::string> hints;                       // member id -> its hints
    std::string last_round_feedback;                                 // the greedy loop's
    std::optional<double> floor;                                     // an empty program's count, for the hints
    bool floor_measured = false;
    std::set<std::string> seen = {sources_hash(task.baseline)};
    int counter = 0;
    // The best member of all, and its island.
    auto best_island = [&] {
        std::size_t best = 0;
        for (std::size_t i = 1; i < islands.size(); ++i)
            if (cost_of(islands[i].front().measurement) < cost_of(islands[best].front().measurement)) best = i;
        return best;
    };
    auto best_cost = [&] { return cost_of(islands[best_island()].front().measurement); };
    auto by_cost = [](const Member& a, const Member& b) { return cost_of(a.measurement) < cost_of(b.measurement); };
    // Puts a program into a population where it ranks, keeping the best few. Whether it stayed.
    auto join = [&](std::vector<Member>& population, Member member) {
        const std::string id = member.id;
        population.push_back(std::move(member));
        std::stable_sort(population.begin(), population.end(), by_cost);
        if (population.size() > population_size) population.resize(population_size);
        return std::any_of(population.begin(), population.end(), [&](const Member& m) { return m.id == id; });
    };

    // Applies, checks and measures a batch of edits made from `parents[i]`; appends them to the
    // result. Returns the indices of the new candidates.
    struct Proposal {
        const Member* parent;
        std::size_t island;
        core::Edit edit;
    };
    auto evaluate = [&](int round, const std::vector<Proposal>& batch, bool polish) -> core::Result<std::vector<std::size_t>> {
        std::vector<CandidateResult> made;
        std::vector<const Member*> parent_of;
        for (const auto& [parent, island, edit] : batch) {
            CandidateResult c;
            c.round = round;
            c.polish = polish;
            c.candidate.id = "c" + std::to_string(++counter);
            c.candidate.parent = parent->id;
            c.candidate.edit = edit;
            parent_of.push_back(parent);
            if (!edit.problem.empty()) {
                c.note = edit.problem;
                made.push_back(std::move(c));
                continue;
            }
            auto applied = llm::apply_edit(parent->sources, edit);
            if (!applied) {
                // The same program again is no failure to repair; anything else that did not apply is.
                const bool same = !edit.files.empty() && edit.replacements.empty() && std::all_of(edit.files.begin(), edit.files.end(), [&](const core::SourceFile& f) {
                    return std::any_of(parent->sources.begin(), parent->sources.end(), [&](const core::SourceFile& p) { return p == f; });
                });
                c.note = same ? "identical to the program it was made from" : applied.error().message;
                made.push_back(std::move(c));
                continue;
            }
            c.candidate.sources = *applied;
            c.change_size = llm::change_size(task.baseline, *applied);
            if (*scope && !within_scope(**scope, *applied)) {
                c.note = "it changes code outside the function " + task.function_name + ", which is the only part that may change";
                made.push_back(std::move(c));
                continue;
            }
            if (!seen.insert(sources_hash(*applied)).second) {
                c.note = "identical to an earlier candidate";
                made.push_back(std::move(c));
                continue;
            }
            made.push_back(std::move(c));
        }
        std::vector<std::size_t> to_measure;
        for (std::size_t i = 0; i < made.size(); ++i)
            if (made[i].note.empty()) to_measure.push_back(i);
        runner::MeasureOptions measure = options.measure;
        measure.jobs = std::max(1, jobs / std::max(1, std::min(parallel, static_cast<int>(to_measure.size()))));
        if (task.kind == core::TaskKind::repository && log) measure.progress = [&](const std::string& line) { say("  " + line); };
        auto measured = core::parallel_for(to_measure.size(), parallel, [&](std::size_t n) -> core::Result<void> {
            if (over_budget()) return {};  // what was measured so far still counts
            auto& c = made[to_measure[n]];
            say("round " + std::to_string(round) + ": evaluating " + c.candidate.id + (polish ? " (rules polishing " + c.candidate.parent + ": " : " (") +
                headline(c.candidate.edit.explanation) + ")");
            auto m = runner::measure(task, c.candidate.sources, measure);
            if (!m) return core::fail(m.error());
            c.measurement = *m;
            c.speedup = runner::speedup(*baseline, *m);
            if (!baseline->total_cost && m->verdict == core::Verdict::ok) c.speedup = runner::wall_speedup(*baseline, *m);
            c.wall_speedup = runner::wall_speedup(*baseline, *m);
            // Against the baseline, and against the version it improves on: a gain claimed over an
            // earlier best must stand up in wall time too.
            const Member& parent = *parent_of[to_measure[n]];
            auto why = runner::time_contradiction(*baseline, *m);
            if (!why && parent.id != "baseline")
                if (auto over_parent = runner::time_contradiction(parent.measurement, *m)) why = "over " + parent.id + ": " + *over_parent;
            if (why) {
                c.contradicted = true;
                c.contradiction = *why;
                say("round " + std::to_string(round) + ": " + c.candidate.id + " is not verified: " + *why);
            }
            return {};
        });
        if (!measured) return core::fail(measured.error());
        std::vector<std::size_t> indices;
        for (std::size_t n = 0; n < made.size(); ++n) {
            auto& c = made[n];
            if (c.note.empty() && !c.measurement) c.note = "not measured: the time budget was spent";
            island_of[result.candidates.size()] = batch[n].island;
            attempts_from[{c.candidate.parent, batch[n].island}].push_back(result.candidates.size());
            indices.push_back(result.candidates.size());
            result.candidates.push_back(std::move(c));
        }
        return indices;
    };

    // Takes the correct, uncontradicted candidates among `indices` into the population of the
    // island each was made in. Returns whether one of them is the new best (cheaper than the best
    // by more than the noise allows), and whether any became a member (a new best, or a distinct
    // program that beats the baseline and ranks among the population's best few, or is the best
    // of its cell: a new place to search from).
    struct Admitted {
        bool new_best = false, new_member = false;
    };
    auto admit = [&](int round, const std::vector<std::size_t>& indices) {
        std::vector<CandidateResult> view;
        for (auto i : indices) view.push_back(result.candidates[i]);
        auto ranked = rank_candidates(view, *baseline);
        std::erase_if(ranked, [&](std::size_t i) { return view[i].contradicted; });
        bool new_best = false, new_member = false;
        for (auto r : ranked) {
            const std::size_t i = indices[r];
            const auto& c = result.candidates[i];
            const double cost = cost_of(*c.measurement);
            if (cost * (1 + min_gain) < best_cost()) {
                new_best = true;
                result.best = i;
                say("round " + std::to_string(round) + ": " + c.candidate.id + " is the new best");
            } else if (greedy || cost * (1 + min_gain) >= cost_of(*baseline)) {
                continue;  // a member must beat the baseline; the greedy loop keeps the best only
            }
            auto& population = islands[island_of.at(i)];
            Member member{c.candidate.id, c.candidate.sources, *c.measurement, elites ? cell_of(c) : 0};
            if (elites) {
                // The cell's best only: it takes an empty cell, or the place of a dearer program.
                auto occupant = std::find_if(population.begin(), population.end(), [&](const Member& m) { return m.cell == member.cell; });
                if (occupant == population.end()) population.push_back(std::move(member));
                else if (cost < cost_of(occupant->measurement)) *occupant = std::move(member);
                else continue;
                std::stable_sort(population.begin(), population.end(), by_cost);
                new_member = true;
                continue;
            }
            new_member = join(population, std::move(member)) || new_member;
        }
        return Admitted{new_best, new_member};
    };

    for (int round = 1; round <= options.rounds; ++round) {
        if (over_budget()) {
            result.stop = Stop::time_budget;
            result.stop_reason = "the time budget of " + std::to_string(static_cast<int>(options.time_budget_seconds)) + " s is spent";
            break;
        }
        if (options.token_budget > 0 && tokens_spent() >= options.token_budget) {
            result.stop = Stop::token_budget;
            result.stop_reason = "the token budget of " + std::to_string(options.token_budget) + " is spent (" + std::to_string(tokens_spent()) + " tokens)";
            break;
        }
        result.rounds_run = round;
        // The k samples dealt out over the islands in turn, and within one over its members, best first.
        std::vector<int> island_share(islands.size(), 0);
        for (int i = 0; i < options.samples; ++i) ++island_share[static_cast<std::size_t>(i) % islands.size()];
        std::vector<Member> parents;  // this round's, unchanged while it runs
        std::vector<std::size_t> parent_island;
        std::vector<int> share;
        for (std::size_t g = 0; g < islands.size(); ++g) {
            std::vector<int> member_share(islands[g].size(), 0);
            for (int i = 0; i < island_share[g]; ++i) ++member_share[static_cast<std::size_t>(i) % islands[g].size()];
            for (std::size_t m = 0; m < islands[g].size(); ++m) {
                parents.push_back(islands[g][m]);
                parent_island.push_back(g);
                share.push_back(member_share[m]);
            }
        }
        // One request per member with a share: prompts first (profiling a member for its hints
        // runs the program, so one at a time), then the requests, side by side where the
        // proposer allows it, then their edits in member order whatever order they came back in.
        struct Request {
            std::size_t parent = 0;
            core::ProposalContext context;
            std::optional<core::Result<std::vector<core::Edit>>> answer;
        };
        std::vector<Request> requests;
        int samples_dealt = 0;
        for (std::size_t p = 0; p < parents.size(); ++p) {
            if (share[p] == 0) continue;
            const Member& parent = parents[p];
            if (proposer.wants_hints() && !hints.contains(parent.id)) {
                say("profiling " + parent.id + " for hints");
                // Once per run: what an empty program costs on the largest test (stdio programs;
                // a harness task's main is the harness's).
                if (!floor_measured) {
                    floor_measured = true;
                    if (task.kind == core::TaskKind::stdio && task.language == core::Language::cpp && task.baseline.size() == 1 && baseline->total_cost)
                        if (const core::TestCase* test = runner::largest_test(task)) {
                            // The program's own #include lines come along: <iostream> alone costs
                            // its static initialisation (1.8 million instructions against 0.13).
                            std::string empty_program;
                            std::istringstream lines(task.baseline[0].content);
                            for (std::string line; std::getline(lines, line);)
                                if (line.find_first_not_of(" \t") != std::string::npos && line.substr(line.find_first_not_of(" \t")).starts_with("#include"))
                                    empty_program += line + "\n";
                            empty_program += "int main() { return 0; }\n";
                            if (auto empty = runner::profile(task, {{task.baseline[0].path, empty_program}}, *test)) floor = empty->total;
                        }
                }
                hints[parent.id] = hints_for(task, parent.sources, parent.measurement, *baseline, options.measure, floor);
            }
            std::string feedback;
            if (greedy) {
                feedback = last_round_feedback;
            } else {
                // The latest attempts made from this program, whichever round they came from.
                std::vector<const CandidateResult*> attempts;
                const auto& from = attempts_from[{parent.id, parent_island[p]}];
                for (std::size_t i = from.size() > 6 ? from.size() - 6 : 0; i < from.size(); ++i) attempts.push_back(&result.candidates[from[i]]);
                feedback = attempt_feedback(task, parent.sources, attempts);
                // Where this program came from: the attempt that made it, and what it gained.
                for (const auto& c : result.candidates)
                    if (c.candidate.id == parent.id && c.speedup)
                        feedback = "The program above is attempt " + c.candidate.id + " (round " + std::to_string(c.round) + "), correct on every test: " +
                                   ratio_text(*c.speedup) + " fewer " + (c.measurement->total_cost ? c.measurement->cost_unit : "seconds") +
                                   " than the original program.\n\n" + feedback;
            }
            core::ProposalContext context{parent.sources, feedback, hints[parent.id], round, share[p],
                                          options.seed + static_cast<unsigned>(round) * 101u + static_cast<unsigned>(p),
                                          static_cast<int>(requests.size()), samples_dealt};
            samples_dealt += share[p];
            requests.push_back({p, std::move(context), std::nullopt});
            // Round 1's only request may have been made before the baseline was measured.
            if (first_edits && round == 1 && p == 0) requests.back().answer = std::move(*first_edits);
        }
        const bool side_by_side = proposer.concurrent() && requests.size() > 1;
        // A failed request stops the ones not yet made (one at a time: all that follow it).
        (void)core::parallel_for(requests.size(), side_by_side ? static_cast<int>(requests.size()) : 1, [&](std::size_t i) -> core::Result<void> {
            if (!requests[i].answer) requests[i].answer = proposer.propose(task, requests[i].context);
            if (!*requests[i].answer) return core::fail(requests[i].answer->error());
            return {};
        });
        std::vector<Proposal> batch;
        std::optional<core::Error> failed;
        for (Request& request : requests) {
            if (!request.answer) break;  // not made: an earlier request failed
            auto& edits = *request.answer;
            if (!edits) {
                failed = edits.error();
                break;
            }
            result.answers += static_cast<std::int64_t>(edits->size());
            for (auto& e : *edits) batch.push_back({&parents[request.parent], parent_island[request.parent], std::move(e)});
        }
        if (failed) {
            // What was verified in earlier rounds stays; a failure in the first round is the run's.
            if (round == 1 || failed->kind == core::ErrorKind::internal) return core::fail(*failed);
            if (batch.empty()) {
                result.rounds_run = round - 1;
                result.stop = Stop::proposer_failed;
                result.stop_reason = "the " + proposer.name() + " proposer failed in round " + std::to_string(round) + ": " + failed->message;
                break;
            }
        }
        if (batch.empty()) {
            result.stop = Stop::proposer_empty;
            result.stop_reason = "the " + proposer.name() + " proposer has nothing more to suggest";
            break;
        }
        auto indices = evaluate(round, batch, false);
        if (!indices) return core::fail(indices.error());
        if (greedy) {
            std::vector<CandidateResult> view;
            for (auto i : *indices) view.push_back(result.candidates[i]);
            last_round_feedback = round_feedback(view);
        }
        const Admitted admitted = admit(round, *indices);
        // The greedy loop goes on only for a new best; the population for any new member.
        bool progress = greedy ? admitted.new_best : admitted.new_member;
        // A model's new best, polished by the rules (cheap, and verified like any candidate).
        if (admitted.new_best && options.polish && !greedy && proposer.name() != "rules" && proposer.name() != "clang-tidy" && !over_budget()) {
            const std::size_t winner_island = best_island();
            const Member winner = islands[winner_island].front();
            analyzer::RulesProposer rules;
            core::ProposalContext context{winner.sources, "", "", round, 8, options.seed};
            if (auto polish = rules.propose(task, context); polish && !polish->empty()) {
                std::vector<Proposal> polish_batch;
                for (auto& e : *polish) polish_batch.push_back({&winner, winner_island, std::move(e)});
                auto polished = evaluate(round, polish_batch, true);
                if (!polished) return core::fail(polished.error());
                const Admitted polished_in = admit(round, *polished);
                progress = progress || (greedy ? polished_in.new_best : polished_in.new_member);
            }
        }
        // Every --migrate-every rounds each island's best moves on to the next island, where it
        // joins when it ranks there (as any candidate would).
        if (islands.size() > 1 && options.migrate_every > 0 && round % options.migrate_every == 0) {
            std::vector<Member> migrants;
            for (const auto& island : islands) migrants.push_back(island.front());
            for (std::size_t g = 0; g < islands.size(); ++g) {
                auto& to = islands[(g + 1) % islands.size()];
                const Member& m = migrants[g];
                if (m.id == "baseline" || std::any_of(to.begin(), to.end(), [&](const Member& x) { return x.id == m.id; })) continue;
                if (join(to, m))
                    say("round " + std::to_string(round) + ": " + m.id + " migrates from island " + std::to_string(g + 1) + " to island " +
                        std::to_string((g + 1) % islands.size() + 1));
            }
        }
        bool worth_repairing = false;
        std::string contradicted;
        for (auto i : *indices) {
            worth_repairing = worth_repairing || repairable(result.candidates[i]);
            if (result.candidates[i].contradicted) contradicted += (contradicted.empty() ? "" : ", ") + result.candidates[i].candidate.id;
        }
        if (progress || (!greedy && worth_repairing)) {
            if (round < options.rounds) continue;
            result.stop = Stop::rounds;
            result.stop_reason = "reached --rounds " + std::to_string(options.rounds);
            break;
        }
        result.stop = Stop::no_progress;
        result.stop_reason = "no candidate of round " + std::to_string(round) + " beat the current best by more than " +
                             std::to_string(static_cast<int>(min_gain * 1000) / 10.0).substr(0, 4) + "%" +
                             (greedy ? "" : " or joined the population, and none failed in a way worth repairing");
        if (!contradicted.empty()) result.stop_reason += " (not counting " + contradicted + ", whose instruction gain wall time contradicts)";
        break;
    }
    if (result.stop_reason.empty()) result.stop_reason = "reached --rounds " + std::to_string(options.rounds);
    std::vector<const Member*> members;
    for (const auto& island : islands)
        for (const auto& m : island)
            if (std::none_of(members.begin(), members.end(), [&](const Member* x) { return x->id == m.id; })) members.push_back(&m);
    std::stable_sort(members.begin(), members.end(), [&](const Member* a, const Member* b) { return by_cost(*a, *b); });
    for (const auto* m : members) result.population.push_back(m->id);
    return result;
}

}  // namespace optiloop::optimizer

#include <algorithm>
#include <map>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/rules_proposer.hpp>
#include <optiloop/analyzer/tidy.hpp>

namespace optiloop::analyzer {

namespace {

bool overlaps(const core::Replacement& a, const core::Replacement& b) {
    if (a.path != b.path) return false;
    if (a.length == 0 && b.length == 0) return a.offset == b.offset && a.text != b.text;
    return a.offset < b.offset + b.length && b.offset < a.offset + a.length;
}

// Adds the replacements of a finding to an edit unless they clash with what is there.
bool add_fix(core::Edit& edit, const Finding& finding) {
    for (const auto& r : finding.fix)
        for (const auto& existing : edit.replacements)
            if (overlaps(r, existing)) return false;
    for (const auto& r : finding.fix) {
        const bool duplicate = std::any_of(edit.replacements.begin(), edit.replacements.end(), [&](const core::Replacement& e) { return e == r; });
        if (!duplicate) edit.replacements.push_back(r);
    }
    return true;
}

std::string describe(const Finding& f) { return f.rule + " at " + f.file + ":" + std::to_string(f.line) + ": " + f.message; }

}  // namespace

core::Result<std::vector<core::Edit>> RulesProposer::propose(const core::Task& task, const core::ProposalContext& context) {
    AnalyzeOptions options;
    options.flags = task.build.flags;
    std::vector<core::SourceFile> sources = context.current;
    for (const auto& h : task.harness) {
        sources.push_back(h);
        options.fixed_files.push_back(h.path);
    }
    // The rules with the clang-tidy checks optiloop has no rule for, in one parse; or clang-tidy's
    // checks alone (the functions still found, for the repository filter).
    options.tidy_checks = m_source == Source::clang_tidy ? k_tidy_checks : k_tidy_extra_checks;
    options.own_rules = m_source != Source::clang_tidy;
    auto analysis = analyze(sources, options);
    if (!analysis) return core::fail(analysis.error());
    // In a repository only the chosen function may change: findings elsewhere are not ours.
    if (task.kind == core::TaskKind::repository && !task.function_name.empty()) {
        std::erase_if(analysis->findings, [&](const Finding& f) {
            return std::none_of(analysis->functions.begin(), analysis->functions.end(), [&](const Function& fn) {
                return fn.file == f.file && names_function(fn.name, task.function_name) && f.line >= fn.begin_line && f.line <= fn.end_line;
            });
        });
    }

    // One edit per rule that fired (all its findings together), then one with every rule.
    std::map<std::string, core::Edit> by_rule;
    core::Edit all{name(), "", {}, {}, {}, {}};
    std::vector<std::string> order;
    for (const Finding& f : analysis->findings) {
        if (f.fix.empty()) continue;
        auto [it, fresh] = by_rule.try_emplace(f.rule, core::Edit{name(), "", {}, {}, {}, {}});
        if (fresh) order.push_back(f.rule);
        if (add_fix(it->second, f)) {
            it->second.explanation += (it->second.explanation.empty() ? "" : "\n") + describe(f);
            if (it->second.rules.empty()) it->second.rules.push_back(f.rule);
        }
        if (add_fix(all, f)) {
            all.explanation += (all.explanation.empty() ? "" : "\n") + describe(f);
            if (std::find(all.rules.begin(), all.rules.end(), f.rule) == all.rules.end()) all.rules.push_back(f.rule);
        }
    }
    std::vector<core::Edit> edits;
    if (order.size() > 1) edits.push_back(all);
    for (const auto& rule : order) edits.push_back(by_rule[rule]);
    if (context.samples > 0 && edits.size() > static_cast<std::size_t>(context.samples)) edits.resize(static_cast<std::size_t>(context.samples));
    return edits;
}

}  // namespace optiloop::analyzer

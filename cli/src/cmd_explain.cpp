// `optiloop explain RULE`: a rule's documentation page (what it finds, why it is slow, before and
// after, when it stays silent, its clang-tidy twin), where a clang-tidy check is documented, or
// which check replaced a retired rule.
#include <algorithm>
#include <ostream>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/analyzer/tidy.hpp>
#include <optiloop/core/text.hpp>

#include "commands.hpp"

namespace optiloop::cli {

namespace {

// Rules retired for a clang-tidy twin that proved as good (README, "Rules and clang-tidy, measured").
struct RetiredRule {
    const char* id;
    const char* date;
    const char* check;
};
const RetiredRule k_retired[] = {{"emplace-back-temporary", "2026-12-07", "modernize-use-emplace"}};

}  // namespace

Action setup_explain(CLI::App& app) {
    auto rule = std::make_shared<std::string>();
    app.add_option("rule", *rule, "A rule id (optiloop analyze --list-rules) or a clang-tidy check (performance-avoid-endl)")->required();
    return [rule](Streams& s) {
        std::vector<std::string> ids;
        for (const auto& info : analyzer::rule_catalogue()) {
            ids.push_back(info.id);
            if (*rule != info.id) continue;
            if (const auto page = analyzer::rule_doc(info.id)) {
                s.out << *page;
                if (!page->ends_with('\n')) s.out << "\n";
                return 0;
            }
            s.err << "optiloop explain: " << info.id << " has no documentation page yet (analyzer/docs/rules/" << info.id << ".md); its rationale: " << info.rationale
                  << "\n";
            return 3;
        }
        for (const RetiredRule& retired : k_retired)
            if (*rule == retired.id) {
                s.out << retired.id << ": retired on " << retired.date << " in favour of clang-tidy's " << retired.check
                      << ", which the default rules proposer runs (optiloop explain " << retired.check << ")\n";
                return 0;
            }
        const auto checks = analyzer::tidy_check_names(analyzer::k_tidy_checks);
        if (std::find(checks.begin(), checks.end(), *rule) != checks.end()) {
            const auto extra = analyzer::tidy_check_names(analyzer::k_tidy_extra_checks);
            const bool by_default = std::find(extra.begin(), extra.end(), *rule) != extra.end();
            const std::string group = rule->substr(0, rule->find('-')), name = rule->substr(rule->find('-') + 1);
            s.out << *rule << ": a clang-tidy 19 check, documented at https://clang.llvm.org/extra/clang-tidy/checks/" << group << "/" << name << ".html\n"
                  << (by_default ? "The default rules proposer runs it (optiloop has no rule of its own for it); "
                                 : "optiloop keeps its own rule for what it finds (see the README, \"Rules and clang-tidy, measured\"); ")
                  << "--provider clang-tidy proposes its fixes and analyze --tidy lists its findings. Every fix is built, tested and measured like any candidate.\n";
            return 0;
        }
        ids.insert(ids.end(), checks.begin(), checks.end());
        const std::string guess = core::nearest(*rule, ids);
        s.err << "optiloop explain: no rule or clang-tidy check named '" << *rule << "'" << (guess.empty() ? "" : "; did you mean " + guess + "?")
              << " (optiloop analyze --list-rules lists the rules)\n";
        return 2;
    };
}

}  // namespace optiloop::cli

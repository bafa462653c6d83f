// The renderings of a CiReport (and its gate). SARIF follows what GitHub code scanning reads (rules in
// tool.driver, one location per result, partialFingerprints so alerts survive line moves); the
// Markdown stays under GitHub's 65,536-character comment limit by cutting diffs, never findings'
// table rows first.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <string_view>
#include <tuple>

#include <optiloop/analyzer/analyzer.hpp>
#include <optiloop/ci/changes.hpp>
#include <optiloop/ci/report.hpp>
#include <optiloop/core/hash.hpp>
#include <optiloop/core/text.hpp>

namespace optiloop::ci {

namespace {

// Keys in the order the SARIF specification lists them, for a reader of the file.
using Sarif = nlohmann::ordered_json;

constexpr std::string_view k_sarif_schema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr std::string_view k_information_uri = "https://github.com/optiloop/optiloop";
constexpr std::string_view k_verified_rule = "verified-speedup";
// Leaves room under GitHub's 65,536-character comment limit for the notes we add when cutting.
constexpr std::size_t k_max_comment_bytes = 60'000;
constexpr std::size_t k_max_table_message = 120;
// A suggestion whose block would get less than this is listed as "not shown" instead of as a stub.
constexpr std::size_t k_min_details_bytes = 400;

bool is_sarif_level(std::string_view level) {
    return level == "none" || level == "note" || level == "warning" || level == "error";
}

// Verified means built, tested, measured faster, and not contradicted by wall time: a claimed gain
// that wall time contradicts is never posted as a verified suggestion, however it was filled in.
bool is_verified(const CiFinding& finding) { return finding.verified && finding.contradiction.empty(); }

// The proposer may leave the level empty; a verified speedup is worth a reviewer's attention, a
// contradicted one is only a note.
std::string level_of(const CiFinding& finding) {
    if (!finding.contradiction.empty()) return "note";
    if (is_sarif_level(finding.level)) return finding.level;
    return is_verified(finding) ? "warning" : "note";
}

std::string camel_case(std::string_view id) {
    std::string name;
    bool upper = true;
    for (char c : id) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum) {
            upper = true;
            continue;
        }
        name += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
        upper = false;
    }
    return name;
}

std::string first_sentence(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '.' && (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n'))
            return std::string(text.substr(0, i + 1));
    return std::string(text);
}

std::string description_of(const CiFinding& finding) {
    if (!finding.rule_description.empty()) return finding.rule_description;
    if (finding.rule == k_verified_rule)
        return "An edit to a changed function that built, passed the tests and measured faster than the code "
               "in the pull request.";
    return "A source pattern that is often slow.";
}

std::string rule_help(const CiFinding& finding) {
    if (!finding.contradiction.empty())
        return description_of(finding) +
               " The edit built and passed the tests, but wall time contradicts its measured gain, so it is not "
               "offered as a fix.";
    if (is_verified(finding))
        return description_of(finding) +
               " The attached fix was built, tested and measured by optiloop; review it like any other change.";
    return description_of(finding) +
           " Found from the source alone and not measured; `optiloop ci --verify` builds, tests and measures a "
           "fix.";
}

// SARIF wants a URI reference relative to %SRCROOT%: forward slashes, no "./", and anything outside
// RFC 3986's path characters percent-encoded (":" too, so a first segment never reads as a scheme).
std::string relative_uri(std::string_view file) {
    std::string path(file);
    std::replace(path.begin(), path.end(), '\\', '/');
    while (path.starts_with("./")) path.erase(0, 2);
    while (path.starts_with('/')) path.erase(0, 1);
    std::string uri;
    for (unsigned char c : path) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("-._~/!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
        if (plain) {
            uri += static_cast<char>(c);
        } else {
            char escaped[4];
            std::snprintf(escaped, sizeof escaped, "%%%02X", c);
            uri += escaped;
        }
    }
    return uri;
}

struct TextPosition {
    std::size_t line = 1;
    std::size_t column = 1;
};

// 1-based line and column of a byte offset. Columns count Unicode code points (the run says
// columnKind "unicodeCodePoints"): UTF-8 continuation bytes do not start a column.
TextPosition position_of(std::string_view text, std::size_t offset) {
    TextPosition position;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte == '\n') {
            ++position.line;
            position.column = 1;
        } else if ((byte & 0xC0) != 0x80) {
            ++position.column;
        }
    }
    return position;
}

// The fix as SARIF replacements, or nothing when an offset lies outside `original` or two
// replacements overlap: a wrong fix offered as one click is worse than none.
std::optional<Sarif> sarif_replacements(const CiFinding& finding) {
    std::vector<core::Replacement> sorted = finding.fix;
    // An insertion sorts before a deletion at the same offset, so the two do not count as overlapping.
    std::sort(sorted.begin(), sorted.end(), [](const core::Replacement& a, const core::Replacement& b) {
        return std::tie(a.offset, a.length) < std::tie(b.offset, b.length);
    });
    Sarif replacements = Sarif::array();
    std::size_t previous_end = 0;
    for (const core::Replacement& replacement : sorted) {
        if (replacement.offset > finding.original.size() ||
            replacement.length > finding.original.size() - replacement.offset || replacement.offset < previous_end)
            return std::nullopt;
        previous_end = replacement.offset + replacement.length;
        const TextPosition start = position_of(finding.original, replacement.offset);
        const TextPosition end = position_of(finding.original, previous_end);
        replacements.push_back({
            {"deletedRegion",
             {{"startLine", start.line},
              {"startColumn", start.column},
              {"endLine", end.line},
              {"endColumn", end.column}}},
            {"insertedContent", {{"text", replacement.text}}},
        });
    }
    return replacements;
}

Sarif artifact_location(const CiFinding& finding) {
    return {{"uri", relative_uri(finding.file)}, {"uriBaseId", "%SRCROOT%"}};
}

Sarif sarif_result(const CiFinding& finding, std::size_t rule_index) {
    Sarif physical = {{"artifactLocation", artifact_location(finding)}};
    if (finding.line > 0) {
        Sarif region = {{"startLine", finding.line}};
        if (finding.column > 0) region["startColumn"] = finding.column;
        if (finding.end_line >= finding.line) region["endLine"] = finding.end_line;
        physical["region"] = std::move(region);
    }
    // No line number in the fingerprint: an alert should stay the same alert when code above it moves.
    const std::string fingerprint =
        core::Hasher().add(finding.rule).add(finding.file).add(finding.function).add(finding.message).hex();

    Sarif properties = {{"function", finding.function}, {"verified", is_verified(finding)}};
    if (!finding.contradiction.empty()) {
        properties["contradicted"] = true;
        properties["contradiction"] = finding.contradiction;
    }
    if (finding.speedup) properties["speedup"] = *finding.speedup;
    if (finding.wall_speedup) properties["wall_speedup"] = *finding.wall_speedup;
    if (finding.noise_band) properties["noiseBand"] = *finding.noise_band;
    if (!finding.metric.empty()) properties["metric"] = finding.metric;

    Sarif result = {
        {"ruleId", finding.rule},
        {"ruleIndex", rule_index},
        {"level", level_of(finding)},
        {"message", {{"text", finding.message.empty() ? description_of(finding) : finding.message}}},
        {"locations", Sarif::array({{{"physicalLocation", physical}}})},
        {"partialFingerprints", {{"optiloopFindingHash/v1", fingerprint}}},
        {"properties", properties},
    };
    if (is_verified(finding) && !finding.fix.empty()) {
        if (auto replacements = sarif_replacements(finding)) {
            result["fixes"] = Sarif::array({{
                {"description", {{"text", finding.message.empty() ? description_of(finding) : finding.message}}},
                {"artifactChanges",
                 Sarif::array({{{"artifactLocation", artifact_location(finding)},
                                         {"replacements", std::move(*replacements)}}})},
            }});
        }
    }
    return result;
}

Sarif sarif_rule(const CiFinding& finding) {
    const std::string description = description_of(finding);
    // An own rule's documentation page (optiloop explain RULE) is its help in Markdown.
    Sarif help = {{"text", rule_help(finding)}};
    if (const auto page = analyzer::rule_doc(finding.rule)) help["markdown"] = std::string(*page);
    return {
        {"id", finding.rule},
        {"name", camel_case(finding.rule)},
        {"shortDescription", {{"text", first_sentence(description)}}},
        {"fullDescription", {{"text", description}}},
        {"defaultConfiguration", {{"level", level_of(finding)}}},
        {"help", help},
        {"properties", {{"tags", Sarif::array({"performance"})}}},
    };
}

// --- Markdown -------------------------------------------------------------------------------

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string ratio(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2fx", value);
    return text;
}

std::string short_commit(std::string_view commit) { return std::string(commit.substr(0, 12)); }

// A table cell is one line, and "|" would end it early.
std::string table_cell(std::string_view text) {
    std::string cell;
    for (char c : text) {
        if (c == '|') cell += "\\|";
        else if (c == '\n' || c == '\r' || c == '\t') cell += ' ';
        else cell += c;
    }
    return cell;
}

// A code span whose backtick run is longer than any inside the text, so a backtick cannot close it.
std::string code_span(std::string_view text) {
    std::size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    const std::string ticks(longest + 1, '`');
    const bool pad = text.starts_with('`') || text.ends_with('`');
    return ticks + (pad ? " " : "") + std::string(text) + (pad ? " " : "") + ticks;
}

std::string location_text(const CiFinding& finding) {
    return finding.line > 0 ? finding.file + ":" + std::to_string(finding.line) : finding.file;
}

std::string shortened(std::string_view text, std::size_t limit) {
    std::string line = first_sentence(text);
    if (line.size() <= limit) return line;
    std::size_t cut = line.rfind(' ', limit);
    if (cut == std::string::npos || cut < limit / 2) cut = limit;
    // Never cut inside a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    return line.substr(0, cut) + "…";
}

// "instructions (cachegrind)" reads better in a sentence as "instruction counts (cachegrind)".
std::string metric_in_words(std::string_view metric) {
    if (metric.starts_with("instructions")) return "instruction counts" + std::string(metric.substr(12));
    return std::string(metric);
}

std::string table_row(const CiFinding& finding) {
    std::string speedup = "–";
    if (is_verified(finding) && finding.speedup)
        speedup = "**" + ratio(*finding.speedup) + "**" + (finding.noise_band ? " ±" + std::to_string(static_cast<int>(std::lround(*finding.noise_band * 100))) + "%" : "");
    else if (!finding.contradiction.empty()) speedup = (finding.speedup ? ratio(*finding.speedup) + " claimed, " : "") + "contradicted by wall time";
    return "| " + code_span(table_cell(finding.function)) + " | " + code_span(table_cell(location_text(finding))) +
           " | " + code_span(table_cell(finding.rule)) + ": " + table_cell(shortened(finding.message, k_max_table_message)) +
           " | " + speedup + " | " + (is_verified(finding) ? "yes" : "no") + " |\n";
}

// The diff cut at a line boundary to fit `budget` bytes, with what was left out said after it.
std::string diff_block(std::string_view diff, std::size_t budget) {
    std::string kept(diff);
    std::string note;
    if (kept.size() > budget) {
        std::size_t cut = kept.rfind('\n', budget);
        cut = cut == std::string::npos ? 0 : cut + 1;
        const auto dropped = static_cast<std::size_t>(std::count(kept.begin() + static_cast<std::ptrdiff_t>(cut), kept.end(), '\n')) +
                             (kept.ends_with('\n') ? 0 : 1);
        kept.resize(cut);
        note = "\n*Diff cut short: " + plural(dropped, "more line", "more lines") +
               " not shown (the comment must stay under GitHub's size limit); the SARIF report holds the whole fix.*\n";
    }
    if (!kept.empty() && !kept.ends_with('\n')) kept += '\n';
    const std::string fence = core::fence_for(kept);
    return fence + "diff\n" + kept + fence + "\n" + note;
}

std::string details_head(const CiFinding& finding) {
    std::string summary = "<code>" + core::html_escape(finding.function) + "</code> in " + core::html_escape(location_text(finding));
    if (finding.speedup) {
        summary += ": " + ratio(*finding.speedup);
        if (!finding.metric.empty()) summary += " on " + core::html_escape(finding.metric);
    }
    if (finding.wall_speedup) summary += ", " + ratio(*finding.wall_speedup) + " wall time";
    return "<details>\n<summary>" + summary + "</summary>\n\n" + finding.message + "\n\n";
}

constexpr std::string_view k_details_tail = "\n</details>\n\n";

std::string markdown_footer(const CiReport& report) {
    std::vector<std::string> metrics;
    for (const CiFinding& finding : report.findings)
        if (is_verified(finding) && !finding.metric.empty() &&
            std::find(metrics.begin(), metrics.end(), finding.metric) == metrics.end())
            metrics.push_back(finding.metric);

    std::string text = "\n---\n<sub>";
    if (!metrics.empty()) {
        std::string words;
        for (std::size_t i = 0; i < metrics.size(); ++i)
            words += (i == 0 ? "" : i + 1 == metrics.size() ? " and " : ", ") + metric_in_words(metrics[i]);
        text += "Speedup is the cost of the pull request's code over the cost of the suggestion, measured as " +
                core::html_escape(words) +
                "; each verified suggestion was built and passed the tests before it was measured.";
    } else if (report.verify && std::any_of(report.findings.begin(), report.findings.end(), [](const CiFinding& f) { return !f.contradiction.empty(); })) {
        text += "No suggestion was verified: the ones that counted fewer instructions did not run faster by the wall clock "
                "(see \"Measured but not verified\").";
    } else if (report.verify) {
        text += "No suggestion both passed the tests and measured faster.";
    } else {
        text += "Rule findings come from the source alone and were not measured (`--verify` builds, tests and "
                "measures suggestions).";
    }
    text += " Base " + code_span(short_commit(report.base_commit));
    if (!report.base.empty() && report.base != report.base_commit) text += " (" + core::html_escape(report.base) + ")";
    text += ", head " + code_span(short_commit(report.head_commit)) + ".";
    if (!report.provider.empty()) text += " Proposer: " + core::html_escape(report.provider) + ".";
    text += "</sub>\n";
    return text;
}

nlohmann::json optional_number(const std::optional<double>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

std::string to_sarif(const CiReport& report) {
    Sarif rules = Sarif::array();
    std::map<std::string, std::size_t> rule_index;
    Sarif results = Sarif::array();
    for (const CiFinding& finding : report.findings) {
        auto [it, added] = rule_index.try_emplace(finding.rule, rules.size());
        if (added) rules.push_back(sarif_rule(finding));
        results.push_back(sarif_result(finding, it->second));
    }

    Sarif run_properties = {
        {"base", report.base},
        {"baseCommit", report.base_commit},
        {"headCommit", report.head_commit},
        {"changedFunctions", report.changed_functions},
        {"verify", report.verify},
    };
    if (!report.provider.empty()) run_properties["provider"] = report.provider;

    // Every file it could not analyse is a tool execution notification at level error, and the
    // run is not successful: a code-scanning view shows that something was left out.
    Sarif notifications = Sarif::array();
    for (const CiProblem& p : report.problems)
        notifications.push_back({{"level", "error"},
                                 {"message", {{"text", (p.function.empty() ? p.file : p.file + ":" + p.function) + ": " + p.message}}},
                                 {"locations", Sarif::array({{{"physicalLocation", {{"artifactLocation", {{"uri", p.file}, {"uriBaseId", "%SRCROOT%"}}}}}}})}});
    for (const CiProblem& p : report.not_verified)
        notifications.push_back({{"level", "note"},
                                 {"message", {{"text", (p.function.empty() ? p.file : p.file + ":" + p.function) + ": " + p.message}}},
                                 {"locations", Sarif::array({{{"physicalLocation", {{"artifactLocation", {{"uri", p.file}, {"uriBaseId", "%SRCROOT%"}}}}}}})}});
    const Sarif invocation = {{"executionSuccessful", report.problems.empty()}, {"toolExecutionNotifications", notifications}};
    const Sarif sarif = {
        {"$schema", k_sarif_schema},
        {"version", "2.1.0"},
        {"runs",
         Sarif::array({{
             {"tool",
              {{"driver",
                {{"name", "optiloop"},
                 {"informationUri", k_information_uri},
                 {"version", OPTILOOP_VERSION},
                 {"semanticVersion", OPTILOOP_VERSION},
                 {"rules", rules}}}}},
             {"originalUriBaseIds", {{"%SRCROOT%", {{"description", {{"text", "The root of the repository."}}}}}}},
             {"columnKind", "unicodeCodePoints"},
             {"invocations", Sarif::array({invocation})},
             {"results", results},
             {"properties", run_properties},
         }})},
    };
    // Source text need not be UTF-8; a stray byte must not cost the whole report.
    return sarif.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string to_markdown(const CiReport& report) {
    // Contradicted suggestions were measured, so they are listed apart from the rule findings.
    std::vector<const CiFinding*> verified, contradicted, unverified;
    for (const CiFinding& finding : report.findings)
        (is_verified(finding) ? verified : !finding.contradiction.empty() ? contradicted : unverified).push_back(&finding);

    std::string text = "### optiloop: ";
    const std::string in_functions = " in " + plural(report.changed_functions.size(), "changed function", "changed functions");
    if (report.findings.empty())
        text += report.changed_functions.empty() ? "no findings (no changed functions)" : "no findings" + in_functions;
    else
        text += plural(verified.size(), "verified speedup", "verified speedups") + ", " +
                plural(unverified.size() + contradicted.size(), "finding", "findings") + in_functions;
    text += "\n\n";

    // What could not be analysed comes first: a reviewer must not read "no findings" as "all clear".
    if (!report.problems.empty()) {
        text += "**Not analysed** (" + plural(report.problems.size(), "problem", "problems") + "):\n\n";
        for (const CiProblem& p : report.problems) {
            std::string message = p.message.substr(0, 600);
            std::replace(message.begin(), message.end(), '\n', ' ');
            text += "- " + code_span(p.function.empty() ? p.file : p.file + ":" + p.function) + ": " + core::html_escape(message) + "\n";
        }
        text += "\n";
    }
    if (!report.not_verified.empty()) {
        text += "**Not verified** (the time budget was spent first): ";
        for (std::size_t i = 0; i < report.not_verified.size(); ++i) {
            const CiProblem& p = report.not_verified[i];
            text += (i ? ", " : "") + code_span(p.file + ":" + p.function);
        }
        text += "\n\n";
    }
    const std::string footer = markdown_footer(report);
    if (report.findings.empty()) {
        text += !report.problems.empty()                ? "No findings in what could be analysed.\n"
                : report.changed_functions.empty() ? "This pull request changes no C++ function.\n"
                                                        : "Nothing to suggest in the functions this pull request changes.\n";
        return text + footer;
    }
    const std::size_t budget = k_max_comment_bytes > footer.size() ? k_max_comment_bytes - footer.size() : 0;

    // The table is the summary a reviewer reads first; it may take up to half of the comment.
    text += "| function | file:line | finding | speedup | verified |\n|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < report.findings.size(); ++i) {
        const std::string row = table_row(report.findings[i]);
        if (text.size() + row.size() > budget / 2) {
            text += "| | | *" + plural(report.findings.size() - i, "more finding", "more findings") +
                    " not shown (comment size limit)* | | |\n";
            break;
        }
        text += row;
    }
    text += "\n";

    if (!verified.empty()) {
        text += "#### Verified suggestions\n\n";
        // Leave a share for the unverified list so long diffs cannot crowd it out.
        const std::size_t list_reserve = unverified.empty() && contradicted.empty() ? 0 : (budget - std::min(budget, text.size())) / 4;
        for (std::size_t i = 0; i < verified.size(); ++i) {
            const std::size_t left = budget - std::min(budget, text.size() + list_reserve);
            const std::size_t share = left / (verified.size() - i);
            const std::string head = details_head(*verified[i]);
            const std::size_t overhead = head.size() + k_details_tail.size() + 300;  // fences and the cut note
            if (share < std::max(k_min_details_bytes, overhead)) {
                text += "*" + plural(verified.size() - i, "more verified suggestion", "more verified suggestions") +
                        " not shown (comment size limit); the SARIF report lists them.*\n\n";
                break;
            }
            text += head;
            if (!verified[i]->diff.empty()) text += diff_block(verified[i]->diff, share - overhead);
            text += k_details_tail;
        }
    }

    auto list = [&](const std::string& heading, const std::vector<const CiFinding*>& findings) {
        if (findings.empty()) return;
        text += heading;
        for (std::size_t i = 0; i < findings.size(); ++i) {
            const CiFinding& finding = *findings[i];
            const std::string item = "- " + code_span(finding.rule) + " at " + code_span(location_text(finding)) +
                                     " in " + code_span(finding.function) + ": " + table_cell(finding.message) +
                                     (finding.contradiction.empty() ? "" : " Not verified: " + table_cell(finding.contradiction) + ".") + "\n";
            if (text.size() + item.size() > budget) {
                text += "- *" + plural(findings.size() - i, "more finding", "more findings") +
                        " not shown (comment size limit)*\n";
                break;
            }
            text += item;
        }
        text += "\n";
    };
    list("#### Measured but not verified (wall time contradicts the gain)\n\n", contradicted);
    list("#### Rule findings (not measured)\n\n", unverified);
    // The footer begins with its own blank line.
    if (!contradicted.empty() || !unverified.empty()) text.pop_back();
    return text + footer;
}

nlohmann::json to_json(const CiReport& report) {
    std::size_t verified_count = 0;
    nlohmann::json findings = nlohmann::json::array();
    for (const CiFinding& finding : report.findings) {
        verified_count += is_verified(finding) ? 1 : 0;
        nlohmann::json fix = nlohmann::json::array();
        for (const core::Replacement& replacement : finding.fix)
            fix.push_back({{"path", replacement.path},
                           {"offset", replacement.offset},
                           {"length", replacement.length},
                           {"text", replacement.text}});
        findings.push_back({
            {"rule", finding.rule},
            {"rule_description", finding.rule_description},
            {"level", level_of(finding)},
            {"file", finding.file},
            {"line", finding.line},
            {"column", finding.column},
            {"end_line", finding.end_line},
            {"function", finding.function},
            {"message", finding.message},
            {"verified", is_verified(finding)},
            {"contradicted", !finding.contradiction.empty()},
            {"contradiction", finding.contradiction},
            {"speedup", optional_number(finding.speedup)},
            {"wall_speedup", optional_number(finding.wall_speedup)},
            {"noise_band", optional_number(finding.noise_band)},
            {"metric", finding.metric},
            {"fix", std::move(fix)},
            {"original", finding.original},
            {"diff", finding.diff},
        });
    }
    nlohmann::json problems = nlohmann::json::array();
    for (const CiProblem& p : report.problems) problems.push_back({{"file", p.file}, {"function", p.function}, {"message", p.message}});
    nlohmann::json not_verified = nlohmann::json::array();
    for (const CiProblem& p : report.not_verified) not_verified.push_back({{"file", p.file}, {"function", p.function}, {"message", p.message}});
    return {
        {"base", report.base},
        {"base_commit", report.base_commit},
        {"head_commit", report.head_commit},
        {"provider", report.provider},
        {"verify", report.verify},
        {"changed_functions", report.changed_functions},
        {"counts",
         {{"findings", report.findings.size()},
          {"verified", verified_count},
          {"unverified", report.findings.size() - verified_count},
          {"changed_functions", report.changed_functions.size()}}},
        {"findings", std::move(findings)},
        {"not_analysed", problems},
        {"not_verified", not_verified},
    };
}

std::string to_text(const CiReport& report) {
    std::size_t verified = 0, contradicted = 0;
    for (const auto& f : report.findings) {
        verified += f.verified && f.contradiction.empty();
        contradicted += !f.contradiction.empty();
    }
    std::ostringstream out;
    out << "ci: " << report.changed_functions.size() << " changed functions between " << report.base_commit.substr(0, 12) << " and "
        << report.head_commit.substr(0, 12) << ", " << report.findings.size() - verified - contradicted << " rule findings, " << verified << " verified speedups"
        << (contradicted ? ", " + std::to_string(contradicted) + " contradicted by wall time" : "") << "\n";
    for (const auto& f : report.findings) {
        out << "  " << f.file << ":" << f.line << " " << f.function << ": [" << f.rule << "] " << f.message.substr(0, 160) << "\n";
        if (!f.contradiction.empty()) out << "    not verified: " << f.contradiction << "\n";
    }
    if (!report.not_verified.empty())
        out << "  not verified: " << report.not_verified.size() << " changed function" << (report.not_verified.size() == 1 ? "" : "s")
            << " (the --time-budget was spent first)\n";
    if (!report.problems.empty())
        out << "  not analysed: " << report.problems.size() << (report.problems.size() == 1 ? " file or function" : " files or functions") << " (see above)\n";
    return out.str();
}

bool fails_gate(const CiReport& report, const std::string& fail_on) {
    const int threshold = level_rank(fail_on);
    if (threshold == 0) return false;
    if (!report.problems.empty() && level_rank("error") >= threshold) return true;
    return std::any_of(report.findings.begin(), report.findings.end(), [&](const CiFinding& f) { return level_rank(f.level) >= threshold; });
}

}  // namespace optiloop::ci

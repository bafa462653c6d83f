// The renderings of a CI report: SARIF checked against the 2.1.0 rules GitHub code scanning
// enforces (by a validator written here, itself tested to reject broken documents), the fix
// regions' line/column arithmetic, the pull-request Markdown and the JSON.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <optiloop/ci/changes.hpp>
#include <optiloop/ci/report.hpp>

using optiloop::ci::CiFinding;
using optiloop::ci::CiReport;
using optiloop::core::Replacement;

namespace {

// --- A structural SARIF 2.1.0 validator ------------------------------------------------------
// The subset of the schema's required fields and constraints GitHub rejects uploads over, plus
// the cross-references the schema cannot express (ruleId/ruleIndex agreement).

bool is_positive_integer(const nlohmann::json& value) {
    return value.is_number_integer() && value.get<long long>() >= 1;
}

bool is_relative_uri(const std::string& uri) {
    if (uri.empty() || uri.starts_with('/') || uri.find('\\') != std::string::npos) return false;
    // A scheme ("file:", "https:") before the first "/" makes it absolute.
    const std::size_t colon = uri.find(':');
    return colon == std::string::npos || colon > uri.find('/');
}

void check_level(const nlohmann::json& object, const std::string& where, std::vector<std::string>& problems) {
    static const std::set<std::string> k_levels = {"none", "note", "warning", "error"};
    if (!object.contains("level")) return;
    if (!object["level"].is_string() || !k_levels.contains(object["level"].get<std::string>()))
        problems.push_back(where + ".level: not one of none/note/warning/error");
}

void check_region(const nlohmann::json& region, const std::string& where, std::vector<std::string>& problems) {
    if (!region.is_object()) {
        problems.push_back(where + ": not an object");
        return;
    }
    if (!region.contains("startLine") || !is_positive_integer(region["startLine"])) {
        problems.push_back(where + ".startLine: missing or < 1");
        return;
    }
    for (const char* key : {"startColumn", "endLine", "endColumn"})
        if (region.contains(key) && !is_positive_integer(region[key]))
            problems.push_back(where + "." + key + ": < 1 or not an integer");
    if (region.contains("endLine") && is_positive_integer(region["endLine"]) &&
        region["endLine"].get<long long>() < region["startLine"].get<long long>())
        problems.push_back(where + ".endLine: before startLine");
}

void check_artifact_location(const nlohmann::json& location, const std::string& where,
                             std::vector<std::string>& problems) {
    if (!location.is_object() || !location.contains("uri") || !location["uri"].is_string()) {
        problems.push_back(where + ".uri: missing");
        return;
    }
    if (!is_relative_uri(location["uri"].get<std::string>()))
        problems.push_back(where + ".uri: not a relative URI: " + location["uri"].get<std::string>());
}

void check_fix(const nlohmann::json& fix, const std::string& where, std::vector<std::string>& problems) {
    if (!fix.contains("artifactChanges") || !fix["artifactChanges"].is_array() || fix["artifactChanges"].empty()) {
        problems.push_back(where + ".artifactChanges: missing or empty");
        return;
    }
    for (std::size_t c = 0; c < fix["artifactChanges"].size(); ++c) {
        const nlohmann::json& change = fix["artifactChanges"][c];
        const std::string at = where + ".artifactChanges[" + std::to_string(c) + "]";
        if (!change.contains("artifactLocation")) problems.push_back(at + ".artifactLocation: missing");
        else check_artifact_location(change["artifactLocation"], at + ".artifactLocation", problems);
        if (!change.contains("replacements") || !change["replacements"].is_array() || change["replacements"].empty()) {
            problems.push_back(at + ".replacements: missing or empty");
            continue;
        }
        for (std::size_t r = 0; r < change["replacements"].size(); ++r) {
            const nlohmann::json& replacement = change["replacements"][r];
            const std::string rat = at + ".replacements[" + std::to_string(r) + "]";
            if (!replacement.contains("deletedRegion")) problems.push_back(rat + ".deletedRegion: missing");
            else check_region(replacement["deletedRegion"], rat + ".deletedRegion", problems);
            if (replacement.contains("insertedContent") &&
                (!replacement["insertedContent"].contains("text") || !replacement["insertedContent"]["text"].is_string()))
                problems.push_back(rat + ".insertedContent.text: missing");
        }
    }
}

void check_result(const nlohmann::json& result, const nlohmann::json& rules, const std::string& where,
                  std::vector<std::string>& problems) {
    if (!result.contains("message") || !result["message"].contains("text") || !result["message"]["text"].is_string())
        problems.push_back(where + ".message.text: missing");
    check_level(result, where, problems);
    if (!result.contains("ruleId") || !result["ruleId"].is_string()) {
        problems.push_back(where + ".ruleId: missing");
    } else {
        const std::string id = result["ruleId"].get<std::string>();
        std::size_t index = rules.size();
        for (std::size_t i = 0; i < rules.size(); ++i)
            if (rules[i].value("id", "") == id) index = i;
        if (index == rules.size()) problems.push_back(where + ".ruleId: " + id + " not in tool.driver.rules");
        else if (!result.contains("ruleIndex") || result["ruleIndex"] != index)
            problems.push_back(where + ".ruleIndex: does not point at rule " + id);
    }
    if (result.contains("locations")) {
        if (!result["locations"].is_array()) problems.push_back(where + ".locations: not an array");
        else
            for (std::size_t l = 0; l < result["locations"].size(); ++l) {
                const nlohmann::json& location = result["locations"][l];
                const std::string at = where + ".locations[" + std::to_string(l) + "].physicalLocation";
                if (!location.contains("physicalLocation")) {
                    problems.push_back(at + ": missing");
                    continue;
                }
                const nlohmann::json& physical = location["physicalLocation"];
                if (!physical.contains("artifactLocation")) problems.push_back(at + ".artifactLocation: missing");
                else check_artifact_location(physical["artifactLocation"], at + ".artifactLocation", problems);
                if (physical.contains("region")) check_region(physical["region"], at + ".region", problems);
            }
    }
    if (result.contains("fixes")) {
        if (!result["fixes"].is_array()) problems.push_back(where + ".fixes: not an array");
        else
            for (std::size_t f = 0; f < result["fixes"].size(); ++f)
                check_fix(result["fixes"][f], where + ".fixes[" + std::to_string(f) + "]", problems);
    }
}

std::vector<std::string> sarif_problems(const nlohmann::json& document) {
    std::vector<std::string> problems;
    if (!document.is_object()) return {"document: not an object"};
    if (document.value("version", "") != "2.1.0") problems.push_back("version: not \"2.1.0\"");
    if (!document.contains("runs") || !document["runs"].is_array()) {
        problems.push_back("runs: missing or not an array");
        return problems;
    }
    for (std::size_t r = 0; r < document["runs"].size(); ++r) {
        const nlohmann::json& run = document["runs"][r];
        const std::string where = "runs[" + std::to_string(r) + "]";
        if (!run.contains("tool") || !run["tool"].contains("driver") || !run["tool"]["driver"].contains("name") ||
            !run["tool"]["driver"]["name"].is_string()) {
            problems.push_back(where + ".tool.driver.name: missing");
            continue;
        }
        const nlohmann::json& driver = run["tool"]["driver"];
        const nlohmann::json rules = driver.value("rules", nlohmann::json::array());
        for (std::size_t i = 0; i < rules.size(); ++i) {
            const std::string at = where + ".tool.driver.rules[" + std::to_string(i) + "]";
            if (!rules[i].contains("id") || !rules[i]["id"].is_string()) problems.push_back(at + ".id: missing");
            if (rules[i].contains("defaultConfiguration"))
                check_level(rules[i]["defaultConfiguration"], at + ".defaultConfiguration", problems);
        }
        if (!run.contains("results")) continue;
        if (!run["results"].is_array()) {
            problems.push_back(where + ".results: not an array");
            continue;
        }
        for (std::size_t i = 0; i < run["results"].size(); ++i)
            check_result(run["results"][i], rules, where + ".results[" + std::to_string(i) + "]", problems);
    }
    return problems;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

// --- The report under test --------------------------------------------------------------------

const std::string k_original = "int a;\nint b = a + a;\nint c = a * 1;\n";

Replacement replace(const std::string& path, const std::string& original, const std::string& search,
                    const std::string& text) {
    const std::size_t offset = original.find(search);
    EXPECT_NE(offset, std::string::npos) << search;
    return {path, offset, search.size(), text};
}

CiFinding verified_finding() {
    CiFinding f;
    f.rule = "verified-speedup";
    f.rule_description = "An edit that built, passed the tests and measured faster. It comes with a fix.";
    f.level = "warning";
    f.file = "src/lib.cpp";
    f.line = 2;
    f.column = 1;
    f.end_line = 3;
    f.function = "join_all";
    f.message = "Fold the repeated additions into one multiplication.";
    f.verified = true;
    f.speedup = 2.5;
    f.wall_speedup = 1.25;
    f.metric = "instructions (cachegrind)";
    f.original = k_original;
    f.fix = {replace("src/lib.cpp", k_original, "a + a", "2 * a"), replace("src/lib.cpp", k_original, "a * 1", "a")};
    f.diff = "--- a/src/lib.cpp\n+++ b/src/lib.cpp\n@@ -2,2 +2,2 @@\n-int b = a + a;\n-int c = a * 1;\n"
             "+int b = 2 * a;\n+int c = a;\n";
    return f;
}

CiFinding rule_finding(const std::string& rule, const std::string& file, unsigned line, const std::string& function,
                       const std::string& message) {
    CiFinding f;
    f.rule = rule;
    f.rule_description = "std::endl flushes the stream on every iteration of a loop.";
    f.level = "note";
    f.file = file;
    f.line = line;
    f.function = function;
    f.message = message;
    return f;
}

CiReport sample_report() {
    CiReport report;
    report.base = "origin/main";
    report.base_commit = "0123456789abcdef0123456789abcdef01234567";
    report.head_commit = "fedcba9876543210fedcba9876543210fedcba98";
    report.changed_functions = {"src/lib.cpp:join_all", "src/io.cpp:dump", "src/io.cpp:print_rows"};
    report.findings = {verified_finding(),
                       rule_finding("endl-in-loop", "src/io.cpp", 14, "dump", "std::endl inside the loop flushes each line."),
                       rule_finding("endl-in-loop", "src/io.cpp", 30, "print_rows", "Same flush on every row.")};
    report.provider = "rules";
    report.verify = true;
    return report;
}

nlohmann::json sarif_of(const CiReport& report) { return nlohmann::json::parse(optiloop::ci::to_sarif(report)); }

const nlohmann::json& first_replacement_region(const nlohmann::json& sarif, std::size_t index = 0) {
    return sarif["runs"][0]["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][index]["deletedRegion"];
}

}  // namespace

// --- SARIF ------------------------------------------------------------------------------------

TEST(CiSarif, SampleReportIsValidSarif) {
    const nlohmann::json sarif = sarif_of(sample_report());
    EXPECT_EQ(joined(sarif_problems(sarif)), "");
    EXPECT_EQ(sarif["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    const nlohmann::json& driver = sarif["runs"][0]["tool"]["driver"];
    EXPECT_EQ(driver["name"], "optiloop");
    EXPECT_EQ(driver["informationUri"], "https://github.com/optiloop/optiloop");
    EXPECT_EQ(driver["version"], OPTILOOP_VERSION);
}

TEST(CiSarif, OneRulePerDistinctIdWithCamelCaseName) {
    const nlohmann::json sarif = sarif_of(sample_report());
    const nlohmann::json& rules = sarif["runs"][0]["tool"]["driver"]["rules"];
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0]["id"], "verified-speedup");
    EXPECT_EQ(rules[0]["name"], "VerifiedSpeedup");
    EXPECT_EQ(rules[0]["shortDescription"]["text"], "An edit that built, passed the tests and measured faster.");
    EXPECT_EQ(rules[0]["defaultConfiguration"]["level"], "warning");
    EXPECT_EQ(rules[1]["id"], "endl-in-loop");
    EXPECT_EQ(rules[1]["name"], "EndlInLoop");
    EXPECT_EQ(rules[1]["defaultConfiguration"]["level"], "note");
    for (const auto& rule : rules) {
        EXPECT_TRUE(rule["fullDescription"]["text"].is_string());
        EXPECT_TRUE(rule["help"]["text"].is_string());
    }
    const nlohmann::json& results = sarif["runs"][0]["results"];
    ASSERT_EQ(results.size(), 3u);
    EXPECT_EQ(results[1]["ruleIndex"], 1);
    EXPECT_EQ(results[2]["ruleIndex"], 1);
}

TEST(CiSarif, ResultCarriesLocationPropertiesAndFingerprint) {
    const nlohmann::json sarif = sarif_of(sample_report());
    const nlohmann::json& result = sarif["runs"][0]["results"][0];
    EXPECT_EQ(result["level"], "warning");
    EXPECT_EQ(result["message"]["text"], "Fold the repeated additions into one multiplication.");
    const nlohmann::json& physical = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(physical["artifactLocation"]["uri"], "src/lib.cpp");
    EXPECT_EQ(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    EXPECT_EQ(physical["region"]["startLine"], 2);
    EXPECT_EQ(physical["region"]["startColumn"], 1);
    EXPECT_EQ(physical["region"]["endLine"], 3);
    EXPECT_EQ(result["properties"]["speedup"], 2.5);
    EXPECT_EQ(result["properties"]["wall_speedup"], 1.25);
    EXPECT_EQ(result["properties"]["metric"], "instructions (cachegrind)");
    EXPECT_EQ(result["properties"]["function"], "join_all");
    EXPECT_EQ(result["properties"]["verified"], true);

    // Unknown column and single line: neither is invented.
    const nlohmann::json& region = sarif["runs"][0]["results"][1]["locations"][0]["physicalLocation"]["region"];
    EXPECT_EQ(region["startLine"], 14);
    EXPECT_FALSE(region.contains("startColumn"));
    EXPECT_FALSE(region.contains("endLine"));

    // Stable across runs and line moves, distinct between findings.
    CiReport moved = sample_report();
    moved.findings[0].line = 40;
    const auto fingerprint = [](const nlohmann::json& s, int i) {
        return s["runs"][0]["results"][i]["partialFingerprints"].begin().value();
    };
    EXPECT_EQ(fingerprint(sarif, 0), fingerprint(sarif_of(moved), 0));
    EXPECT_NE(fingerprint(sarif, 1), fingerprint(sarif, 2));
}

TEST(CiSarif, FixOnlyForVerifiedFindings) {
    const nlohmann::json sarif = sarif_of(sample_report());
    const nlohmann::json& results = sarif["runs"][0]["results"];
    ASSERT_TRUE(results[0].contains("fixes"));
    const nlohmann::json& change = results[0]["fixes"][0]["artifactChanges"][0];
    EXPECT_EQ(change["artifactLocation"]["uri"], "src/lib.cpp");
    ASSERT_EQ(change["replacements"].size(), 2u);
    EXPECT_EQ(change["replacements"][0]["insertedContent"]["text"], "2 * a");
    EXPECT_EQ(change["replacements"][1]["insertedContent"]["text"], "a");
    EXPECT_FALSE(results[1].contains("fixes"));
    EXPECT_FALSE(results[2].contains("fixes"));
}

TEST(CiSarif, DeletedRegionLinesAndColumnsFromByteOffsets) {
    const nlohmann::json sarif = sarif_of(sample_report());
    // "a + a" in "int b = a + a;" (line 2): columns 9 to 14, end exclusive.
    const nlohmann::json& first = first_replacement_region(sarif, 0);
    EXPECT_EQ(first["startLine"], 2);
    EXPECT_EQ(first["startColumn"], 9);
    EXPECT_EQ(first["endLine"], 2);
    EXPECT_EQ(first["endColumn"], 14);
    const nlohmann::json& second = first_replacement_region(sarif, 1);
    EXPECT_EQ(second["startLine"], 3);
    EXPECT_EQ(second["startColumn"], 9);
    EXPECT_EQ(second["endColumn"], 14);
}

TEST(CiSarif, DeletedRegionAcrossLinesAndAfterMultibyteCharacters) {
    CiReport report;
    CiFinding f = verified_finding();
    f.original = "// é\nint x = 1;\nint y = 2;\n";
    // From "1;" on line 2 to "int" on line 3 inclusive, and an insertion after "é".
    f.fix = {replace(f.file, f.original, "1;\nint", "3;\nlong"), {f.file, f.original.find("é") + 2, 0, "!"}};
    report.findings = {f};
    const nlohmann::json sarif = sarif_of(report);
    EXPECT_EQ(joined(sarif_problems(sarif)), "");
    // Sorted by offset: the insertion on line 1 comes first; "é" is one column, two bytes.
    const nlohmann::json& insertion = first_replacement_region(sarif, 0);
    EXPECT_EQ(insertion["startLine"], 1);
    EXPECT_EQ(insertion["startColumn"], 5);
    EXPECT_EQ(insertion["endLine"], 1);
    EXPECT_EQ(insertion["endColumn"], 5);
    const nlohmann::json& span = first_replacement_region(sarif, 1);
    EXPECT_EQ(span["startLine"], 2);
    EXPECT_EQ(span["startColumn"], 9);
    EXPECT_EQ(span["endLine"], 3);
    EXPECT_EQ(span["endColumn"], 4);
    EXPECT_EQ(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
}

TEST(CiSarif, NoFixWhenAReplacementFallsOutsideTheFileOrOverlaps) {
    CiReport report;
    CiFinding outside = verified_finding();
    outside.fix.push_back({outside.file, outside.original.size() - 1, 5, "x"});
    CiFinding overlapping = verified_finding();
    overlapping.fix.push_back({overlapping.file, overlapping.fix[0].offset + 1, 1, "y"});
    report.findings = {outside, overlapping};
    const nlohmann::json sarif = sarif_of(report);
    EXPECT_EQ(joined(sarif_problems(sarif)), "");
    EXPECT_FALSE(sarif["runs"][0]["results"][0].contains("fixes"));
    EXPECT_FALSE(sarif["runs"][0]["results"][1].contains("fixes"));
}

TEST(CiSarif, UrisAreRelativeAndEscaped) {
    CiReport report;
    report.findings = {rule_finding("endl-in-loop", "./src/my file:1.cpp", 3, "f", "m"),
                       rule_finding("endl-in-loop", "src\\win.cpp", 3, "f", "m")};
    const nlohmann::json sarif = sarif_of(report);
    EXPECT_EQ(joined(sarif_problems(sarif)), "");
    const auto uri = [&](int i) {
        return sarif["runs"][0]["results"][i]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    };
    EXPECT_EQ(uri(0), "src/my%20file%3A1.cpp");
    EXPECT_EQ(uri(1), "src/win.cpp");
}

TEST(CiSarif, EmptyReportIsValid) {
    const nlohmann::json sarif = sarif_of(CiReport{});
    EXPECT_EQ(joined(sarif_problems(sarif)), "");
    EXPECT_TRUE(sarif["runs"][0]["results"].empty());
}

TEST(CiSarif, InvalidUtf8DoesNotThrow) {
    CiReport report = sample_report();
    report.findings[1].message = "bad byte \xff here";
    EXPECT_NO_THROW(sarif_of(report));
}

TEST(SarifValidator, RejectsBrokenDocuments) {
    const nlohmann::json good = sarif_of(sample_report());
    ASSERT_EQ(joined(sarif_problems(good)), "");
    const auto broken = [&](const std::string& what, auto&& mutate) {
        nlohmann::json document = good;
        mutate(document);
        EXPECT_FALSE(sarif_problems(document).empty()) << "accepted a document with " << what;
    };
    const auto results = [](nlohmann::json& d) -> nlohmann::json& { return d["runs"][0]["results"]; };
    broken("version 2.0.0", [](nlohmann::json& d) { d["version"] = "2.0.0"; });
    broken("no runs", [](nlohmann::json& d) { d.erase("runs"); });
    broken("no driver name", [](nlohmann::json& d) { d["runs"][0]["tool"]["driver"].erase("name"); });
    broken("no message text", [&](nlohmann::json& d) { results(d)[1]["message"].erase("text"); });
    broken("an unknown rule", [&](nlohmann::json& d) { results(d)[1]["ruleId"] = "no-such-rule"; });
    broken("a wrong ruleIndex", [&](nlohmann::json& d) { results(d)[1]["ruleIndex"] = 0; });
    broken("an absolute uri", [&](nlohmann::json& d) {
        results(d)[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "file:///src/io.cpp";
    });
    broken("a rooted uri", [&](nlohmann::json& d) {
        results(d)[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "/src/io.cpp";
    });
    broken("startLine 0", [&](nlohmann::json& d) { results(d)[1]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0; });
    broken("level fatal", [&](nlohmann::json& d) { results(d)[2]["level"] = "fatal"; });
    broken("a rule level fatal", [](nlohmann::json& d) {
        d["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] = "fatal";
    });
    broken("a fix without artifactChanges", [&](nlohmann::json& d) { results(d)[0]["fixes"][0].erase("artifactChanges"); });
    broken("a change without uri", [&](nlohmann::json& d) {
        results(d)[0]["fixes"][0]["artifactChanges"][0]["artifactLocation"].erase("uri");
    });
    broken("a replacement without deletedRegion", [&](nlohmann::json& d) {
        results(d)[0]["fixes"][0]["artifactChanges"][0]["replacements"][0].erase("deletedRegion");
    });
    broken("no replacements", [&](nlohmann::json& d) {
        results(d)[0]["fixes"][0]["artifactChanges"][0]["replacements"] = nlohmann::json::array();
    });
}

// --- Markdown ---------------------------------------------------------------------------------

TEST(CiMarkdown, TitleTableDetailsListAndFooter) {
    const std::string md = optiloop::ci::to_markdown(sample_report());
    EXPECT_EQ(md.rfind("### optiloop: 1 verified speedup, 2 findings in 3 changed functions\n", 0), 0u) << md;
    EXPECT_NE(md.find("| function | file:line | finding | speedup | verified |\n|---|---|---|---|---|\n"), std::string::npos);
    EXPECT_NE(md.find("| `join_all` | `src/lib.cpp:2` | `verified-speedup`: Fold the repeated additions into one "
                      "multiplication. | **2.50x** | yes |\n"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| `dump` | `src/io.cpp:14` | `endl-in-loop`: std::endl inside the loop flushes each line. | – | no |\n"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| `print_rows` | `src/io.cpp:30` | `endl-in-loop`: Same flush on every row. | – | no |\n"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("<details>\n<summary><code>join_all</code> in src/lib.cpp:2: 2.50x on instructions (cachegrind), "
                      "1.25x wall time</summary>"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("```diff\n" + sample_report().findings[0].diff + "```\n"), std::string::npos) << md;
    EXPECT_NE(md.find("</details>"), std::string::npos);
    EXPECT_NE(md.find("- `endl-in-loop` at `src/io.cpp:30` in `print_rows`: Same flush on every row.\n"), std::string::npos)
        << md;
    EXPECT_NE(md.find("instruction counts (cachegrind)"), std::string::npos) << md;
    EXPECT_NE(md.find("`0123456789ab` (origin/main)"), std::string::npos) << md;
    EXPECT_NE(md.find("head `fedcba987654`"), std::string::npos) << md;
}

TEST(CiMarkdown, PipesInCellsAreEscaped) {
    CiReport report;
    report.changed_functions = {"src/a.cpp:operator|"};
    report.findings = {rule_finding("endl-in-loop", "src/a.cpp", 3, "operator|", "a | b is evaluated twice.")};
    const std::string md = optiloop::ci::to_markdown(report);
    EXPECT_NE(md.find("| `operator\\|` | `src/a.cpp:3` | `endl-in-loop`: a \\| b is evaluated twice. | – | no |\n"),
              std::string::npos)
        << md;
}

TEST(CiMarkdown, DiffContainingBackticksGetsALongerFence) {
    CiReport report;
    CiFinding f = verified_finding();
    f.diff = "+// ```example```\n";
    report.findings = {f};
    const std::string md = optiloop::ci::to_markdown(report);
    EXPECT_NE(md.find("````diff\n+// ```example```\n````\n"), std::string::npos) << md;
}

TEST(CiMarkdown, EmptyReport) {
    CiReport report;
    report.base = "origin/main";
    report.base_commit = "0123456789abcdef";
    report.head_commit = "fedcba9876543210";
    report.changed_functions = {"src/a.cpp:f", "src/a.cpp:g"};
    const std::string md = optiloop::ci::to_markdown(report);
    EXPECT_EQ(md.rfind("### optiloop: no findings in 2 changed functions\n", 0), 0u) << md;
    EXPECT_EQ(md.find("| function |"), std::string::npos);
    EXPECT_NE(md.find("Nothing to suggest"), std::string::npos) << md;
    EXPECT_NE(md.find("`0123456789ab`"), std::string::npos) << md;
}

TEST(CiMarkdown, StaysUnderTheCommentLimitWithHugeDiffs) {
    CiReport report = sample_report();
    std::string huge;
    for (int i = 0; i < 4000; ++i) huge += "+    total += values[" + std::to_string(i) + "] * weights[i];\n";
    for (int i = 0; i < 30; ++i) {
        CiFinding f = verified_finding();
        f.function = "kernel_" + std::to_string(i);
        f.diff = huge;
        report.findings.push_back(f);
    }
    // Appending, not "f" + std::to_string(i): GCC 12 -O3 warns inside libstdc++ on the latter (bug 105329).
    for (int i = 0; i < 500; ++i) {
        std::string function = "f";
        function += std::to_string(i);
        report.findings.push_back(rule_finding("endl-in-loop", "src/io.cpp", 100 + i, function, std::string(150, 'x')));
    }
    const std::string md = optiloop::ci::to_markdown(report);
    EXPECT_LE(md.size(), 60'000u);
    EXPECT_NE(md.find("Diff cut short"), std::string::npos);
    EXPECT_NE(md.find("not shown"), std::string::npos);
    // The footer survives the cuts.
    EXPECT_NE(md.find("head `fedcba987654`"), std::string::npos);
    // Every opened fence and details block is closed.
    std::size_t opened = 0, closed = 0;
    for (std::size_t at = md.find("<details>"); at != std::string::npos; at = md.find("<details>", at + 1)) ++opened;
    for (std::size_t at = md.find("</details>"); at != std::string::npos; at = md.find("</details>", at + 1)) ++closed;
    EXPECT_EQ(opened, closed);
    EXPECT_GT(opened, 0u);
}

// --- JSON -------------------------------------------------------------------------------------

TEST(CiJson, AllFieldsWithExactNumbers) {
    const nlohmann::json json = optiloop::ci::to_json(sample_report());
    EXPECT_EQ(json["base"], "origin/main");
    EXPECT_EQ(json["base_commit"], "0123456789abcdef0123456789abcdef01234567");
    EXPECT_EQ(json["head_commit"], "fedcba9876543210fedcba9876543210fedcba98");
    EXPECT_EQ(json["provider"], "rules");
    EXPECT_EQ(json["verify"], true);
    EXPECT_EQ(json["changed_functions"].size(), 3u);
    EXPECT_EQ(json["counts"]["findings"], 3);
    EXPECT_EQ(json["counts"]["verified"], 1);
    EXPECT_EQ(json["counts"]["unverified"], 2);

    const nlohmann::json& verified = json["findings"][0];
    EXPECT_EQ(verified["rule"], "verified-speedup");
    EXPECT_EQ(verified["line"], 2);
    EXPECT_EQ(verified["end_line"], 3);
    EXPECT_EQ(verified["metric"], "instructions (cachegrind)");
    EXPECT_EQ(verified["fix"].size(), 2u);
    EXPECT_EQ(verified["fix"][0],
              (nlohmann::json{{"path", "src/lib.cpp"}, {"offset", 15}, {"length", 5}, {"text", "2 * a"}}));
    EXPECT_EQ(verified["original"], k_original);
    EXPECT_EQ(json["findings"][1]["speedup"], nullptr);
    EXPECT_TRUE(json["findings"][1]["fix"].empty());

    // The ratios come out as written, not as 2.4999999.
    const std::string text = json.dump();
    EXPECT_NE(text.find("\"speedup\":2.5,"), std::string::npos) << text;
    EXPECT_NE(text.find("\"wall_speedup\":1.25"), std::string::npos) << text;
    EXPECT_EQ(nlohmann::json::parse(text), json);
}

// --- Contradicted suggestions ------------------------------------------------------------------

namespace {

// A suggestion whose instruction gain wall time contradicts, with `verified` left set as a careless
// caller might: the renderings must not post it as verified all the same.
CiFinding contradicted_finding() {
    CiFinding f = verified_finding();
    f.rule = "contradicted-speedup";
    f.rule_description = "An edit whose measured instruction gain wall time contradicts.";
    f.contradiction = "2.50x fewer instructions, but only 1.01x in wall time (0.200 s before, 0.198 s after; noise band 10%)";
    return f;
}

CiReport contradicted_report() {
    CiReport report = sample_report();
    report.findings = {contradicted_finding(), report.findings[1]};
    return report;
}

}  // namespace

TEST(CiContradicted, SarifNoteWithoutFixMarkedNotVerified) {
    const nlohmann::json sarif = sarif_of(contradicted_report());
    EXPECT_EQ(joined(sarif_problems(sarif)), "");
    const nlohmann::json& result = sarif["runs"][0]["results"][0];
    EXPECT_EQ(result["level"], "note");
    EXPECT_FALSE(result.contains("fixes"));
    EXPECT_EQ(result["properties"]["verified"], false);
    EXPECT_EQ(result["properties"]["contradicted"], true);
    EXPECT_EQ(result["properties"]["contradiction"], contradicted_finding().contradiction);
    EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"], "note");
    // An honest verified finding carries no contradiction properties.
    const nlohmann::json honest = sarif_of(sample_report())["runs"][0]["results"][0];
    EXPECT_FALSE(honest["properties"].contains("contradicted"));
}

TEST(CiContradicted, MarkdownNeverListsItAsAVerifiedSuggestion) {
    const std::string md = optiloop::ci::to_markdown(contradicted_report());
    EXPECT_EQ(md.rfind("### optiloop: 0 verified speedups, 2 findings in 3 changed functions\n", 0), 0u) << md;
    EXPECT_EQ(md.find("#### Verified suggestions"), std::string::npos) << md;
    EXPECT_EQ(md.find("```diff"), std::string::npos) << md;
    EXPECT_NE(md.find("| 2.50x claimed, contradicted by wall time | no |\n"), std::string::npos) << md;
    EXPECT_NE(md.find("#### Measured but not verified (wall time contradicts the gain)\n\n- `contradicted-speedup` at `src/lib.cpp:2`"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("Not verified: 2.50x fewer instructions, but only 1.01x in wall time"), std::string::npos) << md;
    EXPECT_NE(md.find("#### Rule findings (not measured)\n\n- `endl-in-loop`"), std::string::npos) << md;
    // Nothing verified, so the footer does not describe verified suggestions.
    EXPECT_NE(md.find("No suggestion was verified: the ones that counted fewer instructions did not run faster by the wall clock"), std::string::npos) << md;
    EXPECT_EQ(md.find("No suggestion both passed the tests and measured faster."), std::string::npos) << md;
    // One blank line between the last list and the footer, as without contradicted findings.
    EXPECT_NE(md.find("flushes each line.\n\n---\n"), std::string::npos) << md;
}

TEST(CiContradicted, JsonCountsItAsUnverified) {
    const nlohmann::json json = optiloop::ci::to_json(contradicted_report());
    EXPECT_EQ(json["counts"]["verified"], 0);
    EXPECT_EQ(json["counts"]["unverified"], 2);
    const nlohmann::json& f = json["findings"][0];
    EXPECT_EQ(f["verified"], false);
    EXPECT_EQ(f["contradicted"], true);
    EXPECT_EQ(f["contradiction"], contradicted_finding().contradiction);
    EXPECT_EQ(f["level"], "note");
    EXPECT_EQ(json["findings"][1]["contradicted"], false);
    EXPECT_EQ(json["findings"][1]["contradiction"], "");
}

TEST(CiReport, ATimedSpeedupCarriesItsNoiseBandEverywhere) {
    CiReport report = sample_report();
    CiFinding timed = verified_finding();
    timed.noise_band = 0.04;
    report.findings = {timed};
    EXPECT_NE(optiloop::ci::to_markdown(report).find(" ±4%"), std::string::npos) << optiloop::ci::to_markdown(report);
    EXPECT_DOUBLE_EQ(optiloop::ci::to_json(report)["findings"][0]["noise_band"].get<double>(), 0.04);
    const auto sarif = nlohmann::json::parse(optiloop::ci::to_sarif(report));
    EXPECT_DOUBLE_EQ(sarif["runs"][0]["results"][0]["properties"]["noiseBand"].get<double>(), 0.04);
}

TEST(CiReport, WhatCouldNotBeAnalysedIsAnErrorNotificationAndListed) {
    CiReport report = sample_report();
    report.problems = {{"src/broken.cpp", "", "src/broken.cpp:3:1: error: expected ';'"}};
    const auto sarif = nlohmann::json::parse(optiloop::ci::to_sarif(report));
    EXPECT_TRUE(sarif_problems(sarif).empty()) << joined(sarif_problems(sarif));
    EXPECT_FALSE(sarif["runs"][0]["invocations"][0]["executionSuccessful"].get<bool>());
    EXPECT_EQ(sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["level"], "error");
    const std::string markdown = optiloop::ci::to_markdown(report);
    EXPECT_NE(markdown.find("**Not analysed**"), std::string::npos) << markdown;
    EXPECT_NE(markdown.find("src/broken.cpp"), std::string::npos);
    report.problems.clear();
    EXPECT_TRUE(nlohmann::json::parse(optiloop::ci::to_sarif(report))["runs"][0]["invocations"][0]["executionSuccessful"].get<bool>());
}

TEST(CiChanges, DiffHunksBecomeLineRangesAndEveryRuleHasADescription) {
    const auto ranges = optiloop::ci::changed_lines(
        "diff --git a/src/a.cpp b/src/a.cpp\n--- a/src/a.cpp\n+++ b/src/a.cpp\n@@ -3,0 +4,2 @@\n+x\n+y\n@@ -10 +12 @@\n-a\n+b\n@@ -20,2 +21,0 @@\n-c\n-d\n"
        "diff --git a/gone.cpp b/gone.cpp\n--- a/gone.cpp\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n");
    ASSERT_EQ(ranges.size(), 1u);
    const std::vector<std::pair<unsigned, unsigned>> expected = {{4, 5}, {12, 12}, {21, 21}};
    EXPECT_EQ(ranges.at("src/a.cpp"), expected);
    EXPECT_FALSE(optiloop::ci::rule_description("endl-in-loop").empty());
    EXPECT_EQ(optiloop::ci::rule_description("performance-type-promotion-in-math-fn"),
              "clang-tidy's performance-type-promotion-in-math-fn check (https://clang.llvm.org/extra/clang-tidy/checks/performance/type-promotion-in-math-fn.html).");
    EXPECT_EQ(optiloop::ci::rule_description("no-such-rule"), "");
}

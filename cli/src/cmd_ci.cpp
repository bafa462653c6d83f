// `optiloop ci --base REF`: options, ci::review (what the change touched, the rules' findings,
// with --verify the verified suggestions), then SARIF, Markdown, JSON or text and the gate.
#include <ostream>

#include <optiloop/ci/changes.hpp>
#include <optiloop/ci/report.hpp>
#include <optiloop/ci/review.hpp>
#include <optiloop/core/files.hpp>

#include "commands.hpp"
#include "config.hpp"
#include "proposers.hpp"
#include "repository.hpp"

namespace optiloop::cli {

using ci::CiReport;

namespace {

struct CiArgs {
    ci::ReviewOptions review;
    std::string sarif, markdown;
    bool json = false;
    std::string fail_on = "error";
    ProposerArgs proposer;
};

}  // namespace

Action setup_ci(CLI::App& app) {
    auto a = std::make_shared<CiArgs>();
    app.add_option("--base", a->review.base, "The commit the change is compared with (the pull request's base)")->required();
    app.add_option("--head", a->review.head, "The changed commit (default HEAD)");
    app.add_option("--repo", a->review.repo, "The repository (default: the current directory)");
    app.add_option("--sarif", a->sarif, "Write SARIF 2.1.0 here (for code scanning; verified suggestions carry fixes)");
    app.add_option("--markdown", a->markdown, "Write a pull-request comment here");
    app.add_flag("--json", a->json, "Print the report as JSON");
    app.add_option("--fail-on", a->fail_on, "Exit 1 when a result is at or above this level: error (the default: a file or function that could not be analysed), warning (a verified speedup), note (a rule finding), none")
        ->check(CLI::IsMember({"none", "note", "warning", "error"}));
    app.add_flag("--verify", a->review.verify, "Propose edits for each changed function and verify them with --build, --test and --bench");
    // ci keeps its own smaller defaults (-k 2, one round: a pull-request job has minutes); a
    // setting the user made (environment, optiloop.toml) applies here too.
    add_setting(app, "samples", a->review.samples, "With --verify: ");
    add_setting(app, "rounds", a->review.rounds, "With --verify: ");
    app.add_option("--time-budget", a->review.time_budget, "With --verify: seconds for verifying all changed functions; the rest are listed as not verified")
        ->check(positive_up_to(7 * 86400));
    app.add_option("--flags", a->review.flags, "Extra compiler flags for parsing the sources (e.g. -Ithird_party)")->delimiter(' ')->allow_extra_args(false);
    add_repo_options(app, a->review.commands, false);
    add_proposer_options(app, a->proposer);
    return [a, &app](Streams& s) {
        auto fail = [&](const core::Error& e) {
            s.err << "optiloop ci: " << e.message << "\n";
            return static_cast<int>(e.exit_code());
        };
        auto settings = Settings::load("");
        if (!settings) return fail(settings.error());
        note_proposer_sources(app, *settings, a->proposer);
        apply_settings(app, *settings);
        apply_settings(app, *settings, "repository");
        for (const auto& [flag, path] : {std::pair{"--sarif", a->sarif}, std::pair{"--markdown", a->markdown}})
            if (!path.empty())
                if (const std::string why = core::cannot_write(path, false); !why.empty())
                    return fail(core::Error::input(std::string(flag) + " " + path + ": cannot write there (" + why + ")"));
        // Validate the proposer before any work.
        auto source = proposer_source(a->proposer, [&](const std::string& line) { s.err << "  " << line << "\n"; });
        if (!source) return fail(source.error());
        a->review.make_proposer = source->make;
        a->review.proposer_description = source->description;
        auto reviewed = ci::review(a->review, [&](const std::string& line) { s.err << line << "\n"; });
        if (!reviewed) return fail(reviewed.error());
        const CiReport& report = *reviewed;

        auto write = [&](const std::string& path, const std::string& text) {
            if (path.empty()) return true;
            if (core::write_file_atomically(path, text)) return true;
            s.err << "optiloop ci: cannot write " << path << "\n";
            return false;
        };
        if (!write(a->sarif, ci::to_sarif(report)) || !write(a->markdown, ci::to_markdown(report))) return static_cast<int>(core::ExitCode::usage);
        if (a->json) s.out << ci::to_json(report).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        else s.out << ci::to_text(report);
        return ci::fails_gate(report, a->fail_on) ? static_cast<int>(core::ExitCode::findings) : 0;
    };
}

}  // namespace optiloop::cli

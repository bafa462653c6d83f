// `optiloop report DB`: the metrics of an eval (PIE, COFFE, KernelBench as the analyzer computes
// them) and the per-task table, as text, --json, --markdown, or --html FILE (one self-contained
// page with inline SVG plots); --compare A.db B.db sets two runs side by side.
#include <ostream>

#include <nlohmann/json.hpp>

#include <optiloop/core/files.hpp>
#include <optiloop/optimizer/report.hpp>

#include "commands.hpp"

namespace optiloop::cli {

Action setup_report(CLI::App& app) {
    struct Args {
        std::string db;
        bool json = false, markdown = false;
        std::string html;
        std::vector<std::string> compare;
    };
    auto a = std::make_shared<Args>();
    app.add_option("db", a->db, "A results database written by optiloop eval");
    app.add_flag("--json", a->json, "Print JSON");
    app.add_flag("--markdown", a->markdown, "Print Markdown");
    app.add_option("--html", a->html, "Write a self-contained HTML page with plots to FILE");
    app.add_option("--compare", a->compare, "Two databases to set side by side")->expected(2);
    return [a](Streams& s) {
        if (!a->html.empty())
            if (const std::string why = core::cannot_write(a->html, false); !why.empty()) {
                s.err << "optiloop report: --html " << a->html << ": cannot write there (" << why << ")\n";
                return 2;
            }
        if (!a->compare.empty()) {
            auto x = optimizer::load_eval_report(a->compare[0]), y = optimizer::load_eval_report(a->compare[1]);
            for (auto* r : {&x, &y})
                if (!*r) {
                    s.err << "optiloop report: " << r->error().message << "\n";
                    return 2;
                }
            if (a->json) s.out << nlohmann::json{{"a", optimizer::report_json(*x)}, {"b", optimizer::report_json(*y)}}.dump(2) << "\n";
            else s.out << optimizer::compare_text(*x, *y);
            return 0;
        }
        if (a->db.empty()) {
            s.err << "optiloop report: give a results database (or --compare A.db B.db)\n";
            return 2;
        }
        auto d = optimizer::load_eval_report(a->db);
        if (!d) {
            s.err << "optiloop report: " << d.error().message << "\n";
            return static_cast<int>(d.error().exit_code());
        }
        if (!a->html.empty()) {
            if (!core::write_file_atomically(a->html, optimizer::report_html(*d))) {
                s.err << "optiloop report: --html " << a->html << ": cannot write\n";
                return 2;
            }
            s.err << "wrote " << a->html << "\n";
        }
        if (a->json) s.out << optimizer::report_json(*d).dump(2) << "\n";
        else if (a->markdown) s.out << optimizer::report_markdown(*d);
        else if (a->html.empty()) s.out << optimizer::report_text(*d);
        return 0;
    };
}

}  // namespace optiloop::cli

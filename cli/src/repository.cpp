#include "repository.hpp"

namespace optiloop::cli {

void add_repo_options(CLI::App& app, RepoArgs& a, bool with_target) {
    if (with_target) {
        app.add_option("--repo", a.repo, "Optimize inside this repository (with --file, --build, --test)");
        app.add_option("--file", a.file, "With --repo: the source file to optimize, relative to the repository root");
        app.add_option("--function", a.function, "With --repo: only this function may change");
    }
    // [repository] in optiloop.toml fills these in repository mode: apply_settings(app, settings, "repository").
    add_setting(app, "repository.build", a.build);
    add_setting(app, "repository.test", a.test);
    add_setting(app, "repository.bench", a.bench);
    add_setting(app, "repository.bench_format", a.bench_format);
    add_setting(app, "repository.bench_filter", a.bench_filter);
    add_setting(app, "repository.bench_metric", a.bench_metric);
    add_setting(app, "repository.bench_repetitions", a.bench_repetitions);
    add_setting(app, "repository.build_timeout", a.build_timeout);
    add_setting(app, "repository.test_timeout", a.test_timeout);
    add_setting(app, "repository.bench_timeout", a.bench_timeout);
    add_setting(app, "repository.compile_commands", a.compile_commands);
}

}  // namespace optiloop::cli

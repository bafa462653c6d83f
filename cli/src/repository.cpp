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

core::Result<OpenedTarget> open_target(const CLI::App& app, const Settings& settings, const TargetArgs& target, RepoArgs& repo) {
    OpenedTarget opened;
    if (repo.repo.empty()) {
        if (!repo.file.empty() || !repo.build.empty() || !repo.test.empty() || !repo.function.empty())
            return core::fail(core::Error::input("--file, --function, --build and --test work with --repo DIR"));
        auto task = load_target(target);
        if (!task) return core::fail(task.error());
        opened.task = std::move(*task);
        return opened;
    }
    if (!target.target.empty()) return core::fail(core::Error::input("give either a TARGET or --repo DIR --file PATH, not both"));
    // [repository] in optiloop.toml fills the commands the flags did not give.
    apply_settings(app, settings, "repository");
    if (repo.file.empty()) return core::fail(core::Error::input("--repo needs --file PATH (the source file to optimize)"));
    auto workspace = runner::open_workspace(repo.repo);
    if (!workspace) return core::fail(workspace.error());
    opened.workspace = std::move(*workspace);
    auto task = runner::repository_task(repo, opened.workspace->workspace(), repo.file, repo.function, target.flags);
    if (!task) return core::fail(task.error());
    opened.task = std::move(*task);
    return opened;
}

}  // namespace optiloop::cli

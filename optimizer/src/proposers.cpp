#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <optiloop/analyzer/rules_proposer.hpp>
#include <optiloop/datasets/task_folder.hpp>
#include <optiloop/llm/paste.hpp>
#include <optiloop/llm/replay.hpp>
#include <optiloop/llm/secrets.hpp>
#include <optiloop/optimizer/proposers.hpp>

namespace optiloop::optimizer {

namespace fs = std::filesystem;

namespace {

std::string concatenated(const std::vector<core::SourceFile>& files) {
    std::string text;
    for (const auto& f : files) text += f.content;
    return text;
}

// The few-shot pool: every task of the dataset that has a reference.
core::Result<std::vector<llm::Example>> load_examples(const std::string& from, int count) {
    if (count == 0) return std::vector<llm::Example>{};
    fs::path root = from;
    if (root.empty()) {
        root = fs::path(OPTILOOP_SOURCE_DIR) / "datasets" / "builtin";
        if (!fs::is_directory(root)) return std::vector<llm::Example>{};  // an installed binary without the sources
    } else if (!fs::is_directory(root)) {
        return core::fail(core::Error::input("--examples-from " + from + ": not a directory"));
    }
    std::vector<llm::Example> pool;
    for (const auto& dir : datasets::find_task_dirs(root)) {
        auto task = datasets::load_task(dir);
        if (!task || task->reference.empty()) continue;
        pool.push_back({task->id, concatenated(task->baseline), concatenated(task->reference)});
    }
    if (pool.empty() && !from.empty()) return core::fail(core::Error::input("--examples-from " + from + ": no task with a reference/ folder in it"));
    return pool;
}

}  // namespace

namespace {

core::Result<ProposerSource> plain_source(const ProposerSettings& a, const std::function<void(const std::string&)>& log);

}  // namespace

core::Result<ProposerSource> proposer_source(const ProposerSettings& a, const std::function<void(const std::string&)>& log) {
    if (a.provider != "paste" && !a.paste_dir.empty() && a.paste_dir != "optiloop-paste")
        return core::fail(core::Error::input("--paste-dir works with --provider paste only"));
    auto source = plain_source(a, log);
    if (!source || a.record.empty()) return source;
    if (!a.replay.empty() && fs::weakly_canonical(a.replay) == fs::weakly_canonical(a.record))
        return core::fail(core::Error::input("--record " + a.record + ": the same file as --replay; it would be emptied before it is read"));
    auto file = llm::RecordFile::create(a.record);
    if (!file) return core::fail(file.error());
    auto make = source->make;
    source->make = [make, file = *file] { return std::unique_ptr<core::Proposer>(std::make_unique<llm::RecordingProposer>(make(), file)); };
    source->description += ", recorded to " + a.record;
    return source;
}

namespace {

// What every prompting proposer (a model over HTTP, a person pasting) takes from the flags: the
// templates, the few-shot pool and the answer format.
template <typename Options>
core::Result<void> fill_prompting(const ProposerSettings& a, Options& o) {
    o.edit_format = a.edit_format == "whole-file" ? llm::EditFormat::whole_file : a.edit_format == "search-replace" ? llm::EditFormat::search_replace : llm::EditFormat::automatic;
    auto templates = llm::load_templates(a.prompt_dir);
    if (!templates) return core::fail(templates.error());
    o.templates = *templates;
    auto examples = load_examples(a.examples_from, a.examples);
    if (!examples) return core::fail(examples.error());
    o.examples = *examples;
    o.example_count = static_cast<std::size_t>(a.examples);
    return {};
}

core::Result<ProposerSource> plain_source(const ProposerSettings& a, const std::function<void(const std::string&)>& log) {
    if (a.provider == "rules") return ProposerSource{[] { return std::make_unique<analyzer::RulesProposer>(); }, nullptr, "rules"};
    if (a.provider == "clang-tidy")
        return ProposerSource{[] { return std::make_unique<analyzer::RulesProposer>(analyzer::RulesProposer::Source::clang_tidy); }, nullptr,
                              "clang-tidy (performance checks with fixes)"};
    if (a.provider == "replay") {
        if (a.replay.empty()) return ProposerSource{[] { return std::make_unique<llm::ReplayProposer>(); }, nullptr, "replay (the tasks' references)"};
        auto recording = llm::ReplayProposer::from_recording(a.replay);
        if (!recording) return core::fail(recording.error());
        auto shared = std::make_shared<llm::ReplayProposer>(std::move(*recording));
        return ProposerSource{[shared] { return std::make_unique<llm::ReplayProposer>(*shared); }, nullptr, "replay of " + a.replay};
    }
    if (!a.replay.empty()) return core::fail(core::Error::input("--replay works with --provider replay only"));
    if (a.provider == "paste") {
        llm::PasteOptions o;
        o.dir = a.paste_dir;
        if (auto filled = fill_prompting(a, o); !filled) return core::fail(filled.error());
        o.terminal = ::isatty(STDIN_FILENO) == 1;
        o.in = &std::cin;
        o.out = &std::cout;
        o.wait_seconds = a.llm_timeout_given ? a.llm_timeout : 3600;
        o.log = log;
        auto probe = llm::PasteProposer::create(o);
        if (!probe) return core::fail(probe.error());
        return ProposerSource{[o] { return std::unique_ptr<core::Proposer>(std::move(*llm::PasteProposer::create(o))); }, nullptr,
                              "paste (prompts and answers in " + a.paste_dir + ")"};
    }

    llm::ProviderOptions o;
    o.api = a.provider == "anthropic" ? llm::Api::anthropic : llm::Api::openai;
    o.model = a.model;
    o.base_url = a.base_url;
    if (auto key = llm::api_key_for(a.provider)) o.api_key = key->value;
    o.temperature = a.temperature;
    o.max_tokens = a.max_tokens;
    o.timeout_seconds = a.llm_timeout;
    o.max_tries = a.llm_retries;
    o.token_budget = a.token_budget;
    o.stream = !a.no_stream;
    if (auto filled = fill_prompting(a, o); !filled) return core::fail(filled.error());
    if (!a.no_cache) {
        auto cache = llm::ResponseCache::open(llm::default_cache_path());
        if (!cache) return core::fail(cache.error());
        o.cache = std::move(*cache);
    }
    o.limiter = std::make_shared<llm::RequestLimiter>(a.llm_concurrency);
    o.run_usage = std::make_shared<llm::UsageTotals>();
    o.log = log;
    // Checking the options once here means the factory below cannot fail.
    auto probe = llm::LlmProposer::create(o);
    if (!probe) return core::fail(probe.error());
    const std::string description = a.provider + " " + a.model + " at " + (a.base_url.empty() ? llm::default_base_url(o.api) : a.base_url);
    auto usage = o.run_usage;
    return ProposerSource{[o] { return std::unique_ptr<core::Proposer>(std::move(*llm::LlmProposer::create(o))); }, usage, description};
}

}  // namespace

}  // namespace optiloop::optimizer

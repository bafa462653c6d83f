// The LLM proposers: OpenAI-compatible chat completions (OpenAI, vLLM, llama.cpp server, Ollama,
// gateways) and Anthropic's Messages API, over libcurl. Each propose() builds the prompt, takes
// what it can from the response cache, sends the rest with a bounded number of requests in
// flight, retries what is worth retrying, and parses every answer into an Edit (an answer that
// cannot be parsed becomes an Edit with a `problem`, which goes back to the model as feedback).
#pragma once

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <optiloop/core/proposer.hpp>
#include <optiloop/llm/cache.hpp>
#include <optiloop/llm/http.hpp>
#include <optiloop/llm/prompt.hpp>

namespace optiloop::llm {

enum class Api { openai, anthropic };

// Bounds the requests in flight across every proposer that shares it (--llm-concurrency).
class RequestLimiter {
public:
    explicit RequestLimiter(int slots) : m_free(std::max(1, slots)) {}
    void acquire() {
        std::unique_lock lock(m_mutex);
        m_changed.wait(lock, [&] { return m_free > 0; });
        --m_free;
    }
    void release() {
        {
            std::lock_guard lock(m_mutex);
            ++m_free;
        }
        m_changed.notify_one();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    int m_free;
};

// Usage summed over a whole run (all tasks, all proposers).
class UsageTotals {
public:
    void add(const core::ProposerUsage& u) {
        std::lock_guard lock(m_mutex);
        m_usage += u;
    }
    core::ProposerUsage get() const {
        std::lock_guard lock(m_mutex);
        return m_usage;
    }

private:
    mutable std::mutex m_mutex;
    core::ProposerUsage m_usage;
    std::string m_last_logged;           // one line per distinct problem, not one per parallel request
    std::atomic<bool> m_give_up{false};  // a request was refused for good: the others stop retrying
};

struct ProviderOptions {
    Api api = Api::openai;
    std::string model;
    std::string base_url;  // empty: the API's public endpoint
    std::string api_key;   // empty: none sent (local servers need none)
    double temperature = 0.7;
    int max_tokens = 4096;
    bool stream = true;
    int samples_per_request = 0;  // OpenAI `n`: 0 asks for every missing sample in one request
    int max_tries = 6;
    double backoff_initial_seconds = 1.0;
    double backoff_max_seconds = 60;
    double timeout_seconds = 300;
    double stall_seconds = 60;
    EditFormat edit_format = EditFormat::automatic;
    PromptTemplates templates;       // from load_templates()
    std::vector<Example> examples;   // the retrieval pool for few-shot examples
    std::size_t example_count = 2;
    std::shared_ptr<ResponseCache> cache;  // null: --no-cache
    std::shared_ptr<RequestLimiter> limiter;
    std::shared_ptr<UsageTotals> run_usage;
    std::int64_t token_budget = 0;  // stop asking once the run spent this many tokens (0: no limit)
    std::shared_ptr<HttpTransport> transport;     // null: libcurl
    std::function<void(double)> sleep;            // null: std::this_thread::sleep_for (a seam for tests)
    std::function<void(const std::string&)> log;  // progress lines; never carry the key
};

class LlmProposer : public core::Proposer {
public:
    // Checks the options (a model is named, the base URL is http(s)) and fills the defaults.
    static core::Result<std::unique_ptr<LlmProposer>> create(ProviderOptions options);

    [[nodiscard]] std::string name() const override { return m_options.api == Api::openai ? "openai" : "anthropic"; }
    core::Result<std::vector<core::Edit>> propose(const core::Task& task, const core::ProposalContext& context) override;
    [[nodiscard]] bool wants_hints() const override { return true; }
    [[nodiscard]] core::ProposerUsage usage() const override;
    // Each request has its own HTTP transfer; usage, logging and the give-up flag are shared safely.
    [[nodiscard]] bool concurrent() const override { return true; }

    // The messages the next propose() would send (for --dry-run and tests).
    [[nodiscard]] std::vector<Message> messages_for(const core::Task& task, const core::ProposalContext& context) const;

    // One sample: the cache, then the server with retries. Public for tests.
    struct Answer {
        std::string text;
        bool cached = false;
    };
    core::Result<std::vector<Answer>> complete(const std::vector<Message>& messages, int samples, unsigned seed);

private:
    explicit LlmProposer(ProviderOptions options) : m_options(std::move(options)) {}
    struct Reply {
        std::vector<std::string> choices;
        std::int64_t prompt_tokens = 0;
        std::int64_t completion_tokens = 0;
    };
    core::Result<Reply> request(const std::vector<Message>& messages, int n, unsigned seed);
    [[nodiscard]] std::string cache_key(const std::vector<Message>& messages, int sample, unsigned seed) const;
    void note(const core::ProposerUsage& u);
    void say(const std::string& line) const;

    ProviderOptions m_options;
    mutable std::mutex m_mutex;
    core::ProposerUsage m_usage;
    std::string m_last_logged;           // one line per distinct problem, not one per parallel request
    std::atomic<bool> m_give_up{false};  // a request was refused for good: the others stop retrying
};

// Whether the provider's server answers and accepts the key: GET {base}/models. Returns a line
// for `optiloop doctor` ("reachable, 12 models, test-model among them") or the reason it is not.
core::Result<std::string> check_provider(const ProviderOptions& options);

// Removes the API key (and anything shaped like one) from a text bound for a log or a report.
std::string redact(std::string text, const std::string& api_key);

// The default endpoint of each API.
std::string default_base_url(Api api);

}  // namespace optiloop::llm

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include <optiloop/core/hash.hpp>
#include <optiloop/llm/parse.hpp>
#include <optiloop/llm/provider.hpp>

namespace optiloop::llm {

using nlohmann::json;

namespace {

constexpr double k_longest_retry_after = 600;

std::string trimmed_line(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

// The server's own words about a failure: {"error": {"message": ...}} in both APIs.
std::string server_message(const std::string& body) {
    auto j = json::parse(body, nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.contains("error")) {
        const auto& e = j["error"];
        if (e.is_object() && e.contains("message") && e["message"].is_string()) return e["message"].get<std::string>();
        if (e.is_string()) return e.get<std::string>();
    }
    std::string text = body.substr(0, 200);
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text.empty() ? "no message" : text;
}

// The outcome of parsing one 2xx body.
struct Parsed {
    bool ok = false;
    std::string problem;  // why not (retried: a cut stream or malformed JSON may not recur)
    std::vector<std::string> choices;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
};

void put_choice(std::vector<std::string>& choices, std::size_t index, const std::string& text) {
    if (index > 1024) return;  // a hostile index must not make us allocate
    if (choices.size() <= index) choices.resize(index + 1);
    choices[index] += text;
}

Parsed parse_openai(const std::string& body) {
    Parsed p;
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        p.problem = "the server's answer is not valid JSON";
        return p;
    }
    if (!j.contains("choices") || !j["choices"].is_array() || j["choices"].empty()) {
        p.problem = "the server's answer has no choices";
        return p;
    }
    for (const auto& c : j["choices"]) {
        const std::size_t index = c.value("index", p.choices.size());
        std::string text;
        if (c.contains("message") && c["message"].is_object() && c["message"].contains("content") && c["message"]["content"].is_string())
            text = c["message"]["content"].get<std::string>();
        put_choice(p.choices, index, text);
    }
    if (j.contains("usage") && j["usage"].is_object()) {
        p.prompt_tokens = j["usage"].value("prompt_tokens", std::int64_t{0});
        p.completion_tokens = j["usage"].value("completion_tokens", std::int64_t{0});
    }
    p.ok = true;
    return p;
}

// Calls `on_data` with the "data:" payload of each server-sent event, in order, until it
// returns false.
template <class OnData>
void for_each_event(const std::string& body, OnData on_data) {
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find('\n', start);
        if (end == std::string::npos) end = body.size();
        const std::string line = trimmed_line(std::string_view(body).substr(start, end - start));
        start = end + 1;
        if (line.starts_with("data:") && !on_data(trimmed_line(std::string_view(line).substr(5)))) return;
    }
}

constexpr const char* k_bad_event = "the server's stream holds an event that is not valid JSON";

Parsed parse_openai_stream(const std::string& body) {
    Parsed p;
    bool done = false;
    for_each_event(body, [&](const std::string& payload) {
        if (payload == "[DONE]") return !(done = true);
        auto j = json::parse(payload, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return (p.problem = k_bad_event).empty();
        if (j.contains("error")) return (p.problem = "the server reported an error in the stream: " + server_message(payload)).empty();
        if (j.contains("choices") && j["choices"].is_array())
            for (const auto& c : j["choices"]) {
                const std::size_t index = c.value("index", std::size_t{0});
                if (c.contains("delta") && c["delta"].is_object() && c["delta"].contains("content") && c["delta"]["content"].is_string())
                    put_choice(p.choices, index, c["delta"]["content"].get<std::string>());
                else put_choice(p.choices, index, "");
            }
        if (j.contains("usage") && j["usage"].is_object()) {
            p.prompt_tokens = j["usage"].value("prompt_tokens", std::int64_t{0});
            p.completion_tokens = j["usage"].value("completion_tokens", std::int64_t{0});
        }
        return true;
    });
    if (p.problem.empty() && !done) p.problem = "the server's stream ended before [DONE]";
    if (p.problem.empty() && p.choices.empty()) p.problem = "the server's stream carried no choices";
    p.ok = p.problem.empty();
    return p;
}

Parsed parse_anthropic(const std::string& body) {
    Parsed p;
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        p.problem = "the server's answer is not valid JSON";
        return p;
    }
    if (!j.contains("content") || !j["content"].is_array()) {
        p.problem = "the server's answer has no content";
        return p;
    }
    std::string text;
    for (const auto& block : j["content"])
        if (block.is_object() && block.value("type", "") == "text" && block.contains("text") && block["text"].is_string()) text += block["text"].get<std::string>();
    p.choices.push_back(text);
    if (j.contains("usage") && j["usage"].is_object()) {
        p.prompt_tokens = j["usage"].value("input_tokens", std::int64_t{0});
        p.completion_tokens = j["usage"].value("output_tokens", std::int64_t{0});
    }
    p.ok = true;
    return p;
}

Parsed parse_anthropic_stream(const std::string& body) {
    Parsed p;
    std::string text;
    bool done = false;
    for_each_event(body, [&](const std::string& payload) {
        auto j = json::parse(payload, nullptr, false);
        if (j.is_discarded() || !j.is_object()) return (p.problem = k_bad_event).empty();
        const std::string type = j.value("type", "");
        if (type == "error") return (p.problem = "the server reported an error in the stream: " + server_message(payload)).empty();
        if (type == "message_start" && j.contains("message") && j["message"].is_object() && j["message"].contains("usage") && j["message"]["usage"].is_object())
            p.prompt_tokens = j["message"]["usage"].value("input_tokens", std::int64_t{0});
        if (type == "content_block_delta" && j.contains("delta") && j["delta"].is_object() && j["delta"].contains("text") && j["delta"]["text"].is_string())
            text += j["delta"]["text"].get<std::string>();
        if (type == "message_delta" && j.contains("usage") && j["usage"].is_object())
            p.completion_tokens = j["usage"].value("output_tokens", std::int64_t{0});
        if (type == "message_stop") return !(done = true);
        return true;
    });
    if (p.problem.empty() && !done) p.problem = "the server's stream ended before message_stop";
    if (p.problem.empty()) p.choices.push_back(text);
    p.ok = p.problem.empty();
    return p;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

std::string default_base_url(Api api) { return api == Api::openai ? "https://api.openai.com/v1" : "https://api.anthropic.com"; }

std::string redact(std::string text, const std::string& api_key) {
    if (api_key.size() >= 4)
        for (std::size_t at = text.find(api_key); at != std::string::npos; at = text.find(api_key, at)) text.replace(at, api_key.size(), "[redacted]");
    // Key-shaped words (sk-..., sk-ant-...), even partly masked by the server.
    for (std::size_t at = text.find("sk-"); at != std::string::npos; at = text.find("sk-", at + 1)) {
        std::size_t end = at + 3;
        while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' || text[end] == '_' || text[end] == '*')) ++end;
        if (end - at >= 10) text.replace(at, end - at, "[redacted]");
    }
    return text;
}

core::Result<std::string> check_provider(const ProviderOptions& options) {
    const bool openai = options.api == Api::openai;
    std::string base = options.base_url.empty() ? default_base_url(options.api) : options.base_url;
    while (base.ends_with('/')) base.pop_back();
    HttpRequest http;
    http.url = openai ? base + "/models" : base + (base.ends_with("/v1") ? "/models" : "/v1/models");
    http.timeout_seconds = 10;
    http.connect_timeout_seconds = 5;
    if (!options.api_key.empty()) {
        if (openai) http.headers.emplace_back("Authorization", "Bearer " + options.api_key);
        else http.headers.emplace_back("x-api-key", options.api_key);
    }
    if (!openai) http.headers.emplace_back("anthropic-version", "2023-06-01");
    CurlTransport transport;
    const HttpResponse r = transport.get(http);
    if (r.status == 0) return core::fail(core::Error::infrastructure(http.url + ": unreachable (" + r.transport_error + ")"));
    if (r.status == 401 || r.status == 403)
        return core::fail(core::Error::input(http.url + ": the key is refused (HTTP " + std::to_string(r.status) + "): " + redact(server_message(r.body), options.api_key)));
    if (r.status < 200 || r.status >= 300)
        return core::fail(core::Error::infrastructure(http.url + ": HTTP " + std::to_string(r.status) + ": " + redact(server_message(r.body), options.api_key)));
    auto j = json::parse(r.body, nullptr, false);
    std::size_t count = 0;
    bool listed = false;
    if (!j.is_discarded() && j.is_object() && j.contains("data") && j["data"].is_array())
        for (const auto& m : j["data"]) {
            ++count;
            if (m.is_object() && m.value("id", "") == options.model) listed = true;
        }
    std::string line = "reachable at " + base + ", " + std::to_string(count) + " models";
    if (!options.model.empty()) line += listed ? ", " + options.model + " among them" : "; " + options.model + " is not among them (check --model)";
    return line;
}

core::Result<std::unique_ptr<LlmProposer>> LlmProposer::create(ProviderOptions options) {
    const std::string flag = options.api == Api::openai ? "openai" : "anthropic";
    if (options.model.empty())
        return core::fail(core::Error::input("--provider " + flag + " needs --model (or OPTILOOP_MODEL, or model in optiloop.toml)"));
    if (options.base_url.empty()) options.base_url = default_base_url(options.api);
    while (options.base_url.ends_with('/')) options.base_url.pop_back();
    if (!options.base_url.starts_with("http://") && !options.base_url.starts_with("https://"))
        return core::fail(core::Error::input("--base-url: expected an http:// or https:// URL, got \"" + options.base_url + "\""));
    if (options.api == Api::anthropic && options.api_key.empty() && options.base_url == default_base_url(Api::anthropic))
        return core::fail(core::Error::input("--provider anthropic: ANTHROPIC_API_KEY (or OPTILOOP_API_KEY) is not set"));
    if (options.api == Api::openai && options.api_key.empty() && options.base_url == default_base_url(Api::openai))
        return core::fail(core::Error::input("--provider openai: OPENAI_API_KEY (or OPTILOOP_API_KEY) is not set; a local server needs --base-url"));
    if (options.max_tries < 1) options.max_tries = 1;
    if (options.templates.empty()) {
        auto templates = load_templates({});
        if (!templates) return core::fail(templates.error());
        options.templates = *templates;
    }
    if (!options.transport) options.transport = std::make_shared<CurlTransport>();
    if (!options.limiter) options.limiter = std::make_shared<RequestLimiter>(4);
    if (!options.sleep) options.sleep = [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); };
    return std::unique_ptr<LlmProposer>(new LlmProposer(std::move(options)));
}

core::ProposerUsage LlmProposer::usage() const {
    std::lock_guard lock(m_mutex);
    return m_usage;
}

void LlmProposer::note(const core::ProposerUsage& u) {
    {
        std::lock_guard lock(m_mutex);
        m_usage += u;
    }
    if (m_options.run_usage) m_options.run_usage->add(u);
}

void LlmProposer::say(const std::string& line) const {
    if (m_options.log) m_options.log(redact(line, m_options.api_key));
}

std::string LlmProposer::cache_key(const std::vector<Message>& messages, int sample, unsigned seed) const {
    // Everything that decides the answer, and nothing secret.
    core::Hasher h;
    h.add(name()).add(m_options.base_url).add(m_options.model);
    for (const auto& m : messages) h.add(m.role).add(m.content);
    h.add(std::to_string(m_options.temperature)).add(std::to_string(m_options.max_tokens)).add(std::to_string(sample)).add(std::to_string(seed));
    return h.hex();
}

core::Result<LlmProposer::Reply> LlmProposer::request(const std::vector<Message>& messages, int n, unsigned seed) {
    const bool openai = m_options.api == Api::openai;
    HttpRequest http;
    http.timeout_seconds = m_options.timeout_seconds;
    // A whole (unstreamed) answer arrives only when the model is done: only a stream can stall.
    http.stall_seconds = m_options.stream ? m_options.stall_seconds : 2 * m_options.timeout_seconds;
    http.headers.emplace_back("Content-Type", "application/json");
    json body = {{"model", m_options.model}, {"max_tokens", m_options.max_tokens}, {"temperature", m_options.temperature}};
    if (m_options.stream) body["stream"] = true;
    if (openai) {
        http.url = m_options.base_url + "/chat/completions";
        if (!m_options.api_key.empty()) http.headers.emplace_back("Authorization", "Bearer " + m_options.api_key);
        json list = json::array();
        for (const auto& m : messages) list.push_back({{"role", m.role}, {"content", m.content}});
        body["messages"] = list;
        body["seed"] = seed;
        if (n > 1) body["n"] = n;
        if (m_options.stream) body["stream_options"] = {{"include_usage", true}};
    } else {
        http.url = m_options.base_url + (m_options.base_url.ends_with("/v1") ? "/messages" : "/v1/messages");
        if (!m_options.api_key.empty()) http.headers.emplace_back("x-api-key", m_options.api_key);
        http.headers.emplace_back("anthropic-version", "2023-06-01");
        json list = json::array();
        std::string system;
        for (const auto& m : messages) {
            if (m.role == "system") system += (system.empty() ? "" : "\n\n") + m.content;
            else list.push_back({{"role", m.role}, {"content", m.content}});
        }
        if (!system.empty()) body["system"] = system;
        body["messages"] = list;
    }
    http.body = body.dump();

    static thread_local std::mt19937 jitter(std::random_device{}());
    std::string last_problem;
    for (int attempt = 1; attempt <= m_options.max_tries; ++attempt) {
        if (attempt > 1) note({.retries = 1});
        m_options.limiter->acquire();
        HttpResponse response = m_options.transport->post(http, {});
        m_options.limiter->release();

        std::optional<double> wait;
        if (response.status == 0) {
            last_problem = response.transport_error.empty() ? "no answer" : response.transport_error;
        } else if (response.status == 429 || response.status == 500 || response.status == 502 || response.status == 503 || response.status == 504 ||
                   response.status == 529) {
            last_problem = "HTTP " + std::to_string(response.status) + ": " + server_message(response.body);
            wait = response.retry_after_seconds;
        } else if (response.status < 200 || response.status >= 300) {
            // The request itself is wrong: trying again cannot help.
            m_give_up = true;
            const std::string what = redact(server_message(response.body), m_options.api_key);
            const std::string where = name() + " at " + http.url;
            if (response.status == 401 || response.status == 403)
                return core::fail(core::Error::input(where + " refused the API key (HTTP " + std::to_string(response.status) + "): " + what +
                                                     "; check " + (openai ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY") + " or OPTILOOP_API_KEY"));
            return core::fail(core::Error::input(where + " rejected the request (HTTP " + std::to_string(response.status) + "): " + what +
                                                 (response.status == 404 ? "; check --model and --base-url" : "")));
        } else {
            Parsed p = openai ? (m_options.stream ? parse_openai_stream(response.body) : parse_openai(response.body))
                              : (m_options.stream ? parse_anthropic_stream(response.body) : parse_anthropic(response.body));
            if (p.ok) {
                note({.requests = 1, .prompt_tokens = p.prompt_tokens, .completion_tokens = p.completion_tokens});
                return Reply{std::move(p.choices), p.prompt_tokens, p.completion_tokens};
            }
            last_problem = p.problem;
        }
        if (attempt == m_options.max_tries) break;
        double delay = std::min(m_options.backoff_max_seconds, m_options.backoff_initial_seconds * std::pow(2.0, attempt - 1));
        delay *= std::uniform_real_distribution<double>(0.5, 1.0)(jitter);  // jitter spreads the retries of parallel requests
        if (wait) delay = std::min(*wait, k_longest_retry_after);
        if (m_give_up) break;
        {
            std::lock_guard lock(m_mutex);
            if (m_last_logged != last_problem) {
                m_last_logged = last_problem;
                say(name() + ": " + last_problem + "; retrying (up to " + std::to_string(m_options.max_tries) + " tries, next in " +
                    std::to_string(static_cast<int>(std::lround(delay * 10)) / 10.0).substr(0, 4) + " s)");
            }
        }
        m_options.sleep(delay);
        if (m_give_up) break;
    }
    if (m_give_up) return core::fail(core::Error::infrastructure(name() + ": stopped after another request was refused"));
    return core::fail(core::Error::infrastructure(name() + " at " + http.url + ": gave up after " + std::to_string(m_options.max_tries) +
                                                  " tries; last: " + redact(last_problem, m_options.api_key)));
}

core::Result<std::vector<LlmProposer::Answer>> LlmProposer::complete(const std::vector<Message>& messages, int samples, unsigned seed) {
    if (m_options.token_budget > 0) {
        const auto spent = m_options.run_usage ? m_options.run_usage->get() : usage();
        if (spent.prompt_tokens + spent.completion_tokens >= m_options.token_budget)
            return core::fail(core::Error::infrastructure("the token budget of " + std::to_string(m_options.token_budget) + " tokens is spent (" +
                                                          std::to_string(spent.prompt_tokens + spent.completion_tokens) + " used)"));
    }
    m_give_up = false;
    {
        std::lock_guard lock(m_mutex);
        m_last_logged.clear();
    }
    std::vector<std::optional<Answer>> answers(static_cast<std::size_t>(samples));
    std::vector<int> missing;
    for (int i = 0; i < samples; ++i) {
        if (m_options.cache)
            if (auto hit = m_options.cache->get(cache_key(messages, i, seed))) {
                answers[static_cast<std::size_t>(i)] = Answer{hit->text, true};
                note({.cached = 1});
                continue;
            }
        missing.push_back(i);
    }
    auto keep = [&](int slot, const std::string& text, std::int64_t prompt_tokens, std::int64_t completion_tokens) {
        answers[static_cast<std::size_t>(slot)] = Answer{text, false};
        if (m_options.cache)
            if (auto saved = m_options.cache->put(cache_key(messages, slot, seed), name(), m_options.model, {text, prompt_tokens, completion_tokens}); !saved)
                say("warning: " + saved.error().message);
    };
    std::vector<core::Error> errors;
    // OpenAI's `n`: one request for several samples; servers that ignore it answer with fewer
    // choices, and the rest are asked one by one below.
    if (m_options.api == Api::openai && missing.size() > 1 && m_options.samples_per_request != 1) {
        const int n = m_options.samples_per_request > 1 ? std::min<int>(m_options.samples_per_request, static_cast<int>(missing.size())) : static_cast<int>(missing.size());
        auto reply = request(messages, n, seed);
        if (!reply) {
            if (reply.error().kind == core::ErrorKind::input) return core::fail(reply.error());
            errors.push_back(reply.error());
        } else {
            std::size_t used = 0;
            for (std::size_t c = 0; c < reply->choices.size() && used < missing.size() && c < static_cast<std::size_t>(n); ++c, ++used)
                keep(missing[used], reply->choices[c], c == 0 ? reply->prompt_tokens : 0, c == 0 ? reply->completion_tokens : 0);
            missing.erase(missing.begin(), missing.begin() + static_cast<std::ptrdiff_t>(used));
        }
    }
    if (errors.empty() && !missing.empty()) {
        // One request per sample, in parallel; the shared limiter bounds what is in flight.
        std::vector<std::optional<core::Result<Reply>>> replies(missing.size());
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < missing.size(); ++i)
            threads.emplace_back([&, i] { replies[i] = request(messages, 1, seed + static_cast<unsigned>(missing[i])); });
        for (auto& t : threads) t.join();
        for (std::size_t i = 0; i < missing.size(); ++i) {
            auto& reply = *replies[i];
            if (!reply) {
                if (reply.error().kind == core::ErrorKind::input) return core::fail(reply.error());
                errors.push_back(reply.error());
            } else if (!reply->choices.empty()) {
                keep(missing[i], reply->choices.front(), reply->prompt_tokens, reply->completion_tokens);
            }
        }
    }
    std::vector<Answer> out;
    for (auto& a : answers)
        if (a) out.push_back(std::move(*a));
    if (out.empty() && !errors.empty()) return core::fail(errors.front());
    for (const auto& e : errors) say("warning: a sample was lost: " + first_line(e.message));
    return out;
}

std::vector<Message> LlmProposer::messages_for(const core::Task& task, const core::ProposalContext& context) const {
    std::string source;
    for (const auto& f : context.current) source += f.content;
    PromptInputs inputs{&task, context.current, context.hints, context.feedback,
                        retrieve_examples(source, m_options.examples, m_options.example_count, task.id, k_example_min_similarity), m_options.edit_format};
    return build_messages(m_options.templates, inputs);
}

core::Result<std::vector<core::Edit>> LlmProposer::propose(const core::Task& task, const core::ProposalContext& context) {
    const auto messages = messages_for(task, context);
    auto answers = complete(messages, std::max(1, context.samples), context.seed);
    if (!answers) return core::fail(answers.error());
    std::vector<core::Edit> edits;
    for (const auto& a : *answers) {
        auto edit = parse_answer(a.text, context.current, name());
        if (edit) {
            edits.push_back(std::move(*edit));
            continue;
        }
        core::Edit unusable;
        unusable.proposer = name();
        unusable.problem = "the answer could not be applied: " + edit.error().message;
        std::string gist = a.text.substr(0, 160);
        std::replace(gist.begin(), gist.end(), '\n', ' ');
        unusable.explanation = gist;
        edits.push_back(std::move(unusable));
    }
    return edits;
}

}  // namespace optiloop::llm

// A real HTTP server on 127.0.0.1 that speaks the OpenAI and Anthropic wire formats with
// scripted answers and injected faults, for the provider tests.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>

namespace optiloop::test {

struct Step {
    Step(int status_ = 200, std::string body_ = "", std::vector<std::string> chunks_ = {}, bool cut = false,
         std::vector<std::pair<std::string, std::string>> headers_ = {}, int delay = 0)
        : status(status_), body(std::move(body_)), chunks(std::move(chunks_)), cut_after_chunks(cut), headers(std::move(headers_)), delay_ms(delay) {}
    int status = 200;
    std::string body;                 // sent whole, unless chunks are given
    std::vector<std::string> chunks;  // sent one by one (server-sent events)
    bool cut_after_chunks = false;    // end the connection without finishing the body
    std::vector<std::pair<std::string, std::string>> headers;
    int delay_ms = 0;        // before answering (a stall)
    int chunk_delay_ms = 0;  // between chunks (a stream that stalls)
};

struct Received {
    std::string path;
    std::string body;
    httplib::Headers headers;
};

class FakeLlmServer {
public:
    FakeLlmServer() {
        auto handler = [this](const httplib::Request& request, httplib::Response& response) {
            const int now = ++m_in_flight;
            int seen = m_most_in_flight.load();
            while (now > seen && !m_most_in_flight.compare_exchange_weak(seen, now)) {}
            Step step;
            {
                std::lock_guard lock(m_mutex);
                m_received.push_back({request.path, request.body, request.headers});
                if (!m_script.empty()) {
                    step = m_script.front();
                    m_script.pop_front();
                } else {
                    step = m_fallback;
                }
            }
            if (step.delay_ms) std::this_thread::sleep_for(std::chrono::milliseconds(step.delay_ms));
            --m_in_flight;
            response.status = step.status;
            for (const auto& [k, v] : step.headers) response.set_header(k, v);
            if (step.chunks.empty()) {
                response.set_content(step.body, "application/json");
                return;
            }
            auto chunks = std::make_shared<std::vector<std::string>>(step.chunks);
            const bool cut = step.cut_after_chunks;
            const int pause = step.chunk_delay_ms;
            response.set_chunked_content_provider("text/event-stream", [chunks, cut, pause](std::size_t, httplib::DataSink& sink) {
                for (std::size_t i = 0; i < chunks->size(); ++i) {
                    if (i > 0 && pause) std::this_thread::sleep_for(std::chrono::milliseconds(pause));
                    if (!sink.write((*chunks)[i].data(), (*chunks)[i].size())) return false;
                }
                if (cut) return false;  // drop the connection mid-body
                sink.done();
                return true;
            });
        };
        m_server.Post("/v1/chat/completions", handler);
        m_server.Post("/v1/messages", handler);
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ~FakeLlmServer() {
        m_server.stop();
        m_thread.join();
    }
    [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/v1"; }
    void script(std::vector<Step> steps) {
        std::lock_guard lock(m_mutex);
        m_script.insert(m_script.end(), steps.begin(), steps.end());
    }
    void fallback(Step step) {
        std::lock_guard lock(m_mutex);
        m_fallback = std::move(step);
    }
    std::vector<Received> received() {
        std::lock_guard lock(m_mutex);
        return m_received;
    }
    [[nodiscard]] int most_in_flight() const { return m_most_in_flight; }

private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::deque<Step> m_script;
    Step m_fallback{500, R"({"error":{"message":"no scripted answer left"}})"};
    std::vector<Received> m_received;
    std::atomic<int> m_in_flight{0};
    std::atomic<int> m_most_in_flight{0};
};

}  // namespace optiloop::test

// The HTTP seam of the LLM providers: one POST with a JSON body, optionally streamed. The real
// transport is libcurl; tests use a real server on 127.0.0.1, so the seam exists for clarity,
// not for mocking.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace optiloop::llm {

struct HttpRequest {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;  // may hold the API key: never log them
    std::string body;
    double timeout_seconds = 300;        // the whole request
    double connect_timeout_seconds = 20;
    double stall_seconds = 60;  // abort when no byte arrives for this long (counted from the last one)
};

struct HttpResponse {
    long status = 0;  // 0: no HTTP answer (see transport_error)
    std::string body;
    std::optional<double> retry_after_seconds;  // from a Retry-After header in seconds
    std::string transport_error;                // connection refused, reset, timeout, ...
};

// Called with each piece of the body as it arrives (for streaming); returning false aborts.
using BodySink = std::function<bool(std::string_view)>;

class HttpTransport {
public:
    virtual ~HttpTransport() = default;
    virtual HttpResponse post(const HttpRequest& request, const BodySink& sink) = 0;
};

class CurlTransport : public HttpTransport {
public:
    CurlTransport();
    HttpResponse post(const HttpRequest& request, const BodySink& sink) override;
    // A GET of request.url (the body is ignored): for `optiloop doctor`'s reachability check.
    HttpResponse get(const HttpRequest& request);

private:
    HttpResponse perform(const HttpRequest& request, const BodySink& sink, bool post);
};

// Parses a Retry-After header value: delta-seconds, or an HTTP date relative to `now_epoch`.
std::optional<double> parse_retry_after(std::string_view value, double now_epoch);

}  // namespace optiloop::llm

#include <curl/curl.h>

#include <cctype>
#include <chrono>
#include <ctime>
#include <mutex>

#include <optiloop/llm/http.hpp>

namespace optiloop::llm {

namespace {

struct Transfer {
    HttpResponse* response;
    const BodySink* sink;
    bool aborted_by_sink = false;
    double stall_seconds = 0;
    std::chrono::steady_clock::time_point last_byte = std::chrono::steady_clock::now();
    bool stalled = false;
};

// libcurl's own low-speed check averages over several seconds, so a stream that sends a little
// and then nothing is not caught in time: a stall is measured from the last byte instead.
int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* t = static_cast<Transfer*>(user);
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t->last_byte).count() > t->stall_seconds) {
        t->stalled = true;
        return 1;
    }
    return 0;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    t->last_byte = std::chrono::steady_clock::now();
    // Error bodies are small; success bodies of a stream go to the sink as they come.
    t->response->body.append(data, n);
    if (*t->sink && !(*t->sink)(std::string_view(data, n))) {
        t->aborted_by_sink = true;
        return 0;
    }
    return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    std::string_view line(data, n);
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size()) {
        bool match = true;
        for (std::size_t i = 0; i < name.size(); ++i)
            if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) match = false;
        if (match) {
            std::string_view value = line.substr(name.size());
            while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
            while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
            t->response->retry_after_seconds = parse_retry_after(value, static_cast<double>(std::time(nullptr)));
        }
    }
    // A new status line (after a 100 Continue) starts a new set of headers.
    if (line.rfind("HTTP/", 0) == 0) t->response->retry_after_seconds.reset();
    return n;
}

}  // namespace

CurlTransport::CurlTransport() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse CurlTransport::post(const HttpRequest& request, const BodySink& sink) { return perform(request, sink, true); }

HttpResponse CurlTransport::get(const HttpRequest& request) { return perform(request, {}, false); }

HttpResponse CurlTransport::perform(const HttpRequest& request, const BodySink& sink, bool post) {
    HttpResponse response;
    CURL* curl = curl_easy_init();
    if (!curl) {
        response.transport_error = "libcurl could not start a transfer";
        return response;
    }
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) headers = curl_slist_append(headers, (name + ": " + value).c_str());
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    Transfer transfer{&response, &sink};
    transfer.stall_seconds = request.stall_seconds;
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (post) {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    } else {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // we run transfers on several threads
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout_seconds * 1000));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout_seconds * 1000));
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "optiloop");
    const CURLcode code = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    if (code != CURLE_OK && !transfer.aborted_by_sink) {
        // The status may be set while the body broke off: that is a transport failure too.
        response.transport_error = error[0] ? error : curl_easy_strerror(code);
        if (code == CURLE_OPERATION_TIMEDOUT) response.transport_error = "timed out (" + response.transport_error + ")";
        if (transfer.stalled) response.transport_error = "stalled: no data for " + std::to_string(static_cast<int>(request.stall_seconds)) + " s";
        if (response.status >= 200 && response.status < 300) response.status = 0;
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return response;
}

std::optional<double> parse_retry_after(std::string_view value, double now_epoch) {
    if (value.empty()) return std::nullopt;
    bool digits = true;
    for (char c : value)
        if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') digits = false;
    if (digits) {
        try {
            return std::stod(std::string(value));
        } catch (...) {
            return std::nullopt;
        }
    }
    // An HTTP date: "Sun, 06 Nov 1994 08:49:37 GMT".
    std::tm tm{};
    const std::string text(value);
    if (!::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) return std::nullopt;
    const double when = static_cast<double>(::timegm(&tm));
    return std::max(0.0, when - now_epoch);
}

}  // namespace optiloop::llm

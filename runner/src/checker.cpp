#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <optiloop/core/files.hpp>
#include <optiloop/runner/checker.hpp>
#include <optiloop/sandbox/sandbox.hpp>

namespace optiloop::runner {

namespace {

struct OutputToken {
    std::string_view text;
    std::size_t line;
};

std::vector<OutputToken> tokenize(const std::string& text) {
    std::vector<OutputToken> tokens;
    std::size_t line = 1, i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '\n') ++line;
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
            continue;
        }
        const std::size_t start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        tokens.push_back({std::string_view(text).substr(start, i - start), line});
    }
    return tokens;
}

std::string shorten(std::string_view text) {
    if (text.size() <= 40) return std::string(text);
    return std::string(text.substr(0, 37)) + "...";
}

CheckResult length_mismatch(const std::vector<OutputToken>& got, const std::vector<OutputToken>& want) {
    if (got.size() < want.size())
        return {false, "output ends after " + std::to_string(got.size()) + " tokens; expected " +
                           std::to_string(want.size()) + " (next expected: " + shorten(want[got.size()].text) +
                           " on line " + std::to_string(want[got.size()].line) + ")"};
    return {false, "output has " + std::to_string(got.size()) + " tokens; expected " + std::to_string(want.size()) +
                       " (extra: " + shorten(got[want.size()].text) + " on line " +
                       std::to_string(got[want.size()].line) + ")"};
}

CheckResult token_mismatch(std::size_t index, const OutputToken& got, const OutputToken& want) {
    return {false, "token " + std::to_string(index + 1) + " (line " + std::to_string(want.line) + "): expected " +
                       shorten(want.text) + ", got " + shorten(got.text)};
}

// A whole token parsed as a floating-point number (nan and inf included).
std::optional<double> parse_number(std::string_view token) {
    const std::string text(token);
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0') return std::nullopt;
    return value;
}

}  // namespace

CheckResult check_exact(const std::string& output, const std::string& expected) {
    if (output == expected) return {true, ""};
    std::size_t i = 0;
    while (i < output.size() && i < expected.size() && output[i] == expected[i]) ++i;
    const std::size_t line = 1 + static_cast<std::size_t>(std::count(expected.begin(), expected.begin() + static_cast<long>(i), '\n'));
    auto around = [&](const std::string& s) {
        const std::size_t from = i, to = std::min(s.size(), i + 20);
        std::string piece = s.substr(from, to - from);
        std::string shown;
        for (char c : piece) shown += c == '\n' ? std::string("\\n") : c == '\r' ? std::string("\\r") : std::string(1, c);
        return shown.empty() ? std::string("end of output") : "\"" + shown + "\"";
    };
    return {false, "byte " + std::to_string(i) + " (line " + std::to_string(line) + "): expected " + around(expected) +
                       ", got " + around(output)};
}

CheckResult check_tokens(const std::string& output, const std::string& expected) {
    const auto got = tokenize(output), want = tokenize(expected);
    for (std::size_t i = 0; i < std::min(got.size(), want.size()); ++i)
        if (got[i].text != want[i].text) return token_mismatch(i, got[i], want[i]);
    if (got.size() != want.size()) return length_mismatch(got, want);
    return {true, ""};
}

CheckResult check_float(const std::string& output, const std::string& expected, double abs_tolerance,
                        double rel_tolerance) {
    const auto got = tokenize(output), want = tokenize(expected);
    for (std::size_t i = 0; i < std::min(got.size(), want.size()); ++i) {
        if (got[i].text == want[i].text) continue;
        const auto g = parse_number(got[i].text), w = parse_number(want[i].text);
        if (!g || !w) return token_mismatch(i, got[i], want[i]);
        if (std::isnan(*w) || std::isnan(*g)) {
            if (std::isnan(*w) && std::isnan(*g)) continue;
            return token_mismatch(i, got[i], want[i]);
        }
        if (std::isinf(*w) || std::isinf(*g)) {
            if (*w == *g) continue;
            return token_mismatch(i, got[i], want[i]);
        }
        const double diff = std::fabs(*g - *w);
        if (diff <= abs_tolerance || diff <= rel_tolerance * std::fabs(*w)) continue;  // -0.0 == 0.0 here
        CheckResult r = token_mismatch(i, got[i], want[i]);
        std::ostringstream d;
        d << " (difference " << diff << ")";
        r.detail += d.str();
        return r;
    }
    if (got.size() != want.size()) return length_mismatch(got, want);
    return {true, ""};
}

core::Result<CheckResult> check(const core::Checker& checker, const std::filesystem::path& checker_binary,
                                const std::filesystem::path& input, const std::string& output,
                                const std::filesystem::path& expected) {
    if (checker.type != core::CheckerType::program) {
        // The task's expected output: a regular file (the loader checked it; this read must not
        // block or grow without bound if the folder changed since), at most 1 GiB.
        auto opened = core::open_regular_file(expected, std::uintmax_t{1} << 30);
        if (!opened) return core::fail(core::Error::input(opened.error().message + "; expected outputs must be regular files"));
        auto want = opened->read();
        if (!want) return core::fail(want.error());
        if (checker.type == core::CheckerType::exact) return check_exact(output, *want);
        if (checker.type == core::CheckerType::tokens) return check_tokens(output, *want);
        return check_float(output, *want, checker.abs_tolerance, checker.rel_tolerance);
    }
    // The checker is the task author's code, but it still runs sandboxed.
    sandbox::Spec spec;
    spec.argv = {"/box/checker", "input", "output", "expected"};
    spec.binds.push_back({checker_binary, "/box/checker", false});
    spec.scratch_inputs = {{input, "input"}, {expected, "expected"}};
    spec.scratch_data = {{"output", output}};
    spec.limits.cpu_seconds = 30;
    spec.limits.wall_seconds = 60;
    auto result = sandbox::run(spec);
    if (!result) return core::fail(result.error());
    if (result->verdict == core::Verdict::ok) return CheckResult{true, ""};
    if (result->signal == 0 && result->exit_code != 0 && !result->wall_timeout) {
        std::string says = result->stdout_data + result->stderr_data;
        if (auto nl = says.find('\n'); nl != std::string::npos) says.resize(nl);
        return CheckResult{false, "checker rejected the output" + (says.empty() ? "" : ": " + shorten(says))};
    }
    return core::fail(core::Error::input("checker program failed: " + result->detail));
}

}  // namespace optiloop::runner

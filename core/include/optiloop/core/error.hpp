// The error type every module returns through tl::expected, and the process exit codes.
// A message is one line a user can act on: it names the file, field or flag and what was expected.
#pragma once

#include <string>

#include <tl/expected.hpp>

namespace optiloop::core {

// Exit codes of the optiloop binary (0 ok, 1 findings, 2 input, 3 infrastructure, 130 interrupted).
enum class ExitCode : int {
    ok = 0,
    findings = 1,
    usage = 2,
    infrastructure = 3,
    interrupted = 130,
};

enum class ErrorKind {
    input,           // the user's file, flag or data is wrong (exit 2)
    infrastructure,  // the machine lacks something or a service failed (exit 3)
    internal,        // a bug in optiloop
};

struct Error {
    ErrorKind kind = ErrorKind::input;
    std::string message;

    static Error input(std::string message) { return {ErrorKind::input, std::move(message)}; }
    static Error infrastructure(std::string message) {
        return {ErrorKind::infrastructure, std::move(message)};
    }
    static Error internal(std::string message) { return {ErrorKind::internal, std::move(message)}; }

    [[nodiscard]] ExitCode exit_code() const {
        switch (kind) {
            case ErrorKind::input: return ExitCode::usage;
            case ErrorKind::infrastructure: return ExitCode::infrastructure;
            case ErrorKind::internal: return ExitCode::infrastructure;
        }
        return ExitCode::infrastructure;
    }
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace optiloop::core

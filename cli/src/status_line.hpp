// Progress that updates one line in place on a terminal, and prints a line per change anywhere
// else: in CI (CI set), into a pipe or a file, or on a terminal that cannot erase a line
// (TERM=dumb). optiloop prints no colours, so NO_COLOR has nothing to turn off.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ostream>
#include <string>

namespace optiloop::cli {

class StatusLine {
public:
    explicit StatusLine(std::ostream& out, int fd = STDERR_FILENO) : m_out(out), m_in_place(in_place(fd)) {}
    ~StatusLine() { finish(); }
    StatusLine(const StatusLine&) = delete;
    StatusLine& operator=(const StatusLine&) = delete;

    // Shows `line` as the current status (the same line twice is shown once).
    void update(const std::string& line) {
        if (line == m_last) return;
        m_last = line;
        if (m_in_place) {
            m_out << "\r\033[K" << line << std::flush;
            m_open = true;
        } else {
            m_out << line << "\n";
        }
    }
    // A line that stays, printed above the status.
    void print(const std::string& line) {
        if (m_open) m_out << "\r\033[K";
        m_out << line << "\n";
        if (m_open) m_out << m_last << std::flush;
    }
    // Ends an in-place status with a newline, once.
    void finish() {
        if (m_open) m_out << "\n";
        m_open = false;
    }

    static bool in_place(int fd) {
        const char* term = std::getenv("TERM");
        return ::isatty(fd) == 1 && !std::getenv("CI") && !(term && std::strcmp(term, "dumb") == 0);
    }

private:
    std::ostream& m_out;
    bool m_in_place;
    bool m_open = false;
    std::string m_last;
};

}  // namespace optiloop::cli

// The one SQLite wrapper (the eval results database, the LLM response cache): a connection that
// waits for a busy writer instead of failing, with statements that finalize themselves. Messages
// name the file the way its owner's user knows it ("--db run.db", "LLM cache ~/.cache/...").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <optiloop/core/error.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace optiloop::core::sqlite {

class Statement {
public:
    Statement(sqlite3* db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Whether it compiled (a file that is not a database of the expected schema fails here).
    [[nodiscard]] bool ok() const { return m_stmt != nullptr; }
    void bind(int i, const std::string& text);
    void bind(int i, std::int64_t value);
    void bind(int i, const std::optional<double>& value);  // NULL when empty
    // One step: true when it produced a row.
    bool row();
    // Runs it to its end: true when it completed (no row expected).
    bool done();
    std::string text(int i);
    std::optional<double> real(int i);  // empty for NULL
    std::int64_t integer(int i);

private:
    sqlite3_stmt* m_stmt = nullptr;
};

class Database {
public:
    enum class Mode { read_write_create, read_only };
    // Opens (or creates) the file, serialized for use from several threads, waiting up to 10 s
    // on a lock; fails with an input error "NAME: cannot open: WHY".
    static Result<Database> open(const std::string& path, Mode mode, const std::string& name);
    ~Database();
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // Runs SQL (several statements); the error carries SQLite's message.
    Result<void> exec(const std::string& sql);
    // WAL with synchronous=NORMAL: readers never wait for the writer, commits are cheap.
    Result<void> use_wal() { return exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"); }
    [[nodiscard]] Statement prepare(const char* sql) { return {m_db, sql}; }
    // SQLite's message for the last failure on this connection.
    [[nodiscard]] std::string message() const;

private:
    explicit Database(sqlite3* db) : m_db(db) {}
    sqlite3* m_db = nullptr;
};

}  // namespace optiloop::core::sqlite

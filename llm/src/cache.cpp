#include <sqlite3.h>

#include <cstdlib>
#include <ctime>

#include <optiloop/llm/cache.hpp>

namespace optiloop::llm {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_schema = R"(
CREATE TABLE IF NOT EXISTS answers(
  key TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL, text TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, created INTEGER NOT NULL);
)";

}  // namespace

fs::path default_cache_path() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "optiloop" / "llm.sqlite";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "optiloop" / "llm.sqlite";
    return fs::temp_directory_path() / "optiloop-llm.sqlite";
}

core::Result<std::unique_ptr<ResponseCache>> ResponseCache::open(const fs::path& path) {
    std::error_code ec;
    if (path.has_parent_path()) fs::create_directories(path.parent_path(), ec);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
        std::string message = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return core::fail(core::Error::input("LLM cache " + path.string() + ": cannot open: " + message + " (use --no-cache to run without it)"));
    }
    sqlite3_busy_timeout(db, 10000);
    char* message = nullptr;
    const std::string setup = std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;") + k_schema;
    if (sqlite3_exec(db, setup.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : "unknown error";
        sqlite3_free(message);
        sqlite3_close(db);
        return core::fail(core::Error::input("LLM cache " + path.string() + ": not an optiloop cache (" + text + "); use --no-cache or remove it"));
    }
    return std::unique_ptr<ResponseCache>(new ResponseCache(db, path));
}

ResponseCache::~ResponseCache() { sqlite3_close(m_db); }

std::optional<CachedAnswer> ResponseCache::get(const std::string& key) {
    std::lock_guard lock(m_mutex);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, "SELECT text, prompt_tokens, completion_tokens FROM answers WHERE key = ?", -1, &stmt, nullptr) != SQLITE_OK) return std::nullopt;
    sqlite3_bind_text(stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    std::optional<CachedAnswer> answer;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        answer = CachedAnswer{text ? reinterpret_cast<const char*>(text) : "", sqlite3_column_int64(stmt, 1), sqlite3_column_int64(stmt, 2)};
    }
    sqlite3_finalize(stmt);
    return answer;
}

core::Result<void> ResponseCache::put(const std::string& key, const std::string& provider, const std::string& model, const CachedAnswer& answer) {
    std::lock_guard lock(m_mutex);
    sqlite3_stmt* stmt = nullptr;
    const char* sql = "INSERT OR REPLACE INTO answers(key, provider, model, text, prompt_tokens, completion_tokens, created) VALUES (?, ?, ?, ?, ?, ?, ?)";
    if (sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr) != SQLITE_OK)
        return core::fail(core::Error::infrastructure("LLM cache " + m_path.string() + ": " + sqlite3_errmsg(m_db)));
    sqlite3_bind_text(stmt, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, provider.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 3, model.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 4, answer.text.c_str(), static_cast<int>(answer.text.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(stmt, 5, answer.prompt_tokens);
    sqlite3_bind_int64(stmt, 6, answer.completion_tokens);
    sqlite3_bind_int64(stmt, 7, static_cast<sqlite3_int64>(std::time(nullptr)));
    const int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) return core::fail(core::Error::infrastructure("LLM cache " + m_path.string() + ": " + sqlite3_errmsg(m_db)));
    return {};
}

}  // namespace optiloop::llm

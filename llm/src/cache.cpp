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
    auto db = core::sqlite::Database::open(path.string(), core::sqlite::Database::Mode::read_write_create, "LLM cache " + path.string());
    if (!db) return core::fail(core::Error::input(db.error().message + " (use --no-cache to run without it)"));
    auto setup = db->use_wal();
    if (setup) setup = db->exec(k_schema);
    if (!setup)
        return core::fail(core::Error::input("LLM cache " + path.string() + ": not an optiloop cache (" + setup.error().message + "); use --no-cache or remove it"));
    return std::unique_ptr<ResponseCache>(new ResponseCache(std::move(*db), path));
}

ResponseCache::~ResponseCache() = default;

std::optional<CachedAnswer> ResponseCache::get(const std::string& key) {
    std::lock_guard lock(m_mutex);
    auto s = m_db.prepare("SELECT text, prompt_tokens, completion_tokens FROM answers WHERE key = ?");
    if (!s.ok()) return std::nullopt;
    s.bind(1, key);
    if (!s.row()) return std::nullopt;
    return CachedAnswer{s.text(0), s.integer(1), s.integer(2)};
}

core::Result<void> ResponseCache::put(const std::string& key, const std::string& provider, const std::string& model, const CachedAnswer& answer) {
    std::lock_guard lock(m_mutex);
    auto s = m_db.prepare("INSERT OR REPLACE INTO answers(key, provider, model, text, prompt_tokens, completion_tokens, created) VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (!s.ok()) return core::fail(core::Error::infrastructure("LLM cache " + m_path.string() + ": " + m_db.message()));
    s.bind(1, key);
    s.bind(2, provider);
    s.bind(3, model);
    s.bind(4, answer.text);
    s.bind(5, answer.prompt_tokens);
    s.bind(6, answer.completion_tokens);
    s.bind(7, static_cast<std::int64_t>(std::time(nullptr)));
    if (!s.done()) return core::fail(core::Error::infrastructure("LLM cache " + m_path.string() + ": " + m_db.message()));
    return {};
}

}  // namespace optiloop::llm

// The LLM response cache: answers stored in SQLite (WAL) under a hash of everything that decides
// them (provider, server, model, messages, sampling parameters, sample index), so a re-run costs
// no requests. The API key is never part of the key or of a row.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <optiloop/core/error.hpp>
#include <optiloop/core/sqlite.hpp>

namespace optiloop::llm {

struct CachedAnswer {
    std::string text;
    std::int64_t prompt_tokens = 0;
    std::int64_t completion_tokens = 0;
};

class ResponseCache {
public:
    static core::Result<std::unique_ptr<ResponseCache>> open(const std::filesystem::path& path);
    ~ResponseCache();
    ResponseCache(const ResponseCache&) = delete;
    ResponseCache& operator=(const ResponseCache&) = delete;

    std::optional<CachedAnswer> get(const std::string& key);
    // A failed write loses only the saving, never the answer: it is reported, not fatal.
    core::Result<void> put(const std::string& key, const std::string& provider, const std::string& model, const CachedAnswer& answer);
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

private:
    ResponseCache(core::sqlite::Database db, std::filesystem::path path) : m_db(std::move(db)), m_path(std::move(path)) {}
    core::sqlite::Database m_db;
    std::filesystem::path m_path;
    std::mutex m_mutex;
};

// $XDG_CACHE_HOME/optiloop/llm.sqlite (or ~/.cache/optiloop/llm.sqlite).
std::filesystem::path default_cache_path();

}  // namespace optiloop::llm

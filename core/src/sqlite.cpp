#include <sqlite3.h>

#include <utility>

#include <optiloop/core/sqlite.hpp>

namespace optiloop::core::sqlite {

Statement::Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr) != SQLITE_OK) {
        sqlite3_finalize(m_stmt);
        m_stmt = nullptr;
    }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

void Statement::bind(int i, const std::string& text) {
    sqlite3_bind_text(m_stmt, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::bind(int i, std::int64_t value) { sqlite3_bind_int64(m_stmt, i, value); }

void Statement::bind(int i, const std::optional<double>& value) {
    if (value) sqlite3_bind_double(m_stmt, i, *value);
    else sqlite3_bind_null(m_stmt, i);
}

bool Statement::row() { return m_stmt != nullptr && sqlite3_step(m_stmt) == SQLITE_ROW; }

bool Statement::done() { return m_stmt != nullptr && sqlite3_step(m_stmt) == SQLITE_DONE; }

std::string Statement::text(int i) {
    const auto* p = sqlite3_column_text(m_stmt, i);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, i))) : "";
}

std::optional<double> Statement::real(int i) {
    if (sqlite3_column_type(m_stmt, i) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_double(m_stmt, i);
}

std::int64_t Statement::integer(int i) { return sqlite3_column_int64(m_stmt, i); }

Result<Database> Database::open(const std::string& path, Mode mode, const std::string& name) {
    sqlite3* db = nullptr;
    const int flags = (mode == Mode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_FULLMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        std::string why = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return fail(Error::input(name + ": cannot open: " + why));
    }
    sqlite3_busy_timeout(db, 10000);
    return Database(db);
}

Database::~Database() { sqlite3_close(m_db); }

Database::Database(Database&& other) noexcept : m_db(std::exchange(other.m_db, nullptr)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        sqlite3_close(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

Result<void> Database::exec(const std::string& sql) {
    char* why = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &why) != SQLITE_OK) {
        std::string text = why ? why : sqlite3_errmsg(m_db);
        sqlite3_free(why);
        return fail(Error::infrastructure(text));
    }
    return {};
}

std::string Database::message() const { return m_db ? sqlite3_errmsg(m_db) : "not open"; }

}  // namespace optiloop::core::sqlite

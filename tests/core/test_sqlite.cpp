// The one SQLite wrapper: values round-trip (text with NULs, 64-bit integers, NULL reals), a file
// that is not a database fails at the first statement, a path that cannot be opened is named as
// its owner names it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <optiloop/core/sqlite.hpp>

#include "support/process_dir.hpp"

using optiloop::core::sqlite::Database;

TEST(Sqlite, ValuesRoundTrip) {
    const auto dir = test_support::process_dir("optiloop-sqlite-test-");
    auto db = Database::open((dir / "a.db").string(), Database::Mode::read_write_create, "--db a.db");
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->use_wal());
    ASSERT_TRUE(db->exec("CREATE TABLE t(s TEXT, i INTEGER, r REAL)"));
    const std::string text("a\0b", 3);
    {
        auto insert = db->prepare("INSERT INTO t VALUES(?, ?, ?)");
        ASSERT_TRUE(insert.ok());
        insert.bind(1, text);
        insert.bind(2, std::int64_t{1} << 40);
        insert.bind(3, std::optional<double>{});
        EXPECT_TRUE(insert.done());
    }
    auto select = db->prepare("SELECT s, i, r FROM t");
    ASSERT_TRUE(select.row());
    EXPECT_EQ(select.text(0), text);
    EXPECT_EQ(select.integer(1), std::int64_t{1} << 40);
    EXPECT_FALSE(select.real(2));
    EXPECT_FALSE(select.row());
    EXPECT_FALSE(db->exec("SELECT nothing FROM nowhere"));
    EXPECT_NE(db->message(), "");
}

TEST(Sqlite, WhatIsNotADatabaseIsSaid) {
    const auto dir = test_support::process_dir("optiloop-sqlite-test-");
    std::ofstream(dir / "notes.txt") << "not a database, just words that are long enough to have a header\n";
    auto db = Database::open((dir / "notes.txt").string(), Database::Mode::read_only, "notes.txt");
    ASSERT_TRUE(db) << db.error().message;  // SQLite reads lazily: the first statement fails
    EXPECT_FALSE(db->prepare("SELECT count(*) FROM sqlite_master").ok());
    auto missing = Database::open((dir / "no" / "such.db").string(), Database::Mode::read_write_create, "--db no/such.db");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message.rfind("--db no/such.db: cannot open: ", 0), 0u) << missing.error().message;
}

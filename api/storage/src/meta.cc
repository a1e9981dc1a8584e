#include "nebuta/storage/meta.h"

#include <sqlite3.h>

#include "nebuta/storage/journal.h"

namespace nebuta::storage {

std::string meta_value(std::filesystem::path const& db, std::string const& key, std::string const& value_if_absent) {
  sqlite3* c = nullptr;
  auto const fail = [&](std::string const& what) -> journal_error {
    std::string const msg = c != nullptr ? sqlite3_errmsg(c) : "out of memory";
    return journal_error{"database " + db.string() + ": " + what + ": " + msg};
  };
  if (sqlite3_open_v2(db.c_str(), &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) !=
      SQLITE_OK) {
    auto e = fail("cannot open");
    sqlite3_close(c);
    throw e;
  }
  sqlite3_busy_timeout(c, 5000);
  std::string out;
  sqlite3_stmt* st = nullptr;
  try {
    if (sqlite3_exec(c, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr) != SQLITE_OK) throw fail("synchronous");
    if (sqlite3_exec(c, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) != SQLITE_OK) throw fail("begin");
    if (sqlite3_exec(c, "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)", nullptr, nullptr,
                     nullptr) != SQLITE_OK)
      throw fail("create table meta");
    if (sqlite3_prepare_v2(c, "INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)", -1, &st, nullptr) != SQLITE_OK)
      throw fail("prepare insert");
    sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value_if_absent.data(), static_cast<int>(value_if_absent.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) throw fail("insert");
    sqlite3_finalize(st);
    st = nullptr;
    if (sqlite3_prepare_v2(c, "SELECT value FROM meta WHERE key = ?1", -1, &st, nullptr) != SQLITE_OK)
      throw fail("prepare select");
    sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) throw fail("select");
    auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(st, 0));
    out.assign(text != nullptr ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
    sqlite3_finalize(st);
    st = nullptr;
    if (sqlite3_exec(c, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) throw fail("commit");
  } catch (...) {
    sqlite3_finalize(st);
    sqlite3_exec(c, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(c);
    throw;
  }
  sqlite3_close(c);
  return out;
}

}  // namespace nebuta::storage

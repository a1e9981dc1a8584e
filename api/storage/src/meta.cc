#include "nebuta/storage/meta.h"

#include <sqlite3.h>

#include "nebuta/storage/journal.h"

namespace nebuta::storage {

namespace {

struct meta_connection {
  sqlite3* c{nullptr};
  std::filesystem::path const& db;
  explicit meta_connection(std::filesystem::path const& path, int flags) : db{path} {
    if (sqlite3_open_v2(db.c_str(), &c, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
      auto e = fail("cannot open");
      sqlite3_close(c);
      c = nullptr;
      throw e;
    }
    sqlite3_busy_timeout(c, 5000);
  }
  ~meta_connection() { sqlite3_close(c); }
  meta_connection(meta_connection const&) = delete;
  meta_connection& operator=(meta_connection const&) = delete;

  journal_error fail(std::string const& what) const {
    std::string const msg = c != nullptr ? sqlite3_errmsg(c) : "out of memory";
    return journal_error{"database " + db.string() + ": " + what + ": " + msg};
  }
  void exec(char const* sql) const {
    if (sqlite3_exec(c, sql, nullptr, nullptr, nullptr) != SQLITE_OK) throw fail(sql);
  }
  // Runs `sql` with key and value bound as ?1, ?2; the first column of the first row, if any.
  std::optional<std::string> run(char const* sql, std::string const& key, std::string const* value = nullptr) const {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(c, sql, -1, &st, nullptr) != SQLITE_OK) throw fail(sql);
    sqlite3_bind_text(st, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
    if (value != nullptr) sqlite3_bind_text(st, 2, value->data(), static_cast<int>(value->size()), SQLITE_TRANSIENT);
    std::optional<std::string> out;
    auto const rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(st, 0));
      out.emplace(text != nullptr ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw fail(sql);
    return out;
  }
};

constexpr char const* create_meta = "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)";

}  // namespace

std::string meta_value(std::filesystem::path const& db, std::string const& key, std::string const& value_if_absent) {
  meta_connection m{db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE};
  m.exec("PRAGMA synchronous=FULL");
  m.exec("BEGIN IMMEDIATE");
  try {
    m.exec(create_meta);
    m.run("INSERT OR IGNORE INTO meta(key, value) VALUES (?1, ?2)", key, &value_if_absent);
    auto out = m.run("SELECT value FROM meta WHERE key = ?1", key);
    if (!out) throw m.fail("select");
    m.exec("COMMIT");
    return *out;
  } catch (...) {
    sqlite3_exec(m.c, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<std::string> meta_get(std::filesystem::path const& db, std::string const& key) {
  if (!std::filesystem::exists(db)) return std::nullopt;
  meta_connection m{db, SQLITE_OPEN_READWRITE};
  if (!m.run("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?1", "meta")) return std::nullopt;
  return m.run("SELECT value FROM meta WHERE key = ?1", key);
}

void meta_set(std::filesystem::path const& db, std::string const& key, std::string const& value) {
  meta_connection m{db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE};
  m.exec("PRAGMA synchronous=FULL");
  m.exec("BEGIN IMMEDIATE");
  try {
    m.exec(create_meta);
    m.run("INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", key, &value);
    m.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(m.c, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace nebuta::storage

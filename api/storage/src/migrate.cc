#include "nebuta/storage/migrate.h"

#include <sqlite3.h>

#include <stdexcept>
#include <utility>
#include <variant>
#include <vector>

#include "nebuta/core/civil_time.h"
#include "nebuta/core/time_zone.h"
#include "nebuta/storage/journal.h"

namespace nebuta::storage {

namespace {

struct database {
  sqlite3* db{nullptr};
  std::filesystem::path path;
  explicit database(std::filesystem::path p) : path{std::move(p)} {
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
      std::string const msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw journal_error{"database " + path.string() + ": cannot open: " + msg};
    }
    sqlite3_busy_timeout(db, 5000);
  }
  ~database() { sqlite3_close(db); }
  database(database const&) = delete;
  database& operator=(database const&) = delete;

  [[noreturn]] void fail(std::string const& what) const {
    throw journal_error{"database " + path.string() + ": " + what + ": " + sqlite3_errmsg(db)};
  }
  void exec(std::string const& sql) const {
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  // The first column of the first row as text (nullopt: no row).
  std::optional<std::string> text(char const* sql, std::string const& arg = {}) const {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) fail(sql);
    if (!arg.empty()) sqlite3_bind_text(st, 1, arg.data(), static_cast<int>(arg.size()), SQLITE_TRANSIENT);
    std::optional<std::string> out;
    if (sqlite3_step(st) == SQLITE_ROW) {
      auto const* t = reinterpret_cast<char const*>(sqlite3_column_text(st, 0));
      out.emplace(t != nullptr ? t : "");
    }
    sqlite3_finalize(st);
    return out;
  }
};

}  // namespace

migration_report migrate_to_instants(std::filesystem::path const& path, std::filesystem::path const& backup) {
  if (!std::filesystem::exists(path)) throw journal_error{"database " + path.string() + ": no such file"};
  if (std::filesystem::exists(backup))
    throw journal_error{"backup " + backup.string() + " exists already; move it away first"};
  database d{path};
  auto const version = d.text("PRAGMA user_version");
  auto const has_commands = d.text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'commands'");
  if (!has_commands) throw journal_error{"database " + path.string() + ": not a Nebuta command journal"};
  if (version != "1")
    throw journal_error{"database " + path.string() + ": journal format " + version.value_or("?") +
                        ", not 1: nothing to convert"};
  migration_report report;
  auto const has_meta = d.text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (has_meta) {
    report.service_date = d.text("SELECT value FROM meta WHERE key = ?1", "service_date").value_or("");
    report.timezone = d.text("SELECT value FROM meta WHERE key = ?1", "timezone").value_or("");
  }
  if (report.service_date.empty() || report.timezone.empty())
    throw journal_error{"database " + path.string() +
                        ": no service date or time zone in its meta table, so its times cannot be placed"};
  auto const day = civil::parse_date(report.service_date);
  if (!day)
    throw journal_error{"database " + path.string() + ": service date \"" + report.service_date + "\" is not a date"};
  civil::time_zone zone = civil::time_zone::utc();
  try {
    zone = civil::time_zone::locate(report.timezone);
  } catch (std::invalid_argument const& e) {
    throw journal_error{"database " + path.string() + ": " + e.what()};
  }
  auto const at = [&](dispatch::instant s) { return zone.service_time_to_unix(*day, s); };

  // A consistent copy first (also of a WAL database with uncheckpointed pages).
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(d.db, "VACUUM INTO ?1", -1, &st, nullptr) != SQLITE_OK) d.fail("VACUUM INTO");
  auto const b = backup.string();
  sqlite3_bind_text(st, 1, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
  auto const rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if (rc != SQLITE_DONE) d.fail("copy to " + b);

  d.exec("BEGIN IMMEDIATE");
  try {
    std::vector<std::pair<std::int64_t, std::string>> converted;
    if (sqlite3_prepare_v2(d.db, "SELECT seq, body FROM commands ORDER BY seq", -1, &st, nullptr) != SQLITE_OK)
      d.fail("select commands");
    while (sqlite3_step(st) == SQLITE_ROW) {
      auto const seq = sqlite3_column_int64(st, 0);
      auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(st, 1));
      dispatch::command c;
      try {
        c = from_json_text(text != nullptr ? text : "");
      } catch (journal_error const& e) {
        sqlite3_finalize(st);
        throw journal_error{"database " + path.string() + ": command " + std::to_string(seq) + ": " + e.what()};
      }
      std::visit([&](auto& cmd) { cmd.now = at(cmd.now); }, c);
      if (auto* add = std::get_if<dispatch::add_vehicle_cmd>(&c)) {
        add->spec.shift_start = at(add->spec.shift_start);
        add->spec.shift_end = at(add->spec.shift_end);
      } else if (auto* offer = std::get_if<dispatch::offer_cmd>(&c)) {
        offer->spec.earliest_pickup = at(offer->spec.earliest_pickup);
      }
      converted.emplace_back(seq, to_json_text(c));
    }
    sqlite3_finalize(st);
    st = nullptr;
    if (sqlite3_prepare_v2(d.db, "UPDATE commands SET format = ?1, body = ?2 WHERE seq = ?3", -1, &st, nullptr) !=
        SQLITE_OK)
      d.fail("prepare update");
    for (auto const& [seq, body] : converted) {
      sqlite3_reset(st);
      sqlite3_bind_int(st, 1, journal_format_version);
      sqlite3_bind_text(st, 2, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
      sqlite3_bind_int64(st, 3, seq);
      if (sqlite3_step(st) != SQLITE_DONE) d.fail("update command " + std::to_string(seq));
    }
    sqlite3_finalize(st);
    st = nullptr;
    d.exec("CREATE TABLE snapshots(seq INTEGER PRIMARY KEY, format INTEGER NOT NULL, body BLOB NOT NULL)");
    d.exec("INSERT OR REPLACE INTO meta(key, value) VALUES ('migrated_from', 'journal format 1, service date " +
           report.service_date + " " + report.timezone + "')");
    d.exec("PRAGMA user_version=" + std::to_string(journal_format_version));
    d.exec("COMMIT");
    report.n_commands = converted.size();
  } catch (...) {
    sqlite3_finalize(st);
    sqlite3_exec(d.db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return report;
}

}  // namespace nebuta::storage

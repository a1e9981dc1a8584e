#include <sqlite3.h>

#include <algorithm>
#include <utility>

#include "journal_rows.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"
#include "nebuta/storage/snapshot.h"

namespace nebuta::storage {

namespace {

// --- SQLite helpers ---

[[noreturn]] void fail(sqlite3* db, std::filesystem::path const& path, std::string const& what) {
  throw journal_error{"journal " + path.string() + ": " + what + ": " +
                      (db != nullptr ? sqlite3_errmsg(db) : "out of memory")};
}

void exec(sqlite3* db, std::filesystem::path const& path, char const* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string const msg = err != nullptr ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw journal_error{"journal " + path.string() + ": " + sql + ": " + msg};
  }
}

std::int64_t query_int(sqlite3* db, std::filesystem::path const& path, char const* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) fail(db, path, sql);
  auto const rc = sqlite3_step(st);
  std::int64_t const v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(db, path, sql);
  return v;
}

struct connection {
  sqlite3* db{nullptr};
  std::filesystem::path path;

  connection(std::filesystem::path p, int flags) : path{std::move(p)} {
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      std::string const msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      throw journal_error{"journal " + path.string() + ": cannot open: " + msg};
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
  }
  ~connection() { sqlite3_close(db); }
  connection(connection const&) = delete;
  connection& operator=(connection const&) = delete;
  sqlite3* release() { return std::exchange(db, nullptr); }
};

bool has_table(sqlite3* db, std::filesystem::path const& path, char const* name) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", -1, &st,
                         nullptr) != SQLITE_OK)
    fail(db, path, "sqlite_master");
  sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
  auto const found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) != 0;
  sqlite3_finalize(st);
  return found;
}

void check_version(sqlite3* db, std::filesystem::path const& path) {
  auto const version = query_int(db, path, "PRAGMA user_version");
  if (version == 0 || !has_table(db, path, "commands"))
    throw journal_error{"journal " + path.string() +
                        ": not a Nebuta command journal (no format version or no table \"commands\")"};
  if (version == 1)
    throw journal_needs_migration{"journal " + path.string() +
                                  ": format 1 (times in seconds of one service day, one database per day); this "
                                  "build reads format " +
                                  std::to_string(journal_format_version) + " (Unix times, any number of days)"};
  if (version < oldest_readable_format || version > journal_format_version || !has_table(db, path, "snapshots"))
    throw journal_error{"journal " + path.string() + ": format version " + std::to_string(version) +
                        " is not supported (this build reads version " + std::to_string(journal_format_version) + ")"};
}

// The latest snapshot's sequence number (0: none) and its bytes when `with_body`.
std::pair<std::int64_t, std::string> latest_snapshot(sqlite3* db, std::filesystem::path const& path, bool with_body) {
  sqlite3_stmt* st = nullptr;
  auto const* sql = with_body ? "SELECT seq, format, body FROM snapshots ORDER BY seq DESC LIMIT 1"
                              : "SELECT seq, format FROM snapshots ORDER BY seq DESC LIMIT 1";
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) fail(db, path, "select snapshot");
  std::pair<std::int64_t, std::string> out{0, {}};
  auto const rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    out.first = sqlite3_column_int64(st, 0);
    if (with_body) {
      auto const* blob = static_cast<char const*>(sqlite3_column_blob(st, 2));
      out.second.assign(blob != nullptr ? blob : "", static_cast<std::size_t>(sqlite3_column_bytes(st, 2)));
    }
  }
  sqlite3_finalize(st);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail(db, path, "read snapshot");
  return out;
}

}  // namespace
sqlite_journal::sqlite_journal(std::filesystem::path path) : path_{std::move(path)} {
  connection c{path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX};
  auto* const db = c.db;
  // WAL + FULL: every commit is synced to the WAL file before it returns.
  {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, nullptr) != SQLITE_OK)
      fail(db, path_, "journal_mode");
    std::string mode;
    if (sqlite3_step(st) == SQLITE_ROW) mode = reinterpret_cast<char const*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (mode != "wal")
      throw journal_error{"journal " + path_.string() + ": cannot switch to WAL mode (got \"" + mode + "\")"};
  }
  exec(db, path_, "PRAGMA synchronous=FULL");
  exec(db, path_, "BEGIN IMMEDIATE");
  try {
    auto const version = query_int(db, path_, "PRAGMA user_version");
    auto const n_tables = query_int(db, path_, "SELECT count(*) FROM sqlite_master WHERE name != 'meta'");
    if (version == 0 && n_tables == 0) {  // a new database (a meta table may be there already)
      exec(db, path_, "CREATE TABLE commands(seq INTEGER PRIMARY KEY, format INTEGER NOT NULL, body TEXT NOT NULL)");
      exec(db, path_, "CREATE TABLE snapshots(seq INTEGER PRIMARY KEY, format INTEGER NOT NULL, body BLOB NOT NULL)");
      exec(db, path_, ("PRAGMA user_version=" + std::to_string(journal_format_version)).c_str());
    }
    check_version(db, path_);
    // Format 2 commands read as format 3 ones (without what format 3 added): the database only
    // changes its version, its old rows keep theirs.
    if (query_int(db, path_, "PRAGMA user_version") < journal_format_version)
      exec(db, path_, ("PRAGMA user_version=" + std::to_string(journal_format_version)).c_str());
    exec(db, path_, "COMMIT");
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  snapshot_seq_ = latest_snapshot(db, path_, false).first;
  last_seq_ = std::max(snapshot_seq_, query_int(db, path_, "SELECT coalesce(max(seq), 0) FROM commands"));
  detail::check_no_gap("journal " + path_.string(), query_int(db, path_, "SELECT count(*) FROM commands"),
                       query_int(db, path_, "SELECT coalesce(min(seq), 0) FROM commands"), last_seq_, snapshot_seq_);
  if (sqlite3_prepare_v2(db, "INSERT INTO commands(seq, format, body) VALUES (?1, ?2, ?3)", -1, &insert_, nullptr) !=
      SQLITE_OK)
    fail(db, path_, "prepare insert");
  db_ = c.release();
}

sqlite_journal::~sqlite_journal() {
  sqlite3_finalize(insert_);
  sqlite3_close(db_);
}

void sqlite_journal::record(dispatch::command const& c) {
  auto const body = to_json_text(c);
  auto const seq = last_seq_ + 1;
  sqlite3_reset(insert_);
  sqlite3_bind_int64(insert_, 1, seq);
  sqlite3_bind_int(insert_, 2, journal_format_version);
  sqlite3_bind_text(insert_, 3, body.data(), static_cast<int>(body.size()), SQLITE_TRANSIENT);
  auto const rc = sqlite3_step(insert_);  // autocommit: its own transaction, synced on return
  sqlite3_reset(insert_);
  if (rc != SQLITE_DONE) fail(db_, path_, "cannot append command " + std::to_string(seq) + " " + body);
  last_seq_ = seq;
}

void sqlite_journal::record_batch(std::span<dispatch::command const> commands) {
  exec(db_, path_, "BEGIN IMMEDIATE");
  auto const first = last_seq_;
  try {
    for (auto const& c : commands) record(c);
    exec(db_, path_, "COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    last_seq_ = first;
    throw;
  }
}

void sqlite_journal::compact(dispatch::dispatcher const& d, std::string extra) {
  if (last_seq_ == snapshot_seq_ && snapshot_seq_ != 0) return;  // nothing new since the last one
  auto const body = encode_snapshot(snapshot_of(d, last_seq_, std::move(extra)));
  exec(db_, path_, "BEGIN IMMEDIATE");
  try {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, "INSERT OR REPLACE INTO snapshots(seq, format, body) VALUES (?1, ?2, ?3)", -1, &st,
                           nullptr) != SQLITE_OK)
      fail(db_, path_, "prepare snapshot");
    sqlite3_bind_int64(st, 1, last_seq_);
    sqlite3_bind_int(st, 2, static_cast<int>(snapshot_format_version));
    sqlite3_bind_blob64(st, 3, body.data(), body.size(), SQLITE_STATIC);
    auto const rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) fail(db_, path_, "write snapshot");
    auto const upto = std::to_string(last_seq_);
    exec(db_, path_, ("DELETE FROM commands WHERE seq <= " + upto).c_str());
    exec(db_, path_, ("DELETE FROM snapshots WHERE seq < " + upto).c_str());
    exec(db_, path_, "COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  snapshot_seq_ = last_seq_;
  // Fold the WAL back into the database now rather than at some later command's commit.
  sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
}

journal_contents load_journal(std::filesystem::path const& path) {
  if (!std::filesystem::exists(path)) throw journal_error{"journal " + path.string() + ": no such file"};
  // Read-write without create: a WAL database left by a crash may need recovery on open.
  connection c{path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX};
  check_version(c.db, path);
  // One read transaction: the snapshot and the commands after it belong together.
  exec(c.db, path, "BEGIN");
  detail::journal_reader reader{"journal " + path.string(), {}, 0};
  sqlite3_stmt* st = nullptr;
  try {
    auto [snapshot_seq, bytes] = latest_snapshot(c.db, path, true);
    if (snapshot_seq != 0) reader.snapshot_row(snapshot_seq, bytes);
    if (sqlite3_prepare_v2(c.db, "SELECT seq, format, body FROM commands ORDER BY seq", -1, &st, nullptr) != SQLITE_OK)
      fail(c.db, path, "select commands");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(st, 2));
      reader.command_row(sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                         {text != nullptr ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st, 2))});
    }
    if (rc != SQLITE_DONE) fail(c.db, path, "read commands");
  } catch (...) {
    sqlite3_finalize(st);
    sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  sqlite3_finalize(st);
  sqlite3_exec(c.db, "COMMIT", nullptr, nullptr, nullptr);
  return reader.take();
}

std::vector<dispatch::command> load_commands(std::filesystem::path const& path) {
  auto contents = load_journal(path);
  if (contents.base)
    throw journal_error{"journal " + path.string() + ": compacted at command " + std::to_string(contents.base->seq) +
                        "; its commands alone do not rebuild the state (restore the snapshot: load_journal)"};
  return std::move(contents.commands);
}

std::size_t replay(journal_contents contents, dispatch::dispatcher& d, std::string const& where) {
  if (contents.base && !d.restore(std::move(contents.base->vehicles), std::move(contents.base->requests),
                                  std::move(contents.base->journeys)))
    throw journal_error{"journal " + where + ": the snapshot does not hold together, or the dispatcher " +
                        "already has a state"};
  for (auto const& c : contents.commands) d.apply(c);
  return contents.commands.size();
}

std::size_t replay(std::filesystem::path const& path, dispatch::dispatcher& d) {
  return replay(load_journal(path), d, path.string());
}

}  // namespace nebuta::storage

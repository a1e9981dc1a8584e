// Durable journal of the dispatcher's commands in SQLite, with snapshots, and the replay that
// rebuilds a dispatcher from it.
//
// Database layout (schema version `journal_format_version`, kept in `PRAGMA user_version`):
//   CREATE TABLE commands(seq INTEGER PRIMARY KEY,   -- without gaps, after the latest snapshot
//                         format INTEGER NOT NULL,   -- format version of `body`
//                         body TEXT NOT NULL)        -- the command as JSON (see `to_json_text`)
//   CREATE TABLE snapshots(seq INTEGER PRIMARY KEY,  -- the state after command `seq`
//                          format INTEGER NOT NULL, body BLOB NOT NULL)  -- snapshot.h
// The database runs in WAL mode with `PRAGMA synchronous=FULL`; every `record` is one INSERT in
// its own transaction, so when `record` (and with it the dispatcher's command) returns, the
// command is on disk. A failure throws `journal_error`; the dispatcher has then already applied
// the command in memory, so its owner must treat the error as fatal and rebuild from the journal.
//
// Compaction (`compact`) writes a snapshot of the state after the last command and deletes the
// commands and snapshots it replaces, in one transaction: a crash at any moment leaves either the
// old journal or the new one, each complete. Start-up then restores the snapshot and replays only
// the commands after it, however long the service has run.
//
// Command JSON (format 3): an object with "type" (add_vehicle, offer, accept, cancel, position,
// stop_event, reoptimise, accept_journey, cancel_journey, move), "now" and the command's fields;
// accept_journey has "legs": [{"request", "kind" (none, before_departure, after_arrival),
// "trip_id", "stop_id", "scheduled", "buffer"}]. Times ("now", shift_start, shift_end,
// earliest_pickup) are Unix seconds (UTC). Doubles are JSON numbers printed so that they read
// back bit-exactly; NaN and infinities are written as {"bits": "<16 hex digits>"}. Strings that
// are not valid UTF-8 are written as {"hex": "..."}. Enums are written by name. Format 1 was the
// same with times in seconds of one service day (one database per day); such a database is
// refused with `journal_needs_migration` and converted by `migrate_to_instants` (migrate.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/dispatch/commands.h"
#include "nebuta/storage/snapshot.h"

struct sqlite3;
struct sqlite3_stmt;

namespace nebuta::storage {

// Format 3 added the commands accept_journey, cancel_journey and move, and "latest_dropoff" of
// an offer (absent: no limit); a format 2 database opens as it is (its rows read the same) and is
// marked format 3 by the first writer.
inline constexpr int journal_format_version = 3;
inline constexpr int oldest_readable_format = 2;

struct journal_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A journal of an older format that migrate_to_instants converts.
struct journal_needs_migration : journal_error {
  using journal_error::journal_error;
};

// One command as JSON text (format `journal_format_version`) and back. `from_json_text` throws
// `journal_error` for anything it does not understand.
std::string to_json_text(dispatch::command const&);
dispatch::command from_json_text(std::string_view);

// A journal that keeps every command durably (SQLite here, PostgreSQL in pg_journal.h): `record`
// returns once the command is committed; `compact` replaces the commands up to the last one by a
// snapshot of the state after it. Every failure throws `journal_error` (one policy for both).
class durable_journal : public dispatch::journal {
 public:
  // Appends the commands in one transaction (one sync): for bulk writes such as imports and
  // benchmarks; a dispatcher's own commands go through `record`, one at a time.
  virtual void record_batch(std::span<dispatch::command const> commands) = 0;
  // Replaces the journal up to its last command by a snapshot of `d`, which must hold the state
  // after exactly those commands; `extra` is stored beside it (snapshot.h). One transaction: a
  // crash leaves either the old journal or the new one, each complete.
  virtual void compact(dispatch::dispatcher const& d, std::string extra = {}) = 0;
  // Sequence number of the last command (0: none), of the latest snapshot (0: none), and how many
  // commands a start-up replays after it.
  virtual std::int64_t last_sequence() const = 0;
  virtual std::int64_t snapshot_sequence() const = 0;
  std::int64_t commands_since_snapshot() const { return last_sequence() - snapshot_sequence(); }
};

// Appends every command it receives to the database at `path` (created when missing). Opening a
// database of another format version, or a file that is not a journal, throws `journal_error`.
class sqlite_journal final : public durable_journal {
 public:
  explicit sqlite_journal(std::filesystem::path path);
  ~sqlite_journal() override;
  sqlite_journal(sqlite_journal const&) = delete;
  sqlite_journal& operator=(sqlite_journal const&) = delete;

  void record(dispatch::command const&) override;
  void record_batch(std::span<dispatch::command const> commands) override;
  void compact(dispatch::dispatcher const& d, std::string extra = {}) override;
  std::int64_t last_sequence() const override { return last_seq_; }
  std::int64_t snapshot_sequence() const override { return snapshot_seq_; }
  std::filesystem::path const& path() const { return path_; }

 private:
  std::filesystem::path path_;
  sqlite3* db_{nullptr};
  sqlite3_stmt* insert_{nullptr};
  std::int64_t last_seq_{0};
  std::int64_t snapshot_seq_{0};
};

// The latest snapshot of the journal at `path` (none when it was never compacted) and the
// commands after it, in order. Throws `journal_error` when the file is missing, is not a journal,
// has another format version, has a gap in its sequence numbers or a damaged snapshot.
struct journal_contents {
  std::optional<snapshot> base;
  std::vector<dispatch::command> commands;
};
journal_contents load_journal(std::filesystem::path const& path);

// The commands of a journal that was never compacted (load_journal otherwise: a journal with a
// snapshot throws journal_error here, as its commands alone would rebuild a wrong state).
std::vector<dispatch::command> load_commands(std::filesystem::path const& path);

// Restores the latest snapshot into `d` (a fresh dispatcher built with the same rules and travel
// model as the one that wrote the journal; its own journal should not be set yet) and applies the
// commands after it. Returns the number of commands applied. `where` names the journal in errors.
std::size_t replay(journal_contents contents, dispatch::dispatcher& d, std::string const& where);
std::size_t replay(std::filesystem::path const& path, dispatch::dispatcher& d);

}  // namespace nebuta::storage

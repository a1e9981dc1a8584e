// Durable journal of the dispatcher's commands in SQLite, and the replay that rebuilds a
// dispatcher from it.
//
// Database layout (schema version `journal_format_version`, kept in `PRAGMA user_version`):
//   CREATE TABLE commands(seq INTEGER PRIMARY KEY,   -- 1, 2, 3, ... without gaps
//                         format INTEGER NOT NULL,   -- format version of `body`
//                         body TEXT NOT NULL)        -- the command as JSON (see `to_json_text`)
// The database runs in WAL mode with `PRAGMA synchronous=FULL`; every `record` is one INSERT in
// its own transaction, so when `record` (and with it the dispatcher's command) returns, the
// command is on disk. A failure throws `journal_error`; the dispatcher has then already applied
// the command in memory, so its owner must treat the error as fatal and rebuild from the journal.
//
// Command JSON (format 1): an object with "type" (add_vehicle, offer, accept, cancel, position,
// stop_event, reoptimise), "now" and the command's fields. Doubles are JSON numbers printed so that
// they read back bit-exactly; NaN and infinities are written as {"bits": "<16 hex digits>"}.
// Strings that are not valid UTF-8 are written as {"hex": "..."}. Enums are written by name.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "nebuta/dispatch/commands.h"

struct sqlite3;
struct sqlite3_stmt;

namespace nebuta::dispatch {
class dispatcher;
}

namespace nebuta::storage {

inline constexpr int journal_format_version = 1;

struct journal_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One command as JSON text (format `journal_format_version`) and back. `from_json_text` throws
// `journal_error` for anything it does not understand.
std::string to_json_text(dispatch::command const&);
dispatch::command from_json_text(std::string_view);

// Appends every command it receives to the database at `path` (created when missing). Opening a
// database of another format version, or a file that is not a journal, throws `journal_error`.
class sqlite_journal final : public dispatch::journal {
 public:
  explicit sqlite_journal(std::filesystem::path path);
  ~sqlite_journal() override;
  sqlite_journal(sqlite_journal const&) = delete;
  sqlite_journal& operator=(sqlite_journal const&) = delete;

  void record(dispatch::command const&) override;

  // Sequence number of the last command in the database (0: none).
  std::int64_t last_sequence() const { return last_seq_; }
  std::filesystem::path const& path() const { return path_; }

 private:
  std::filesystem::path path_;
  sqlite3* db_{nullptr};
  sqlite3_stmt* insert_{nullptr};
  std::int64_t last_seq_{0};
};

// Every command of the journal at `path`, in order. Throws `journal_error` when the file is
// missing, is not a journal, has another format version, or has a gap in its sequence numbers.
std::vector<dispatch::command> load_commands(std::filesystem::path const& path);

// Applies every command of the journal to `d` (a fresh dispatcher built with the same rules and
// travel model as the one that wrote the journal; its own journal should not be set yet).
// Returns the number of commands applied.
std::size_t replay(std::filesystem::path const& path, dispatch::dispatcher& d);

}  // namespace nebuta::storage

// Values fixed once when a dispatcher database is created (the service date, the secret behind
// rider tokens), in a table beside the command journal:
//   CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)
// The journal ignores other tables, so older journals without it stay readable (the table is
// added on first use). Writes are durable (WAL, synchronous=FULL) before the call returns.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace nebuta::storage {

// The value stored under `key`; when there is none yet, stores `value_if_absent` and returns it.
// Throws journal_error (journal.h) when the database cannot be opened or written.
std::string meta_value(std::filesystem::path const& db, std::string const& key, std::string const& value_if_absent);

// The value stored under `key` (nullopt: none, or no meta table), without writing anything.
std::optional<std::string> meta_get(std::filesystem::path const& db, std::string const& key);

// Stores `value` under `key`, replacing what was there (durable when it returns).
void meta_set(std::filesystem::path const& db, std::string const& key, std::string const& value);

}  // namespace nebuta::storage

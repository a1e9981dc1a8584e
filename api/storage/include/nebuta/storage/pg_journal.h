// The dispatcher's command journal in PostgreSQL (through libpq), with the semantics of the SQLite
// journal (journal.h): a command is committed before `record` returns, replay rebuilds the state,
// the format version is checked, compaction writes a snapshot, a gap or a damaged row is refused.
//
// Several service areas share one database: every row is keyed by the area's id (`service`).
//   CREATE TABLE nebuta_journals(service TEXT PRIMARY KEY,   -- one row per area's journal
//                                format INTEGER NOT NULL,    -- journal_format_version
//                                leader TEXT, epoch BIGINT NOT NULL DEFAULT 0)  -- the standby's
//   CREATE TABLE nebuta_commands(service TEXT, seq BIGINT, format INTEGER NOT NULL,
//                                body TEXT NOT NULL, PRIMARY KEY (service, seq))  -- JSON, journal.h
//   CREATE TABLE nebuta_snapshots(service TEXT, seq BIGINT, format INTEGER NOT NULL,
//                                 body BYTEA NOT NULL, PRIMARY KEY (service, seq))  -- snapshot.h
//   CREATE TABLE nebuta_meta(service TEXT, key TEXT, value TEXT NOT NULL, PRIMARY KEY (service, key))
// Every append is one INSERT in its own transaction with synchronous_commit=on on the session, so
// it is flushed to the server's WAL before the call returns. The primary key (service, seq) makes
// a second writer that appends the same sequence number fail rather than fork the journal.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nebuta/storage/journal.h"
#include "nebuta/storage/store.h"

typedef struct pg_conn PGconn;

namespace nebuta::storage {

// One libpq session to the database of a service area; every failure throws journal_error naming
// the database, the area (never the password) and the server's message.
class pg_session {
 public:
  pg_session(std::string const& uri, std::string const& service_area);
  ~pg_session();
  pg_session(pg_session const&) = delete;
  pg_session& operator=(pg_session const&) = delete;

  PGconn* get() const { return conn_; }
  std::string const& where() const { return where_; }
  // Runs `sql` with text parameters $1..; returns the rows' text values (row-major; NULL: nullopt)
  // and `affected`, the rows the command changed (INSERT, UPDATE, DELETE).
  struct rows {
    std::vector<std::vector<std::optional<std::string>>> values;
    std::int64_t affected{0};
  };
  rows run(char const* sql, std::vector<std::string> const& params = {}) const;
  // One text value of the first row (nullopt: no row or NULL).
  std::optional<std::string> value(char const* sql, std::vector<std::string> const& params = {}) const;
  void exec(char const* sql) const { (void)run(sql); }
  // Runs `sql` with parameters, the last of which is sent as binary bytes (a BYTEA).
  void run_with_bytes(char const* sql, std::vector<std::string> const& params, std::string const& bytes) const;
  // Rolls back an open transaction, ignoring errors (in unwinding).
  void rollback() const noexcept;

 private:
  PGconn* conn_{nullptr};
  std::string where_;
};

// Creates the tables when missing (serialised across processes by an advisory lock).
void create_pg_schema(pg_session const& s);

class pg_journal final : public durable_journal {
 public:
  // Connects and opens (creating when missing) the journal of `service_area`. Throws journal_error
  // when the server cannot be reached, the area's format is not this build's, or rows are missing.
  pg_journal(std::string const& uri, std::string service_area);
  // The leader's journal, on the session that holds the area's leadership lock (pg_try_lead): it
  // raises the area's epoch and records `leader_address`; each append then checks, in its own
  // statement, that the epoch is still its own, so an old leader's late append fails.
  pg_journal(std::unique_ptr<pg_session> leading_session, std::string service_area, std::string const& leader_address);
  ~pg_journal() override;

  void record(dispatch::command const&) override;
  void record_batch(std::span<dispatch::command const> commands) override;
  void compact(dispatch::dispatcher const& d, std::string extra = {}) override;
  std::int64_t last_sequence() const override { return last_seq_; }
  std::int64_t snapshot_sequence() const override { return snapshot_seq_; }
  std::string const& service_area() const { return service_; }
  pg_session const& session() const { return *session_; }

 private:
  std::unique_ptr<pg_session> session_;
  std::string service_;
  std::int64_t last_seq_{0};
  std::int64_t snapshot_seq_{0};
  std::int64_t epoch_{0};  // 0: not fenced (no standby)

  void open(std::string const* leader_address);
};

// Takes the leadership of `service_area` for the session `s` (a session-level advisory lock on
// the area's id, released when the session ends: the leader's process dies or its connection
// drops). False: another session holds it.
bool pg_try_lead(pg_session const& s, std::string const& service_area);

// The latest snapshot of `service_area`'s journal and the commands after it (load_journal's checks,
// journal.h); throws journal_error when the area has no journal.
journal_contents load_pg_journal(std::string const& uri, std::string const& service_area);

// The store of one service area in a PostgreSQL database (store.h).
class pg_store final : public journal_store {
 public:
  pg_store(std::string uri, std::string service_area);
  ~pg_store() override;
  std::string describe() const override;
  bool exists() const override;
  journal_contents load() const override;
  std::unique_ptr<durable_journal> open_journal() override;
  std::string meta_value(std::string const& key, std::string const& value_if_absent) override;
  std::optional<std::string> meta_get(std::string const& key) const override;
  void meta_set(std::string const& key, std::string const& value) override;
  bool try_lead(std::string const& address) override;
  bool shared() const override { return true; }
  std::optional<std::string> leader() const override;
  std::vector<dispatch::command> commands_after(std::int64_t seq) const override;

 private:
  std::string uri_, service_, address_;
  std::unique_ptr<pg_session> session_;
  std::unique_ptr<pg_session> leading_;  // holds the leadership lock until open_journal takes it
};

}  // namespace nebuta::storage

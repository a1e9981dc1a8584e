#include "nebuta/storage/pg_journal.h"

#include <libpq-fe.h>

#include <charconv>
#include <utility>

#include "journal_rows.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/snapshot.h"

namespace nebuta::storage {

namespace {

std::string server_message(PGconn const* c) {
  std::string m = c != nullptr ? PQerrorMessage(c) : "out of memory";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

std::int64_t to_int(std::optional<std::string> const& v, std::string const& where) {
  std::int64_t x = 0;
  if (!v) return 0;
  auto const [end, ec] = std::from_chars(v->data(), v->data() + v->size(), x);
  if (ec != std::errc{} || end != v->data() + v->size()) throw journal_error{where + ": not a number: " + *v};
  return x;
}

// Rows of the snapshot's bytes come back as BYTEA text ("\x0a1b...").
std::string unescape_bytea(std::string const& text, std::string const& where) {
  std::size_t n = 0;
  auto* raw = PQunescapeBytea(reinterpret_cast<unsigned char const*>(text.c_str()), &n);
  if (raw == nullptr) throw journal_error{where + ": cannot decode the snapshot's bytes"};
  std::string out{reinterpret_cast<char const*>(raw), n};
  PQfreemem(raw);
  return out;
}

void ignore_notice(void*, char const*) {}

// The area's journal row: its format must be one this build reads (checked on every open and load).
void check_format(pg_session const& s, std::string const& service) {
  auto const format = s.value("SELECT format FROM nebuta_journals WHERE service = $1", {service});
  if (!format) throw journal_error{s.where() + ": no journal for this service area"};
  auto const v = to_int(format, s.where());
  if (v < oldest_readable_format || v > journal_format_version)
    throw journal_error{s.where() + ": format version " + std::to_string(v) +
                        " is not supported (this build reads version " + std::to_string(journal_format_version) + ")"};
}

bool has_journal(pg_session const& s, std::string const& service) {
  if (s.value("SELECT to_regclass('nebuta_journals') IS NOT NULL") != "t") return false;
  return s.value("SELECT 1 FROM nebuta_journals WHERE service = $1", {service}).has_value();
}

journal_contents load_from(pg_session const& s, std::string const& service) {
  if (!has_journal(s, service)) throw journal_error{s.where() + ": no journal for this service area"};
  // One snapshot of the database: the snapshot row and the commands after it belong together.
  s.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    check_format(s, service);
    detail::journal_reader reader{s.where(), {}, 0};
    auto const snap =
        s.run("SELECT seq, body FROM nebuta_snapshots WHERE service = $1 ORDER BY seq DESC LIMIT 1", {service});
    if (!snap.values.empty())
      reader.snapshot_row(to_int(snap.values[0][0], s.where()), unescape_bytea(*snap.values[0][1], s.where()));
    auto const commands =
        s.run("SELECT seq, format, body FROM nebuta_commands WHERE service = $1 ORDER BY seq", {service});
    for (auto const& row : commands.values)
      reader.command_row(to_int(row[0], s.where()), to_int(row[1], s.where()), *row[2]);
    s.exec("COMMIT");
    return reader.take();
  } catch (...) {
    s.rollback();
    throw;
  }
}

}  // namespace

pg_session::pg_session(std::string const& uri, std::string const& service_area) {
  conn_ = PQconnectdb(uri.c_str());
  if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
    auto const msg = server_message(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    throw journal_error{"journal in PostgreSQL (service area " + service_area + "): cannot connect: " + msg};
  }
  where_ = "journal postgresql://" + std::string{PQhost(conn_)} + ":" + PQport(conn_) + "/" + PQdb(conn_) +
           " (service area " + service_area + ")";
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);  // "relation already exists, skipping"
  // Committed means flushed to the server's WAL, whatever the server's default.
  exec("SET synchronous_commit = on");
  exec("SET client_encoding = 'UTF8'");
}

pg_session::~pg_session() { PQfinish(conn_); }

pg_session::rows pg_session::run(char const* sql, std::vector<std::string> const& params) const {
  std::vector<char const*> values;
  for (auto const& p : params) values.push_back(p.c_str());
  auto* const res =
      PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr, nullptr, 0);
  auto const status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    auto const msg = server_message(conn_);
    PQclear(res);
    throw journal_error{where_ + ": " + sql + ": " + msg};
  }
  rows out;
  for (int r = 0; r < PQntuples(res); ++r) {
    auto& row = out.values.emplace_back();
    for (int c = 0; c < PQnfields(res); ++c)
      row.push_back(PQgetisnull(res, r, c)
                        ? std::nullopt
                        : std::optional<std::string>{
                              std::string{PQgetvalue(res, r, c), static_cast<std::size_t>(PQgetlength(res, r, c))}});
  }
  auto const* affected = PQcmdTuples(res);
  if (affected != nullptr && *affected != '\0') out.affected = std::stoll(affected);
  PQclear(res);
  return out;
}

std::optional<std::string> pg_session::value(char const* sql, std::vector<std::string> const& params) const {
  auto r = run(sql, params);
  if (r.values.empty() || r.values[0].empty()) return std::nullopt;
  return std::move(r.values[0][0]);
}

void pg_session::run_with_bytes(char const* sql, std::vector<std::string> const& params, std::string const& bytes) const {
  std::vector<char const*> values;
  std::vector<int> lengths, formats;
  for (auto const& p : params) {
    values.push_back(p.c_str());
    lengths.push_back(0);
    formats.push_back(0);
  }
  values.push_back(bytes.data());
  lengths.push_back(static_cast<int>(bytes.size()));
  formats.push_back(1);
  auto* const res = PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), lengths.data(),
                                 formats.data(), 0);
  auto const ok = res != nullptr && PQresultStatus(res) == PGRES_COMMAND_OK;
  auto const msg = ok ? std::string{} : server_message(conn_);
  PQclear(res);
  if (!ok) throw journal_error{where_ + ": " + sql + ": " + msg};
}

void pg_session::rollback() const noexcept { PQclear(PQexec(conn_, "ROLLBACK")); }

void create_pg_schema(pg_session const& s) {
  s.exec("BEGIN");
  try {
    // Two dispatchers starting at once would race on CREATE TABLE IF NOT EXISTS.
    s.exec("SELECT pg_advisory_xact_lock(hashtextextended('nebuta journal schema', 0))");
    s.exec(
        "CREATE TABLE IF NOT EXISTS nebuta_journals(service TEXT PRIMARY KEY, format INTEGER NOT NULL, "
        "leader TEXT, epoch BIGINT NOT NULL DEFAULT 0)");
    s.exec(
        "CREATE TABLE IF NOT EXISTS nebuta_commands(service TEXT NOT NULL, seq BIGINT NOT NULL, "
        "format INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (service, seq))");
    s.exec(
        "CREATE TABLE IF NOT EXISTS nebuta_snapshots(service TEXT NOT NULL, seq BIGINT NOT NULL, "
        "format INTEGER NOT NULL, body BYTEA NOT NULL, PRIMARY KEY (service, seq))");
    s.exec(
        "CREATE TABLE IF NOT EXISTS nebuta_meta(service TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, "
        "PRIMARY KEY (service, key))");
    s.exec("COMMIT");
  } catch (...) {
    s.rollback();
    throw;
  }
}

pg_journal::pg_journal(std::string const& uri, std::string service_area) : service_{std::move(service_area)} {
  session_ = std::make_unique<pg_session>(uri, service_);
  open(nullptr);
}

pg_journal::pg_journal(std::unique_ptr<pg_session> leading_session, std::string service_area,
                       std::string const& leader_address)
    : session_{std::move(leading_session)}, service_{std::move(service_area)} {
  open(&leader_address);
}

void pg_journal::open(std::string const* leader_address) {
  auto const& db = *session_;
  create_pg_schema(db);
  db.exec("BEGIN");
  try {
    db.run("INSERT INTO nebuta_journals(service, format) VALUES ($1, $2) ON CONFLICT (service) DO NOTHING",
           {service_, std::to_string(journal_format_version)});
    check_format(db, service_);
    // A format 2 journal reads as format 3 (journal.h): only the area's version changes.
    db.run("UPDATE nebuta_journals SET format = $2 WHERE service = $1 AND format < $2",
           {service_, std::to_string(journal_format_version)});
    if (leader_address != nullptr)
      epoch_ = to_int(db.value("UPDATE nebuta_journals SET epoch = epoch + 1, leader = $2 WHERE service = $1 "
                               "RETURNING epoch",
                               {service_, *leader_address}),
                      db.where());
    snapshot_seq_ = to_int(
        db.value("SELECT coalesce(max(seq), 0) FROM nebuta_snapshots WHERE service = $1", {service_}), db.where());
    auto const stats =
        db.run("SELECT count(*), coalesce(min(seq), 0), coalesce(max(seq), 0) FROM nebuta_commands WHERE service = $1",
               {service_});
    auto const& row = stats.values.at(0);
    last_seq_ = std::max(snapshot_seq_, to_int(row[2], db.where()));
    detail::check_no_gap(db.where(), to_int(row[0], db.where()), to_int(row[1], db.where()), last_seq_, snapshot_seq_);
    db.exec("COMMIT");
  } catch (...) {
    db.rollback();
    throw;
  }
}

pg_journal::~pg_journal() = default;

void pg_journal::record(dispatch::command const& c) {
  auto const seq = last_seq_ + 1;
  // Autocommit: its own transaction, flushed (synchronous_commit=on) when the call returns.
  if (epoch_ == 0) {
    session_->run("INSERT INTO nebuta_commands(service, seq, format, body) VALUES ($1, $2, $3, $4)",
                  {service_, std::to_string(seq), std::to_string(journal_format_version), to_json_text(c)});
  } else {
    // The fence: the row goes in only while the area's epoch is this leader's, in one statement.
    auto const r = session_->run(
        "INSERT INTO nebuta_commands(service, seq, format, body) SELECT $1, $2, $3, $4 "
        "WHERE EXISTS (SELECT 1 FROM nebuta_journals WHERE service = $1 AND epoch = $5)",
        {service_, std::to_string(seq), std::to_string(journal_format_version), to_json_text(c), std::to_string(epoch_)});
    if (r.affected != 1)
      throw journal_error{session_->where() + ": another dispatcher leads this service area now (epoch " +
                          std::to_string(epoch_) + " is over); command " + std::to_string(seq) + " not stored"};
  }
  last_seq_ = seq;
}

void pg_journal::record_batch(std::span<dispatch::command const> commands) {
  auto const first = last_seq_;
  session_->exec("BEGIN");
  try {
    for (auto const& c : commands) record(c);
    session_->exec("COMMIT");
  } catch (...) {
    session_->rollback();
    last_seq_ = first;
    throw;
  }
}

void pg_journal::compact(dispatch::dispatcher const& d, std::string extra) {
  if (last_seq_ == snapshot_seq_ && snapshot_seq_ != 0) return;  // nothing new since the last one
  auto const body = encode_snapshot(snapshot_of(d, last_seq_, std::move(extra)));
  auto const upto = std::to_string(last_seq_);
  auto const& s = *session_;
  s.exec("BEGIN");
  try {
    s.run_with_bytes(
        "INSERT INTO nebuta_snapshots(service, seq, format, body) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (service, seq) DO UPDATE SET format = excluded.format, body = excluded.body",
        {service_, upto, std::to_string(snapshot_format_version)}, body);
    s.run("DELETE FROM nebuta_commands WHERE service = $1 AND seq <= $2", {service_, upto});
    s.run("DELETE FROM nebuta_snapshots WHERE service = $1 AND seq < $2", {service_, upto});
    s.exec("COMMIT");
  } catch (...) {
    s.rollback();
    throw;
  }
  snapshot_seq_ = last_seq_;
}

bool pg_try_lead(pg_session const& s, std::string const& service_area) {
  return s.value("SELECT pg_try_advisory_lock(hashtextextended('nebuta service area ' || $1, 0))", {service_area}) == "t";
}

journal_contents load_pg_journal(std::string const& uri, std::string const& service_area) {
  pg_session const s{uri, service_area};
  return load_from(s, service_area);
}

pg_store::pg_store(std::string uri, std::string service_area)
    : uri_{std::move(uri)}, service_{std::move(service_area)} {
  session_ = std::make_unique<pg_session>(uri_, service_);
}

pg_store::~pg_store() = default;

std::string pg_store::describe() const { return session_->where().substr(std::string{"journal "}.size()); }

bool pg_store::exists() const { return has_journal(*session_, service_); }

journal_contents pg_store::load() const { return load_from(*session_, service_); }

std::unique_ptr<durable_journal> pg_store::open_journal() {
  if (leading_) return std::make_unique<pg_journal>(std::move(leading_), service_, address_);
  return std::make_unique<pg_journal>(uri_, service_);
}

bool pg_store::try_lead(std::string const& address) {
  if (!leading_) leading_ = std::make_unique<pg_session>(uri_, service_);
  address_ = address;
  return pg_try_lead(*leading_, service_);
}

std::optional<std::string> pg_store::leader() const {
  if (session_->value("SELECT to_regclass('nebuta_journals') IS NOT NULL") != "t") return std::nullopt;
  return session_->value("SELECT leader FROM nebuta_journals WHERE service = $1", {service_});
}

std::vector<dispatch::command> pg_store::commands_after(std::int64_t seq) const {
  auto const& s = *session_;
  auto const rows = s.run("SELECT seq, format, body FROM nebuta_commands WHERE service = $1 AND seq > $2 ORDER BY seq",
                          {service_, std::to_string(seq)});
  // Read after the commands: a compaction between the two shows as a snapshot past what was read.
  auto const snapshot =
      to_int(s.value("SELECT coalesce(max(seq), 0) FROM nebuta_snapshots WHERE service = $1", {service_}), s.where());
  if (snapshot > seq + static_cast<std::int64_t>(rows.values.size()))
    throw journal_error{s.where() + ": compacted at command " + std::to_string(snapshot) + ", past command " +
                        std::to_string(seq) + " (restart to restore the snapshot)"};
  std::vector<dispatch::command> out;
  if (rows.values.empty()) return out;
  detail::journal_reader reader{s.where(), {}, seq};
  for (auto const& row : rows.values) reader.command_row(to_int(row[0], s.where()), to_int(row[1], s.where()), *row[2]);
  return reader.take().commands;
}

std::string pg_store::meta_value(std::string const& key, std::string const& value_if_absent) {
  create_pg_schema(*session_);
  session_->run("INSERT INTO nebuta_meta(service, key, value) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                {service_, key, value_if_absent});
  auto v = session_->value("SELECT value FROM nebuta_meta WHERE service = $1 AND key = $2", {service_, key});
  if (!v) throw journal_error{session_->where() + ": meta value " + key + " vanished"};
  return *v;
}

std::optional<std::string> pg_store::meta_get(std::string const& key) const {
  if (session_->value("SELECT to_regclass('nebuta_meta') IS NOT NULL") != "t") return std::nullopt;
  return session_->value("SELECT value FROM nebuta_meta WHERE service = $1 AND key = $2", {service_, key});
}

void pg_store::meta_set(std::string const& key, std::string const& value) {
  create_pg_schema(*session_);
  session_->run(
      "INSERT INTO nebuta_meta(service, key, value) VALUES ($1, $2, $3) "
      "ON CONFLICT (service, key) DO UPDATE SET value = excluded.value",
      {service_, key, value});
}

}  // namespace nebuta::storage

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>
#include <utility>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/storage/journal.h"
#include "nebuta/storage/snapshot.h"

namespace nebuta::storage {

namespace {

using nlohmann::json;
namespace d = nebuta::dispatch;

// --- JSON of the command fields ---

json double_to_json(double x) {
  if (std::isfinite(x)) return x;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(std::bit_cast<std::uint64_t>(x)));
  return json{{"bits", buf}};
}

double double_from_json(json const& j) {
  if (j.is_number()) return j.get<double>();
  if (j.is_object() && j.contains("bits") && j["bits"].is_string()) {
    auto const s = j["bits"].get<std::string>();
    std::size_t pos = 0;
    unsigned long long bits = 0;
    try {
      bits = std::stoull(s, &pos, 16);
    } catch (std::exception const&) {
      pos = 0;
    }
    if (s.size() == 16 && pos == s.size()) return std::bit_cast<double>(static_cast<std::uint64_t>(bits));
  }
  throw journal_error{"bad number " + j.dump()};
}

bool valid_utf8(std::string const& s) {
  try {
    (void)json(s).dump();
    return true;
  } catch (json::type_error const&) {
    return false;
  }
}

json string_to_json(std::string const& s) {
  if (valid_utf8(s)) return s;
  std::string hex;
  char buf[3];
  for (unsigned char c : s) {
    std::snprintf(buf, sizeof buf, "%02x", c);
    hex += buf;
  }
  return json{{"hex", hex}};
}

std::string string_from_json(json const& j) {
  if (j.is_string()) return j.get<std::string>();
  if (j.is_object() && j.contains("hex") && j["hex"].is_string()) {
    auto const hex = j["hex"].get<std::string>();
    if (hex.size() % 2 == 0 && hex.find_first_not_of("0123456789abcdef") == std::string::npos) {
      std::string s;
      for (std::size_t i = 0; i < hex.size(); i += 2) s += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
      return s;
    }
  }
  throw journal_error{"bad string " + j.dump()};
}

json const& field(json const& j, char const* name) {
  if (!j.contains(name)) throw journal_error{std::string{"missing field \""} + name + "\""};
  return j[name];
}

template <typename Int>
Int int_from_json(json const& j, char const* name) {
  auto const& v = field(j, name);
  if (!v.is_number_integer()) throw journal_error{std::string{"field \""} + name + "\" is not an integer"};
  if constexpr (std::is_signed_v<Int>) {
    // A parsed non-negative number is unsigned in nlohmann::json.
    auto const too_big =
        v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<Int>::max()};
    auto const x = too_big ? std::int64_t{0} : v.get<std::int64_t>();
    if (too_big || x < std::numeric_limits<Int>::min() || x > std::numeric_limits<Int>::max())
      throw journal_error{std::string{"field \""} + name + "\" out of range"};
    return static_cast<Int>(x);
  } else {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > std::numeric_limits<Int>::max())
      throw journal_error{std::string{"field \""} + name + "\" out of range"};
    return static_cast<Int>(v.get<std::uint64_t>());
  }
}

json latlon_to_json(latlon p) { return json{{"lat", double_to_json(p.lat)}, {"lon", double_to_json(p.lon)}}; }
latlon latlon_from_json(json const& j, char const* name) {
  auto const& v = field(j, name);
  return {double_from_json(field(v, "lat")), double_from_json(field(v, "lon"))};
}

template <typename Idx>
Idx idx_from_json(json const& j, char const* name) {
  return Idx{int_from_json<typename Idx::rep>(j, name)};
}

template <typename Enum, std::size_t N>
json enum_to_json(Enum e, std::array<std::pair<Enum, char const*>, N> const& names) {
  for (auto const& [value, name] : names)
    if (value == e) return name;
  return static_cast<int>(e);  // not a named value: keep the number (replays the same way)
}

template <typename Enum, std::size_t N>
Enum enum_from_json(json const& j, char const* name, std::array<std::pair<Enum, char const*>, N> const& names) {
  auto const& v = field(j, name);
  if (v.is_number_integer()) return static_cast<Enum>(int_from_json<std::underlying_type_t<Enum>>(j, name));
  if (v.is_string())
    for (auto const& [value, n] : names)
      if (v.get<std::string>() == n) return value;
  throw journal_error{std::string{"bad value of \""} + name + "\": " + v.dump()};
}

constexpr std::array<std::pair<d::cancelled_by, char const*>, 2> cancelled_by_names{
    {{d::cancelled_by::rider, "rider"}, {d::cancelled_by::operator_, "operator"}}};
constexpr std::array<std::pair<d::stop_event_kind, char const*>, 4> stop_event_names{
    {{d::stop_event_kind::arrived, "arrived"},
     {d::stop_event_kind::picked_up, "picked_up"},
     {d::stop_event_kind::dropped_off, "dropped_off"},
     {d::stop_event_kind::no_show, "no_show"}}};

constexpr std::array<std::pair<d::connection::kind, char const*>, 3> connection_kind_names{
    {{d::connection::kind::none, "none"},
     {d::connection::kind::before_departure, "before_departure"},
     {d::connection::kind::after_arrival, "after_arrival"}}};

struct to_json_visitor {
  json operator()(d::add_vehicle_cmd const& c) const {
    return json{{"type", "add_vehicle"},
                {"now", c.now},
                {"name", string_to_json(c.spec.name)},
                {"seats", c.spec.seats},
                {"wheelchairs", c.spec.wheelchairs},
                {"depot", latlon_to_json(c.spec.depot)},
                {"shift_start", c.spec.shift_start},
                {"shift_end", c.spec.shift_end}};
  }
  json operator()(d::offer_cmd const& c) const {
    auto j = json{{"type", "offer"},
                  {"now", c.now},
                  {"pickup", latlon_to_json(c.spec.pickup)},
                  {"dropoff", latlon_to_json(c.spec.dropoff)},
                  {"passengers", c.spec.passengers},
                  {"wheelchair_users", c.spec.wheelchair_users},
                  {"earliest_pickup", c.spec.earliest_pickup}};
    if (c.spec.latest_dropoff != d::no_time) j["latest_dropoff"] = c.spec.latest_dropoff;
    return j;
  }
  json operator()(d::accept_journey_cmd const& c) const {
    auto legs = json::array();
    for (auto const& l : c.legs)
      legs.push_back(json{{"request", l.request.v()},
                          {"kind", enum_to_json(l.link.k, connection_kind_names)},
                          {"trip_id", string_to_json(l.link.trip_id)},
                          {"stop_id", string_to_json(l.link.stop_id)},
                          {"scheduled", l.link.scheduled},
                          {"buffer", l.link.buffer}});
    return json{{"type", "accept_journey"}, {"now", c.now}, {"legs", std::move(legs)}};
  }
  json operator()(d::cancel_journey_cmd const& c) const {
    return json{{"type", "cancel_journey"},
                {"now", c.now},
                {"journey", c.journey.v()},
                {"by", enum_to_json(c.by, cancelled_by_names)}};
  }
  json operator()(d::move_cmd const& c) const {
    return json{{"type", "move"},
                {"now", c.now},
                {"request", c.request.v()},
                {"earliest_pickup", c.earliest_pickup},
                {"latest_dropoff", c.latest_dropoff}};
  }
  json operator()(d::accept_cmd const& c) const {
    return json{{"type", "accept"}, {"now", c.now}, {"request", c.request.v()}};
  }
  json operator()(d::cancel_cmd const& c) const {
    return json{
        {"type", "cancel"}, {"now", c.now}, {"request", c.request.v()}, {"by", enum_to_json(c.by, cancelled_by_names)}};
  }
  json operator()(d::position_cmd const& c) const {
    return json{
        {"type", "position"}, {"now", c.now}, {"vehicle", c.vehicle.v()}, {"position", latlon_to_json(c.position)}};
  }
  json operator()(d::stop_event_cmd const& c) const {
    return json{{"type", "stop_event"},
                {"now", c.now},
                {"vehicle", c.vehicle.v()},
                {"request", c.request.v()},
                {"kind", enum_to_json(c.kind, stop_event_names)}};
  }
  json operator()(d::reoptimise_cmd const& c) const { return json{{"type", "reoptimise"}, {"now", c.now}}; }
};

d::command command_from_json(json const& j) {
  if (!j.is_object()) throw journal_error{"a command must be a JSON object"};
  auto const& type_field = field(j, "type");
  if (!type_field.is_string()) throw journal_error{"field \"type\" is not a string"};
  auto const type = type_field.get<std::string>();
  auto const now = int_from_json<d::instant>(j, "now");
  if (type == "add_vehicle") {
    d::add_vehicle_cmd c{now, {}};
    c.spec.name = string_from_json(field(j, "name"));
    c.spec.seats = int_from_json<std::uint16_t>(j, "seats");
    c.spec.wheelchairs = int_from_json<std::uint16_t>(j, "wheelchairs");
    c.spec.depot = latlon_from_json(j, "depot");
    c.spec.shift_start = int_from_json<d::instant>(j, "shift_start");
    c.spec.shift_end = int_from_json<d::instant>(j, "shift_end");
    return c;
  }
  if (type == "offer") {
    d::offer_cmd c{now, {}};
    c.spec.pickup = latlon_from_json(j, "pickup");
    c.spec.dropoff = latlon_from_json(j, "dropoff");
    c.spec.passengers = int_from_json<std::uint16_t>(j, "passengers");
    c.spec.wheelchair_users = int_from_json<std::uint16_t>(j, "wheelchair_users");
    c.spec.earliest_pickup = int_from_json<d::instant>(j, "earliest_pickup");
    if (j.contains("latest_dropoff")) c.spec.latest_dropoff = int_from_json<d::instant>(j, "latest_dropoff");
    return c;
  }
  if (type == "accept_journey") {
    d::accept_journey_cmd c{now, {}};
    auto const& legs = field(j, "legs");
    if (!legs.is_array()) throw journal_error{"field \"legs\" is not an array"};
    for (auto const& l : legs) {
      d::journey_leg leg;
      leg.request = idx_from_json<d::request_idx>(l, "request");
      leg.link.k = enum_from_json(l, "kind", connection_kind_names);
      leg.link.trip_id = string_from_json(field(l, "trip_id"));
      leg.link.stop_id = string_from_json(field(l, "stop_id"));
      leg.link.scheduled = int_from_json<d::instant>(l, "scheduled");
      leg.link.buffer = int_from_json<seconds_t>(l, "buffer");
      c.legs.push_back(std::move(leg));
    }
    return c;
  }
  if (type == "cancel_journey")
    return d::cancel_journey_cmd{now, idx_from_json<d::journey_idx>(j, "journey"),
                                 enum_from_json(j, "by", cancelled_by_names)};
  if (type == "move")
    return d::move_cmd{now, idx_from_json<d::request_idx>(j, "request"), int_from_json<d::instant>(j, "earliest_pickup"),
                       int_from_json<d::instant>(j, "latest_dropoff")};
  if (type == "accept") return d::accept_cmd{now, idx_from_json<d::request_idx>(j, "request")};
  if (type == "cancel")
    return d::cancel_cmd{now, idx_from_json<d::request_idx>(j, "request"), enum_from_json(j, "by", cancelled_by_names)};
  if (type == "position")
    return d::position_cmd{now, idx_from_json<d::vehicle_idx>(j, "vehicle"), latlon_from_json(j, "position")};
  if (type == "stop_event")
    return d::stop_event_cmd{now, idx_from_json<d::vehicle_idx>(j, "vehicle"),
                             idx_from_json<d::request_idx>(j, "request"), enum_from_json(j, "kind", stop_event_names)};
  if (type == "reoptimise") return d::reoptimise_cmd{now};
  throw journal_error{"unknown command type \"" + type + "\""};
}

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
                                  "build reads format " + std::to_string(journal_format_version) +
                                  " (Unix times, any number of days)"};
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

std::string to_json_text(dispatch::command const& c) { return std::visit(to_json_visitor{}, c).dump(); }

dispatch::command from_json_text(std::string_view text) {
  json j;
  try {
    j = json::parse(text);
  } catch (json::exception const& e) {
    throw journal_error{std::string{"command is not JSON: "} + e.what()};
  }
  try {
    return command_from_json(j);
  } catch (json::exception const& e) {
    throw journal_error{std::string{"bad command: "} + e.what()};
  }
}

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
  auto const n = query_int(db, path_, "SELECT count(*) FROM commands");
  auto const first = query_int(db, path_, "SELECT coalesce(min(seq), 0) FROM commands");
  if (n != last_seq_ - snapshot_seq_ || (n > 0 && first != snapshot_seq_ + 1))
    throw journal_error{"journal " + path_.string() + ": " + std::to_string(n) + " commands from " +
                        std::to_string(first) + " to " + std::to_string(last_seq_) + " after the snapshot of " +
                        std::to_string(snapshot_seq_) + " (a gap)"};
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
  journal_contents out;
  sqlite3_stmt* st = nullptr;
  try {
    auto [snapshot_seq, bytes] = latest_snapshot(c.db, path, true);
    if (snapshot_seq != 0) {
      try {
        out.base = decode_snapshot(bytes);
      } catch (journal_error const& e) {
        throw journal_error{"journal " + path.string() + ": snapshot of command " + std::to_string(snapshot_seq) +
                            ": " + e.what()};
      }
      if (out.base->seq != snapshot_seq)
        throw journal_error{"journal " + path.string() + ": the snapshot stored as " + std::to_string(snapshot_seq) +
                            " says " + std::to_string(out.base->seq)};
    }
    if (sqlite3_prepare_v2(c.db, "SELECT seq, format, body FROM commands ORDER BY seq", -1, &st, nullptr) != SQLITE_OK)
      fail(c.db, path, "select commands");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      auto const seq = sqlite3_column_int64(st, 0);
      auto const format = sqlite3_column_int64(st, 1);
      auto const where = "journal " + path.string() + ": command " + std::to_string(seq);
      auto const expected = snapshot_seq + static_cast<std::int64_t>(out.commands.size()) + 1;
      if (seq != expected)
        throw journal_error{where + ": expected sequence number " + std::to_string(expected) + " (a gap)"};
      if (format < oldest_readable_format || format > journal_format_version)
        throw journal_error{where + ": format version " + std::to_string(format) +
                            " is not supported (this build reads version " + std::to_string(journal_format_version) +
                            ")"};
      auto const* text = reinterpret_cast<char const*>(sqlite3_column_text(st, 2));
      std::string_view const body{text != nullptr ? text : "", static_cast<std::size_t>(sqlite3_column_bytes(st, 2))};
      try {
        out.commands.push_back(from_json_text(body));
      } catch (journal_error const& e) {
        throw journal_error{where + ": " + e.what()};
      }
    }
    if (rc != SQLITE_DONE) fail(c.db, path, "read commands");
  } catch (...) {
    sqlite3_finalize(st);
    sqlite3_exec(c.db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  sqlite3_finalize(st);
  sqlite3_exec(c.db, "COMMIT", nullptr, nullptr, nullptr);
  return out;
}

std::vector<dispatch::command> load_commands(std::filesystem::path const& path) {
  auto contents = load_journal(path);
  if (contents.base)
    throw journal_error{"journal " + path.string() + ": compacted at command " + std::to_string(contents.base->seq) +
                        "; its commands alone do not rebuild the state (restore the snapshot: load_journal)"};
  return std::move(contents.commands);
}

std::size_t replay(std::filesystem::path const& path, dispatch::dispatcher& d) {
  auto contents = load_journal(path);
  if (contents.base && !d.restore(std::move(contents.base->vehicles), std::move(contents.base->requests),
                                  std::move(contents.base->journeys)))
    throw journal_error{"journal " + path.string() + ": the snapshot does not hold together, or the dispatcher " +
                        "already has a state"};
  for (auto const& c : contents.commands) d.apply(c);
  return contents.commands.size();
}

}  // namespace nebuta::storage

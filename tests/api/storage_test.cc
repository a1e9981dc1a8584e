// The dispatcher's command journal, in SQLite and in PostgreSQL (a cluster of the test's own,
// tests/support/pg_cluster.h): every command type survives the round trip, a random session
// replays to the same state, also after compactions into snapshots, a process killed with SIGKILL
// (also while compacting) loses no acknowledged command, a journal of another format version, with
// a gap or a damaged row is refused; service areas share a PostgreSQL database without mixing;
// a one-day SQLite database of format 1 is converted to Unix times.
#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>

#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/sim/simulation.h"
#include "nebuta/storage/journal.h"
#include "nebuta/storage/migrate.h"
#include "nebuta/storage/pg_journal.h"
#include "nebuta/storage/snapshot.h"
#include "pg_cluster.h"

using namespace nebuta;
using namespace nebuta::dispatch;
namespace fs = std::filesystem;
using namespace std::string_view_literals;

namespace {

road::straight_line_model const model{};

// A database path under the temp directory, removed (with its -wal and -shm files) at the end.
struct temp_db {
  fs::path path;
  explicit temp_db(std::string const& tag) {
    static std::uint64_t counter = 0;
    path = fs::temp_directory_path() / ("nebuta_storage_test_" + std::to_string(::getpid()) + "_" +
                                        std::to_string(++counter) + "_" + tag + ".sqlite");
    remove();
  }
  ~temp_db() { remove(); }
  void remove() const {
    std::error_code ec;
    for (auto const* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path.string() + suffix, ec);
  }
};

// The journal under test: a SQLite file, or a fresh service area of the test's PostgreSQL cluster.
// `ready()` is false (after a visible warning, a failure under CI=true) when PostgreSQL is missing.
struct test_journal {
  std::string backend;
  std::unique_ptr<temp_db> file;
  std::string uri, area;

  test_journal(std::string b, std::string const& tag) : backend{std::move(b)} {
    if (backend == "sqlite") {
      file = std::make_unique<temp_db>(tag);
      return;
    }
    auto* const cluster = test::shared_pg_cluster();
    if (cluster == nullptr) {
      WARN("SKIPPED: the PostgreSQL journal (no PostgreSQL server binaries)");
      return;
    }
    static int counter = 0;
    area = tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    // Named, so that settle() can find the sessions of a killed child.
    uri = cluster->uri() + "?application_name=" + area;
  }
  bool ready() const { return file != nullptr || !uri.empty(); }
  // After a client was killed, its server session may still run the statement it had sent (an
  // INSERT, a COMMIT), until it reads the end of the connection: reading the journal before that
  // would see it one way and replaying it the other. Waits for those sessions to end.
  void settle() const;
  std::unique_ptr<storage::durable_journal> open() const {
    if (file) return std::make_unique<storage::sqlite_journal>(file->path);
    return std::make_unique<storage::pg_journal>(uri, area);
  }
  storage::journal_contents load() const {
    return file ? storage::load_journal(file->path) : storage::load_pg_journal(uri, area);
  }
  std::vector<command> load_commands() const {
    if (file) return storage::load_commands(file->path);
    auto c = load();
    REQUIRE(!c.base);
    return std::move(c.commands);
  }
  std::size_t replay(dispatcher& d) const { return storage::replay(load(), d, backend); }
  // Runs a statement on the database behind the journal's back: `sqlite` on the file, `pg` with
  // $1 bound to the service area.
  void tamper(char const* sqlite, char const* pg) const;
};

struct recorder : journal {
  std::vector<command> log;
  void record(command const& c) override { log.push_back(c); }
};

bool same_double(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }
bool same(latlon a, latlon b) { return same_double(a.lat, b.lat) && same_double(a.lon, b.lon); }

// Field by field, doubles bit by bit.
bool same(command const& a, command const& b) {
  if (a.index() != b.index()) return false;
  return std::visit(
      [&](auto const& x) {
        using T = std::decay_t<decltype(x)>;
        auto const& y = std::get<T>(b);
        if (x.now != y.now) return false;
        if constexpr (std::is_same_v<T, add_vehicle_cmd>) {
          return x.spec.name == y.spec.name && x.spec.seats == y.spec.seats &&
                 x.spec.wheelchairs == y.spec.wheelchairs && same(x.spec.depot, y.spec.depot) &&
                 x.spec.shift_start == y.spec.shift_start && x.spec.shift_end == y.spec.shift_end;
        } else if constexpr (std::is_same_v<T, offer_cmd>) {
          return same(x.spec.pickup, y.spec.pickup) && same(x.spec.dropoff, y.spec.dropoff) &&
                 x.spec.passengers == y.spec.passengers && x.spec.wheelchair_users == y.spec.wheelchair_users &&
                 x.spec.earliest_pickup == y.spec.earliest_pickup;
        } else if constexpr (std::is_same_v<T, accept_cmd>) {
          return x.request == y.request;
        } else if constexpr (std::is_same_v<T, cancel_cmd>) {
          return x.request == y.request && x.by == y.by;
        } else if constexpr (std::is_same_v<T, position_cmd>) {
          return x.vehicle == y.vehicle && same(x.position, y.position);
        } else if constexpr (std::is_same_v<T, stop_event_cmd>) {
          return x.vehicle == y.vehicle && x.request == y.request && x.kind == y.kind;
        } else {
          return true;
        }
      },
      a);
}

std::vector<command> every_command_type() {
  auto const nan = std::numeric_limits<double>::quiet_NaN();
  auto const inf = std::numeric_limits<double>::infinity();
  return {
      add_vehicle_cmd{25'200, {"bus 1 — Zona Norte \"A\"", 6, 1, {-30.0501234567891, -51.1712345678912}, 21'600, 61'200}},
      add_vehicle_cmd{-5, {std::string{"\xff\xfe bad utf-8\x00 end"sv}, 0, 65'535, {-0.0, 1e-300}, -86'400, 3 * 86'400}},
      add_vehicle_cmd{0, {"", 4, 0, {0.1 + 0.2, -51.27}, std::numeric_limits<instant>::min(), no_time}},
      offer_cmd{25'300, {{-30.01, -51.2}, {-30.1, -51.14}, 2, 1, 25'300}},
      offer_cmd{25'301, {{nan, -nan}, {inf, -inf}, 0, 3, std::numeric_limits<instant>::max()}},
      offer_cmd{1'795'302'000, {{-30.02, -51.21}, {-30.03, -51.2}, 1, 0, 1'795'390'000}},  // Unix instants
      offer_cmd{25'302, {{std::nextafter(-30.0, 0.0), 5e-324}, {-30.0, -51.0}, 65'535, 0, 0}},
      accept_cmd{25'310, request_idx{0}},
      accept_cmd{25'311, request_idx::invalid()},
      cancel_cmd{25'400, request_idx{1}, cancelled_by::rider},
      cancel_cmd{25'401, request_idx{7}, cancelled_by::operator_},
      position_cmd{25'500, vehicle_idx{0}, {-30.05, -51.18}},
      position_cmd{25'501, vehicle_idx{123'456}, {nan, 0.0}},
      stop_event_cmd{25'600, vehicle_idx{0}, request_idx{0}, stop_event_kind::arrived},
      stop_event_cmd{25'601, vehicle_idx{0}, request_idx{0}, stop_event_kind::picked_up},
      stop_event_cmd{25'602, vehicle_idx{1}, request_idx{2}, stop_event_kind::dropped_off},
      stop_event_cmd{25'603, vehicle_idx::invalid(), request_idx{3}, stop_event_kind::no_show},
      reoptimise_cmd{25'700},
  };
}

// A random session around Porto Alegre with the straight-line model: vehicles, offers, accepts
// (some late), cancels, idle position reports, vehicles following their plans, re-optimisation,
// and a few commands the dispatcher rejects. Returns the commands in order.
std::vector<command> random_session(std::uint64_t seed, rules const& r, int n_requests) {
  std::mt19937_64 rng{seed};
  auto const uniform = [&](double a, double b) { return std::uniform_real_distribution<double>{a, b}(rng); };
  auto const uniform_int = [&](int a, int b) { return std::uniform_int_distribution<int>{a, b}(rng); };
  auto const chance = [&](double p) { return uniform(0.0, 1.0) < p; };
  auto const place = [&]() { return latlon{uniform(-30.11, -29.99), uniform(-51.27, -51.13)}; };

  recorder rec;
  dispatcher d{model, r};
  d.set_journal(&rec);
  instant now = 7 * 3600;
  auto const n_vehicles = uniform_int(3, 6);
  for (int i = 0; i < n_vehicles; ++i) {
    auto const start = uniform_int(6 * 3600, 8 * 3600);
    d.add_vehicle(now, {"v" + std::to_string(i), static_cast<std::uint16_t>(uniform_int(1, 6)),
                        static_cast<std::uint16_t>(chance(0.4) ? 1 : 0), place(), start, start + 6 * 3600});
  }
  auto const follow_plans = [&](instant until) {
    for (;;) {
      instant best = no_time;
      vehicle_idx which;
      for (auto v = vehicle_idx{0}; v.v() < d.vehicles().size(); ++v) {
        auto const& st = d.vehicle(v).stops;
        if (st.empty()) continue;
        auto const t = !st.front().arrived ? st.front().arrival : st.front().begin;
        if (t < best) best = t, which = v;
      }
      if (best > until) break;
      now = std::max(now, best);
      auto const s = d.vehicle(which).stops.front();
      auto const kind = !s.arrived                     ? stop_event_kind::arrived
                        : s.kind == stop_kind::dropoff ? stop_event_kind::dropped_off
                        : chance(0.05)                 ? stop_event_kind::no_show
                                                       : stop_event_kind::picked_up;
      d.stop_event(now, which, s.request, kind);
    }
    now = std::max(now, until);
  };
  std::vector<std::pair<instant, request_idx>> accepts;
  instant next_reopt = now + 120;
  for (int i = 0; i < n_requests; ++i) {
    auto const next = now + 1 + static_cast<instant>(std::exponential_distribution<double>{1.0 / 120.0}(rng));
    std::stable_sort(accepts.begin(), accepts.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
    while (!accepts.empty() && accepts.front().first <= next) {
      follow_plans(accepts.front().first);
      auto const q = accepts.front().second;
      accepts.erase(accepts.begin());
      if (d.accept(now, q).ok() && chance(0.1))
        d.cancel(now, q, chance(0.5) ? cancelled_by::rider : cancelled_by::operator_);
    }
    while (next_reopt <= next) {
      follow_plans(next_reopt);
      d.reoptimise(now);
      next_reopt += 120;
    }
    follow_plans(next);
    if (chance(0.2)) {
      auto const v = vehicle_idx{static_cast<std::uint32_t>(uniform_int(0, n_vehicles - 1))};
      if (d.vehicle(v).stops.empty()) d.update_position(now, v, d.vehicle(v).pos.coord);
    }
    if (chance(0.03)) d.accept(now, request_idx{999'999});                                          // unknown request
    if (chance(0.03)) d.stop_event(now, vehicle_idx{0}, request_idx{0}, stop_event_kind::no_show);  // mostly wrong
    auto const n = static_cast<std::uint16_t>(chance(0.7) ? 1 : uniform_int(2, 4));
    auto const wc = static_cast<std::uint16_t>(chance(0.15) ? 1 : 0);
    auto const o = d.request_offer(now, {place(), place(), n, wc, chance(0.6) ? now : now + uniform_int(0, 3600)});
    if (o.ok() && chance(0.85))
      accepts.emplace_back(now + (chance(0.9) ? uniform_int(0, 50) : uniform_int(50, 90)), o.request);
  }
  follow_plans(now + 3 * 3600);
  return rec.log;
}

rules test_rules() {
  rules r;
  r.no_show_wait = 0;
  return r;
}

std::string dump_of(std::span<command const> commands, rules const& r) {
  dispatcher d{model, r};
  for (auto const& c : commands) d.apply(c);
  return d.dump();
}

void sql(fs::path const& path, char const* statement) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  auto const rc = sqlite3_exec(db, statement, nullptr, nullptr, &err);
  INFO(statement << ": " << (err != nullptr ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

void pg_sql(std::string const& uri, char const* statement, std::string const& area) {
  auto* const c = PQconnectdb(uri.c_str());
  REQUIRE(PQstatus(c) == CONNECTION_OK);
  char const* params[] = {area.c_str()};
  auto* const res = PQexecParams(c, statement, std::string{statement}.find("$1") != std::string::npos ? 1 : 0, nullptr,
                                 params, nullptr, nullptr, 0);
  auto const status = PQresultStatus(res);
  INFO(statement << ": " << PQerrorMessage(c));
  PQclear(res);
  PQfinish(c);
  REQUIRE((status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK));
}

void test_journal::settle() const {
  if (file) return;
  auto* const c = PQconnectdb(uri.c_str());
  REQUIRE(PQstatus(c) == CONNECTION_OK);
  char const* params[] = {area.c_str()};
  auto const others = [&] {
    auto* const res = PQexecParams(c,
                                   "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND "
                                   "pid <> pg_backend_pid()",
                                   1, nullptr, params, nullptr, nullptr, 0);
    auto const n = PQresultStatus(res) == PGRES_TUPLES_OK ? std::string{PQgetvalue(res, 0, 0)} : std::string{"?"};
    PQclear(res);
    return n;
  };
  auto const until = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  auto n = others();
  while (n != "0" && std::chrono::steady_clock::now() < until) {
    ::usleep(2'000);
    n = others();
  }
  PQfinish(c);
  INFO("sessions of the killed client still open after 10 s: " << n);
  REQUIRE(n == "0");
}

void test_journal::tamper(char const* sqlite, char const* pg) const {
  if (file) {
    sql(file->path, sqlite);
  } else {
    pg_sql(uri, pg, area);
  }
}

// Catch2 runs the test case once per backend.
#define NEBUTA_BACKEND(var) auto const var = GENERATE(as<std::string>{}, "sqlite", "postgresql")

}  // namespace

TEST_CASE("storage: every command type survives JSON and the database bit for bit") {
  auto const commands = every_command_type();
  for (auto const& c : commands) {
    auto const text = storage::to_json_text(c);
    INFO(text);
    auto const back = storage::from_json_text(text);
    CHECK(same(c, back));
    CHECK(storage::to_json_text(back) == text);
  }

  NEBUTA_BACKEND(backend);
  INFO(backend);
  test_journal db{backend, "roundtrip"};
  if (!db.ready()) return;
  {
    auto j = db.open();
    CHECK(j->last_sequence() == 0);
    for (auto const& c : commands) j->record(c);
    CHECK(j->last_sequence() == static_cast<std::int64_t>(commands.size()));
  }
  auto const loaded = db.load_commands();
  REQUIRE(loaded.size() == commands.size());
  for (std::size_t i = 0; i < commands.size(); ++i) {
    INFO("command " << i << ": " << storage::to_json_text(commands[i]));
    CHECK(same(loaded[i], commands[i]));
  }

  // Reopening appends after the last command.
  {
    auto j = db.open();
    CHECK(j->last_sequence() == static_cast<std::int64_t>(commands.size()));
    j->record(reoptimise_cmd{99'999});
  }
  auto const more = db.load_commands();
  REQUIRE(more.size() == commands.size() + 1);
  CHECK(same(more.back(), reoptimise_cmd{99'999}));

  // Bad input is refused with a journal_error, never half-read.
  CHECK_THROWS_AS(storage::from_json_text("{"), storage::journal_error);
  CHECK_THROWS_AS(storage::from_json_text(R"({"type":"teleport","now":1})"), storage::journal_error);
  CHECK_THROWS_AS(storage::from_json_text(R"({"type":"accept","now":1})"), storage::journal_error);
  CHECK_THROWS_AS(storage::from_json_text(R"({"type":"accept","now":1,"request":-1})"), storage::journal_error);
  CHECK_THROWS_AS(storage::from_json_text(R"({"type":"accept","now":1e3,"request":1})"), storage::journal_error);
  CHECK_THROWS_AS(storage::from_json_text(R"({"type":"cancel","now":1,"request":1,"by":"nobody"})"),
                  storage::journal_error);
}

TEST_CASE("storage: a random session journaled replays to the same state") {
  NEBUTA_BACKEND(backend);
  auto const r = test_rules();
  for (std::uint64_t seed : {11u, 12u}) {
    INFO(backend << ", seed " << seed);
    auto const commands = random_session(seed, r, 60);
    test_journal db{backend, "session"};
    if (!db.ready()) return;
    std::string live_dump;
    {
      auto j = db.open();
      dispatcher live{model, r};
      live.set_journal(j.get());
      for (auto const& c : commands) live.apply(c);
      live_dump = live.dump();
      CHECK(j->last_sequence() == static_cast<std::int64_t>(commands.size()));
    }
    CHECK(live_dump == dump_of(commands, r));
    dispatcher replayed{model, r};
    CHECK(db.replay(replayed) == commands.size());
    CHECK(replayed.dump() == live_dump);
  }
}

TEST_CASE("storage: SIGKILL at a random moment loses no acknowledged command") {
  NEBUTA_BACKEND(backend);
  auto const r = test_rules();
  auto const commands = random_session(21, r, 50);
  REQUIRE(commands.size() > 100);
  std::mt19937_64 rng{4242};
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  std::string summary;
  for (int iteration = 0; iteration < 8; ++iteration) {
    INFO(backend << ", iteration " << iteration);
    test_journal db{backend, "crash"};
    if (!db.ready()) return;
    auto const kill_after_acks = std::uniform_int_distribution<std::size_t>{1, commands.size() - 1}(rng);
    auto const extra_delay_us = std::uniform_int_distribution<int>{0, 3000}(rng);

    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    auto const child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // applies the commands, acknowledging each after the journal returned
      ::close(fds[0]);
      try {
        auto j = db.open();
        dispatcher d{model, r};
        d.set_journal(j.get());
        for (std::uint64_t seq = 1; seq <= commands.size(); ++seq) {
          d.apply(commands[seq - 1]);
          if (::write(fds[1], &seq, sizeof seq) != sizeof seq) ::_exit(3);
        }
      } catch (...) {
        ::_exit(2);
      }
      ::_exit(0);
    }
    ::close(fds[1]);

    // Read acknowledgements until the chosen one, wait a little more, then kill -9.
    std::uint64_t acked = 0;
    bool killed = false;
    auto const read_ack = [&](int timeout_ms) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0) return false;
      std::uint64_t seq = 0;
      if (::read(fds[0], &seq, sizeof seq) != sizeof seq) return false;  // EOF: the child is gone
      REQUIRE(seq == acked + 1);
      acked = seq;
      return true;
    };
    while (acked < kill_after_acks && std::chrono::steady_clock::now() < deadline && read_ack(10'000)) {
    }
    ::usleep(static_cast<useconds_t>(extra_delay_us));
    killed = ::kill(child, SIGKILL) == 0;
    while (read_ack(10'000)) {  // everything written before the death is acknowledged too
    }
    ::close(fds[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    db.settle();
    CHECK((WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 0)));
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    INFO("killed " << killed << " after " << acked << " acknowledged commands");

    auto const loaded = db.load_commands();
    CHECK(loaded.size() >= acked);
    CHECK(loaded.size() <= acked + 1);  // at most the command in flight
    summary += " " + std::to_string(acked) + "/" + std::to_string(loaded.size());
    REQUIRE(loaded.size() <= commands.size());
    for (std::size_t i = 0; i < loaded.size(); ++i) REQUIRE(same(loaded[i], commands[i]));

    dispatcher replayed{model, r};
    REQUIRE(db.replay(replayed) == loaded.size());
    CHECK(replayed.dump() == dump_of(std::span{commands}.first(loaded.size()), r));

    // The journal can be reopened and continued after the crash.
    CHECK(db.open()->last_sequence() == static_cast<std::int64_t>(loaded.size()));
  }
  WARN(backend << ": " << commands.size() << " commands; acknowledged/in the database after SIGKILL:" << summary);
}

TEST_CASE("storage: a journal of another format version, with a gap or a damaged row, or not a journal, is refused") {
  NEBUTA_BACKEND(backend);
  INFO(backend);
  auto const message_of = [](test_journal const& db) {
    try {
      (void)db.load();
    } catch (storage::journal_error const& e) {
      return std::string{e.what()};
    }
    return std::string{"(no error)"};
  };
  auto const written = [&](char const* tag, int n) {
    auto db = std::make_unique<test_journal>(backend, tag);
    if (!db->ready()) return db;
    auto j = db->open();
    for (int i = 1; i <= n; ++i) j->record(reoptimise_cmd{i});
    return db;
  };

  SECTION("database version") {
    auto const db = written("version", 1);
    if (!db->ready()) return;
    db->tamper("PRAGMA user_version=4", "UPDATE nebuta_journals SET format = 4 WHERE service = $1");
    auto const msg = message_of(*db);
    CHECK_THAT(msg, Catch::Contains("format version 4 is not supported") && Catch::Contains("version 3"));
    CHECK_THROWS_AS(db->open(), storage::journal_error);
    dispatcher d{model, test_rules()};
    CHECK_THROWS_AS(db->replay(d), storage::journal_error);
  }
  SECTION("command version") {
    auto const db = written("row_version", 2);
    if (!db->ready()) return;
    db->tamper("UPDATE commands SET format = 7 WHERE seq = 2",
               "UPDATE nebuta_commands SET format = 7 WHERE service = $1 AND seq = 2");
    CHECK_THAT(message_of(*db), Catch::Contains("command 2: format version 7 is not supported"));
  }
  SECTION("a gap in the sequence") {
    auto const db = written("gap", 3);
    if (!db->ready()) return;
    db->tamper("DELETE FROM commands WHERE seq = 2", "DELETE FROM nebuta_commands WHERE service = $1 AND seq = 2");
    CHECK_THAT(message_of(*db), Catch::Contains("gap"));
    CHECK_THROWS_AS(db->open(), storage::journal_error);
  }
  SECTION("a damaged row") {
    auto const db = written("damaged", 3);
    if (!db->ready()) return;
    db->tamper("UPDATE commands SET body = '{\"type\":\"reoptimise\"' WHERE seq = 2",
               "UPDATE nebuta_commands SET body = '{\"type\":\"reoptimise\"' WHERE service = $1 AND seq = 2");
    CHECK_THAT(message_of(*db), Catch::Contains("command 2: command is not JSON"));
    db->tamper("UPDATE commands SET body = '{\"type\":\"teleport\",\"now\":1}' WHERE seq = 2",
               "UPDATE nebuta_commands SET body = '{\"type\":\"teleport\",\"now\":1}' WHERE service = $1 AND seq = 2");
    CHECK_THAT(message_of(*db), Catch::Contains("command 2: unknown command type"));
  }
  SECTION("a damaged snapshot") {
    auto const db = written("damaged_snapshot", 3);
    if (!db->ready()) return;
    {
      auto j = db->open();
      dispatcher d{model, test_rules()};
      for (int i = 1; i <= 3; ++i) d.apply(reoptimise_cmd{i});
      j->compact(d);
    }
    REQUIRE(db->load().base);
    db->tamper("UPDATE snapshots SET body = substr(body, 1, 40)",
               "UPDATE nebuta_snapshots SET body = substring(body from 1 for 40) WHERE service = $1");
    CHECK_THAT(message_of(*db), Catch::Contains("snapshot of command 3"));
  }
  SECTION("not a journal") {
    if (backend == "sqlite") {
      temp_db db{"other"};
      sql(db.path, "CREATE TABLE t(x)");
      CHECK_THROWS_WITH(storage::load_journal(db.path), Catch::Contains("not a Nebuta command journal"));
      CHECK_THROWS_AS(storage::sqlite_journal{db.path}, storage::journal_error);
      temp_db missing{"missing"};
      CHECK_THROWS_WITH(storage::load_journal(missing.path), Catch::Contains("no such file"));
    } else {
      test_journal const never{backend, "never_written"};
      if (!never.ready()) return;
      CHECK_THAT(message_of(never), Catch::Contains("no journal for this service area"));
      CHECK_THROWS_WITH(storage::load_pg_journal("postgresql://nebuta@127.0.0.1:1/none", "x"),
                        Catch::Contains("cannot connect"));
    }
  }
}

TEST_CASE("storage: service areas share a PostgreSQL database without mixing their journals") {
  test_journal const a{"postgresql", "area_a"};
  if (!a.ready()) return;
  test_journal b{"postgresql", "area_b"};
  b.uri = a.uri;
  {
    auto ja = a.open();
    auto jb = b.open();
    for (int i = 1; i <= 5; ++i) ja->record(reoptimise_cmd{i});
    jb->record(reoptimise_cmd{100});
    CHECK(ja->last_sequence() == 5);
    CHECK(jb->last_sequence() == 1);
    // A second writer on area a that did not see the last commands cannot fork the journal: its
    // sequence number is taken.
    auto stale = a.open();
    CHECK(stale->last_sequence() == 5);
    ja->record(reoptimise_cmd{6});
    CHECK_THROWS_AS(stale->record(reoptimise_cmd{66}), storage::journal_error);
  }
  auto const la = a.load_commands(), lb = b.load_commands();
  REQUIRE(la.size() == 6);
  REQUIRE(lb.size() == 1);
  CHECK(same(la.back(), reoptimise_cmd{6}));
  CHECK(same(lb[0], reoptimise_cmd{100}));
  storage::pg_store sa{a.uri, a.area}, sb{b.uri, b.area};
  CHECK(sa.meta_value("timezone", "Asia/Tokyo") == "Asia/Tokyo");
  CHECK(sb.meta_value("timezone", "Europe/Berlin") == "Europe/Berlin");
  CHECK(sa.meta_value("timezone", "UTC") == "Asia/Tokyo");  // fixed once
  sa.meta_set("travel_model", "osm x");
  CHECK(sa.meta_get("travel_model") == "osm x");
  CHECK(!sb.meta_get("travel_model"));
  CHECK(sa.exists());
  CHECK(!storage::pg_store(a.uri, "never-" + a.area).exists());
}

namespace {

std::string dump_of_state(storage::snapshot s, rules const& r) {
  dispatcher d{model, r};
  REQUIRE(d.restore(std::move(s.vehicles), std::move(s.requests)));
  return d.dump();
}

}  // namespace

TEST_CASE("storage: a snapshot keeps every field bit for bit, a damaged one is refused") {
  auto const r = test_rules();
  auto const commands = random_session(31, r, 60);
  dispatcher d{model, r};
  for (std::size_t i = 0; i < commands.size() * 2 / 3; ++i) d.apply(commands[i]);
  REQUIRE(d.vehicles().size() > 0);
  REQUIRE(d.requests().size() > 10);
  auto const bytes = storage::encode_snapshot(storage::snapshot_of(d, 1234, std::string{"extra \x00\xff", 8}));
  auto const back = storage::decode_snapshot(bytes);
  CHECK(back.seq == 1234);
  CHECK(back.extra == std::string{"extra \x00\xff", 8});
  CHECK(storage::encode_snapshot(back) == bytes);
  CHECK(dump_of_state(back, r) == d.dump());

  auto const refused = [](std::string const& b) {
    try {
      (void)storage::decode_snapshot(b);
    } catch (storage::journal_error const& e) {
      return std::string{e.what()};
    }
    return std::string{"(accepted)"};
  };
  auto flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x10);
  CHECK_THAT(refused(flipped), Catch::Contains("checksum"));
  CHECK_THAT(refused(bytes.substr(0, bytes.size() - 1)), Catch::Contains("checksum"));
  CHECK_THAT(refused("NEBUTA-SNAPSHOT\n"), Catch::Contains("not a Nebuta snapshot"));
  CHECK_THAT(refused("hello"), Catch::Contains("not a Nebuta snapshot"));
  CHECK_THAT(refused(""), Catch::Contains("not a Nebuta snapshot"));
  // Random damage with a matching checksum (a writer's bug, not the disk's) is refused as well,
  // never read past the end or half-restored.
  std::mt19937_64 rng{5};
  for (int i = 0; i < 200; ++i) {
    auto body = bytes.substr(0, bytes.size() - 8);
    auto const cut = std::uniform_int_distribution<std::size_t>{16, body.size()}(rng);
    body.resize(cut);
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, as the format says
    for (auto const c : body) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    for (int k = 0; k < 8; ++k) body += static_cast<char>((h >> (8 * k)) & 0xff);
    auto const what = refused(body);
    if (cut < bytes.size() - 8) CHECK(what != "(accepted)");
  }
}

TEST_CASE("storage: a snapshot of format 1 (without the pickup and no-show times) is still read") {
  auto const r = test_rules();
  auto const commands = random_session(32, r, 60);
  dispatcher d{model, r};
  for (auto const& c : commands) d.apply(c);
  auto full = storage::snapshot_of(d, 77);
  REQUIRE(full.requests.size() > 10);
  for (auto& q : full.requests) q.pickup_reached_at = q.no_show_at = 1'800'000'000;  // set: format 2 keeps them
  auto none = full;
  none.requests.clear();
  auto const bytes = storage::encode_snapshot(full);
  auto const head = storage::encode_snapshot(none);
  // Format 3 = format 1 with two 8-byte times (format 2), then an 8-byte limit, a 1-byte flag and
  // a 4-byte journey at the end of each request (fixed-size records), and a u32 journey count
  // after the requests (here 0).
  auto const n = full.requests.size();
  auto const record = (bytes.size() - head.size()) / n;
  REQUIRE((bytes.size() - head.size()) % n == 0);
  auto const requests_at = head.size() - 8 - 4;
  auto v1 = bytes.substr(0, requests_at);
  v1[16] = 1;  // the u32 format after the 16-byte magic, little-endian
  for (std::size_t i = 0; i < n; ++i) v1 += bytes.substr(requests_at + i * record, record - 16 - 13);
  auto const sealed = [](std::string body) {
    std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a, as the format says
    for (auto const c : body) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    for (int k = 0; k < 8; ++k) body += static_cast<char>((h >> (8 * k)) & 0xff);
    return body;
  };
  auto const back = storage::decode_snapshot(sealed(v1));
  REQUIRE(back.requests.size() == n);
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(back.requests[i].pickup_reached_at == nebuta::dispatch::no_time);
    CHECK(back.requests[i].no_show_at == nebuta::dispatch::no_time);
    CHECK(back.requests[i].picked_up_at == full.requests[i].picked_up_at);
    CHECK(back.requests[i].cancelled == full.requests[i].cancelled);
  }
  v1[16] = 4;
  CHECK_THROWS_WITH(storage::decode_snapshot(sealed(v1)), Catch::Contains("format 4 is not supported"));
}

TEST_CASE("storage: a journal compacted at random moments replays to the state of the whole journal") {
  NEBUTA_BACKEND(backend);
  auto const r = test_rules();
  std::mt19937_64 rng{77};
  for (std::uint64_t seed : {41u, 42u, 43u}) {
    INFO(backend << ", seed " << seed);
    auto const commands = random_session(seed, r, 60);
    test_journal db{backend, "compact"};
    if (!db.ready()) return;
    std::size_t n_compactions = 0;
    {
      auto j = db.open();
      dispatcher live{model, r};
      live.set_journal(j.get());
      for (std::size_t i = 0; i < commands.size(); ++i) {
        live.apply(commands[i]);
        if (std::uniform_int_distribution<int>{0, 40}(rng) == 0 || i + 1 == commands.size() / 2) {
          j->compact(live, "after " + std::to_string(i + 1));
          ++n_compactions;
          CHECK(j->snapshot_sequence() == static_cast<std::int64_t>(i + 1));
          CHECK(j->commands_since_snapshot() == 0);
        }
      }
      CHECK(j->last_sequence() == static_cast<std::int64_t>(commands.size()));
    }
    CHECK(n_compactions > 1);
    auto const whole = dump_of(commands, r);
    dispatcher replayed{model, r};
    auto const applied = db.replay(replayed);
    CHECK(applied < commands.size());
    CHECK(replayed.dump() == whole);
    auto const contents = db.load();
    REQUIRE(contents.base);
    CHECK(contents.base->seq + static_cast<std::int64_t>(contents.commands.size()) ==
          static_cast<std::int64_t>(commands.size()));
    CHECK(contents.base->extra.starts_with("after "));
    if (backend == "sqlite")
      CHECK_THROWS_AS(storage::load_commands(db.file->path), storage::journal_error);  // commands alone: wrong state
    // The journal goes on after a compaction, across a reopening.
    {
      auto j = db.open();
      CHECK(j->last_sequence() == static_cast<std::int64_t>(commands.size()));
      replayed.set_journal(j.get());
      replayed.reoptimise(commands.size() * 1000);
    }
    dispatcher again{model, r};
    db.replay(again);
    CHECK(again.dump() == replayed.dump());
  }
}

TEST_CASE("storage: SIGKILL while compacting loses no acknowledged command") {
  NEBUTA_BACKEND(backend);
  auto const r = test_rules();
  auto const commands = random_session(51, r, 50);
  REQUIRE(commands.size() > 100);
  constexpr std::uint64_t compacting = std::uint64_t{1} << 62, compacted = std::uint64_t{1} << 61;
  std::mt19937_64 rng{99};
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  int n_killed_while_compacting = 0;
  std::string summary;
  for (int iteration = 0; iteration < 10; ++iteration) {
    INFO(backend << ", iteration " << iteration);
    test_journal db{backend, "crash_compact"};
    if (!db.ready()) return;
    auto const kill_at_compaction = std::uniform_int_distribution<int>{1, 25}(rng);
    auto const delay_us = std::uniform_int_distribution<int>{0, 1500}(rng);
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    auto const child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {  // acknowledges each command after the journal returned; compacts every 4
      ::close(fds[0]);
      try {
        auto j = db.open();
        dispatcher d{model, r};
        d.set_journal(j.get());
        for (std::uint64_t seq = 1; seq <= commands.size(); ++seq) {
          d.apply(commands[seq - 1]);
          if (::write(fds[1], &seq, sizeof seq) != sizeof seq) ::_exit(3);
          if (seq % 4 == 0) {
            auto const mark = compacting | seq;
            if (::write(fds[1], &mark, sizeof mark) != sizeof mark) ::_exit(3);
            j->compact(d);
            auto const done = compacted | seq;
            if (::write(fds[1], &done, sizeof done) != sizeof done) ::_exit(3);
          }
        }
      } catch (...) {
        ::_exit(2);
      }
      ::_exit(0);
    }
    ::close(fds[1]);
    std::uint64_t acked = 0;
    int n_started = 0;
    bool inside = false;  // the child was compacting at the last message
    auto const read_msg = [&](int timeout_ms) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) <= 0) return false;
      std::uint64_t m = 0;
      if (::read(fds[0], &m, sizeof m) != sizeof m) return false;
      if ((m & compacting) != 0) {
        ++n_started;
        inside = true;
      } else if ((m & compacted) != 0) {
        inside = false;
      } else {
        REQUIRE(m == acked + 1);
        acked = m;
      }
      return true;
    };
    // Up to the chosen compaction's start, then a moment (its transaction takes a few syncs), kill.
    while (n_started < kill_at_compaction && std::chrono::steady_clock::now() < deadline && read_msg(10'000)) {
    }
    ::usleep(static_cast<useconds_t>(delay_us));
    ::kill(child, SIGKILL);
    while (read_msg(10'000)) {
    }
    ::close(fds[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    db.settle();
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    n_killed_while_compacting += inside ? 1 : 0;

    auto const contents = db.load();
    auto const in_db = static_cast<std::uint64_t>((contents.base ? contents.base->seq : 0) +
                                                  static_cast<std::int64_t>(contents.commands.size()));
    INFO(acked << " acknowledged, " << in_db << " in the database");
    CHECK(in_db >= acked);
    CHECK(in_db <= acked + 1);
    summary += " " + std::to_string(acked) + (inside ? "c" : "") + "/" + std::to_string(in_db);
    dispatcher replayed{model, r};
    db.replay(replayed);
    CHECK(replayed.dump() == dump_of(std::span{commands}.first(in_db), r));
    CHECK(db.open()->last_sequence() == static_cast<std::int64_t>(in_db));  // and it goes on
  }
  WARN(backend << ": acknowledged/in the database after SIGKILL (c: killed while compacting):" << summary);
  CHECK(n_killed_while_compacting > 0);
}

TEST_CASE("storage: a one-day database of format 1 is refused, and converted to Unix times") {
  auto const r = test_rules();
  auto const commands = random_session(61, r, 40);  // times of the service day: 07:00 onwards
  // 2026-11-22 in Asia/Tokyo starts at 2026-11-21T15:00Z (hand-computed); in Europe/Berlin the
  // service day 2026-03-29 starts at noon minus 12 h, 2026-03-28T22:00Z, an hour before the
  // local midnight of a day whose clock goes forward at 02:00 (GTFS's rule, as the service counted).
  for (auto const& [zone, date, day0] : {std::tuple{"Asia/Tokyo", "2026-11-22", instant{1'795'273'200}},
                                         std::tuple{"Europe/Berlin", "2026-03-29", instant{1'774'735'200}}}) {
    INFO(zone);
    temp_db db{"format1"};
    temp_db backup{"format1_backup"};
    {
      storage::sqlite_journal j{db.path};
      for (auto const& c : commands) j.record(c);
    }
    sql(db.path, "UPDATE commands SET format = 1");
    sql(db.path, "DROP TABLE snapshots");
    sql(db.path, "PRAGMA user_version=1");
    sql(db.path, "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    sql(db.path, (std::string{"INSERT INTO meta VALUES ('service_date', '"} + date + "'), ('timezone', '" + zone +
                  "'), ('rider_token_secret', 'abc')")
                     .c_str());

    CHECK_THROWS_AS(storage::sqlite_journal{db.path}, storage::journal_needs_migration);
    CHECK_THROWS_AS(storage::load_journal(db.path), storage::journal_needs_migration);

    auto const report = storage::migrate_to_instants(db.path, backup.path);
    CHECK(report.n_commands == commands.size());
    CHECK(report.service_date == date);
    CHECK(report.timezone == zone);
    CHECK(fs::exists(backup.path));
    CHECK_THROWS_AS(storage::migrate_to_instants(db.path, backup.path), storage::journal_error);  // backup exists
    fs::remove(backup.path);
    CHECK_THROWS_WITH(storage::migrate_to_instants(db.path, backup.path), Catch::Contains("not 1"));

    // Every time moved by the start of the service day; the same state, moved likewise.
    std::vector<command> moved = commands;
    for (auto& c : moved) {
      std::visit([&](auto& x) { x.now += day0; }, c);
      if (auto* a = std::get_if<add_vehicle_cmd>(&c)) {
        a->spec.shift_start += day0;
        a->spec.shift_end += day0;
      } else if (auto* o = std::get_if<offer_cmd>(&c)) {
        o->spec.earliest_pickup += day0;
      }
    }
    auto const loaded = storage::load_journal(db.path);
    REQUIRE(loaded.commands.size() == moved.size());
    for (std::size_t i = 0; i < moved.size(); ++i) REQUIRE(same(loaded.commands[i], moved[i]));
    dispatcher replayed{model, r};
    storage::replay(db.path, replayed);
    CHECK(replayed.dump() == dump_of(moved, r));
    storage::sqlite_journal j{db.path};  // and it is a journal of this build now
    CHECK(j.last_sequence() == static_cast<std::int64_t>(commands.size()));
  }
  temp_db none{"no_meta"};
  { storage::sqlite_journal{none.path}.record(reoptimise_cmd{1}); }
  sql(none.path, "PRAGMA user_version=1");
  temp_db b{"no_meta_backup"};
  CHECK_THROWS_WITH(storage::migrate_to_instants(none.path, b.path), Catch::Contains("no service date"));
}

// Issue 15: 90 simulated days of a small service (straight-line model, generated demand with
// pre-bookings, no-shows and cancellations), every command journaled and compacted every 2,000
// commands as the service does: the start-up state (latest snapshot + the commands after it)
// equals the replay of the whole, uncompacted journal.
TEST_CASE("storage: a 90-day journal compacted along the way replays like the uncompacted one") {
  sim::scenario sc;
  sc.name = "ninety days";
  sc.seed = 90;
  sc.days = 90;
  sc.rules.no_show_wait = 120;
  sim::demand_model m;
  m.requests_per_day = 40;
  m.hourly_profile.fill(0.0);
  for (int h = 7; h < 19; ++h) m.hourly_profile[static_cast<std::size_t>(h)] = 1.0;
  m.origins.zones = {{{-30.05, -51.20}, 3000.0, 1.0}};
  m.prebooked_share = 0.3;
  m.prebook_max_lead = 20 * 3600;  // into the next day
  sc.generated = m;
  sc.fleet = {{"a", 4, 1, {-30.05, -51.21}, 6 * 3600, 20 * 3600}, {"b", 4, 0, {-30.04, -51.19}, 7 * 3600, 19 * 3600}};
  sc.riders = {1500, 0.05, 20, 0.05, 0.05};

  struct batching : journal {
    std::vector<command> all, pending;
    void record(command const& c) override {
      all.push_back(c);
      pending.push_back(c);
    }
  } rec;
  NEBUTA_BACKEND(backend);
  INFO(backend);
  test_journal db{backend, "ninety"};
  if (!db.ready()) return;
  std::size_t n_compactions = 0;
  {
    auto const journal = db.open();
    auto& j = *journal;
    sim::sim_options opt;
    opt.journal = &rec;
    opt.after_command = [&](dispatcher const& d) {
      if (rec.pending.size() < 2000) return;
      j.record_batch(rec.pending);
      rec.pending.clear();
      j.compact(d, "day " + std::to_string(n_compactions));
      ++n_compactions;
    };
    auto const res = sim::simulate(sc, model, opt);
    j.record_batch(rec.pending);
    CHECK(res.requests.size() > 2500);
    CHECK(res.k.served > 1000);
  }
  CHECK(n_compactions > 10);
  auto const contents = db.load();
  REQUIRE(contents.base);
  CHECK(contents.base->seq + static_cast<std::int64_t>(contents.commands.size()) ==
        static_cast<std::int64_t>(rec.all.size()));
  CHECK(contents.commands.size() < 2000);
  dispatcher started{model, sc.rules};
  db.replay(started);
  CHECK(started.dump() == dump_of(rec.all, sc.rules));
  WARN(backend << ": " << rec.all.size() << " commands over 90 days, " << n_compactions
               << " compactions; start-up replays " << contents.commands.size() << " after the snapshot");
}

TEST_CASE("storage: journal format 3 keeps journeys, moves and drop-off limits, a format 2 database opens") {
  using namespace nebuta::dispatch;
  accept_journey_cmd j{100,
                       {{request_idx{3}, {connection::kind::before_departure, "trip \xe6\x97\xa5", "S1", 5000, 240}},
                        {request_idx{4}, {connection::kind::after_arrival, std::string{"\xff\x01", 2}, "", 6000, 0}}}};
  offer_cmd o{90, {{-30.0, -51.0}, {-30.1, -51.1}, 2, 1, 95}};
  o.spec.latest_dropoff = 4700;
  offer_cmd plain{91, {{-30.0, -51.0}, {-30.1, -51.1}, 1, 0, 95}};
  for (command const& c : {command{j}, command{o}, command{plain},
                           command{cancel_journey_cmd{120, journey_idx{0}, cancelled_by::operator_}},
                           command{move_cmd{130, request_idx{4}, 6600, no_time}}}) {
    auto const text = storage::to_json_text(c);
    INFO(text);
    CHECK(storage::to_json_text(storage::from_json_text(text)) == text);
  }
  CHECK(storage::to_json_text(plain).find("latest_dropoff") == std::string::npos);  // no limit: as format 2 wrote it
  auto const back = std::get<accept_journey_cmd>(storage::from_json_text(storage::to_json_text(j)));
  CHECK(back.legs == j.legs);
  CHECK(std::get<offer_cmd>(storage::from_json_text(storage::to_json_text(o))).spec.latest_dropoff == 4700);

  temp_db db{"format2"};
  { storage::sqlite_journal{db.path}.record(reoptimise_cmd{1}); }
  sql(db.path, "PRAGMA user_version=2");
  sql(db.path, "UPDATE commands SET format = 2");
  {
    storage::sqlite_journal w{db.path};  // opens, marks the database format 3
    w.record(move_cmd{2, request_idx{0}, 10, no_time});
  }
  auto const loaded = storage::load_journal(db.path);
  REQUIRE(loaded.commands.size() == 2);
  CHECK(std::holds_alternative<reoptimise_cmd>(loaded.commands[0]));
  CHECK(std::holds_alternative<move_cmd>(loaded.commands[1]));
}

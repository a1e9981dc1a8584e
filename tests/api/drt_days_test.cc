// The on-demand service run every day (issue 15), through its HTTP API in-process: bookings for
// tomorrow and the day after land in that day's shifts, a night shift serves past midnight, a
// holiday runs the weekend fleet; the journal compacts and restarts from its snapshot; another
// travel model is refused or, accepted, re-planned with the broken promises reported; a one-day
// database is refused naming the command that converts it; the start-up and input checks answer
// with their codes. Times are computed by hand from 2026-11-22T00:00:00+09:00 = 1,795,273,200.
#include <sqlite3.h>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "drt_client.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/drt_command.h"
#include "nebuta/drt_config/checks.h"
#include "nebuta/report/report.h"
#include "nebuta/storage/journal.h"

namespace as = nebuta::api_server;
namespace d = nebuta::dispatch;
using json = nlohmann::json;
using nebuta::test::bearer;
using nebuta::test::http_call;

namespace {

constexpr std::int64_t day22 = 1'795'273'200;  // Sunday 2026-11-22 00:00 JST; the 23rd is a holiday
constexpr std::int64_t h = 3600, day = 86'400;
std::string const op_token = "days-test-operator-token";
std::string const op = bearer(op_token);

// Around Hachinohe station (八戸駅 40.5092 141.4312).
constexpr double depot_lat = 40.5090, depot_lon = 141.4330;

d::shift_pattern pattern(std::string name, std::uint16_t wheelchairs, nebuta::seconds_t start, nebuta::seconds_t end,
                         d::day_rule days) {
  d::shift_pattern p;
  p.vehicle = {std::move(name), 4, wheelchairs, {depot_lat, depot_lon}, 0, 0};
  p.start = start;
  p.end = end;
  p.days = days;
  return p;
}

struct service {
  nebuta::test::drt_temp_dir dir{"days"};
  std::atomic<std::int64_t> now{day22 + 20 * h};  // Sunday 20:00: today's day shifts are over
  std::unique_ptr<as::drt_service> drt;
  std::unique_ptr<as::http_server> server;
  d::rules rules;
  std::string fingerprint{"straight_line detour=1.3 speed_kmh=30"};
  double speed_kmh{30.0};
  bool accept_new_model{false};
  std::int64_t compact_every{20'000};

  service() { rules.max_booking_ahead = 2 * day; }
  ~service() { stop(); }

  void start() {
    as::drt_options o;
    o.db = dir.path / "state.sqlite";
    o.timezone = "Asia/Tokyo";
    o.operator_token = op_token;
    o.reoptimise_every_s = 0;
    o.clock = [this] { return now.load(); };
    o.travel_model_fingerprint = fingerprint;
    o.accept_new_travel_model = accept_new_model;
    o.compact_every = compact_every;
    o.shifts = {pattern("weekday", 0, 7 * 3600, 19 * 3600, {0x1f, false, {}, {}}),
                pattern("weekend", 1, 9 * 3600, 17 * 3600, {0x60, true, {}, {}}),
                pattern("night", 0, 22 * 3600, 26 * 3600, d::day_rule::daily())};
    o.holidays = d::holiday_calendar{{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}}};
    drt = std::make_unique<as::drt_service>(std::make_unique<nebuta::road::straight_line_model>(1.3, speed_kmh), rules,
                                            std::move(o));
    server = std::make_unique<as::http_server>(nullptr, drt.get(), nebuta::test::loopback_config());
    server->start();
  }
  void stop() {
    if (server) server->stop();
    server.reset();
    if (drt) drt->stop_background();
    drt.reset();
  }
  json call(std::string const& method, std::string const& target, std::string const& body = {},
            std::string const& headers = {}, int expect = 200) const {
    auto const r = http_call(server->port(), method, target, body, headers);
    INFO(method << " " << target << " " << body << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expect);
    return json::parse(r.body);
  }
  json offer(std::string const& when, int wheelchair_users = 0, int expect = 200) const {
    json body{{"pickup", {{"lat", 40.5120}, {"lon", 141.4400}}},
              {"dropoff", {{"lat", 40.5150}, {"lon", 141.4700}}},
              {"passengers", 1},
              {"wheelchair_users", wheelchair_users}};
    if (!when.empty()) body["earliest_pickup_time"] = when;
    return call("POST", "/v1/drt/offers", body.dump(), {}, expect);
  }
};

}  // namespace

TEST_CASE("drt days: bookings for tomorrow and the day after land in that day's shifts", "[drt][days]") {
  service s;
  s.start();
  // Registered at start: Sunday's night shift (its day shifts are over), the holiday's and
  // Tuesday's shifts up to the horizon (now + 48 h: Tuesday 20:00) and a day beyond.
  CHECK(s.drt->n_vehicles() == 7);  // night x 3 (22nd..24th), weekend 23rd, weekday 24th and 25th, night 25th
  // Tomorrow 09:00 (the holiday): only the weekend shift works (the weekday one does not).
  auto const tomorrow = s.offer("2026-11-23T09:00");
  REQUIRE(tomorrow["offered"] == true);
  CHECK(tomorrow["offer"]["vehicle_id"] == "weekend");
  CHECK(tomorrow["offer"]["pickup_window_start"]["unix"] == std::to_string(day22 + day + 9 * h));  // int64: a JSON string
  CHECK(tomorrow["offer"]["pickup_window_start"]["date"] == "2026-11-23");
  CHECK(tomorrow["offer"]["pickup_window_start"]["seconds"] == 9 * h);
  CHECK(tomorrow["offer"]["pickup_window_start"]["time"] == "2026-11-23T09:00:00+09:00");
  s.call("POST", "/v1/drt/requests/" + tomorrow["request_id"].get<std::string>() + "/accept", {},
         bearer(tomorrow["rider_token"]));
  // The day after (a Tuesday) 09:00: the weekday shift.
  auto const after = s.offer("2026-11-24T09:00");
  REQUIRE(after["offered"] == true);
  CHECK(after["offer"]["vehicle_id"] == "weekday");
  // A wheelchair user on Tuesday: only the weekend vehicle has a space, and it does not work.
  auto const wheelchair = s.offer("2026-11-24T09:00", 1);
  CHECK(wheelchair["offered"] == false);
  CHECK(wheelchair["reject_reason"] == "no_vehicle_in_service");
  // 01:00 tonight: the night shift of the 22nd, which ends at 02:00 on the 23rd.
  auto const night = s.offer("2026-11-23T01:00");
  REQUIRE(night["offered"] == true);
  CHECK(night["offer"]["vehicle_id"] == "night");
  CHECK(night["offer"]["pickup_window_start"]["unix"] == std::to_string(day22 + 25 * h));
  // Beyond the horizon: Wednesday 12:00 is 64 h ahead, more than 48 h.
  auto const far = s.offer("2026-11-25T12:00");
  CHECK(far["offered"] == false);
  CHECK(far["reject_reason"] == "too_far_ahead");
  // "09:00" is today's 09:00, which is past: invalid_time.
  auto const past = s.offer("09:00", 0, 400);
  CHECK(past["code"] == "invalid_time");

  // The holiday's driver sees tomorrow's booking on his (current: next) shift.
  auto const stops = s.call("GET", "/v1/drt/vehicles/weekend/stops", {}, op);
  REQUIRE(stops["stops"].size() == 2);
  CHECK(stops["stops"][0]["request_id"] == tomorrow["request_id"]);

  // A day later the horizon has moved: Wednesday's shifts appear, a booking there is taken.
  s.now += day;
  auto const wednesday = s.offer("2026-11-25T12:00");
  INFO(wednesday.dump());
  CHECK(wednesday["offered"] == true);
  CHECK(s.drt->n_vehicles() > 7);
}

TEST_CASE("drt days: the journal compacts, a restart restores the snapshot and answers the same", "[drt][days]") {
  service s;
  s.compact_every = 5;
  s.start();
  std::vector<std::pair<std::string, std::string>> booked;  // id, token
  for (auto const* when : {"2026-11-22T22:30", "2026-11-23T09:30", "2026-11-23T10:00", "2026-11-24T08:00"}) {
    auto const o = s.offer(when);
    REQUIRE(o["offered"] == true);
    s.call("POST", "/v1/drt/requests/" + o["request_id"].get<std::string>() + "/accept", {}, bearer(o["rider_token"]));
    booked.emplace_back(o["request_id"], o["rider_token"]);
  }
  s.drt->stop_background();  // runs the housekeeping a last time: compaction is due
  std::vector<std::string> before;
  for (auto const& [id, token] : booked)
    before.push_back(s.call("GET", "/v1/drt/requests/" + id, {}, bearer(token)).dump());
  auto const fleet_before = s.call("GET", "/v1/drt/vehicles", {}, op).dump();
  {
    auto const contents = nebuta::storage::load_journal(s.dir.path / "state.sqlite");
    REQUIRE(contents.base);
    CHECK(contents.commands.empty());
  }
  s.stop();
  s.start();
  CHECK(s.drt->n_replayed() == 0);
  for (std::size_t i = 0; i < booked.size(); ++i) {
    CHECK(s.call("GET", "/v1/drt/requests/" + booked[i].first, {}, bearer(booked[i].second)).dump() == before[i]);
  }
  CHECK(s.call("GET", "/v1/drt/vehicles", {}, op).dump() == fleet_before);
  auto const metrics = s.drt->prometheus_text();
  CHECK_THAT(metrics, Catch::Contains("nebuta_drt_compactions_total"));
}

TEST_CASE("drt days: another travel model is refused, or re-planned with the broken promises reported", "[drt][days]") {
  service s;
  s.start();
  auto const o = s.offer("2026-11-22T22:05");
  REQUIRE(o["offered"] == true);
  auto const id = o["request_id"].get<std::string>();
  s.call("POST", "/v1/drt/requests/" + id + "/accept", {}, bearer(o["rider_token"]));
  auto const promised = s.call("GET", "/v1/drt/requests/" + id, {}, op);
  s.stop();

  // A slower straight line (8 km/h instead of 30): refused without the flag.
  s.fingerprint = "straight_line detour=1.3 speed_kmh=8";
  s.speed_kmh = 8.0;
  try {
    s.start();
    FAIL("started under another travel model");
  } catch (std::invalid_argument const& e) {
    CHECK_THAT(e.what(), Catch::Contains("speed_kmh=30") && Catch::Contains("speed_kmh=8") &&
                             Catch::Contains("--accept-new-travel-model"));
  }
  s.accept_new_model = true;
  s.start();
  auto const& notes = s.drt->startup_notes();
  std::string all;
  for (auto const& n : notes) all += n + "\n";
  INFO(all);
  CHECK_THAT(all, Catch::Contains("travel model changed"));
  // The night shift starts at 22:00 at the depot. At 30 km/h the pickup 884 m away (x 1.3 detour)
  // takes 106 s and the ride of 3,325 m 399 s: latest drop-off 22:05 + 30 s + floor(1.5 x 399) +
  // 600 s = 22:25:28. At 8 km/h they take 398 s and 1,496 s: drop-off at 22:32:04, too late,
  // and a ride of 1,526 s over its limit of 1,228 s.
  CHECK_THAT(all, Catch::Contains("request " + id + " (night)"));
  // The promise itself is what it was.
  auto const now_status = s.call("GET", "/v1/drt/requests/" + id, {}, op);
  CHECK(now_status["latest_dropoff"] == promised["latest_dropoff"]);
  s.stop();
  s.accept_new_model = false;
  s.start();  // the database is under the new model now
  CHECK_THAT(s.drt->startup_notes().front(), Catch::StartsWith("restored the snapshot"));
}

TEST_CASE("drt days: implausible positions get 422 and are counted", "[drt][days]") {
  service s;
  s.rules.service_area = {{{40.48, 141.40}, {40.48, 141.56}, {40.56, 141.56}, {40.56, 141.40}}};
  s.now = day22 + 22 * h + 600;  // the night shift is on
  s.start();
  auto const post = [&](double lat, double lon, int expect) {
    return s.call("POST", "/v1/drt/vehicles/night/position", json{{"lat", lat}, {"lon", lon}}.dump(), op, expect);
  };
  // 45 km east, at sea: far from the service area.
  auto const sea = post(40.51, 142.04, 422);
  CHECK(sea["code"] == "implausible_position");
  CHECK_THAT(sea["message"].get<std::string>(), Catch::Contains("km from the service area"));
  post(40.5100, 141.4400, 200);
  s.now += 60;
  // 60 s later 4 km further: 240 km/h.
  auto const jump = post(40.5100, 141.4875, 422);
  CHECK(jump["code"] == "implausible_position");
  post(40.5100, 141.4500, 200);  // 850 m in 60 s: 51 km/h
  CHECK_THAT(s.drt->prometheus_text(), Catch::Contains("nebuta_drt_implausible_positions_total 2"));
}

TEST_CASE("drt days: a one-day database is refused with the command that converts it", "[drt][days]") {
  nebuta::test::drt_temp_dir dir{"format1"};
  auto const db = dir.path / "old.sqlite";
  sqlite3* c = nullptr;
  REQUIRE(sqlite3_open(db.c_str(), &c) == SQLITE_OK);
  REQUIRE(sqlite3_exec(c,
                       "CREATE TABLE commands(seq INTEGER PRIMARY KEY, format INTEGER NOT NULL, body TEXT NOT NULL);"
                       "INSERT INTO commands VALUES (1, 1, '{\"type\":\"reoptimise\",\"now\":30000}');"
                       "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                       "INSERT INTO meta VALUES ('service_date', '2026-11-22'), ('timezone', 'Asia/Tokyo');"
                       "PRAGMA user_version=1;",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(c);
  auto const token = dir.path / "token";
  std::ofstream{token} << op_token;
  as::drt_cli_options o;
  o.db = db.string();
  o.operator_token_file = token.string();
  o.reoptimise_every_s = 0;
  try {
    (void)as::make_drt_service(o, {}, "test");
    FAIL("a format-1 database was opened");
  } catch (std::runtime_error const& e) {
    CHECK_THAT(e.what(),
               Catch::Contains("format 1") && Catch::Contains("nebuta dispatch --db " + db.string() + " --migrate-db"));
  }
  as::migrate_drt_database(db.string(), "test");
  CHECK(std::filesystem::exists(db.string() + ".format1"));
  auto const svc = as::make_drt_service(o, {}, "test");
  CHECK(svc->n_replayed() == 1);
  o.service_date = "2026-11-22";
  CHECK_THROWS_WITH(as::make_drt_service(o, {}, "test"), Catch::Contains("--service-date is gone"));
}

TEST_CASE("drt days: depots, meeting points and feed stops outside the area warn, --strict refuses", "[drt][days]") {
  d::rules r;
  r.service_area = {{{40.48, 141.40}, {40.48, 141.56}, {40.56, 141.56}, {40.56, 141.40}}};  // Hachinohe
  std::vector<d::shift_pattern> fleet{pattern("in", 0, 0, 3600, d::day_rule::daily())};
  CHECK(nebuta::drt_config::area_warnings(r, fleet, {}).empty());
  fleet.push_back(pattern("aomori", 0, 0, 3600, d::day_rule::daily()));
  fleet.back().vehicle.depot = {40.8286, 140.7346};  // Aomori station, 80 km away
  fleet.push_back(fleet.back());                     // its second pattern: said once
  r.meeting_points = {{40.51, 141.43}, {40.8286, 140.7346}};
  std::vector<nebuta::latlon> const stops{{40.8286, 140.7346}, {40.8915, 140.8625}};  // a feed of Aomori
  auto const w = nebuta::drt_config::area_warnings(r, fleet, stops);
  REQUIRE(w.size() == 4);
  CHECK(w[0] == "the depot of vehicle aomori (40.828600,140.734600) lies outside the service area");
  CHECK(w[1] == "1 of 2 meeting points lie outside the service area (first: 40.828600,140.734600)");
  CHECK(w[2] == "2 of 2 stops of the loaded feed lie outside the service area (first: 40.828600,140.734600)");
  CHECK(w[3] == "no stop of the loaded feed lies in the service area: is it the feed of another place?");

  // Through the command's start-up: the rules file with the area, a fleet with a depot outside.
  nebuta::test::drt_temp_dir dir{"strict"};
  std::ofstream{dir.path / "rules.json"} << R"({"service_area": {"type": "Polygon", "coordinates":
      [[[141.40, 40.48], [141.56, 40.48], [141.56, 40.56], [141.40, 40.56], [141.40, 40.48]]]}})";
  std::ofstream{dir.path / "fleet.csv"} << "vehicle_id,seats,depot_lat,depot_lon,shift_start,shift_end\n"
                                           "aomori-1,4,40.8286,140.7346,07:00,19:00\n";
  std::ofstream{dir.path / "token"} << op_token;
  as::drt_cli_options o;
  o.db = (dir.path / "state.sqlite").string();
  o.rules = (dir.path / "rules.json").string();
  o.fleet = (dir.path / "fleet.csv").string();
  o.operator_token_file = (dir.path / "token").string();
  o.reoptimise_every_s = 0;
  o.strict = true;
  CHECK_THROWS_WITH(as::make_drt_service(o, {{}, {}, stops}, "test"),
                    Catch::Contains("--strict") && Catch::Contains("depot of vehicle aomori-1"));
  CHECK_FALSE(std::filesystem::exists(dir.path / "state.sqlite"));  // refused before touching the database
  o.strict = false;
  CHECK(as::make_drt_service(o, {{}, {}, stops}, "test")->n_vehicles() > 0);  // warned, started
}

TEST_CASE("drt days: a service date's summary counts its requests, shifts and rides", "[drt][days]") {
  service s;
  s.start();
  auto const tuesday = s.offer("2026-11-24T09:00");  // to be ridden
  REQUIRE(tuesday["offered"] == true);
  auto const id = tuesday["request_id"].get<std::string>();
  s.call("POST", "/v1/drt/requests/" + id + "/accept", {}, bearer(tuesday["rider_token"]));
  auto const cancelled = s.offer("2026-11-24T10:00");
  REQUIRE(cancelled["offered"] == true);
  auto const cid = cancelled["request_id"].get<std::string>();
  s.call("POST", "/v1/drt/requests/" + cid + "/accept", {}, bearer(cancelled["rider_token"]));
  s.call("POST", "/v1/drt/requests/" + cid + "/cancel", {}, bearer(cancelled["rider_token"]));
  json nine{{"pickup", {{"lat", 40.5120}, {"lon", 141.4400}}},
            {"dropoff", {{"lat", 40.5150}, {"lon", 141.4700}}},
            {"passengers", 9},  // more than max_passengers (8)
            {"earliest_pickup_time", "2026-11-24T11:00"}};
  CHECK(s.call("POST", "/v1/drt/offers", nine.dump())["reject_reason"] == "too_many_passengers");
  auto const monday_offer = s.offer("2026-11-23T09:00");  // Monday: another date, booked
  REQUIRE(monday_offer["offered"] == true);
  auto const monday_id = monday_offer["request_id"].get<std::string>();
  s.call("POST", "/v1/drt/requests/" + monday_id + "/accept", {}, bearer(monday_offer["rider_token"]));
  // The holiday's vehicle reports the rider on board at 08:00, before the window opens at 09:00.
  s.now = day22 + day + 8 * h;
  for (auto const* kind : {"arrived", "picked_up"})
    s.call("POST", "/v1/drt/vehicles/weekend/events", json{{"request_id", monday_id}, {"kind", kind}}.dump(), op);

  // Tuesday: picked up a minute into the window, dropped off a minute before the promise.
  auto const pick = std::stoll(tuesday["offer"]["pickup_window_start"]["unix"].get<std::string>()) + 60;
  auto const drop = std::stoll(tuesday["offer"]["latest_dropoff"]["unix"].get<std::string>()) - 60;
  s.now = pick;
  for (auto const* kind : {"arrived", "picked_up"})
    s.call("POST", "/v1/drt/vehicles/weekday/events", json{{"request_id", id}, {"kind", kind}}.dump(), op);
  s.now = drop;
  s.call("POST", "/v1/drt/vehicles/weekday/events", json{{"request_id", id}, {"kind", "dropped_off"}}.dump(), op);

  auto const sum = s.call("GET", "/v1/drt/summary?date=2026-11-24", {}, op);
  INFO(sum.dump());
  CHECK(sum["date"] == "2026-11-24");
  CHECK(sum["requests"] == 3);
  CHECK(sum["completed"] == 1);
  CHECK(sum["cancelled"] == 1);
  CHECK(sum["rejected"] == 1);
  REQUIRE(sum["rejected_by_reason"].size() == 1);
  CHECK(sum["rejected_by_reason"][0]["reason"] == "too_many_passengers");
  CHECK(sum["passengers_served"] == 1);
  CHECK(sum["on_time_pickups"] == 1);
  CHECK(sum["on_time_dropoffs"] == 1);
  CHECK(sum.value("late_pickups", 0) == 0);
  // Tuesday's shifts: weekday 07:00-19:00 and night 22:00-26:00.
  CHECK(sum["vehicle_hours"].get<double>() == Approx(16.0));
  auto const ride_h = static_cast<double>(drop - pick) / 3600.0;
  CHECK(sum["passenger_hours"].get<double>() == Approx(ride_h));
  CHECK(sum["occupancy"].get<double>() == Approx(ride_h / 16.0));
  // The straight-line model's length: great circle x detour 1.3, computed by the tests' haversine.
  auto const gc = nebuta::test::test_haversine_m(40.5120, 141.4400, 40.5150, 141.4700);
  CHECK(sum["direct_km"].get<double>() == Approx(gc * 1.3 / 1000.0).epsilon(1e-6));

  // Vehicle km on the straight-line model, by hand: the weekday vehicle drove from its depot to
  // the pickup (empty) and on to the drop-off; the way home is still planned (its shift ends at
  // 19:00). Once the shift is over the way home is driven, empty.
  auto const km = [](double lat1, double lon1, double lat2, double lon2) {
    return nebuta::test::test_haversine_m(lat1, lon1, lat2, lon2) * 1.3 / 1000.0;
  };
  auto const to_pickup = km(depot_lat, depot_lon, 40.5120, 141.4400);
  auto const riding = km(40.5120, 141.4400, 40.5150, 141.4700);
  auto const home = km(40.5150, 141.4700, depot_lat, depot_lon);
  CHECK(sum["vehicle_km"].get<double>() == Approx(to_pickup + riding).epsilon(1e-6));
  CHECK(sum["empty_km"].get<double>() == Approx(to_pickup).epsilon(1e-6));
  CHECK(sum["planned_km"].get<double>() == Approx(home).epsilon(1e-6));
  s.now = day22 + 3 * day;  // Wednesday 00:00
  auto const over = s.call("GET", "/v1/drt/summary?date=2026-11-24", {}, op);
  CHECK(over["vehicle_km"].get<double>() == Approx(to_pickup + riding + home).epsilon(1e-6));
  CHECK(over["empty_km"].get<double>() == Approx(to_pickup + home).epsilon(1e-6));
  CHECK(over.value("planned_km", 0.0) == 0.0);

  // Monday's rider is still on board: exported with status open, and the report draws it.
  nebuta::test::drt_temp_dir exported{"monday"};
  for (auto const* name : {"scenario.json", "requests.csv", "vehicles.csv", "events.csv", "kpis.json"}) {
    auto const r = http_call(s.server->port(), "GET", std::string{"/v1/drt/export/"} + name + "?date=2026-11-23", {}, op);
    REQUIRE(r.status == 200);
    std::ofstream{exported.path / name, std::ios::binary} << r.body;
  }
  std::ifstream requests_csv{exported.path / "requests.csv"};
  std::string header, first;
  std::getline(requests_csv, header);
  std::getline(requests_csv, first);
  CHECK_THAT(first, Catch::Contains(",open,"));
  nebuta::report::write_run_report(exported.path);
  std::ifstream report_html{exported.path / "report.html"};
  std::string const html{std::istreambuf_iterator<char>{report_html}, std::istreambuf_iterator<char>{}};
  CHECK_THAT(html, Catch::Contains("data-status=\"open\" data-count=\"1\""));

  auto const monday = s.call("GET", "/v1/drt/summary?date=2026-11-23", {}, op);
  CHECK(monday["requests"] == 1);
  CHECK(monday["on_board"] == 1);
  CHECK(monday["early_pickups"] == 1);
  CHECK(monday.value("on_time_pickups", 0) == 0);
  CHECK(s.call("GET", "/v1/drt/summary?date=2026-13-01", {}, op, 400)["code"] == "invalid_date");

  // The same date's requests, paged and by status.
  auto const all = s.call("GET", "/v1/drt/requests?date=2026-11-24", {}, op);
  CHECK(all["total"] == 3);
  REQUIRE(all["requests"].size() == 3);
  CHECK(all["requests"][0]["request_id"] == id);
  CHECK_FALSE(all.contains("next_offset"));
  auto const done = s.call("GET", "/v1/drt/requests?date=2026-11-24&status=completed", {}, op);
  REQUIRE(done["requests"].size() == 1);
  CHECK(done["requests"][0]["request_id"] == id);
  auto const page1 = s.call("GET", "/v1/drt/requests?date=2026-11-24&limit=2", {}, op);
  CHECK(page1["requests"].size() == 2);
  CHECK(page1["next_offset"] == 2);
  auto const page2 = s.call("GET", "/v1/drt/requests?date=2026-11-24&limit=2&offset=2", {}, op);
  REQUIRE(page2["requests"].size() == 1);
  CHECK(page2["requests"][0]["status"] == "rejected");
  CHECK_FALSE(page2.contains("next_offset"));
  CHECK(s.call("GET", "/v1/drt/requests?status=lost", {}, op, 400)["code"] == "invalid_parameter");
  CHECK(s.call("GET", "/v1/drt/summary", {}, {}, 401)["code"] == "unauthorized");
}

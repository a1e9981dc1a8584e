// A late train moving a booked journey's last-mile pickup through the whole server (issue 16):
// the planner with an on-demand service and a push realtime source wired as `nebuta serve` wires
// them (connect_journeys), a journey planned with GET /v1/plan and booked with its token, then
// GTFS-RT trip updates pushed with POST /v1/rt/{source}. Each applied update checks the journeys
// it touches at once (the background pass is off here): the pickup window moves with the train,
// another rider's booking keeps its promise (checked by a validator written here, from the
// vehicles' planned stops and the straight-line model's rule, metres / 10 at 36 km/h), a first
// mile whose train is late keeps its promise unchanged, and when the vehicle can no longer meet
// the train, GET /v1/journeys/{id} says so with the next alternative planned from the station at
// the train's realtime arrival (here the later bus, read off the timetable below).
//   STA 35.00, CITY 35.30, TOWN 35.40 (lon 139.0). Train T: STA 08:30 -> CITY 09:00; train T2:
//   STA 09:30 -> CITY 10:00; bus B: CITY 11:00 -> TOWN 11:20. Date 2024-06-03 (JST).
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "../engine/raptor/mini_feed.h"
#include "drt_client.h"
#include "gtfs-realtime.pb.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/realtime.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/service.h"
#include "nebuta/drt_config/config.h"

namespace as = nebuta::api_server;
namespace pb = transit_realtime;
using json = nlohmann::json;
using nebuta::test::bearer;
using nebuta::test::hm;

namespace {

// 2024-06-03 00:00 JST as a Unix time, from the civil calendar (not the code under test).
std::int64_t const jst_midnight =
    std::chrono::sys_days{std::chrono::year{2024} / 6 / 3}.time_since_epoch().count() * 86'400LL - 9 * 3600;
std::int64_t jst(int h, int m, int s = 0) { return jst_midnight + hm(h, m, s); }

std::string const op_token = "journeys-rt-test-operator-token";

constexpr double lon = 139.0;
constexpr double sta = 35.00, city = 35.30, town = 35.40;
constexpr double home = 35.0008;  // 90 m from STA: the rider walks to the train
constexpr double dest = 35.3975;  // 280 m from TOWN, 10.8 km from CITY
constexpr double other = 35.305;  // another rider near CITY
constexpr double south = 34.96;   // a first-mile rider 4.4 km south of STA

nebuta::timetable make_timetable() {
  nebuta::test::mini_feed f;
  f.add_stop("STA", sta, lon);
  f.add_stop("CITY", city, lon);
  f.add_stop("TOWN", town, lon);
  f.add_line("BUS");
  f.add_trip("T", {{"STA", hm(8, 30)}, {"CITY", hm(9, 0)}});
  f.add_trip("T2", {{"STA", hm(9, 30)}, {"CITY", hm(10, 0)}});
  f.add_trip("B", {{"CITY", hm(11, 0)}, {"TOWN", hm(11, 20)}}, "all", 0, "", "BUS");
  return f.compile();
}

// The straight-line model of the service, written here: metres / 10 (36 km/h, no detour).
double drive_s(double lat1, double lat2) { return nebuta::test::test_haversine_m(lat1, lon, lat2, lon) / 10.0; }

std::int64_t unix_of(json const& t) { return std::stoll(t["unix"].get<std::string>()); }

struct fixture {
  nebuta::test::drt_temp_dir dir{"journeys-rt"};
  nebuta::timetable tt{make_timetable()};
  std::shared_ptr<std::atomic<std::int64_t>> clock = std::make_shared<std::atomic<std::int64_t>>(jst(7, 0));
  std::unique_ptr<nebuta::api_service::service> svc;
  std::unique_ptr<as::drt_service> drt;
  std::unique_ptr<as::realtime> rt;
  std::unique_ptr<as::http_server> server;

  explicit fixture(std::map<std::string, nebuta::seconds_t, std::less<>> stop_buffers = {},
                   nebuta::seconds_t shift_end = hm(10, 30)) {
    svc = std::make_unique<nebuta::api_service::service>(tt);
    as::drt_options o;
    o.db = dir.path / "state.sqlite";
    o.operator_token = op_token;
    o.reoptimise_every_s = 0;  // no background pass: only new realtime states move legs
    o.timezone = "Asia/Tokyo";
    o.clock = [c = clock] { return c->load(); };
    for (auto const& [name, at] : {std::pair{"car-city", city}, std::pair{"car-sta", sta}}) {
      nebuta::dispatch::shift_pattern sp;
      sp.vehicle.name = name;
      sp.vehicle.seats = 4;
      sp.vehicle.depot = {at, lon};
      sp.start = hm(6, 0);
      sp.end = shift_end;
      o.shifts.push_back(sp);
    }
    o.intermodal.hub_min_routes = 1;
    o.intermodal.door_to_door = false;
    o.intermodal.stop_buffers_s = std::move(stop_buffers);
    drt = std::make_unique<as::drt_service>(std::make_unique<nebuta::road::straight_line_model>(1.0, 36.0),
                                            nebuta::dispatch::rules{}, std::move(o));
    drt->register_shifts();
    as::realtime_options ro;
    ro.sources = {"ops=push"};
    ro.max_age_s = 0;
    ro.operator_token = op_token;
    ro.clock = [c = clock] { return c->load(); };
    rt = std::make_unique<as::realtime>(tt, std::vector<nebuta::gtfs_import::feed_spec>{}, std::move(ro));
    server = std::make_unique<as::http_server>(svc.get(), drt.get(), nebuta::test::loopback_config());
    server->handler_api().set_realtime(rt.get());
    as::connect_journeys(*drt, *svc, rt.get());  // as run_serve does, before the server answers
    server->start();
  }
  ~fixture() {
    rt->stop();
    server->stop();
    drt->stop_background();
  }
  json call(std::string const& method, std::string const& target, std::string const& body, std::string const& h,
            int expect) const {
    auto const r = nebuta::test::http_call(server->port(), method, target, body, h);
    INFO(method << " " << target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expect);
    return json::parse(r.body);
  }
  // GET /v1/plan from (from_lat, 139.0) to (to_lat, 139.0) on 2024-06-03 leaving at `depart`: its
  // first on-demand journey (required).
  json on_demand_plan(double from_lat, double to_lat, std::string const& depart) const {
    auto const plan = call("GET",
                           "/v1/plan?from=" + std::to_string(from_lat) + ",139.0&to=" + std::to_string(to_lat) +
                               ",139.0&date=2024-06-03&depart=" + depart,
                           {}, {}, 200);
    INFO(plan.dump());
    for (auto const& j : plan["journeys"]) {
      if (j.value("on_demand", false)) return j;
    }
    FAIL("no on-demand journey");
    return {};
  }
  // The source's whole content (a FULL_DATASET push replaces the last): each trip's delay (s) at
  // one stop, arrival and departure.
  std::map<std::string, std::pair<std::string, int>> delays;
  void push_delays() const {
    pb::FeedMessage m;
    m.mutable_header()->set_gtfs_realtime_version("2.0");
    m.mutable_header()->set_timestamp(static_cast<std::uint64_t>(clock->load()));
    for (auto const& [trip, at] : delays) {
      auto& e = *m.add_entity();
      e.set_id(trip);
      auto& tu = *e.mutable_trip_update();
      tu.mutable_trip()->set_trip_id(trip);
      tu.mutable_trip()->set_start_date("20240603");
      auto& s = *tu.add_stop_time_update();
      s.set_stop_id(at.first);
      s.mutable_arrival()->set_delay(at.second);
      s.mutable_departure()->set_delay(at.second);
    }
    auto const r = nebuta::test::http_call(server->port(), "POST", "/v1/rt/ops", m.SerializeAsString(),
                                           bearer(op_token), "application/x-protobuf");
    INFO(r.body);
    REQUIRE(r.status == 200);
  }
};

// Every vehicle's planned stops keep every promise and can be driven: arrivals no earlier than the
// previous stop's departure plus the drive, pickups inside their windows, drop-offs by their
// latest drop-off and after their pickups. Returns the boarding begin / drop-off ETAs by request id.
std::map<std::string, std::pair<std::int64_t, std::int64_t>> validate_plans(fixture const& f) {
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> eta;
  for (auto const* v : {"car-city", "car-sta"}) {
    auto const s = f.call("GET", std::string{"/v1/drt/vehicles/"} + v + "/stops", {}, bearer(op_token), 200);
    auto const& stops = s.value("stops", json::array());
    for (std::size_t k = 0; k < stops.size(); ++k) {
      auto const& st = stops[k];
      INFO(v << " stop " << k << ": " << st.dump());
      auto const arr = unix_of(st["planned_arrival"]), dep = unix_of(st["planned_departure"]);
      CHECK(dep >= arr);
      if (k > 0) {
        auto const& p = stops[k - 1];
        auto const drive = drive_s(p["location"]["lat"].get<double>(), st["location"]["lat"].get<double>());
        CHECK(static_cast<double>(arr) + 1.0 >= static_cast<double>(unix_of(p["planned_departure"])) + drive);
      }
      auto const id = st["request_id"].get<std::string>();
      if (st["kind"] == "pickup") {
        // Boarding begins (departure less the rules' dwell) inside the window; the vehicle may
        // arrive earlier and wait.
        auto const begin = dep - nebuta::dispatch::rules{}.dwell;
        CHECK(begin >= std::max(arr, unix_of(st["window_start"])));
        CHECK(begin <= unix_of(st["window_end"]));
        CHECK(eta.count(id) == 0U);
        eta[id].first = begin;
      } else {
        CHECK(arr <= unix_of(st["latest_dropoff"]));
        REQUIRE(eta.count(id) == 1U);  // its pickup came first on the same vehicle
        eta[id].second = arr;
      }
    }
  }
  return eta;
}

}  // namespace

TEST_CASE("journeys through serve: a trip update moves the last-mile pickup, too late gives the next alternative",
          "[journeys][rt]") {
  fixture f;
  // Planned and booked as a rider does: walk to STA, train T to CITY, an on-demand last mile.
  auto const od = f.on_demand_plan(home, dest, "08:10");
  json last;
  for (auto const& l : od["legs"]) {
    if (l["mode"] == "on_demand") last = l["on_demand"];
  }
  REQUIRE(last["kind"] == "last_mile");
  REQUIRE(last["connection_trip_id"] == "T");
  REQUIRE(last["connection_stop_id"] == "CITY");
  auto const buffer = last["buffer_s"].get<int>();
  REQUIRE(buffer == 300);
  auto const booked = f.call("POST", "/v1/journeys", json{{"token", od["journey_token"]}}.dump(), {}, 201);
  auto const rider = bearer(booked["rider_token"].get<std::string>());
  auto const journey = "/v1/journeys/" + booked["journey_id"].get<std::string>();
  auto const leg_id = booked["legs"][0]["request"]["request_id"].get<std::string>();
  CHECK(unix_of(booked["legs"][0]["request"]["pickup_window_start"]) >= jst(9, 0) + buffer);

  // Another rider near CITY, picked up from 09:45: the car at CITY serves both (back from the
  // first rider's drop-off at 09:41, at 09:52 once that pickup moves 10 minutes).
  auto const offer = f.call("POST", "/v1/drt/offers",
                            json{{"pickup", {{"lat", other}, {"lon", lon}}},
                                 {"dropoff", {{"lat", 35.25}, {"lon", lon}}},
                                 {"earliest_pickup_time", "09:45"}}
                                .dump(),
                            {}, 200);
  REQUIRE(offer["offered"] == true);
  auto const other_id = offer["request_id"].get<std::string>();
  f.call("POST", "/v1/drt/requests/" + other_id + "/accept", {}, bearer(offer["rider_token"]), 200);
  auto const other_before = f.call("GET", "/v1/drt/requests/" + other_id, {}, bearer(op_token), 200);

  // A first-mile rider south of STA for train T2 (09:30): by 09:25 at STA.
  auto const od2 = f.on_demand_plan(south, city, "08:40");
  REQUIRE(od2["legs"][0]["on_demand"]["connection_trip_id"] == "T2");
  auto const booked2 = f.call("POST", "/v1/journeys", json{{"token", od2["journey_token"]}}.dump(), {}, 201);
  auto const first_id = booked2["legs"][0]["request"]["request_id"].get<std::string>();
  auto const first_promise = unix_of(booked2["legs"][0]["request"]["latest_dropoff"]);
  CHECK(first_promise <= jst(9, 25));
  validate_plans(f);

  // 08:40: T runs 10 minutes late into CITY. The push alone re-plans the leg.
  *f.clock = jst(8, 40);
  f.delays["T"] = {"CITY", 600};
  f.push_delays();
  auto const moved = f.call("GET", journey, {}, rider, 200);
  CHECK(moved["status"] == "booked");
  auto const& c = moved["legs"][0]["connection"];
  CHECK(c["realtime"] == true);
  CHECK(c["delay_s"] == 600);
  CHECK(unix_of(c["expected"]) == jst(9, 10));
  CHECK(unix_of(moved["legs"][0]["request"]["pickup_window_start"]) == jst(9, 10) + buffer);
  auto const eta = validate_plans(f);
  REQUIRE(eta.count(leg_id) == 1U);
  CHECK(eta.at(leg_id).first >= jst(9, 10) + buffer);  // the truth: the pushed delay, not the promise
  // The other rider's promise is the one it was given.
  auto const other_after = f.call("GET", "/v1/drt/requests/" + other_id, {}, bearer(op_token), 200);
  CHECK(other_after["status"] == "assigned");
  CHECK(other_after["pickup_window_start"] == other_before["pickup_window_start"]);
  CHECK(other_after["pickup_window_end"] == other_before["pickup_window_end"]);
  CHECK(other_after["latest_dropoff"] == other_before["latest_dropoff"]);

  // T2 leaves STA 15 minutes late: the first mile keeps its promise as it was (not re-planned).
  f.delays["T2"] = {"STA", 900};
  f.push_delays();
  auto const first_after = f.call("GET", "/v1/drt/requests/" + first_id, {}, bearer(op_token), 200);
  CHECK(unix_of(first_after["latest_dropoff"]) == first_promise);
  CHECK(first_after["status"] == "assigned");
  validate_plans(f);

  // 08:50: T now 85 minutes late (CITY 10:25). The cars' shifts end at 10:30: the leg cannot be
  // moved; it keeps its plan, the rider is told, with the bus at 11:00 as the next alternative.
  *f.clock = jst(8, 50);
  f.delays["T"] = {"CITY", 85 * 60};
  f.push_delays();
  auto const risk = f.call("GET", journey + "?lang=en", {}, rider, 200);
  INFO(risk.dump());
  CHECK(risk["status"] == "at_risk");
  CHECK(risk["legs"][0]["connection_lost"] == true);
  CHECK(unix_of(risk["legs"][0]["request"]["pickup_window_start"]) == jst(9, 10) + buffer);
  CHECK(risk["status_reason"].get<std::string>().find("CITY") != std::string::npos);
  auto const& alt = risk["alternative"];
  REQUIRE(alt.is_object());
  CHECK(alt.value("on_demand", false) == false);
  bool bus = false;
  for (auto const& l : alt["legs"]) bus = bus || (l["mode"] == "ride" && l["trip_id"] == "B");
  CHECK(bus);
  CHECK(alt["arrival"].get<std::string>() >= "2024-06-03T11:20:00+09:00");
  CHECK(alt["departure"].get<std::string>() >= "2024-06-03T10:30:00+09:00");  // from CITY at 10:25 + 5 min
  auto const text = risk["next_alternative"].get<std::string>();
  CHECK(text.find("CITY") != std::string::npos);
  CHECK(text.find(alt["arrival"].get<std::string>()) != std::string::npos);
  auto const ja = f.call("GET", journey + "?lang=ja", {}, rider, 200);
  CHECK(ja["next_alternative"] != risk["next_alternative"]);
  CHECK(ja["alternative"]["arrival"] == alt["arrival"]);
  validate_plans(f);

  // The delay is withdrawn (the trip leaves the realtime state): the leg moves back, kept again.
  f.delays.erase("T");
  f.push_delays();
  auto const back = f.call("GET", journey, {}, rider, 200);
  CHECK(back["status"] == "booked");
  CHECK(unix_of(back["legs"][0]["request"]["pickup_window_start"]) <= jst(9, 10) + buffer);
  CHECK(unix_of(back["legs"][0]["request"]["pickup_window_start"]) >= jst(9, 0) + buffer);
  validate_plans(f);
}

TEST_CASE("journeys through serve: a stop's own transfer buffer sets the edge and both promises", "[journeys][maas]") {
  // 7 minutes at STA (first miles), 2 at CITY (last miles), the default 5 elsewhere.
  fixture f{{{"STA", 420}, {"CITY", 120}}, hm(12, 0)};
  // The first-mile rider south of STA for T2 (STA 09:30): drop-off by 09:23, not 09:25.
  auto const od = f.on_demand_plan(south, dest, "08:40");
  json first, last;
  for (auto const& l : od["legs"]) {
    if (l["mode"] != "on_demand") continue;
    (l["on_demand"]["kind"] == "first_mile" ? first : last) = l["on_demand"];
  }
  REQUIRE(first.is_object());
  REQUIRE(last.is_object());  // then CITY to the destination after T2 (CITY 10:00)
  CHECK(first["connection_stop_id"] == "STA");
  CHECK(first["buffer_s"] == 420);
  CHECK(first["dropoff_by"] == "2024-06-03T09:23:00+09:00");
  CHECK(first["latest_dropoff"].get<std::string>() <= "2024-06-03T09:23:00+09:00");
  CHECK(last["connection_stop_id"] == "CITY");
  CHECK(last["buffer_s"] == 120);
  CHECK(last["earliest_pickup"] == "2024-06-03T10:02:00+09:00");
  CHECK(last["pickup_window_start"].get<std::string>() >= "2024-06-03T10:02:00+09:00");
  // Booked, the dispatcher holds the same limits; the plans keep them.
  auto const booked = f.call("POST", "/v1/journeys", json{{"token", od["journey_token"]}}.dump(), {}, 201);
  REQUIRE(booked["legs"].size() == 2U);
  CHECK(booked["legs"][0]["connection"]["buffer_s"] == 420);
  CHECK(unix_of(booked["legs"][0]["request"]["latest_dropoff"]) <= jst(9, 23));
  CHECK(booked["legs"][1]["connection"]["buffer_s"] == 120);
  CHECK(unix_of(booked["legs"][1]["request"]["pickup_window_start"]) >= jst(10, 2));
  auto const eta = validate_plans(f);
  auto const id0 = booked["legs"][0]["request"]["request_id"].get<std::string>();
  auto const id1 = booked["legs"][1]["request"]["request_id"].get<std::string>();
  REQUIRE(eta.count(id0) == 1U);
  REQUIRE(eta.count(id1) == 1U);
  CHECK(eta.at(id0).second <= jst(9, 23));  // the truth: T2 leaves STA at 09:30, 7 minutes before
  CHECK(eta.at(id1).first >= jst(10, 2));   // T2 reaches CITY at 10:00, 2 minutes after
  // T2 10 minutes late into CITY: the pickup moves to 10:12 (the stop's 2 minutes, not 5).
  f.delays["T2"] = {"CITY", 600};
  f.push_delays();
  auto const moved = f.call("GET", "/v1/journeys/" + booked["journey_id"].get<std::string>(), {}, bearer(op_token), 200);
  CHECK(unix_of(moved["legs"][1]["request"]["pickup_window_start"]) == jst(10, 12));
}

TEST_CASE("the rules' intermodal stop_buffers_s", "[journeys][maas][config]") {
  nebuta::intermodal::settings s;
  auto const j =
      json::parse(R"({"intermodal": {"transfer_buffer_s": 240, "stop_buffers_s": {"STA": 420, "metro:1": 0}}})");
  nebuta::drt_config::parse_rules(j, ".", "rules.json", nullptr, &s);
  CHECK(s.transfer_buffer_s == 240);
  REQUIRE(s.stop_buffers_s.size() == 2U);
  CHECK(s.stop_buffers_s.at("STA") == 420);
  CHECK(s.stop_buffers_s.at("metro:1") == 0);
  auto const fails = [](char const* text, char const* says) {
    nebuta::intermodal::settings x;
    CHECK_THROWS_WITH(nebuta::drt_config::parse_rules(json::parse(text), ".", "rules.json", nullptr, &x),
                      Catch::Contains(says));
  };
  fails(R"({"intermodal": {"stop_buffers_s": [300]}})", "intermodal.stop_buffers_s: must be an object");
  fails(R"({"intermodal": {"stop_buffers_s": {"STA": -5}}})", "intermodal.stop_buffers_s.STA: must not be negative");
  fails(R"({"intermodal": {"stop_buffers_s": {"STA": "5 min"}}})", "intermodal.stop_buffers_s.STA");
}

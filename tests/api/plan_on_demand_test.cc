// /v1/plan with on-demand legs (docs/maas.md), in-process: an inline timetable, the on-demand
// service on a straight-line model (no detour, 36 km/h: road seconds = metres / 10) and one
// vehicle. Expected values are worked out by hand from the timetable below and the distances;
// the journey token is read back with the service's secret from its database.
//   B0 34.95, STA 35.00, CITY 35.30 (lon 139.0). Train T: STA 08:30 -> CITY 09:00;
//   train T2: STA 09:30 -> CITY 10:00; bus b: B0 08:00 -> STA 08:15. Date 2024-06-03 (JST).
#include <catch2/catch.hpp>

#include <chrono>
#include <nlohmann/json.hpp>

#include "../engine/raptor/mini_feed.h"
#include "drt_client.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/journey_token.h"
#include "nebuta/api_server/server.h"
#include "nebuta/api_service/service.h"
#include "nebuta/drt_config/config.h"
#include "nebuta/osm/reader.h"
#include "nebuta/road/network_model.h"
#include "nebuta/storage/meta.h"
#include "shared_data.h"

namespace as = nebuta::api_server;
using json = nlohmann::json;
using nebuta::test::hm;

namespace {

// 2024-06-03 00:00 JST as a Unix time, from the civil calendar (not the code under test).
std::int64_t const jst_midnight =
    std::chrono::sys_days{std::chrono::year{2024} / 6 / 3}.time_since_epoch().count() * 86'400LL - 9 * 3600;
std::int64_t jst(int h, int m, int s = 0) { return jst_midnight + hm(h, m, s); }

nebuta::timetable make_timetable() {
  nebuta::test::mini_feed f;
  f.add_stop("B0", 34.95, 139.0);
  f.add_stop("STA", 35.00, 139.0);
  f.add_stop("CITY", 35.30, 139.0);
  f.add_line("BUS");
  f.add_trip("T", {{"STA", hm(8, 30)}, {"CITY", hm(9, 0)}});
  f.add_trip("T2", {{"STA", hm(9, 30)}, {"CITY", hm(10, 0)}});
  f.add_trip("b", {{"B0", hm(8, 0)}, {"STA", hm(8, 15)}}, "all", 0, "", "BUS");
  return f.compile();
}

nebuta::intermodal::settings test_settings() {
  nebuta::intermodal::settings s;
  s.hub_min_routes = 1;
  s.expected_wait_s = 600;
  s.transfer_buffer_s = 300;
  s.door_to_door = false;
  return s;
}

struct fixture {
  nebuta::test::drt_temp_dir dir{"plan-on-demand"};
  nebuta::timetable tt{make_timetable()};
  std::unique_ptr<nebuta::api_service::service> svc;
  std::unique_ptr<as::drt_service> drt;
  std::unique_ptr<as::http_server> server;

  // One vehicle at a depot at 34.90 (the first test's origin), on duty from shift_start.
  explicit fixture(nebuta::seconds_t shift_start, nebuta::intermodal::settings s = test_settings(), bool with_drt = true) {
    svc = std::make_unique<nebuta::api_service::service>(tt);
    if (with_drt) {
      as::drt_options o;
      o.db = dir.path / "state.sqlite";
      o.operator_token = "plan-on-demand-test-operator";
      o.reoptimise_every_s = 0;
      o.timezone = "Asia/Tokyo";
      o.clock = [] { return jst(6, 30); };
      nebuta::dispatch::shift_pattern sp;
      sp.vehicle.name = "car-1";
      sp.vehicle.seats = 4;
      sp.vehicle.depot = {34.90, 139.0};
      sp.start = shift_start;
      sp.end = hm(23, 0);
      o.shifts = {sp};
      o.intermodal = s;
      drt = std::make_unique<as::drt_service>(std::make_unique<nebuta::road::straight_line_model>(1.0, 36.0),
                                              nebuta::dispatch::rules{}, std::move(o));
      drt->register_shifts();
    }
    server = std::make_unique<as::http_server>(svc.get(), drt.get(), nebuta::test::loopback_config());
    server->start();
  }
  ~fixture() {
    server->stop();
    if (drt) drt->stop_background();
  }
  json plan(std::string const& query, std::string const& headers = {}) const {
    auto const r = nebuta::test::http_call(server->port(), "GET", "/v1/plan?" + query, "", headers);
    INFO(query << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return json::parse(r.body);
  }
  std::string secret() const {
    return nebuta::storage::meta_value(dir.path / "state.sqlite", "rider_token_secret", "");
  }
};

std::vector<json> on_demand_journeys(json const& plan) {
  std::vector<json> out;
  for (auto const& j : plan.value("journeys", json::array())) {
    if (j.value("on_demand", false)) out.push_back(j);
  }
  return out;
}

}  // namespace

TEST_CASE("plan on demand: the only way is a vehicle to the train, with a token for its leg", "[maas]") {
  fixture f{hm(6, 0)};
  // 11.1 km south of STA, nothing within walking distance; to CITY.
  auto const q = "from=34.90,139.0&to=35.30,139.0&date=2024-06-03&depart=07:00";
  auto const p = f.plan(q);  // on_demand defaults to true with a service
  CHECK(p["on_demand_status"] == "searched");
  REQUIRE(p["journeys"].size() == 1U);
  auto const j = p["journeys"][0];
  CHECK(j["on_demand"] == true);
  CHECK(j["shown_reason"] == "only_way");
  CHECK(j["shown_reason_text"] == "No bus or train makes this trip at this time; an on-demand vehicle does.");
  CHECK(j["arrival"] == "2024-06-03T09:00:00+09:00");
  REQUIRE(j["legs"].size() >= 2U);
  auto const od = j["legs"][0];
  CHECK(od["mode"] == "on_demand");
  CHECK(od["to"]["stop_id"] == "STA");
  CHECK(j["legs"][1]["mode"] == "ride");
  CHECK(j["legs"][1]["trip_id"] == "T");
  auto const& m = od["on_demand"];
  CHECK(m["kind"] == "first_mile");
  CHECK(m["vehicle_id"] == "car-1");
  CHECK(m["connection_trip_id"] == "T");
  CHECK(m["connection_stop_id"] == "STA");
  CHECK(m["buffer_s"] == 300);
  CHECK(m["dropoff_by"] == "2024-06-03T08:25:00+09:00");  // 08:30 less 300 s
  // The promise keeps the connection (same offset: ISO strings order as times).
  CHECK(m["latest_dropoff"].get<std::string>() <= "2024-06-03T08:25:00+09:00");
  CHECK(m["dropoff_eta"].get<std::string>() <= m["latest_dropoff"].get<std::string>());
  CHECK(m["pickup_window_start"].get<std::string>() >= "2024-06-03T07:00:00+09:00");  // not before the time asked
  CHECK(m["planned_road_s"] == 1112);                                                 // 11,119 m at 10 m/s
  CHECK(j["departure"] == m["pickup_window_start"]);

  // The token names exactly that leg: its request, trip T at STA, 08:30, 300 s.
  auto const token = as::decode_journey_token(j["journey_token"].get<std::string>(), f.secret(), jst(6, 30));
  REQUIRE(token.has_value());
  REQUIRE(token->legs.size() == 1U);
  auto const& leg = token->legs[0];
  CHECK(std::to_string(leg.request) == m["request_id"].get<std::string>());
  CHECK(leg.link.k == as::journey_link::kind::before_departure);
  CHECK(leg.link.trip_id == "T");
  CHECK(leg.link.stop_id == "STA");
  CHECK(leg.link.scheduled_unix == jst(8, 30));
  CHECK(leg.link.buffer_s == 300);
  CHECK(f.drt->clock().iso(token->expires_unix) == j["journey_token_expires"]);
  CHECK(j["journey_token_expires"] == m["offer_expires"]);
  // Another secret does not read it.
  CHECK_FALSE(as::decode_journey_token(j["journey_token"].get<std::string>(), "other", jst(6, 30)).has_value());

  // In Japanese, and not at all with on_demand=false.
  auto const ja = f.plan(std::string{q} + "&lang=ja");
  REQUIRE(ja["journeys"].size() == 1U);
  CHECK(ja["journeys"][0]["shown_reason_text"] ==
        "この時間に行けるバス・鉄道がないため、オンデマンド交通をご案内します。");
  auto const off = f.plan(std::string{q} + "&on_demand=false");
  CHECK(off.value("journeys", json::array()).empty());
  CHECK(off.value("on_demand_status", "") == "");
}

TEST_CASE("plan on demand: a vehicle that cannot make the train is not offered", "[maas]") {
  fixture f{hm(8, 20)};  // on duty from 08:20: it cannot drop off at STA by 08:25
  auto const p = f.plan("from=34.90,139.0&to=35.30,139.0&date=2024-06-03&depart=07:00");
  CHECK(p["on_demand_status"] == "searched");
  // The search's variant takes train T at 08:30 (the later T2 is dominated by it); its offer
  // would drop off after 08:25, so it is dropped and nothing is shown.
  CHECK(on_demand_journeys(p).empty());
  CHECK(p["on_demand_dropped"] == 1);
}

TEST_CASE("plan on demand: no better than the bus, not shown", "[maas]") {
  fixture f{hm(6, 0)};
  // At B0: the bus at 08:00 meets the train; a vehicle to STA arrives no earlier.
  auto const p = f.plan("from=34.95,139.0&to=35.30,139.0&date=2024-06-03&depart=07:00");
  CHECK(p["on_demand_status"] == "searched");
  REQUIRE_FALSE(p["journeys"].empty());
  CHECK(on_demand_journeys(p).empty());
  CHECK(p["journeys"][0]["arrival"] == "2024-06-03T09:00:00+09:00");
  CHECK(p["journeys"][0]["rides"] == 2);
}

TEST_CASE("plan on demand: arrive-by with an on-demand last mile", "[maas]") {
  fixture f{hm(6, 0)};
  // From STA to 5.6 km past CITY, arriving by 10:20: train T. (T2 reaches CITY at 10:00; with
  // 300 s buffer, 600 s wait and 556 s by road it would arrive 10:24:16.)
  auto const p = f.plan("from=35.00,139.0&to=35.35,139.0&date=2024-06-03&arrive=10:20");
  auto const od = on_demand_journeys(p);
  REQUIRE(od.size() == 1U);
  CHECK(od[0]["shown_reason"] == "only_way");
  auto const& legs = od[0]["legs"];
  auto const& last = legs[legs.size() - 1];
  CHECK(last["mode"] == "on_demand");
  auto const& m = last["on_demand"];
  CHECK(m["kind"] == "last_mile");
  CHECK(m["connection_trip_id"] == "T");
  CHECK(m["connection_stop_id"] == "CITY");
  CHECK(m["earliest_pickup"] == "2024-06-03T09:05:00+09:00");  // 09:00 + 300 s
  CHECK(m["pickup_window_start"].get<std::string>() >= "2024-06-03T09:05:00+09:00");
  CHECK(m["pickup_window_start"].get<std::string>() <= "2024-06-03T09:20:00+09:00");  // from the train, not later
  CHECK(m["latest_dropoff"].get<std::string>() <= "2024-06-03T10:20:00+09:00");
  // The same at 10:30: T2 arrives in time and is the latest departure.
  auto const later = on_demand_journeys(f.plan("from=35.00,139.0&to=35.35,139.0&date=2024-06-03&arrive=10:30"));
  REQUIRE(later.size() == 1U);
  CHECK(later[0]["legs"][later[0]["legs"].size() - 1]["on_demand"]["connection_trip_id"] == "T2");
  auto const token = as::decode_journey_token(od[0]["journey_token"].get<std::string>(), f.secret(), jst(6, 30));
  REQUIRE(token.has_value());
  REQUIRE(token->legs.size() == 1U);
  CHECK(token->legs[0].link.k == as::journey_link::kind::after_arrival);
  CHECK(token->legs[0].link.scheduled_unix == jst(9, 0));
  CHECK(token->legs[0].link.stop_id == "CITY");
}

TEST_CASE("plan on demand: without a service the plan is unchanged", "[maas]") {
  fixture with{hm(6, 0), test_settings(), false};
  auto const q = std::string{"from=34.95,139.0&to=35.30,139.0&date=2024-06-03&depart=07:00"};
  auto const plain = with.plan(q);
  CHECK(plain.value("on_demand_status", "") == "");
  auto const asked = with.plan(q + "&on_demand=true");
  CHECK(asked["on_demand_status"] == "unavailable");
  CHECK(asked["journeys"] == plain["journeys"]);
}

// Porto Alegre, EPTC bus + Trensurb metro, OSM roads: plans between points of the OSM extract's box
// on Tue 2019-05-14 (UTC-3). Every on-demand journey shown is checked against its own answer: each
// on-demand leg's promise ends by its train's departure less the buffer (first mile) or starts after
// its arrival plus the buffer (last mile), and its token names exactly those legs and trains.
TEST_CASE("plan on demand: Porto Alegre bus + metro on OSM, promises and tokens", "[maas][portoalegre]") {
  NEBUTA_REQUIRE_DATASET(data, "br-portoalegre-bus-metro-osm");
  nebuta::test::drt_temp_dir dir{"plan-on-demand-poa"};
  nebuta::api::timetable_source src;
  src.feeds = {(data / "gtfs-eptc-bus").string(), (data / "gtfs-trensurb-metro").string()};
  auto const loaded = nebuta::api::load_timetable(src);
  nebuta::api_service::service const svc{loaded.tt};
  auto graph = nebuta::osm::load_road_graph(data / "poa_osm.pbf");
  // 2019-05-14 00:00 in Porto Alegre (UTC-3, no daylight saving in May).
  auto const midnight =
      std::chrono::sys_days{std::chrono::year{2019} / 5 / 14}.time_since_epoch().count() * 86'400LL + 3 * 3600;
  as::drt_options o;
  o.db = dir.path / "state.sqlite";
  o.operator_token = "plan-on-demand-poa-operator";
  o.reoptimise_every_s = 0;
  o.timezone = "America/Sao_Paulo";
  o.clock = [midnight] { return midnight + 6 * 3600; };
  for (int v = 0; v < 10; ++v) {
    nebuta::dispatch::shift_pattern sp;
    sp.vehicle.name = "v" + std::to_string(v);
    sp.vehicle.depot = {-30.09 + 0.01 * v, -51.20};
    sp.start = 5 * 3600;
    sp.end = 23 * 3600;
    o.shifts.push_back(sp);
  }
  nebuta::dispatch::rules rules;
  rules.service_area = {{{-30.10, -51.26}, {-30.10, -51.14}, {-30.00, -51.14}, {-30.00, -51.26}}};
  as::drt_service drt{std::make_unique<nebuta::road::road_network_model>(std::move(graph.graph)), rules, std::move(o)};
  drt.register_shifts();
  as::http_server server{&svc, &drt, nebuta::test::loopback_config()};
  server.start();
  auto const secret = nebuta::storage::meta_value(dir.path / "state.sqlite", "rider_token_secret", "");

  std::size_t shown = 0, legs_checked = 0;
  // Fixed points spread over the box (south-west to north-east), departing 07:00-08:40.
  for (int i = 0; i < 12; ++i) {
    auto const la = -30.095 + 0.008 * i, lo = -51.255 + 0.009 * i;
    auto const lb = -30.005 - 0.007 * i, lob = -51.145 - 0.008 * (11 - i);
    char q[200];
    std::snprintf(q, sizeof q, "/v1/plan?from=%.4f,%.4f&to=%.4f,%.4f&date=2019-05-14&depart=%02d:%02d", la, lo, lb, lob,
                  7 + i / 6, (i % 6) * 10);
    auto const r = nebuta::test::http_call(server.port(), "GET", q, "");
    INFO(q << " -> " << r.status << " " << r.body.substr(0, 400));
    REQUIRE(r.status == 200);
    auto const p = json::parse(r.body);
    CHECK(p["on_demand_status"] == "searched");
    for (auto const& j : on_demand_journeys(p)) {
      ++shown;
      CHECK_FALSE(j["shown_reason"].get<std::string>().empty());
      CHECK_FALSE(j["shown_reason_text"].get<std::string>().empty());
      auto const token = as::decode_journey_token(j["journey_token"].get<std::string>(), secret, midnight);
      REQUIRE(token.has_value());
      auto const& legs = j["legs"];
      std::size_t k = 0;
      for (std::size_t li = 0; li < legs.size(); ++li) {
        if (legs[li]["mode"] != "on_demand") continue;
        REQUIRE(k < token->legs.size());
        auto const& t = token->legs[k++];
        auto const& m = legs[li]["on_demand"];
        CHECK(std::to_string(t.request) == m["request_id"].get<std::string>());
        CHECK(m["latest_dropoff"].get<std::string>() >= m["pickup_window_start"].get<std::string>());
        if (m["kind"] == "first_mile") {
          // The next ride of the journey is the connection; drop-off by its departure less 300 s.
          auto next = li + 1;
          while (next < legs.size() && legs[next]["mode"] != "ride") ++next;
          REQUIRE(next < legs.size());
          CHECK(t.link.k == as::journey_link::kind::before_departure);
          CHECK(t.link.trip_id == legs[next]["trip_id"]);
          CHECK(t.link.stop_id == legs[next]["from"]["stop_id"]);
          CHECK(t.link.scheduled_unix == midnight + legs[next]["from"]["seconds"].get<std::int64_t>());
          CHECK(m["latest_dropoff"].get<std::string>() <= m["dropoff_by"].get<std::string>());
          CHECK(m["dropoff_by"] == drt.clock().iso(t.link.scheduled_unix - 300));
        } else if (m["kind"] == "last_mile") {
          auto prev = li;
          while (prev > 0 && legs[prev - 1]["mode"] != "ride") --prev;
          REQUIRE(prev > 0);
          auto const& ride = legs[prev - 1];
          CHECK(t.link.k == as::journey_link::kind::after_arrival);
          CHECK(t.link.trip_id == ride["trip_id"]);
          CHECK(t.link.scheduled_unix == midnight + ride["to"]["seconds"].get<std::int64_t>());
          CHECK(m["pickup_window_start"].get<std::string>() >= drt.clock().iso(t.link.scheduled_unix + 300));
        }
        ++legs_checked;
      }
      CHECK(k == token->legs.size());
    }
  }
  server.stop();
  INFO(shown << " on-demand journeys, " << legs_checked << " legs");
  CHECK(shown > 0U);
}

TEST_CASE("plan on demand: the rules' intermodal object", "[maas][config]") {
  nebuta::intermodal::settings s;
  auto const j = json::parse(R"({"max_wait_s": 900, "intermodal": {"max_stops_per_side": 4, "expected_wait_s": 420,
      "transfer_buffer_s": 240, "min_time_saving_s": 900, "long_walk_m": 800, "min_rides_saved": 0,
      "door_to_door": false, "max_offers": 2, "enabled": true}})");
  auto const rules = nebuta::drt_config::parse_rules(j, ".", "rules.json", nullptr, &s);
  CHECK(rules.max_wait == 900);
  CHECK(s.max_stops_per_side == 4U);
  CHECK(s.expected_wait_s == 420);
  CHECK(s.transfer_buffer_s == 240);
  CHECK(s.mixer.min_time_saving_s == 900);
  CHECK(s.mixer.long_walk_m == 800.0);
  CHECK(s.mixer.min_rides_saved == 0U);
  CHECK_FALSE(s.door_to_door);
  CHECK(s.max_offers == 2U);
  CHECK(s.hub_min_routes == 3U);  // untouched default
  auto const fails = [](char const* text, char const* says) {
    nebuta::intermodal::settings x;
    CHECK_THROWS_WITH(nebuta::drt_config::parse_rules(json::parse(text), ".", "rules.json", nullptr, &x),
                      Catch::Contains(says));
  };
  fails(R"({"intermodal": {"max_offer": 2}})", "rules.json: intermodal.max_offer: unknown key");
  fails(R"({"intermodal": {"max_offers": 2.5}})", "intermodal.max_offers: must be a whole number");
  fails(R"({"intermodal": {"expected_wait_s": -1}})", "intermodal.expected_wait_s: must not be negative");
  fails(R"({"intermodal": {"door_to_door": 1}})", "intermodal.door_to_door: must be true or false");
  fails(R"({"intermodal": []})", "intermodal: must be an object");
}

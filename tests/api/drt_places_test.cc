// The on-demand service beside the Hachinohe timetable, as `nebuta serve` runs it with
// examples/drt/hachinohe/ (issue 15): meeting points named as riders and drivers find them, a
// stop given by name in Japanese or English, the driver's stop list. Every expected value is read
// off the feed's files by hand (stops.txt, translations.txt) and every distance is computed with
// the tests' own haversine (drt_client.h), not the engine's:
//   509-01 八戸駅 "Hachinohe Eki Sta." platform 1, 40.508756 141.431944
//   552-01 本八戸駅 "Hon-hachinohe Eki Sta." no platform code, 40.516436 141.489056
// The asked pickup (40.5095, 141.4330) has 509-01 as its nearest stop (121.7 m; 509-03 is at
// 159.5 m), the asked drop-off (40.5170, 141.4880) has 552-01 (109.1 m; next 157.0 m).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <tuple>

#include "drt_client.h"
#include "nebuta/api/places_source.h"
#include "nebuta/api/timetable_source.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/api_server/drt_command.h"
#include "nebuta/api_service/service.h"
#include "nebuta/dispatch/dispatcher.h"
#include "nebuta/drt_config/calendar.h"
#include "nebuta/drt_config/checks.h"
#include "nebuta/drt_config/config.h"
#include "nebuta/gtfs_flex/reader.h"
#include "ring_set.h"
#include "shared_data.h"

namespace as = nebuta::api_server;
using json = nlohmann::json;
using nebuta::test::bearer;
using nebuta::test::http_call;

namespace {

// Wednesday 2026-12-02 08:00 JST = 2026-11-22T00:00+09:00 (1,795,273,200) + 10 days + 8 h.
constexpr std::int64_t wed_8am = 1'795'273'200 + 10 * 86'400 + 8 * 3600;
std::string const op_token = "places-test-operator-token";

struct hachinohe {
  nebuta::test::drt_temp_dir dir{"places"};
  nebuta::api::loaded_timetable loaded;
  std::unique_ptr<nebuta::api_service::service> svc;
  std::unique_ptr<as::drt_service> drt;
  std::unique_ptr<as::http_server> server;
  std::vector<std::string> warnings;

  explicit hachinohe(std::string const& feed) {
    nebuta::api::timetable_source src;
    src.feeds.push_back(feed);
    loaded = nebuta::api::load_timetable(src);
    svc = std::make_unique<nebuta::api_service::service>(loaded.tt);
    auto const example = std::filesystem::path{NEBUTA_SOURCE_DIR} / "examples/drt/hachinohe";
    nebuta::drt_config::holiday_list holidays;
    auto const rules = nebuta::drt_config::load_rules(example / "rules.json", &holidays);
    auto fleet = nebuta::drt_config::load_fleet_csv(example / "fleet.csv");
    REQUIRE(fleet.errors.empty());
    auto access = as::timetable_access(*svc);
    warnings = nebuta::drt_config::area_warnings(rules, fleet.shifts, access.stops);
    as::drt_options o;
    o.db = dir.path / "state.sqlite";
    o.operator_token = op_token;
    o.reoptimise_every_s = 0;
    o.clock = [] { return wed_8am; };
    o.publish.phone = "0178-00-0000";
    o.publish.booking_url = "https://example.org/app?book=1,2";
    o.shifts = std::move(fleet.shifts);
    o.holidays = nebuta::dispatch::holiday_calendar{std::move(holidays.days)};
    o.stop_lookup = std::move(access.stop_lookup);
    o.stop_at = std::move(access.stop_at);
    drt = std::make_unique<as::drt_service>(std::make_unique<nebuta::road::straight_line_model>(1.3, 30.0), rules,
                                            std::move(o));
    drt->register_shifts();
    server = std::make_unique<as::http_server>(nullptr, drt.get(), nebuta::test::loopback_config());
    server->start();
  }
  ~hachinohe() {
    server->stop();
    drt->stop_background();
  }
  json call(std::string const& method, std::string const& target, std::string const& body,
            std::string const& headers = {}, int expect = 200) const {
    auto const r = http_call(server->port(), method, target, body, headers);
    INFO(method << " " << target << " " << body << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expect);
    return json::parse(r.body);
  }
};

json place(double lat, double lon) { return {{"lat", lat}, {"lon", lon}}; }

// A meeting point of an answer against the stop read off the feed and the place asked for.
void check_point(json const& p, std::string const& id, std::string const& name, std::string const& platform,
                 double stop_lat, double stop_lon, double asked_lat, double asked_lon) {
  INFO(p.dump());
  CHECK(p["stop_id"] == id);
  CHECK(p["name"] == name);
  CHECK(p.value("platform_code", "") == platform);
  CHECK(p["location"]["lat"].get<double>() == Approx(stop_lat).margin(1e-7));
  CHECK(p["location"]["lon"].get<double>() == Approx(stop_lon).margin(1e-7));
  auto const walk = nebuta::test::test_haversine_m(asked_lat, asked_lon, stop_lat, stop_lon);
  CHECK(p["walk_m"].get<double>() == Approx(walk).margin(0.06));
  CHECK(p["walk_s"].get<int>() == static_cast<int>(std::lround(walk / (4.8 / 3.6))));
}

}  // namespace

TEST_CASE("drt places, Hachinohe: meeting points by name and walk, stops by name, the driver's list",
          "[drt][places][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  hachinohe h{feed.string()};
  // The example's depots lie in its zone; the feed's stops around it do not (a warning, not an error).
  for (auto const& w : h.warnings) CHECK_THAT(w, !Catch::Contains("depot"));

  // By coordinates: the nearest stops, named in the Accept-Language.
  auto const body = json{{"pickup", place(40.5095, 141.4330)}, {"dropoff", place(40.5170, 141.4880)}}.dump();
  auto const en = h.call("POST", "/v1/drt/offers", body, "Accept-Language: en\r\n");
  REQUIRE(en["offered"] == true);
  check_point(en["offer"]["pickup_point"], "509-01", "Hachinohe Eki Sta.", "1", 40.508756, 141.431944, 40.5095, 141.4330);
  check_point(en["offer"]["dropoff_point"], "552-01", "Hon-hachinohe Eki Sta.", "", 40.516436, 141.489056, 40.5170,
              141.4880);
  CHECK(std::lround(en["offer"]["pickup_point"]["walk_m"].get<double>()) == 122);  // 121.7 m by hand
  auto const id = en["request_id"].get<std::string>();
  auto const rider = bearer(en["rider_token"].get<std::string>());
  auto const status = h.call("GET", "/v1/drt/requests/" + id, {}, rider + "Accept-Language: ja\r\n");
  check_point(status["pickup_point"], "509-01", "八戸駅", "1", 40.508756, 141.431944, 40.5095, 141.4330);
  check_point(status["dropoff_point"], "552-01", "本八戸駅", "", 40.516436, 141.489056, 40.5170, 141.4880);
  h.call("POST", "/v1/drt/requests/" + id + "/accept", {}, rider);

  // The driver's view of the vehicle that took the accepted ride: names, riders, next ETA.
  auto const vehicle = h.call("GET", "/v1/drt/requests/" + id, {}, rider)["vehicle_id"].get<std::string>();
  auto const stops =
      h.call("GET", "/v1/drt/vehicles/" + vehicle + "/stops", {}, bearer(op_token) + "Accept-Language: ja\r\n");
  REQUIRE(stops["stops"].size() == 2);
  auto const& pu = stops["stops"][0];
  auto const& dr = stops["stops"][1];
  CHECK(pu["kind"] == "pickup");
  CHECK(pu["request_id"] == id);
  CHECK(pu["point"]["name"] == "八戸駅");
  CHECK(pu["point"]["platform_code"] == "1");
  CHECK(pu["passengers"] == 1);
  CHECK(pu["on_board_after"] == 1);
  CHECK(dr["kind"] == "dropoff");
  CHECK(dr["point"]["name"] == "本八戸駅");
  CHECK(dr.value("on_board_after", 0) == 0);
  CHECK(stops["next_stop_eta"]["unix"] == pu["planned_arrival"]["unix"]);
  CHECK(stops.value("on_board", 0) == 0);
  // Wednesday: a weekday shift (hac-1 07:00-19:00, hac-2 08:00-20:00) or hac-3's daily 07:30-18:30.
  auto const start = stops["shift_start"]["time"].get<std::string>();
  CHECK((start == "2026-12-02T07:00:00+09:00" || start == "2026-12-02T08:00:00+09:00" ||
         start == "2026-12-02T07:30:00+09:00"));

  // By name, as the planner finds places: the station's first platform, no walk.
  for (auto const& [from, to, lang] :
       {std::tuple{"八戸駅", "本八戸駅", "ja"}, std::tuple{"Hachinohe Eki Sta.", "Hon-hachinohe Eki Sta.", "en"}}) {
    auto const by_name = json{{"pickup", {{"stop_id", from}}}, {"dropoff", {{"stop_id", to}}}, {"passengers", 2}};
    auto const o = h.call("POST", "/v1/drt/offers", by_name.dump(), std::string{"Accept-Language: "} + lang + "\r\n");
    REQUIRE(o["offered"] == true);
    CHECK(o["offer"]["pickup_point"]["stop_id"] == "509-01");
    CHECK(o["offer"]["pickup_point"]["name"] == from);
    CHECK(o["offer"]["pickup_point"].value("walk_m", 0.0) == 0.0);
    CHECK(o["offer"]["dropoff_point"]["stop_id"] == "552-01");
    CHECK(o["offer"]["dropoff_point"]["name"] == to);
  }
  auto const unknown = json{{"pickup", {{"stop_id", "no such stop, 八戸"}}}, {"dropoff", {{"stop_id", "本八戸駅"}}}};
  auto const err = h.call("POST", "/v1/drt/offers?lang=ja", unknown.dump(), {}, 400);
  CHECK(err["code"] == "unknown_stop");
  CHECK(err["message"] == "pickup: IDまたは名前が「no such stop, 八戸」の停留所はありません");
}

// GET /v1/drt/gtfs-flex.zip (issue 16 item 5): the running service read back by our own GTFS-Flex
// reader. Hours by hand from examples/drt/hachinohe/fleet.csv:
//   hac-1 07:00-19:00 mon-fri, hac-2 08:00-20:00 mon-fri, hac-3 07:30-18:30 daily but 12-31..01-03,
//   hac-4 09:00-17:00 sat sun hol, hac-4 18:00-25:00 fri sat (not on holidays).
TEST_CASE("drt places, Hachinohe: the running service as GTFS-Flex, read back", "[drt][flex]") {
  NEBUTA_REQUIRE_DATASET(feed, "jp-hachinohe-citybus");
  hachinohe h{feed.string()};
  auto const r = http_call(h.server->port(), "GET", "/v1/drt/gtfs-flex.zip?days=31");
  REQUIRE(r.status == 200);
  REQUIRE(r.body.substr(0, 2) == "PK");
  auto const zip = h.dir.path / "flex.zip";
  std::ofstream{zip, std::ios::binary} << r.body;
  auto const back = nebuta::gtfs_flex::read(zip);
  for (auto const& p : back.problems) UNSCOPED_INFO(p.file << ":" << p.line << " " << p.message);
  CHECK(back.problems.empty());
  auto const& m = back.model;
  REQUIRE(m.validate().empty());

  auto const example = std::filesystem::path{NEBUTA_SOURCE_DIR} / "examples/drt/hachinohe";
  auto const rules = nebuta::drt_config::load_rules(example / "rules.json");
  REQUIRE(m.zones.size() == 1);
  CHECK(nebuta::test::ring_set(m.zones[nebuta::flex::zone_idx{0}].rings) == nebuta::test::ring_set(rules.service_area));
  auto const inside = std::count_if(rules.meeting_points.begin(), rules.meeting_points.end(),
                                    [&](auto p) { return nebuta::dispatch::inside_area(rules.service_area, p); });
  CHECK(m.stops.size() == static_cast<std::size_t>(inside));
  REQUIRE(m.groups.size() == 1);
  CHECK(m.groups[nebuta::flex::group_idx{0}].stops.size() == m.stops.size());
  auto const hon_hachinohe = std::find_if(m.stops.begin(), m.stops.end(), [](auto const& s) {
    return std::abs(s.pos.lat - 40.516436) < 1e-6 && std::abs(s.pos.lon - 141.489056) < 1e-6;
  });
  REQUIRE(hon_hachinohe != m.stops.end());
  CHECK(hon_hachinohe->name == "本八戸駅");

  REQUIRE(m.booking_rules.size() == 1);
  auto const& rule = m.booking_rules[nebuta::flex::booking_rule_idx{0}];
  CHECK(rule.prior_notice_duration_min == 0);
  CHECK(rule.prior_notice_duration_max == 172'800 / 60);
  CHECK(rule.phone_number == "0178-00-0000");
  CHECK(rule.booking_url == "https://example.org/app?book=1,2");

  using hours = std::vector<std::pair<int, int>>;
  auto const hours_on = [&](int y, unsigned mo, unsigned d) {
    auto const day = nebuta::date_t{std::chrono::year{y} / mo / d};
    hours out;
    for (auto t = nebuta::flex::trip_idx{0}; t.v() < m.trips.size(); ++t) {
      if (!m.services[m.trips[t].service].runs_on(day)) continue;
      auto const w = m.windows_of(t);
      REQUIRE(w.size() == 2);
      CHECK(w[0].where == nebuta::flex::location_ref::of(nebuta::flex::group_idx{0}));
      out.emplace_back(w[0].start, w[0].end);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  constexpr int h1 = 3600;
  CHECK(hours_on(2026, 12, 1).empty());                                    // before today
  CHECK(hours_on(2026, 12, 2) == hours{{7 * h1, 20 * h1}});                // Wednesday
  CHECK(hours_on(2026, 12, 4) == hours{{7 * h1, 25 * h1}});                // Friday: hac-4 from 18:00
  CHECK(hours_on(2026, 12, 5) == hours{{7 * h1 + 1800, 25 * h1}});         // Saturday
  CHECK(hours_on(2026, 12, 6) == hours{{7 * h1 + 1800, 18 * h1 + 1800}});  // Sunday
  CHECK(hours_on(2026, 12, 7) == hours{{7 * h1, 20 * h1}});                // Monday
  CHECK(hours_on(2027, 1, 1) == hours{{9 * h1, 17 * h1}});                 // 元日, a Friday: hac-4 only
  CHECK(hours_on(2027, 1, 2).empty());                                     // past the 31 days

  CHECK(http_call(h.server->port(), "GET", "/v1/drt/gtfs-flex.zip?days=0").status == 400);
  CHECK(http_call(h.server->port(), "GET", "/v1/drt/gtfs-flex.zip?days=367").status == 400);
}

TEST_CASE("drt: a service without an area or meeting points has nothing to publish as GTFS-Flex", "[drt][flex]") {
  nebuta::test::drt_temp_dir dir{"flex-nothing"};
  as::drt_options o;
  o.db = dir.path / "state.sqlite";
  o.reoptimise_every_s = 0;
  o.clock = [] { return wed_8am; };
  as::drt_service drt{std::make_unique<nebuta::road::straight_line_model>(1.3, 30.0), {}, std::move(o)};
  as::http_server server{nullptr, &drt, nebuta::test::loopback_config()};
  server.start();
  auto const r = http_call(server.port(), "GET", "/v1/drt/gtfs-flex.zip");
  CHECK(r.status == 409);
  CHECK(json::parse(r.body).at("code") == "nothing_to_publish");
  server.stop();
}

// /v1/journeys (issue 16) in-process on a loopback port: booking a planned journey's on-demand
// legs all or none with a signed journey token, its status and rider token, tampered and expired
// tokens, a leg that cannot meet its train (409, nothing booked), cancellation, a late train moving
// a last-mile pickup through the realtime hook, and the journey after a restart. Offers come from
// /v1/drt/offers and the token from drt_service::journey_token, as the planner makes them. Times
// expected here come from the straight-line model's rule (haversine x 1.3 at 30 km/h), not the
// engine.
#include <atomic>
#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "drt_client.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/v1/journeys.pb.h"

namespace {

using nebuta::test::bearer;
using nebuta::test::http_call;
using nlohmann::json;
namespace as = nebuta::api_server;

constexpr std::int64_t day0 = 1795273200;  // 2026-11-22 00:00 in Asia/Tokyo
std::string const op_token = "operator-secret-token-0123";
std::string const op = bearer(op_token);

// A station (Tokyo) and two homes west of it.
constexpr double st_lat = 35.6812, st_lon = 139.7671;
constexpr double home_lat = 35.6852, home_lon = 139.7528;
constexpr double far_lat = 35.6586, far_lon = 139.7454;

struct fixture {
  nebuta::test::drt_temp_dir dir{"journeys"};
  std::atomic<std::int64_t> now{day0 + 8 * 3600};
  std::unique_ptr<as::drt_service> drt;
  std::unique_ptr<as::http_server> server;
  // The realtime of trip "LATE" at the station: its delay (seconds) and the next departure.
  std::atomic<std::int64_t> late_delay{-1};

  fixture() { start(); }
  ~fixture() { stop(); }
  void start() {
    as::drt_options o;
    o.db = dir.path / "state.sqlite";
    o.operator_token = op_token;
    o.reoptimise_every_s = 0;
    o.clock = [this] { return now.load(); };
    o.transit_realtime = [this](nebuta::dispatch::connection const& c) -> std::optional<as::connection_realtime> {
      if (c.trip_id != "LATE" || late_delay.load() < 0) return std::nullopt;
      return as::connection_realtime{c.scheduled + late_delay.load(), false, c.scheduled + 1800};
    };
    drt = std::make_unique<as::drt_service>(std::make_unique<nebuta::road::straight_line_model>(1.3, 30.0),
                                            nebuta::dispatch::rules{}, std::move(o));
    server = std::make_unique<as::http_server>(nullptr, drt.get(), nebuta::test::loopback_config());
    server->start();
  }
  void stop() {
    if (server) server->stop();
    server.reset();
    if (drt) drt->stop_background();
    drt.reset();
  }
  nebuta::test::http_reply call(std::string const& method, std::string const& target, std::string const& body = {},
                                std::string const& headers = {}) const {
    return http_call(server->port(), method, target, body, headers);
  }
  json call_json(std::string const& method, std::string const& target, std::string const& body, std::string const& h,
                 int expect) const {
    auto const r = call(method, target, body, h);
    INFO(method << " " << target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expect);
    REQUIRE(r.header("content-type") == "application/json");
    return json::parse(r.body);
  }
  void add_vehicle(std::string const& id, int seats = 4) const {
    auto const body = json{{"vehicle_id", id},
                           {"seats", seats},
                           {"wheelchair_spaces", 0},
                           {"depot", {{"lat", st_lat}, {"lon", st_lon}}},
                           {"shift_start_time", "06:00"},
                           {"shift_end_time", "2026-11-22T10:00:00+09:00"}};
    call_json("POST", "/v1/drt/vehicles", body.dump(), op, 201);
  }
  // An offer from (plat, plon) to (dlat, dlon) from `earliest` (unix) on; its JSON.
  json offer(double plat, double plon, double dlat, double dlon, std::int64_t earliest) const {
    auto const body = json{{"pickup", {{"lat", plat}, {"lon", plon}}},
                           {"dropoff", {{"lat", dlat}, {"lon", dlon}}},
                           {"earliest_pickup_time", std::to_string(earliest - day0)}};
    auto const o = call_json("POST", "/v1/drt/offers", body.dump(), {}, 200);
    REQUIRE(o["offered"] == true);
    return o;
  }
  std::string book_body(as::journey_offer const& j) const { return json{{"token", drt->journey_token(j)}}.dump(); }
};

std::uint32_t id_of(json const& offer) {
  return static_cast<std::uint32_t>(std::stoul(offer["request_id"].get<std::string>()));
}
std::int64_t unix_of(json const& t) { return std::stoll(t["unix"].get<std::string>()); }

double drive_s(double lat1, double lon1, double lat2, double lon2) {
  return nebuta::test::test_drive_s(lat1, lon1, lat2, lon2);
}

}  // namespace

TEST_CASE("journeys: booked all at once with one rider token, read, cancelled, kept across a restart", "[journeys]") {
  fixture f;
  f.add_vehicle("v1");
  f.add_vehicle("v2");
  auto const t0 = f.now.load();
  // First mile home → station for a train leaving at dep; last mile station → home after a train
  // arriving at arr.
  auto const first = f.offer(home_lat, home_lon, st_lat, st_lon, t0);
  auto const dep = t0 + 1800, arr = t0 + 3600;
  auto const buffer = 300;
  auto const last = f.offer(st_lat, st_lon, far_lat, far_lon, arr + buffer);
  as::journey_offer j;
  j.expires_unix = std::min(unix_of(first["offer"]["expires"]), unix_of(last["offer"]["expires"]));
  j.legs.push_back({id_of(first), {as::journey_link::kind::before_departure, "OUT", "tokyo", dep, buffer}});
  j.legs.push_back({id_of(last), {as::journey_link::kind::after_arrival, "BACK", "tokyo", arr, buffer}});

  auto const booked = f.call_json("POST", "/v1/journeys", f.book_body(j), {}, 201);
  CHECK(booked["journey_id"] == "0");
  CHECK(booked["status"] == "booked");
  auto const token = booked["rider_token"].get<std::string>();
  REQUIRE(token.size() == 32);
  REQUIRE(booked["legs"].size() == 2);
  auto const& l0 = booked["legs"][0];
  auto const& l1 = booked["legs"][1];
  CHECK(l0["request"]["status"] == "assigned");
  CHECK(l1["request"]["status"] == "assigned");
  CHECK(l0["connection"]["kind"] == "before_departure");
  CHECK(l0["connection"]["trip_id"] == "OUT");
  CHECK(unix_of(l0["connection"]["scheduled"]) == dep);
  // The promises hold the connections: drop-off by dep - buffer, pickup from arr + buffer.
  CHECK(unix_of(l0["request"]["latest_dropoff"]) <= dep - buffer);
  CHECK(unix_of(l0["request"]["dropoff_eta"]) <= dep - buffer);
  CHECK(unix_of(l1["request"]["pickup_window_start"]) >= arr + buffer);
  CHECK(unix_of(l1["request"]["pickup_eta"]) >= arr + buffer);
  // The first mile's ride: at least the straight-line drive from home to the station.
  CHECK(unix_of(l0["request"]["dropoff_eta"]) - t0 >=
        static_cast<std::int64_t>(drive_s(home_lat, home_lon, st_lat, st_lon)));

  // A retried booking (the answer was lost) gets the same journey, not a second one.
  auto const again = f.call_json("POST", "/v1/journeys", f.book_body(j), {}, 200);
  CHECK(again["journey_id"] == "0");

  // Reading needs the journey's token (or the operator's); a leg's own rider token is not it.
  CHECK(f.call_json("GET", "/v1/journeys/0", {}, {}, 401)["code"] == "unauthorized");
  CHECK(f.call_json("GET", "/v1/journeys/0", {}, bearer("0123456789abcdef0123456789abcdef"), 403)["code"] == "forbidden");
  CHECK(f.call_json("GET", "/v1/journeys/0", {}, bearer(first["rider_token"]), 403)["code"] == "forbidden");
  CHECK(f.call_json("GET", "/v1/journeys/1", {}, bearer(token), 403)["code"] == "forbidden");
  CHECK(f.call_json("GET", "/v1/journeys/7", {}, op, 404)["code"] == "unknown_journey");
  auto const read = f.call_json("GET", "/v1/journeys/0", {}, bearer(token), 200);
  CHECK(read["legs"].size() == 2);
  CHECK(read.value("rider_token", "") == "");  // only the booking answer carries it
  CHECK(f.call_json("GET", "/v1/journeys/0", {}, op, 200)["status"] == "booked");

  // Protobuf on Accept.
  auto const pb = f.call("GET", "/v1/journeys/0", {}, bearer(token) + "Accept: application/x-protobuf\r\n");
  REQUIRE(pb.status == 200);
  nebuta::v1::BookedJourney msg;
  REQUIRE(msg.ParseFromString(pb.body));
  CHECK(msg.legs_size() == 2);
  CHECK(msg.legs(1).connection().kind() == "after_arrival");

  // A restart (snapshot) keeps the journey, its token and its legs.
  f.stop();
  f.start();
  auto const after = f.call_json("GET", "/v1/journeys/0", {}, bearer(token), 200);
  CHECK(after["legs"][0]["request"]["status"] == "assigned");
  CHECK(after["legs"][1]["connection"]["trip_id"] == "BACK");

  // Cancelling cancels every leg; once.
  auto const cancelled = f.call_json("POST", "/v1/journeys/0/cancel", {}, bearer(token), 200);
  CHECK(cancelled["status"] == "cancelled");
  CHECK(cancelled["legs"][0]["request"]["status"] == "cancelled");
  CHECK(cancelled["legs"][1]["request"]["status"] == "cancelled");
  CHECK(f.call_json("POST", "/v1/journeys/0/cancel", {}, bearer(token), 409)["code"] == "wrong_state");
}

TEST_CASE("journeys: tampered, expired or foreign tokens are refused, an infeasible leg books nothing", "[journeys]") {
  fixture f;
  f.add_vehicle("v1");
  auto const t0 = f.now.load();
  auto const a = f.offer(home_lat, home_lon, st_lat, st_lon, t0);
  auto const b = f.offer(far_lat, far_lon, st_lat, st_lon, t0);
  as::journey_offer j;
  j.expires_unix = t0 + 60;
  j.legs.push_back({id_of(a), {}});
  auto const good = f.drt->journey_token(j);

  auto const refused = [&](std::string const& body) {
    auto const r = f.call_json("POST", "/v1/journeys", body, {}, 400);
    return r["code"].get<std::string>();
  };
  std::string changed = good;
  changed[3] = changed[3] == 'a' ? 'b' : 'a';  // one byte of the payload
  CHECK(refused(json{{"token", changed}}.dump()) == "invalid_journey_token");
  auto cut = good.substr(0, good.size() - 1);
  CHECK(refused(json{{"token", cut}}.dump()) == "invalid_journey_token");
  CHECK(refused(json{{"token", as::encode_journey_token(j, "another secret")}}.dump()) == "invalid_journey_token");
  CHECK(refused("{\"token\": \"\xff\xfe garbage\"}") != "");  // not UTF-8
  CHECK(refused(json{{"token", ""}}.dump()) == "missing_field");
  CHECK(refused("{\"token\": 5}") != "");

  // The second leg cannot meet its train (departure before any vehicle could get there): 409 and
  // the first leg is not booked either.
  as::journey_offer bad;
  bad.expires_unix = t0 + 60;
  bad.legs.push_back({id_of(a), {as::journey_link::kind::before_departure, "OUT", "tokyo", t0 + 3600, 300}});
  bad.legs.push_back({id_of(b), {as::journey_link::kind::before_departure, "OUT", "tokyo", t0 + 120, 300}});
  auto const conflict = f.call_json("POST", "/v1/journeys", f.book_body(bad), {}, 409);
  CHECK(conflict["code"] == "no_longer_feasible");
  auto const status_a = f.call_json("GET", "/v1/drt/requests/" + a["request_id"].get<std::string>(), {}, op, 200);
  CHECK(status_a["status"] == "offered");
  auto const stops = f.call_json("GET", "/v1/drt/vehicles/v1/stops", {}, op, 200);
  CHECK(stops["stops"].empty());
  // The good one still books.
  CHECK(f.call_json("POST", "/v1/journeys", json{{"token", good}}.dump(), {}, 201)["status"] == "booked");
  f.now += 61;  // past the token's expiry
  CHECK(refused(json{{"token", good}}.dump()) == "invalid_journey_token");
}

TEST_CASE("journeys: a late train moves the last-mile pickup, too late, the journey is at risk", "[journeys]") {
  fixture f;
  f.add_vehicle("v1");
  auto const t0 = f.now.load();
  auto const arr = t0 + 1200;
  auto const buffer = 300;
  auto const leg = f.offer(st_lat, st_lon, home_lat, home_lon, arr + buffer);
  as::journey_offer j;
  j.expires_unix = t0 + 60;
  j.legs.push_back({id_of(leg), {as::journey_link::kind::after_arrival, "LATE", "tokyo", arr, buffer}});
  auto const booked = f.call_json("POST", "/v1/journeys", f.book_body(j), {}, 201);
  auto const token = bearer(booked["rider_token"].get<std::string>());
  CHECK(f.drt->check_connections() == 0);  // no realtime yet

  f.late_delay = 600;  // ten minutes late
  f.now += 60;
  CHECK(f.drt->check_connections() == 1);
  CHECK(f.drt->check_connections() == 0);  // moved once per change
  auto const moved = f.call_json("GET", "/v1/journeys/0", {}, token, 200);
  CHECK(moved["status"] == "booked");
  auto const& c = moved["legs"][0]["connection"];
  CHECK(c["realtime"] == true);
  CHECK(c["delay_s"] == 600);
  CHECK(unix_of(c["expected"]) == arr + 600);
  CHECK(unix_of(moved["legs"][0]["request"]["pickup_window_start"]) == arr + 600 + buffer);
  CHECK(unix_of(moved["legs"][0]["request"]["pickup_eta"]) >= arr + 600 + buffer);

  // Two hours late: past the vehicle's shift (until 10:00): the leg keeps its plan, the rider is told.
  f.late_delay = 7200;
  f.now += 60;
  CHECK(f.drt->check_connections() == 1);
  auto const risk = f.call_json("GET", "/v1/journeys/0?lang=en", {}, token, 200);
  CHECK(risk["status"] == "at_risk");
  CHECK(risk["legs"][0]["connection_lost"] == true);
  CHECK(unix_of(risk["legs"][0]["request"]["pickup_window_start"]) == arr + 600 + buffer);
  CHECK(risk["status_reason"].get<std::string>().find("tokyo") != std::string::npos);
  CHECK_FALSE(risk["next_alternative"].get<std::string>().empty());
  auto const ja = f.call_json("GET", "/v1/journeys/0?lang=ja", {}, token, 200);
  CHECK(ja["status_reason"] != risk["status_reason"]);
}

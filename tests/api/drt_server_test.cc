// The on-demand API (/v1/drt/) in-process on a loopback port: every endpoint as JSON and as
// protobuf, auth, a table of bad requests, the GTFS-RT feed, restart from the database, time
// conversion. Expected times are computed here from the rules (straight-line model: haversine x
// 1.3 at 30 km/h, dwell 30 s, wait 900 s, ride 1.5 x direct + 600 s), not read from the engine.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "drt_client.h"
#include "gtfs-realtime.pb.h"
#include "nebuta/api_server/drt_api.h"
#include "nebuta/v1/drt.pb.h"

namespace {

using nebuta::test::bearer;
using nebuta::test::http_call;
using nlohmann::json;
namespace as = nebuta::api_server;

constexpr std::int64_t tokyo_midnight_2026_11_22 = 1795273200;  // 2026-11-21T15:00:00Z
std::string const op_token = "operator-secret-token-0123";
std::string const op = bearer(op_token);

// Tokyo station (depot of v1), pickup near Otemachi, drop-off near Kamiyacho.
constexpr double depot_lat = 35.6812, depot_lon = 139.7671;
constexpr double pu_lat = 35.6852, pu_lon = 139.7528;
constexpr double do_lat = 35.6586, do_lon = 139.7454;

struct fixture {
  nebuta::test::drt_temp_dir dir{"server"};
  std::atomic<std::int64_t> now{tokyo_midnight_2026_11_22 + 8 * 3600};  // 08:00 local
  std::unique_ptr<as::drt_service> drt;
  std::unique_ptr<as::http_server> server;
  decltype(as::drt_options::stop_lookup) stop_lookup;

  fixture() { start(); }
  ~fixture() { stop(); }

  void start() {
    as::drt_options o;
    o.db = dir.path / "state.sqlite";
    o.timezone = "Asia/Tokyo";
    o.operator_token = op_token;
    o.reoptimise_every_s = 0;
    o.clock = [this] { return now.load(); };
    o.stop_lookup = stop_lookup;
    drt = std::make_unique<as::drt_service>(std::make_unique<nebuta::road::straight_line_model>(1.3, 30.0),
                                            nebuta::dispatch::rules{}, std::move(o));
    as::server_config cfg;
    cfg.address = "127.0.0.1";
    cfg.port = 0;
    cfg.threads = 2;
    cfg.access_log = false;
    cfg.header_timeout = cfg.body_timeout = std::chrono::milliseconds{1000};
    server = std::make_unique<as::http_server>(nullptr, drt.get(), cfg);
    server->start();
  }
  void stop() {
    if (server) server->stop();
    server.reset();
    drt.reset();
  }
  std::uint16_t port() const { return server->port(); }

  nebuta::test::http_reply call(std::string const& method, std::string const& target, std::string const& body = {},
                                std::string const& headers = {}) const {
    return http_call(port(), method, target, body, headers);
  }
  json call_json(std::string const& method, std::string const& target, std::string const& body = {},
                 std::string const& headers = {}, int expect = 200) const {
    auto const r = call(method, target, body, headers);
    INFO(method << " " << target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expect);
    REQUIRE(r.header("content-type") == "application/json");
    return json::parse(r.body);
  }
  void add_vehicle(std::string const& id, double lat, double lon, int wheelchairs = 0) const {
    auto const body = json{{"vehicle_id", id},
                           {"seats", 4},
                           {"wheelchair_spaces", wheelchairs},
                           {"depot", {{"lat", lat}, {"lon", lon}}},
                           {"shift_start_time", "06:00"},
                           {"shift_end_time", "2026-11-22T22:00:00+09:00"}};
    call_json("POST", "/v1/drt/vehicles", body.dump(), op, 201);
  }
};

std::string offer_body(double plat = pu_lat, double plon = pu_lon, double dlat = do_lat, double dlon = do_lon,
                       int passengers = 1) {
  return json{
      {"pickup", {{"lat", plat}, {"lon", plon}}}, {"dropoff", {{"lat", dlat}, {"lon", dlon}}}, {"passengers", passengers}}
      .dump();
}

}  // namespace

TEST_CASE("drt: service clock maps instants to the zone's dates and times", "[drt]") {
  auto const c = as::service_clock::make("Asia/Tokyo");
  constexpr std::int64_t day = tokyo_midnight_2026_11_22;
  constexpr std::int64_t now = day + 8 * 3600;
  CHECK(c.day_start(std::chrono::sys_days{std::chrono::year{2026} / 11 / 22}) == day);
  CHECK(c.service_date(now) == std::chrono::sys_days{std::chrono::year{2026} / 11 / 22});
  CHECK(c.seconds_of_day(now) == 8 * 3600);
  CHECK(c.parse("2026-11-22T09:30:00+09:00", now) == day + 34200);
  CHECK(c.parse("2026-11-22T00:30:00Z", now) == day + 34200);
  CHECK(c.parse("2026-11-22T09:30:00.250+0900", now) == day + 34200);
  CHECK(c.parse("2026-11-22T09:30", now) == day + 34200);           // no offset: the zone's wall time
  CHECK(c.parse("2026-11-23T09:30", now) == day + 86'400 + 34200);  // tomorrow
  CHECK(c.parse("09:30", now) == day + 34200);                      // a clock time: of today's service date
  CHECK(c.parse("25:00:00", now) == day + 90000);
  CHECK(c.parse("34200", now) == day + 34200);
  CHECK(c.parse("2026-11-21T23:00:00+09:00", now) == day - 3600);
  CHECK(c.parse("9:30", now) == day + 34200);  // one clock parser for every API (nebuta/core/civil_time.h)
  CHECK(c.parse("09:30", now + 86'400) == day + 86'400 + 34200);  // today moves on
  for (auto const* bad : {"", "09:60", "abc", "2026-13-01T00:00Z", "2026-11-22T09:30+25:00", "2026-02-30T00:00Z",
                          "99999999999999", "1969-12-31T00:00Z", "2300-01-01T00:00Z"})
    CHECK_FALSE(c.parse(bad, now).has_value());
  CHECK(c.iso(day + 34200) == "2026-11-22T09:30:00+09:00");
  CHECK(c.iso(day + 90000) == "2026-11-23T01:00:00+09:00");
  CHECK(c.iso(day - 60) == "2026-11-21T23:59:00+09:00");

  // A DST change day: time 0 is GTFS's "noon minus 12 h", noon CEST (10:00Z) - 12 h =
  // 2026-03-28T22:00:00Z, which is 23:00 CET of the day before; 09:30 CEST is 09:30 of the day.
  auto const berlin = as::service_clock::make("Europe/Berlin");
  auto const dst_day = std::chrono::sys_days{std::chrono::year{2026} / 3 / 29};
  CHECK(berlin.day_start(dst_day) == 1774735200);
  CHECK(berlin.iso(1774735200) == "2026-03-28T23:00:00+01:00");
  // After the change GTFS times read as the clock: 09:30:00 is 09:30 CEST (07:30Z).
  CHECK(berlin.parse("2026-03-29T09:30:00", 1774735200) == 1774735200 + 34200);  // no offset: CEST
  CHECK(berlin.parse("2026-03-29T07:30:00Z", 0) == 1774735200 + 34200);
  CHECK(berlin.iso(1774735200 + 34200) == "2026-03-29T09:30:00+02:00");
  CHECK_THROWS_AS(as::service_clock::make("Mars/Olympus"), std::invalid_argument);
}

TEST_CASE("drt: booking flow in JSON with hand-computed times, state survives a restart", "[drt]") {
  fixture f;
  auto const info = f.call_json("GET", "/v1/drt/info");
  CHECK(info["service_date"] == "2026-11-22");
  CHECK(info["timezone"] == "Asia/Tokyo");
  CHECK(info["now"]["seconds"] == 8 * 3600);
  CHECK(info["now"]["time"] == "2026-11-22T08:00:00+09:00");
  CHECK(info["writable"] == true);

  f.add_vehicle("v1", depot_lat, depot_lon, 1);
  f.add_vehicle("osaka", 34.7025, 135.4959);  // hours away: can never serve a Tokyo ride in time
  auto const fleet = f.call_json("GET", "/v1/drt/vehicles", {}, op);
  REQUIRE(fleet["vehicles"].size() == 2);
  CHECK(fleet["vehicles"][0]["vehicle_id"] == "v1");
  CHECK(fleet["vehicles"][0]["shift_start"]["seconds"] == 6 * 3600);
  CHECK(fleet["vehicles"][0]["shift_end"]["seconds"] == 22 * 3600);
  CHECK(fleet["vehicles"][0]["wheelchair_spaces"] == 1);

  // PUT: idempotent registration; other values: conflict.
  auto const put = json{{"seats", 4},
                        {"depot", {{"lat", 35.0}, {"lon", 139.0}}},
                        {"shift_start_time", "06:00"},
                        {"shift_end_time", "22:00"}};
  f.call_json("PUT", "/v1/drt/vehicles/v3", put.dump(), op, 201);
  auto const again = f.call_json("PUT", "/v1/drt/vehicles/v3", put.dump(), op, 200);
  CHECK(again["vehicle_id"] == "v3");
  auto changed = put;
  changed["seats"] = 6;
  CHECK(f.call_json("PUT", "/v1/drt/vehicles/v3", changed.dump(), op, 409)["code"] == "vehicle_exists");

  auto const t0 = 8 * 3600;
  auto const offer = f.call_json("POST", "/v1/drt/offers", offer_body());
  REQUIRE(offer["offered"] == true);
  auto const id = offer["request_id"].get<std::string>();
  auto const rider = bearer(offer["rider_token"].get<std::string>());
  auto const& o = offer["offer"];
  CHECK(o["vehicle_id"] == "v1");
  auto const to_pickup = nebuta::test::test_drive_s(depot_lat, depot_lon, pu_lat, pu_lon);
  auto const direct = nebuta::test::test_drive_s(pu_lat, pu_lon, do_lat, do_lon);
  auto const pickup_eta = o["pickup_eta"]["seconds"].get<int>();
  CHECK(std::abs(pickup_eta - (t0 + to_pickup)) <= 1.0);
  CHECK(o["pickup_window_start"]["seconds"] == t0);
  CHECK(o["pickup_window_end"]["seconds"] == t0 + 900);
  CHECK(std::abs(o["dropoff_eta"]["seconds"].get<int>() - (pickup_eta + 30 + direct)) <= 1.0);
  CHECK(std::abs(o["latest_dropoff"]["seconds"].get<int>() - (pickup_eta + 30 + 1.5 * direct + 600)) <= 1.0);
  CHECK(o["expires"]["seconds"] == t0 + 60);
  CHECK(o["expires"]["time"] == "2026-11-22T08:01:00+09:00");

  // A second offer that is left to expire.
  auto const late = f.call_json("POST", "/v1/drt/offers", offer_body(35.6830, 139.7600, 35.6750, 139.7630));
  REQUIRE(late["offered"] == true);
  auto const late_id = late["request_id"].get<std::string>();
  auto const late_rider = bearer(late["rider_token"].get<std::string>());

  f.now += 10;
  auto const accepted = f.call_json("POST", "/v1/drt/requests/" + id + "/accept", {}, rider);
  CHECK(accepted["status"] == "assigned");
  CHECK(accepted["vehicle_id"] == "v1");
  CHECK(accepted["pickup_window_end"]["seconds"] == t0 + 900);
  CHECK(accepted.contains("pickup_eta"));

  f.now += 60;  // past the second offer's expiry
  auto const expired = f.call_json("POST", "/v1/drt/requests/" + late_id + "/accept", {}, late_rider, 409);
  CHECK(expired["code"] == "offer_expired");
  CHECK(f.call_json("GET", "/v1/drt/requests/" + late_id, {}, late_rider)["offer_expired"] == true);

  // The driver's view: pickup then drop-off of the booking.
  auto const stops = f.call_json("GET", "/v1/drt/vehicles/v1/stops", {}, op);
  REQUIRE(stops["stops"].size() == 2);
  CHECK(stops["stops"][0]["kind"] == "pickup");
  CHECK(stops["stops"][0]["request_id"] == id);
  CHECK(stops["stops"][0]["location"]["lat"] == pu_lat);
  CHECK(stops["stops"][0]["passengers"] == 1);
  CHECK(stops["stops"][1]["kind"] == "dropoff");
  CHECK(stops["stops"][1]["location"]["lon"] == do_lon);

  // Position, arrival, pickup.
  auto const pos =
      f.call_json("POST", "/v1/drt/vehicles/v1/position", json{{"lat", 35.6840}, {"lon", 139.7560}}.dump(), op);
  CHECK(pos["position"]["lat"] == 35.6840);
  CHECK(pos["position_time"]["seconds"] == t0 + 70);
  f.now += 60;
  auto const arrived =
      f.call_json("POST", "/v1/drt/vehicles/v1/events", json{{"request_id", id}, {"kind", "arrived"}}.dump(), op);
  CHECK(arrived["stops"][0]["arrived"] == true);
  CHECK(arrived["stops"][0]["arrived_at"]["seconds"] == t0 + 130);
  auto const boarded =
      f.call_json("POST", "/v1/drt/vehicles/v1/events", json{{"request_id", id}, {"kind", "picked_up"}}.dump(), op);
  REQUIRE(boarded["stops"].size() == 1);
  CHECK(boarded["stops"][0]["kind"] == "dropoff");
  auto const status = f.call_json("GET", "/v1/drt/requests/" + id, {}, rider);
  CHECK(status["status"] == "on_board");
  CHECK(status["picked_up_at"]["seconds"] == t0 + 130);
  CHECK_FALSE(status.contains("pickup_eta"));
  CHECK(status.contains("dropoff_eta"));
  // Cancelling a ride on board is refused.
  CHECK(f.call_json("POST", "/v1/drt/requests/" + id + "/cancel", {}, rider, 409)["code"] == "wrong_state");

  // A third booking cancelled by the operator.
  auto const third = f.call_json("POST", "/v1/drt/offers", offer_body(35.6815, 139.7665, 35.6700, 139.7600));
  REQUIRE(third["offered"] == true);
  auto const third_id = third["request_id"].get<std::string>();
  f.call_json("POST", "/v1/drt/requests/" + third_id + "/accept", {}, op);
  auto const cancelled =
      f.call_json("POST", "/v1/drt/requests/" + third_id + "/cancel", json{{"reason", "driver ill"}}.dump(), op);
  CHECK(cancelled["status"] == "cancelled");
  CHECK(cancelled["cancelled_by"] == "operator");

  // Rejection: pickup and drop-off at the same place.
  auto const same = f.call_json("POST", "/v1/drt/offers", offer_body(pu_lat, pu_lon, pu_lat, pu_lon));
  CHECK(same["offered"] == false);
  CHECK(same["reject_reason"] == "invalid_request");
  // Rejection: no vehicle can take it without breaking the wait promise (a ride in Sapporo).
  auto const far = f.call_json("POST", "/v1/drt/offers", offer_body(43.0687, 141.3508, 43.0600, 141.3500));
  CHECK(far["offered"] == false);
  CHECK_FALSE(far["reject_reason"].get<std::string>().empty());

  CHECK(f.call_json("POST", "/v1/drt/reoptimise", {}, op).contains("moved"));

  // Restart on the same database: the same answers, and the rider token still works.
  auto const before_status = f.call("GET", "/v1/drt/requests/" + id, {}, rider).body;
  auto const before_cancelled = f.call("GET", "/v1/drt/requests/" + third_id, {}, op).body;
  auto const before_fleet = f.call("GET", "/v1/drt/vehicles", {}, op).body;
  auto const before_stops = f.call("GET", "/v1/drt/vehicles/v1/stops", {}, op).body;
  f.stop();  // a clean stop writes a snapshot: the restart restores it and replays nothing
  f.start();
  CHECK(f.drt->n_replayed() == 0);
  REQUIRE_FALSE(f.drt->startup_notes().empty());
  CHECK_THAT(f.drt->startup_notes().front(), Catch::StartsWith("restored the snapshot after command"));
  CHECK(f.call("GET", "/v1/drt/requests/" + id, {}, rider).body == before_status);
  CHECK(f.call("GET", "/v1/drt/requests/" + third_id, {}, op).body == before_cancelled);
  CHECK(f.call("GET", "/v1/drt/vehicles", {}, op).body == before_fleet);
  CHECK(f.call("GET", "/v1/drt/vehicles/v1/stops", {}, op).body == before_stops);
  auto const dropped =
      f.call_json("POST", "/v1/drt/vehicles/v1/events", json{{"request_id", id}, {"kind", "dropped_off"}}.dump(), op);
  CHECK(dropped["stops"].empty());
  CHECK(f.call_json("GET", "/v1/drt/requests/" + id, {}, rider)["status"] == "completed");
}

TEST_CASE("drt: every endpoint in binary protobuf", "[drt]") {
  fixture f;
  auto const pb_headers = op + "Accept: application/x-protobuf\r\n";
  auto const pb_call = [&](std::string const& method, std::string const& target, std::string const& body,
                           std::string const& headers, google::protobuf::Message& out, int expect = 200) {
    auto const r = http_call(f.port(), method, target, body, headers, "application/x-protobuf");
    INFO(method << " " << target << " -> " << r.status);
    REQUIRE(r.status == expect);
    REQUIRE(r.header("content-type") == "application/x-protobuf");
    REQUIRE(out.ParseFromString(r.body));
  };

  nebuta::v1::DrtVehicleSpec spec;
  spec.set_vehicle_id("pb1");
  spec.set_seats(3);
  spec.mutable_depot()->set_lat(depot_lat);
  spec.mutable_depot()->set_lon(depot_lon);
  spec.set_shift_start_time("21600");
  spec.set_shift_end_time("22:00:00");
  nebuta::v1::DrtVehicle v;
  pb_call("POST", "/v1/drt/vehicles", spec.SerializeAsString(), pb_headers, v, 201);
  CHECK(v.vehicle_id() == "pb1");
  CHECK(v.seats() == 3);
  CHECK(v.shift_start().seconds() == 21600);
  CHECK(v.shift_end().seconds() == 79200);
  nebuta::v1::DrtVehicle v_get;
  pb_call("GET", "/v1/drt/vehicles/pb1", {}, pb_headers, v_get);
  CHECK(v_get.depot().lat() == depot_lat);

  nebuta::v1::DrtOfferRequest req;
  req.mutable_pickup()->set_lat(pu_lat);
  req.mutable_pickup()->set_lon(pu_lon);
  req.mutable_dropoff()->set_lat(do_lat);
  req.mutable_dropoff()->set_lon(do_lon);
  req.set_passengers(2);
  req.set_earliest_pickup_time("2026-11-22T08:20:00+09:00");
  nebuta::v1::DrtOfferResponse offer;
  pb_call("POST", "/v1/drt/offers", req.SerializeAsString(), "Accept: application/x-protobuf\r\n", offer);
  REQUIRE(offer.offered());
  CHECK(offer.offer().vehicle_id() == "pb1");
  CHECK(offer.offer().pickup_window_start().seconds() == 8 * 3600 + 20 * 60);  // a pre-booking
  CHECK(offer.offer().pickup_window_end().seconds() == 8 * 3600 + 35 * 60);
  auto const rider = bearer(offer.rider_token()) + "Accept: application/x-protobuf\r\n";

  nebuta::v1::DrtRequestStatus st;
  pb_call("POST", "/v1/drt/requests/" + offer.request_id() + "/accept", {}, rider, st);
  CHECK(st.status() == "assigned");
  CHECK(st.passengers() == 2);
  nebuta::v1::DrtRequestStatus st2;
  pb_call("GET", "/v1/drt/requests/" + offer.request_id(), {}, rider, st2);
  CHECK(st2.pickup_window_start().seconds() == st.pickup_window_start().seconds());

  nebuta::v1::DrtVehicleStops stops;
  pb_call("GET", "/v1/drt/vehicles/pb1/stops", {}, pb_headers, stops);
  REQUIRE(stops.stops_size() == 2);
  CHECK(stops.stops(0).request_id() == offer.request_id());
  CHECK(stops.stops(0).window_start().seconds() == 8 * 3600 + 20 * 60);

  nebuta::v1::DrtPositionUpdate p;
  p.set_lat(35.6830);
  p.set_lon(139.7600);
  nebuta::v1::DrtVehicle after_pos;
  pb_call("POST", "/v1/drt/vehicles/pb1/position", p.SerializeAsString(), pb_headers, after_pos);
  CHECK(after_pos.position().lat() == 35.6830);

  nebuta::v1::DrtStopEvent ev;
  ev.set_request_id(offer.request_id());
  ev.set_kind("arrived");
  nebuta::v1::DrtVehicleStops after_ev;
  pb_call("POST", "/v1/drt/vehicles/pb1/events", ev.SerializeAsString(), pb_headers, after_ev);
  CHECK(after_ev.stops(0).arrived());

  nebuta::v1::DrtFleet fleet;
  pb_call("GET", "/v1/drt/vehicles", {}, pb_headers, fleet);
  CHECK(fleet.vehicles_size() == 1);
  nebuta::v1::DrtReoptimiseResponse ro;
  pb_call("POST", "/v1/drt/reoptimise", {}, pb_headers, ro);
  nebuta::v1::DrtInfo info;
  pb_call("GET", "/v1/drt/info", {}, "Accept: application/x-protobuf\r\n", info);
  CHECK(info.n_vehicles() == 1);
  CHECK(info.n_requests() == 1);

  nebuta::v1::DrtRequestStatus cancelled;
  pb_call("POST", "/v1/drt/requests/" + offer.request_id() + "/cancel",
          nebuta::v1::DrtCancelRequest{}.SerializeAsString(), rider, cancelled);
  CHECK(cancelled.status() == "cancelled");
  CHECK(cancelled.cancelled_by() == "rider");

  // Errors come as nebuta.v1.Error in protobuf too.
  nebuta::v1::Error err;
  pb_call("GET", "/v1/drt/vehicles/nope", {}, pb_headers, err, 404);
  CHECK(err.code() == "unknown_vehicle");
}

TEST_CASE("drt: GTFS-RT vehicle positions decode to what was posted", "[drt]") {
  fixture f;
  f.add_vehicle("a", depot_lat, depot_lon, 1);
  f.add_vehicle("b", 35.70, 139.70);
  f.add_vehicle("silent", 35.71, 139.71);  // never reports: not in the feed
  f.call_json("POST", "/v1/drt/vehicles/a/position", json{{"lat", 35.681234}, {"lon", 139.765432}}.dump(), op);
  f.now += 5;
  f.call_json("POST", "/v1/drt/vehicles/b/position", json{{"lat", 35.699}, {"lon", 139.70}}.dump(), op);  // a moment before
  f.now += 5;
  f.call_json("POST", "/v1/drt/vehicles/b/position", json{{"lat", 35.701}, {"lon", 139.702}}.dump(), op);

  auto const r = f.call("GET", "/v1/drt/gtfs-rt/vehicle-positions");  // public, binary by default
  REQUIRE(r.status == 200);
  CHECK(r.header("content-type") == "application/x-protobuf");
  transit_realtime::FeedMessage feed;
  REQUIRE(feed.ParseFromString(r.body));
  CHECK(feed.header().gtfs_realtime_version() == "2.0");
  CHECK(feed.header().incrementality() == transit_realtime::FeedHeader::FULL_DATASET);
  CHECK(feed.header().timestamp() == static_cast<std::uint64_t>(f.now.load()));
  REQUIRE(feed.entity_size() == 2);
  auto const& a = feed.entity(0);
  CHECK(a.id() == "a");
  CHECK(a.vehicle().vehicle().id() == "a");
  CHECK(a.vehicle().position().latitude() == static_cast<float>(35.681234));
  CHECK(a.vehicle().position().longitude() == static_cast<float>(139.765432));
  CHECK(a.vehicle().timestamp() == static_cast<std::uint64_t>(tokyo_midnight_2026_11_22 + 8 * 3600));
  CHECK(a.vehicle().vehicle().wheelchair_accessible() == transit_realtime::VehicleDescriptor::WHEELCHAIR_ACCESSIBLE);
  CHECK(a.vehicle().occupancy_status() == transit_realtime::VehiclePosition::EMPTY);
  auto const& b = feed.entity(1);
  CHECK(b.vehicle().position().latitude() == static_cast<float>(35.701));  // the latest report
  CHECK(b.vehicle().position().longitude() == static_cast<float>(139.702));
  CHECK(b.vehicle().timestamp() == static_cast<std::uint64_t>(tokyo_midnight_2026_11_22 + 8 * 3600 + 10));

  auto const j = f.call_json("GET", "/v1/drt/gtfs-rt/vehicle-positions", {}, "Accept: application/json\r\n");
  REQUIRE(j["entity"].size() == 2);
  CHECK(j["entity"][1]["vehicle"]["position"]["latitude"].get<double>() == Approx(35.701).margin(1e-5));
  CHECK_FALSE(j["entity"][0]["vehicle"]["position"].contains("bearing"));  // unset stays absent
}

TEST_CASE("drt: operator and rider tokens", "[drt]") {
  fixture f;
  f.add_vehicle("v1", depot_lat, depot_lon);
  auto const a = f.call_json("POST", "/v1/drt/offers", offer_body());  // offers are public
  auto const b = f.call_json("POST", "/v1/drt/offers", offer_body(35.6815, 139.7665, 35.6700, 139.7600));
  auto const a_id = a["request_id"].get<std::string>(), b_id = b["request_id"].get<std::string>();
  auto const a_rider = bearer(a["rider_token"].get<std::string>());
  CHECK(a["rider_token"] != b["rider_token"]);

  struct auth_case {
    std::string method, target, headers;
    int status;
    std::string code;
  };
  std::vector<auth_case> const cases{
      {"GET", "/v1/drt/vehicles", "", 401, "unauthorized"},
      {"GET", "/v1/drt/vehicles", bearer("wrong-token-wrong-token"), 403, "forbidden"},
      {"GET", "/v1/drt/vehicles", "Authorization: Basic b3A6c2VjcmV0\r\n", 401, "unauthorized"},
      {"GET", "/v1/drt/vehicles", "Authorization: Bearer\r\n", 401, "unauthorized"},
      {"GET", "/v1/drt/vehicles", bearer(op_token + "x"), 403, "forbidden"},
      {"GET", "/v1/drt/vehicles", a_rider, 403, "forbidden"},
      {"GET", "/v1/drt/vehicles/v1/stops", a_rider, 403, "forbidden"},
      {"POST", "/v1/drt/vehicles/v1/position", "", 401, "unauthorized"},
      {"POST", "/v1/drt/reoptimise", a_rider, 403, "forbidden"},
      {"GET", "/v1/drt/requests/" + a_id, "", 401, "unauthorized"},
      {"GET", "/v1/drt/requests/" + b_id, a_rider, 403, "forbidden"},
      {"POST", "/v1/drt/requests/" + b_id + "/accept", a_rider, 403, "forbidden"},
      {"POST", "/v1/drt/requests/" + b_id + "/cancel", a_rider, 403, "forbidden"},
      {"GET", "/v1/drt/requests/999", a_rider, 403, "forbidden"},
      {"GET", "/v1/drt/requests/" + a_id, bearer("0123456789abcdef0123456789abcdef"), 403, "forbidden"},
  };
  for (auto const& c : cases) {
    auto const r =
        f.call(c.method, c.target, c.method == "POST" ? json{{"lat", 35.0}, {"lon", 139.0}}.dump() : "", c.headers);
    INFO(c.method << " " << c.target << " [" << c.headers << "] -> " << r.status << " " << r.body);
    CHECK(r.status == c.status);
    CHECK(json::parse(r.body)["code"] == c.code);
  }
  // Nothing was changed by the refused calls.
  CHECK(f.call_json("GET", "/v1/drt/requests/" + b_id, {}, op)["status"] == "offered");
  // Allowed: own token, and the operator on any request.
  CHECK(f.call_json("GET", "/v1/drt/requests/" + a_id, {}, a_rider)["status"] == "offered");
  CHECK(f.call_json("POST", "/v1/drt/requests/" + b_id + "/accept", {}, op)["status"] == "assigned");
  CHECK(f.call_json("POST", "/v1/drt/requests/" + a_id + "/cancel", {}, a_rider)["cancelled_by"] == "rider");
  CHECK(f.drt->rider_token(0) == a["rider_token"].get<std::string>());
}

TEST_CASE("drt: bad requests get 4xx with code and message", "[drt]") {
  fixture f;
  f.add_vehicle("v1", depot_lat, depot_lon);
  auto const rejected = f.call_json("POST", "/v1/drt/offers", offer_body(pu_lat, pu_lon, pu_lat, pu_lon));
  REQUIRE(rejected["offered"] == false);
  auto const rejected_id = rejected["request_id"].get<std::string>();
  auto const pickup_only = json{{"pickup", {{"lat", pu_lat}, {"lon", pu_lon}}}};
  auto const with = [&](json j, std::string const& key, json v) {
    j[key] = std::move(v);
    return j.dump();
  };
  auto const base = json::parse(offer_body());
  auto const vehicle = [](json extra) {
    json j{{"vehicle_id", "new1"}, {"seats", 4}, {"depot", {{"lat", 35.0}, {"lon", 139.0}}}};
    for (auto const& [k, v] : extra.items()) j[k] = v;
    return j.dump();
  };

  struct bad_case {
    std::string method, target, body, headers;
    int status;
    std::string code;
    std::string content_type{"application/json"};
  };
  std::vector<bad_case> const cases{
      {"POST", "/v1/drt/offers", "", "", 400, "malformed_body"},
      {"POST", "/v1/drt/offers", "{", "", 400, "malformed_body"},
      {"POST", "/v1/drt/offers", R"({"pickup":{"lat":1,"lon":2},"colour":"red"})", "", 400, "malformed_body"},
      {"POST", "/v1/drt/offers", R"({"passengers":-1})", "", 400, "malformed_body"},
      {"POST", "/v1/drt/offers", "\xff\xfe", "", 400, "malformed_body"},
      {"POST", "/v1/drt/offers", "garbage", "", 400, "malformed_body", "application/x-protobuf"},
      {"POST", "/v1/drt/offers", pickup_only.dump(), "", 400, "missing_field"},
      {"POST", "/v1/drt/offers", with(base, "pickup", {{"lat", 35.0}}), "", 400, "invalid_place"},
      {"POST", "/v1/drt/offers", with(base, "pickup", {{"lat", 91.0}, {"lon", 139.0}}), "", 400, "invalid_coordinate"},
      {"POST", "/v1/drt/offers", with(base, "dropoff", {{"lat", 35.0}, {"lon", -181.0}}), "", 400, "invalid_coordinate"},
      {"POST", "/v1/drt/offers", with(base, "pickup", {{"lat", "NaN"}, {"lon", 139.0}}), "", 400, "invalid_coordinate"},
      {"POST", "/v1/drt/offers", with(base, "pickup", {{"stop_id", "S1"}}), "", 400, "unknown_stop"},
      {"POST", "/v1/drt/offers", with(base, "pickup", {{"stop_id", "S1"}, {"lat", 35.0}, {"lon", 139.0}}), "", 400,
       "invalid_place"},
      {"POST", "/v1/drt/offers", with(base, "passengers", 5000), "", 400, "invalid_passengers"},
      {"POST", "/v1/drt/offers", with(json::parse(with(base, "passengers", 2)), "wheelchair_users", 3), "", 400,
       "invalid_passengers"},
      {"POST", "/v1/drt/offers", with(base, "earliest_pickup_time", "tomorrow"), "", 400, "invalid_time"},
      {"POST", "/v1/drt/offers", with(base, "earliest_pickup_time", "25:61"), "", 400, "invalid_time"},
      {"POST", "/v1/drt/offers", offer_body(), "", 415, "unsupported_media_type", "text/plain"},
      {"POST", "/v1/drt/offers", offer_body(), "Accept: text/html\r\n", 406, "not_acceptable"},
      {"POST", "/v1/drt/offers", std::string(70 * 1024, ' '), "", 413, "body_too_large"},
      {"POST", "/v1/drt/offers?debug=1", offer_body(), "", 400, "unknown_parameter"},
      {"GET", "/v1/drt/offers", "", "", 405, "method_not_allowed"},
      {"DELETE", "/v1/drt/vehicles", "", op, 405, "method_not_allowed"},
      {"GET", "/v1/drt/nothing", "", "", 404, "not_found"},
      {"GET", "/v1/drt/requests/1/details", "", op, 404, "not_found"},
      {"GET", "/v1/drt/requests/abc", "", op, 404, "unknown_request"},
      {"GET", "/v1/drt/requests/999", "", op, 404, "unknown_request"},
      {"GET", "/v1/drt/requests/99999999999999999999", "", op, 404, "unknown_request"},
      {"POST", "/v1/drt/requests/" + rejected_id + "/accept", "", op, 409, "wrong_state"},
      {"POST", "/v1/drt/vehicles/v1/position", R"({"lat":200,"lon":0})", op, 400, "invalid_coordinate"},
      {"POST", "/v1/drt/vehicles/nope/position", R"({"lat":35,"lon":139})", op, 404, "unknown_vehicle"},
      {"GET", "/v1/drt/vehicles/v1/stops/extra", "", op, 404, "not_found"},
      {"POST", "/v1/drt/vehicles/v1/events", R"({"request_id":"0","kind":"jumped"})", op, 400, "invalid_event"},
      {"POST", "/v1/drt/vehicles/v1/events", R"({"request_id":"x","kind":"arrived"})", op, 400, "invalid_event"},
      {"POST", "/v1/drt/vehicles/v1/events", R"({"request_id":"777","kind":"arrived"})", op, 404, "unknown_request"},
      {"POST", "/v1/drt/vehicles/v1/events", R"({"request_id":")" + rejected_id + R"(","kind":"picked_up"})", op, 409,
       "wrong_state"},
      {"POST", "/v1/drt/vehicles", vehicle({{"vehicle_id", "a/b"}}), op, 400, "invalid_vehicle"},
      {"POST", "/v1/drt/vehicles", vehicle({{"vehicle_id", ""}}), op, 400, "invalid_vehicle"},
      {"POST", "/v1/drt/vehicles", vehicle({{"seats", 0}}), op, 400, "invalid_vehicle"},
      {"POST", "/v1/drt/vehicles", R"({"vehicle_id":"x","seats":4})", op, 400, "missing_field"},
      {"POST", "/v1/drt/vehicles", vehicle({{"shift_start_time", "10:00"}, {"shift_end_time", "09:00"}}), op, 400,
       "invalid_shift"},
      {"POST", "/v1/drt/vehicles", vehicle({{"shift_start_time", "soon"}}), op, 400, "invalid_time"},
      {"POST", "/v1/drt/vehicles", vehicle({{"vehicle_id", "v1"}}), op, 409, "shift_overlaps"},  // a whole day
      {"PUT", "/v1/drt/vehicles/zz", vehicle({{"vehicle_id", "other"}}), op, 400, "invalid_vehicle"},
  };
  REQUIRE(cases.size() >= 20);
  auto const n_requests_before = f.call_json("GET", "/v1/drt/info")["n_requests"];
  for (auto const& c : cases) {
    auto const r = http_call(f.port(), c.method, c.target, c.body, c.headers, c.content_type);
    INFO(c.method << " " << c.target << " " << c.body.substr(0, 120) << " -> " << r.status << " " << r.body);
    CHECK(r.status == c.status);
    REQUIRE(r.header("content-type") == "application/json");
    auto const j = json::parse(r.body);
    CHECK(j["code"] == c.code);
    CHECK_FALSE(j["message"].get<std::string>().empty());
  }
  // None of them created a request; the server still works.
  CHECK(f.call_json("GET", "/v1/drt/info")["n_requests"] == n_requests_before);
  CHECK(f.call_json("POST", "/v1/drt/offers", offer_body())["offered"] == true);
}

TEST_CASE("drt: errors and refusals in the request's language", "[drt]") {
  fixture f;
  f.add_vehicle("v1", depot_lat, depot_lon);
  struct language_case {
    std::string method, target, body, headers;
    int status;
    std::string field, text;  // `field` of the JSON answer holds `text`
  };
  std::vector<language_case> const cases{
      {"GET", "/v1/drt/vehicles/zz", "", op + "Accept-Language: ja\r\n", 404, "message", "ID「zz」の車両はありません"},
      {"GET", "/v1/drt/requests/0?lang=ko", "", "", 401, "message",
       "이 엔드포인트에는 Authorization: Bearer <승객 토큰 또는 운영자 토큰>이 필요합니다"},
      {"POST", "/v1/drt/offers?lang=zh-Hant", offer_body(pu_lat, pu_lon, pu_lat, pu_lon), "", 200, "reject_message",
       "請求無效（起訖點相同，或乘客人數有誤）"},
      {"POST", "/v1/drt/offers", offer_body(pu_lat, pu_lon, pu_lat, pu_lon), "Accept-Language: zh-CN,zh;q=0.9\r\n", 200,
       "reject_message", "请求无效（起终点相同，或乘客人数有误）"},
      {"POST", "/v1/drt/offers", offer_body(pu_lat, pu_lon, pu_lat, pu_lon), "Accept-Language: fr\r\n", 200,
       "reject_message", "the request is not valid (same place, or bad passenger counts)"},
      {"POST", "/v1/drt/vehicles?lang=ja",
       R"({"vehicle_id":"v1","seats":4,"depot":{"lat":35,"lon":139},"shift_start_time":"06:00","shift_end_time":"22:00"})",
       op, 409, "message", "この車両のこの勤務は別の値で登録済みです（登録後の勤務は変更できません）"},
      {"POST", "/v1/drt/vehicles?lang=ja", R"({"vehicle_id":"v1","seats":4,"depot":{"lat":35,"lon":139}})", op, 409,
       "message", "この車両には 2026-11-22T06:00:00+09:00 から 2026-11-22T22:00:00+09:00 までの勤務がすでにあります"},
  };
  for (auto const& c : cases) {
    auto const r = f.call(c.method, c.target, c.body, c.headers);
    INFO(c.method << " " << c.target << " -> " << r.status << " " << r.body);
    CHECK(r.status == c.status);
    CHECK(json::parse(r.body)[c.field] == c.text);
  }
}

TEST_CASE("drt: the on-demand API keeps the server's limits, as the planner does", "[drt]") {
  fixture f;
  f.add_vehicle("v1", depot_lat, depot_lon);
  as::server_config cfg;
  cfg.access_log = false;
  cfg.max_body_bytes = 300;
  cfg.max_params = 2;
  cfg.max_param_bytes = 12;
  cfg.max_uri_bytes = 80;
  as::api a{nullptr, f.drt.get(), cfg};  // the pipeline without sockets: the gate's own limits do not interfere
  auto const serve = [&](std::string method, std::string target, std::string body = {}) {
    as::http_request r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.authorization = "Bearer " + op_token;
    auto const res = a.serve(r);
    return std::pair{res.status, json::parse(res.body)};
  };
  auto const [big, big_j] = serve("POST", "/v1/drt/offers", offer_body() + std::string(300, ' '));
  CHECK(big == 413);
  CHECK(big_j["code"] == "body_too_large");
  CHECK(big_j["message"] == "request body too large (at most 300 bytes)");
  auto const [long_field, long_field_j] =
      serve("POST", "/v1/drt/offers", R"({"pickup":{"stop_id":"a-stop-id-of-20-ch"},"dropoff":{"lat":35,"lon":139}})");
  CHECK(long_field == 400);
  CHECK(long_field_j["message"] == "malformed request body: a field is longer than 12 bytes");
  CHECK(serve("GET", "/v1/drt/info?lang=en&a=1&b=2").second["code"] == "too_many_parameters");
  CHECK(serve("GET", "/v1/drt/info?lang=en-GB-oxendict").second["code"] == "parameter_too_long");
  CHECK(serve("GET", "/v1/drt/info?lang=en&lang=en").second["code"] == "duplicate_parameter");
  CHECK(serve("GET", "/v1/drt/info?lang=%C0%AF").second["code"] == "invalid_utf8");
  CHECK(serve("GET", "/v1/drt/vehicles/" + std::string(80, 'v')).first == 414);
  CHECK(serve("GET", "/v1/drt/info?lang=ja").first == 200);
}

TEST_CASE("drt: a journal write failure answers 503 and makes the service read-only", "[drt]") {
  fixture f;
  f.add_vehicle("v1", depot_lat, depot_lon);
  // Another connection holds the write lock: the journal's INSERT fails after its busy timeout.
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open((f.dir.path / "state.sqlite").c_str(), &other) == SQLITE_OK);
  REQUIRE(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK);
  auto const failed = f.call("POST", "/v1/drt/offers", offer_body());
  CHECK(failed.status == 503);
  CHECK(json::parse(failed.body)["code"] == "storage_unavailable");
  REQUIRE(sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(other);

  // Writes stay refused (memory may be ahead of the disk); reads still answer.
  CHECK(f.call("POST", "/v1/drt/offers", offer_body()).status == 503);
  CHECK(f.call("POST", "/v1/drt/vehicles/v1/position", json{{"lat", 35.0}, {"lon", 139.0}}.dump(), op).status == 503);
  auto const info = f.call_json("GET", "/v1/drt/info");
  CHECK(info["writable"] == false);
  CHECK(f.call_json("GET", "/v1/drt/vehicles", {}, op)["vehicles"].size() == 1);

  // A restart rebuilds from the disk: the offer that was not stored is gone.
  f.stop();
  f.start();
  auto const after = f.call_json("GET", "/v1/drt/info");
  CHECK(after["writable"] == true);
  CHECK(after["n_requests"] == 0);
  CHECK(after["n_vehicles"] == 1);
  CHECK(f.call_json("POST", "/v1/drt/offers", offer_body())["request_id"] == "0");
}

TEST_CASE("drt: pickup and drop-off by stop id of the loaded timetable", "[drt]") {
  fixture f;
  f.stop();
  f.stop_lookup = [](std::string const& id, std::vector<std::string> const&) -> std::optional<nebuta::latlon> {
    if (id == "otemachi") return nebuta::latlon{pu_lat, pu_lon};
    if (id == "kamiyacho") return nebuta::latlon{do_lat, do_lon};
    return std::nullopt;
  };
  f.start();
  f.add_vehicle("v1", depot_lat, depot_lon);
  auto const body = json{{"pickup", {{"stop_id", "otemachi"}}}, {"dropoff", {{"stop_id", "kamiyacho"}}}}.dump();
  auto const offer = f.call_json("POST", "/v1/drt/offers", body);
  REQUIRE(offer["offered"] == true);
  CHECK(offer["offer"]["pickup"]["lat"] == pu_lat);
  CHECK(offer["offer"]["dropoff"]["lon"] == do_lon);
  auto const unknown = json{{"pickup", {{"stop_id", "ginza"}}}, {"dropoff", {{"stop_id", "kamiyacho"}}}}.dump();
  CHECK(f.call_json("POST", "/v1/drt/offers", unknown, {}, 400)["code"] == "unknown_stop");
}

// A coordinate with no stop within the usual 400 m (a coast, a field) is walked to from the
// nearest stop within 2 km, as a gazetteer place is (raptor::coordinate_walk_m); nearer stops
// keep the usual 400 m, and past 2 km there is no journey. The planner and the simulator's
// transit alternative (sim::plan_transit) follow the one rule, so both are checked here. Inline feed: one trip A -> B,
// 08:10 -> 08:30; the walks are hand-computed with the test's own haversine and GTFS's walking
// time rule of the router (ceil(distance / 1.2 m/s)).
#include <cmath>
#include <numbers>
#include <string>

#include <catch2/catch.hpp>

#include "nebuta/api_service/service.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/raptor/router.h"
#include "nebuta/sim/transit.h"
#include "temp_dir.h"

namespace {

double test_haversine_m(double lat1, double lon1, double lat2, double lon2) {
  constexpr double r = 6371000.0, rad = std::numbers::pi / 180.0;
  auto const dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  auto const h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                 std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * r * std::asin(std::sqrt(h));
}

// The longitude east of B at `metres` along its parallel.
double east_of_b(double metres) {
  return 139.1 + metres / (6371000.0 * std::cos(35.0 * std::numbers::pi / 180.0)) * 180.0 / std::numbers::pi;
}

}  // namespace

TEST_CASE("plan: a coordinate far from every stop is walked to from the nearest within 2 km", "[api][plan]") {
  nebuta::test::temp_dir dir{"plan-walk"};
  dir.write("gtfs/agency.txt", "agency_id,agency_name,agency_url,agency_timezone\na,Bus,http://x,Asia/Tokyo\n");
  dir.write("gtfs/stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nA,A,35.0,139.0\nB,B,35.0,139.1\n");
  dir.write("gtfs/routes.txt", "route_id,agency_id,route_short_name,route_long_name,route_type\nr,a,1,Line,3\n");
  dir.write("gtfs/trips.txt", "route_id,service_id,trip_id\nr,s,t1\n");
  dir.write("gtfs/stop_times.txt",
            "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
            "t1,08:10:00,08:10:00,A,1\nt1,08:30:00,08:30:00,B,2\n");
  dir.write("gtfs/calendar.txt",
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            "s,1,1,1,1,1,1,1,20260101,20261231\n");
  auto const loaded = nebuta::gtfs_import::load({{"walk", dir.path / "gtfs"}});
  nebuta::api_service::service const svc{loaded.tt};
  nebuta::raptor::router router{svc.raptor_index()};
  auto const chain = nebuta::api_service::make_lang_chain("en");

  auto const plan_to = [&](double lon) {
    nebuta::v1::PlanRequest req;
    req.set_from("A");
    char to[64];
    std::snprintf(to, sizeof to, "35.0,%.7f", lon);
    req.set_to(to);
    req.set_date("2026-04-08");
    req.set_depart("08:00");
    return svc.plan_message(svc.plan_journeys(req, chain, router));
  };
  auto const arrival_after_walk = [](double lon) {
    auto const d = test_haversine_m(35.0, 139.1, 35.0, lon);
    return 8 * 3600 + 30 * 60 + static_cast<int>(std::ceil(d / 1.2));
  };

  for (double const metres : {300.0, 1000.0, 1900.0}) {
    INFO(metres << " m east of B");
    auto const lon = east_of_b(metres);
    auto const r = plan_to(lon);
    REQUIRE(r.journeys_size() == 1);
    auto const& j = r.journeys(0);
    CHECK(j.rides() == 1U);
    CHECK(j.departure_seconds() == 8 * 3600 + 10 * 60);
    REQUIRE(j.legs_size() == 2);
    CHECK(j.legs(1).mode() == "walk");
    CHECK(std::abs(j.legs(1).distance_m() - metres) <= 1.0);
    CHECK(std::abs(j.arrival_seconds() - arrival_after_walk(lon)) <= 1);
  }
  // Past 2 km from every stop: no journey, as before.
  CHECK(plan_to(east_of_b(2100.0)).journeys_size() == 0);

  // The origin side too: 1 km west of A, walked to A.
  nebuta::v1::PlanRequest req;
  char from[64];
  std::snprintf(from, sizeof from, "35.0,%.7f", 139.0 - (east_of_b(1000.0) - 139.1));
  req.set_from(from);
  req.set_to("B");
  req.set_date("2026-04-08");
  req.set_depart("07:30");
  auto const r = svc.plan_message(svc.plan_journeys(req, chain, router));
  REQUIRE(r.journeys_size() == 1);
  REQUIRE(r.journeys(0).legs_size() == 2);
  CHECK(r.journeys(0).legs(0).mode() == "walk");
  CHECK(std::abs(r.journeys(0).legs(0).distance_m() - 1000.0) <= 1.0);
  CHECK(r.journeys(0).arrival_seconds() == 8 * 3600 + 30 * 60);

  // The simulator's transit alternative, from A's own coordinate: the same walks, the same
  // arrivals, and none past 2 km (before the rule it found none past 400 m, while the planner did).
  nebuta::sim::transit_settings ts;
  ts.first_date = nebuta::date_t{std::chrono::year{2026} / 4 / 8};
  std::vector<nebuta::raptor::journey> scratch;
  for (double const metres : {300.0, 1000.0, 1900.0}) {
    INFO("simulator, " << metres << " m east of B");
    auto const lon = east_of_b(metres);
    auto const alt = nebuta::sim::plan_transit(router, {35.0, 139.0}, {35.0, lon}, 8 * 3600, ts, scratch);
    REQUIRE(alt.found);
    CHECK(alt.rides == 1U);
    CHECK(std::abs(alt.walk_m - metres) <= 1.0);
    CHECK(std::abs(alt.arrival - arrival_after_walk(lon)) <= 1);
  }
  CHECK_FALSE(nebuta::sim::plan_transit(router, {35.0, 139.0}, {35.0, east_of_b(2100.0)}, 8 * 3600, ts, scratch).found);
}

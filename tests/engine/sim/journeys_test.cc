// Journeys runs (sim/journeys.h) on an inline timetable with a straight-line road model (no detour,
// 36 km/h = 10 m/s). Every expected mode, time and KPI below is worked out by hand from the
// timetable and the distances, not read back from the code.
#include <catch2/catch.hpp>

#include <chrono>

#include "mini_feed.h"
#include "nebuta/raptor/index.h"
#include "nebuta/sim/simulation.h"

using namespace nebuta;
using nebuta::test::hm;

namespace {

date_t const day = std::chrono::year{2024} / 6 / 3;

// B0 (bus stop) 34.95, STA (station) 35.00, CITY 35.30, all on longitude 139.0.
// Bus b1: B0 08:00 -> STA 08:15; bus b2: B0 09:00 -> STA 09:15.
// Train T1: STA 08:30 -> CITY 09:00; train T2: STA 09:30 -> CITY 10:00.
test::mini_feed feed() {
  test::mini_feed f;
  f.add_stop("B0", 34.95, 139.0);
  f.add_stop("STA", 35.00, 139.0);
  f.add_stop("CITY", 35.30, 139.0);
  f.add_line("BUS");
  f.add_trip("T1", {{"STA", hm(8, 30)}, {"CITY", hm(9, 0)}});
  f.add_trip("T2", {{"STA", hm(9, 30)}, {"CITY", hm(10, 0)}});
  f.add_trip("b1", {{"B0", hm(8, 0)}, {"STA", hm(8, 15)}}, "all", 0, "", "BUS");
  f.add_trip("b2", {{"B0", hm(9, 0)}, {"STA", hm(9, 15)}}, "all", 0, "", "BUS");
  return f;
}

latlon const city{35.30, 139.0};
latlon const b0{34.95, 139.0};
latlon const home_a{34.90, 139.00};  // 11.1 km south of STA: nothing on foot
// 10.95 km east and west of STA: too far from home_a and from each other for one vehicle to
// take two of them within their ride limits (1.5 x direct + 300 s), so each rides alone.
latlon const home_b{35.00, 139.12};
latlon const home_c{35.00, 138.88};

sim::trip_request journey(char const* id, latlon from, seconds_t at, seconds_t late_s) {
  sim::trip_request q;
  q.id = id;
  q.requested_at = at;
  q.earliest_pickup = at;
  q.origin = from;
  q.destination = city;
  q.late_s = late_s;
  return q;
}

struct world {
  test::mini_feed f{feed()};
  timetable tt{f.compile(0.0F)};
  raptor::index idx{tt};
  road::straight_line_model model{1.0, 36.0};
  sim::scenario sc;
  sim::journey_options jo;

  world() {
    sc.rules.max_wait = 900;
    sc.rules.ride_alpha = 1.5;
    sc.rules.ride_beta = 300;
    sc.rules.dwell = 30;
    sc.rules.no_show_wait = 180;
    // One vehicle waiting at each home and one at B0, 06:00-12:00.
    int n = 0;
    for (auto const at : {home_a, home_b, home_c, b0}) {
      sc.fleet.push_back({"V" + std::to_string(++n), 4, 0, at, hm(6, 0), hm(12, 0)});
    }
    // J1 at B0 at 07:30: bus b1 08:00, T1, CITY 09:00. A vehicle to STA would also catch T1 and
    // leave later (08:05:44), but arrives no earlier with as many vehicles: not shown.
    sc.requests.push_back(journey("J1", b0, hm(7, 30), 0));
    // J2, J3, J4: nothing by transit (homes beyond walking distance): on-demand to STA for T1.
    sc.requests.push_back(journey("J2", home_a, hm(7, 0), 0));
    sc.requests.push_back(journey("J3", home_b, hm(7, 0), 100));   // late, within the 180 s wait
    sc.requests.push_back(journey("J4", home_c, hm(7, 0), 1000));  // later than the wait: no-show
    // J5 at B0 at 08:00:30, just after b1: by transit b2 09:00, T2, CITY 10:00; a vehicle to STA
    // (556 s) + wait 600 + buffer 300 catches T1: CITY 09:00, an hour earlier.
    sc.requests.push_back(journey("J5", b0, hm(8, 0, 30), 0));
    jo.index = &idx;
    jo.intermodal.hub_min_routes = 1;  // every served stop may be met
    jo.intermodal.expected_wait_s = 600;
    jo.intermodal.transfer_buffer_s = 300;
    jo.intermodal.door_to_door = false;
    jo.transit.first_date = day;
    jo.transit.planner.max_walk_m = 400;
    jo.transit.planner.walk_radius_m = 0;
  }

  sim::result run() const {
    sim::sim_options opt;
    opt.journeys = &jo;
    opt.validate = true;
    return sim::simulate(sc, model, opt);
  }
};

sim::journey_record const& by_id(sim::result const& r, std::string const& id) {
  for (auto const& j : r.journeys)
    if (j.request.id == id) return j;
  FAIL("no journey " << id);
  throw std::logic_error{"unreachable"};
}

}  // namespace

TEST_CASE("sim journeys: transit only, on-demand to the train, a late rider, a no-show, on-demand earlier") {
  world w;
  auto const r = w.run();
  INFO(r.validation_errors.size() << " validation errors; first: "
                                  << (r.validation_errors.empty() ? "" : r.validation_errors.front()));
  CHECK(r.validation_errors.empty());
  CHECK(r.n_checks > 10U);
  REQUIRE(r.journeys.size() == 5U);

  auto const& j1 = by_id(r, "J1");
  CHECK(j1.mode == sim::journey_mode::transit_only);
  CHECK(j1.first_leg < 0);
  REQUIRE(j1.arrival.has_value());
  CHECK(*j1.arrival == hm(9, 0));

  for (auto const* id : {"J2", "J3", "J4", "J5"}) {
    INFO(id);
    auto const& j = by_id(r, id);
    CHECK(j.mode == sim::journey_mode::first_mile);
    CHECK(j.first_trip == "T1");
    CHECK(j.first_stop == "STA");
    CHECK(j.first_departure == hm(8, 30));
    CHECK(j.dropoff_by == hm(8, 25));
  }
  CHECK(by_id(r, "J2").shown_reason == "only_way");
  CHECK(by_id(r, "J5").shown_reason == "earlier");
  // Kept: dropped off at STA by 08:25, on T1, at CITY at 09:00 (the egress walk is 0 m).
  for (auto const* id : {"J2", "J3", "J5"}) {
    INFO(id);
    auto const& j = by_id(r, id);
    CHECK(j.connection == sim::connection_outcome::kept);
    REQUIRE(j.first_dropoff_at.has_value());
    CHECK(*j.first_dropoff_at <= hm(8, 25));
    REQUIRE(j.arrival.has_value());
    CHECK(*j.arrival == hm(9, 0));
    CHECK_FALSE(j.replanned);
  }
  // J3 was picked up 100 s after the window's start (the vehicle waited for them).
  auto const& j3 = by_id(r, "J3");
  auto const& leg3 = r.requests.at(static_cast<std::size_t>(j3.first_leg));
  REQUIRE(leg3.pickup_at.has_value());
  CHECK(*leg3.pickup_at == *leg3.promised_pickup_start + 100);
  // J4: the vehicle left without them after its wait; nothing by transit from home afterwards.
  auto const& j4 = by_id(r, "J4");
  CHECK(j4.connection == sim::connection_outcome::no_show);
  CHECK(r.requests.at(static_cast<std::size_t>(j4.first_leg)).outcome == sim::request_outcome::no_show);
  CHECK(j4.replanned);
  CHECK_FALSE(j4.arrival.has_value());
  // J5's transit-only journey: b2 09:00, T2, CITY 10:00, i.e. 7,170 s after 08:00:30.
  auto const& j5 = by_id(r, "J5");
  CHECK(j5.transit.reachable);
  CHECK(j5.transit.arrival == hm(10, 0));
  CHECK(j5.transit.duration_s == 7170);

  REQUIRE(r.k.journeys.has_value());
  auto const& k = *r.k.journeys;
  CHECK(k.journeys == 5U);
  CHECK(k.transit_only == 1U);
  CHECK(k.first_mile == 4U);
  CHECK(k.last_mile + k.first_and_last + k.door_to_door + k.no_option == 0U);
  CHECK(*k.on_demand_share == Approx(0.8));
  CHECK(*k.first_mile_share == Approx(0.8));
  CHECK(*k.last_mile_share == Approx(0.0));
  CHECK(*k.door_to_door_share == Approx(0.0));
  CHECK(k.connections == 4U);
  CHECK(k.connections_kept == 3U);
  CHECK(k.connections_no_show == 1U);
  CHECK(k.connections_missed == 0U);
  CHECK(*k.connections_kept_rate == Approx(0.75));
  CHECK(k.only_way == 3U);  // J2, J3, J4
  // Compared with transit only: J5 alone (the others have no transit journey): 3,570 s against 7,170 s.
  CHECK(k.time_compared == 1U);
  CHECK(*k.door_to_door_mean_s == Approx(3570.0));
  CHECK(*k.transit_only_mean_s == Approx(7170.0));
  CHECK(*k.time_saved_mean_s == Approx(3600.0));
  // Connected riders: J2, J3, J5; vehicle-km over every vehicle (J2 11.1 km to STA, J3 10.95 km,
  // J5 5.56 km, and J4's vehicle nothing: it waited at its depot, the pickup).
  CHECK(k.connected_riders == 3U);
  double km = 0.0;
  for (auto const& v : r.vehicles) km += v.km_driven;
  CHECK(k.vehicle_km == Approx(km));
  CHECK(km >= 11.1 + 10.9 + 5.5);  // at least the three rides to STA
  CHECK(*k.vehicle_km_per_connected_rider == Approx(km / 3.0));
}

TEST_CASE("sim journeys: same scenario, same result") {
  world w;
  auto const a = w.run();
  auto const b = w.run();
  REQUIRE(a.journeys.size() == b.journeys.size());
  for (std::size_t i = 0; i < a.journeys.size(); ++i) {
    CHECK(a.journeys[i].mode == b.journeys[i].mode);
    CHECK(a.journeys[i].arrival == b.journeys[i].arrival);
    CHECK(a.journeys[i].first_dropoff_at == b.journeys[i].first_dropoff_at);
  }
  CHECK(a.n_commands == b.n_commands);
}

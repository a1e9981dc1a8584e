// KPI definitions on tiny scenarios whose every number is worked out by hand below.
//
// Straight-line model with detour 1.0 at 36 km/h (10 m/s): along one meridian the haversine
// distance of two points is R * dlat (R = 6,371,000 m), and a leg takes floor(m / 10 + 0.5) s.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>

#include "nebuta/sim/simulation.h"

using namespace nebuta;
using namespace nebuta::sim;

namespace {

road::straight_line_model const model{1.0, 36.0};

constexpr double lon = 141.0;
double metres(double lat_a, double lat_b) { return 6'371'000.0 * std::abs(lat_a - lat_b) * std::numbers::pi / 180.0; }
seconds_t secs(double lat_a, double lat_b) {
  return static_cast<seconds_t>(std::floor(metres(lat_a, lat_b) / 10.0 + 0.5));
}

trip_request ride(std::string id, seconds_t at, double from, double to, std::uint16_t n = 1) {
  return {std::move(id), at, at, {from, lon}, {to, lon}, n, 0};
}

scenario line_scenario() {
  scenario sc;
  sc.name = "line";
  sc.rules.dwell = 30;
  sc.rules.max_wait = 900;
  sc.fleet.push_back({"bus", 4, 0, {40.00, lon}, 0, 36'000});
  sc.riders.response_s = 0;
  sc.reoptimise_every = 0;
  sc.costs = {30.0, 0.5, 0.0, 2.0, 0.1};
  // D = depot 40.00; R1 A 40.01 -> C 40.03; R2 C -> F 40.05; R3 G 40.035 -> H 40.045 (on the way);
  // R4 is a group of 9, above max_passengers (8).
  sc.requests = {ride("R1", 28'800, 40.01, 40.03), ride("R2", 32'400, 40.03, 40.05), ride("R3", 32'410, 40.035, 40.045),
                 ride("R4", 34'000, 40.01, 40.02, 9)};
  return sc;
}

}  // namespace

TEST_CASE("KPIs of a three-ride day on a line, by hand") {
  auto const sc = line_scenario();
  sim_options opt;
  opt.validate = true;
  auto const res = simulate(sc, model, opt);
  INFO(res.validation_errors.size());
  REQUIRE(res.validation_errors.empty());
  REQUIRE(res.requests.size() == 4);
  auto const& r1 = res.requests[0];
  auto const& r2 = res.requests[1];
  auto const& r3 = res.requests[2];
  auto const& r4 = res.requests[3];

  // R1: the idle bus leaves the depot at 08:00 and reaches A after D->A; dwell 30 s; A->C.
  auto const a_arr = 28'800 + secs(40.00, 40.01);
  REQUIRE(r1.outcome == request_outcome::served);
  CHECK(*r1.pickup_at == a_arr);
  CHECK(*r1.dropoff_at == a_arr + 30 + secs(40.01, 40.03));
  CHECK(*r1.direct_s == secs(40.01, 40.03));
  CHECK_FALSE(r1.shared);

  // R2 starts where R1 ended: no wait. R3 (10 s later) is picked up on the way, C->G->H->F.
  REQUIRE(r2.outcome == request_outcome::served);
  CHECK(*r2.pickup_at == 32'400);
  auto const g_arr = 32'400 + 30 + secs(40.03, 40.035);
  REQUIRE(r3.outcome == request_outcome::served);
  CHECK(*r3.pickup_at == g_arr);
  auto const h_arr = g_arr + 30 + secs(40.035, 40.045);
  CHECK(*r3.dropoff_at == h_arr);
  auto const f_arr = h_arr + 30 + secs(40.045, 40.05);
  CHECK(*r2.dropoff_at == f_arr);
  CHECK(r2.shared);
  CHECK(r3.shared);

  REQUIRE(r4.outcome == request_outcome::rejected);
  CHECK(r4.reject_reason == "too_many_passengers");

  // Vehicle: D->A empty, A->C 1 on board, C->G 1, G->H 2, H->F 1, F->D empty (at shift end).
  REQUIRE(res.vehicles.size() == 1);
  auto const& v = res.vehicles[0];
  auto const km = metres(40.00, 40.05) * 2 / 1000.0;
  auto const km_empty = (metres(40.00, 40.01) + metres(40.05, 40.00)) / 1000.0;
  auto const pkm =
      (metres(40.01, 40.03) + metres(40.03, 40.035) + 2 * metres(40.035, 40.045) + metres(40.045, 40.05)) / 1000.0;
  CHECK(v.km_driven == Approx(km).epsilon(1e-9));
  CHECK(v.km_empty == Approx(km_empty).epsilon(1e-9));
  CHECK(v.passenger_km == Approx(pkm).epsilon(1e-9));
  CHECK(v.hours_in_service == Approx(10.0));
  CHECK(v.passengers_carried == 3);
  auto const occupied_s = (*r1.dropoff_at - *r1.pickup_at) + (f_arr - 32'400);
  CHECK(v.hours_occupied == Approx(occupied_s / 3600.0));

  // Events: depart at 08:00, three pickups, three drop-offs, back at the depot at shift end.
  REQUIRE(res.events.size() == 8);
  CHECK(res.events.front().kind == event_kind::depart_depot);
  CHECK(res.events.front().time == 28'800);
  CHECK(res.events.back().kind == event_kind::return_depot);
  CHECK(res.events.back().time == 36'000);
  CHECK(res.events[4].kind == event_kind::pickup);  // R3 at G, with R2 on board
  CHECK(res.events[4].onboard == 2);

  auto const& k = res.k;
  CHECK(k.requests == 4);
  CHECK(k.served == 3);
  CHECK(*k.served_rate == Approx(0.75));
  CHECK(k.rejected_by_reason.at("too_many_passengers") == 1);
  auto const w1 = a_arr - 28'800, w2 = 0, w3 = g_arr - 32'410;
  CHECK(*k.wait_mean_s == Approx((w1 + w2 + w3) / 3.0));
  CHECK(*k.wait_p50_s == Approx(std::max(w2, std::min(w1, w3))));  // middle of three
  CHECK(*k.wait_p95_s == Approx(std::max(w1, w3)));                // nearest rank: ceil(2.85) = 3rd
  CHECK(*k.wait_max_s == Approx(std::max(w1, w3)));
  auto const ride1 = *r1.dropoff_at - *r1.pickup_at, ride2 = f_arr - 32'400, ride3 = h_arr - g_arr;
  CHECK(*k.ride_mean_s == Approx((ride1 + ride2 + ride3) / 3.0));
  auto const d1 = double(ride1) / secs(40.01, 40.03), d2 = double(ride2) / secs(40.03, 40.05),
             d3 = double(ride3) / secs(40.035, 40.045);
  CHECK(*k.detour_mean == Approx((d1 + d2 + d3) / 3.0));
  CHECK(*k.detour_p95 == Approx(std::max({d1, d2, d3})));
  CHECK(*k.occupancy == Approx(pkm / km));
  CHECK(*k.pooling_rate == Approx(2.0 / 3.0));
  CHECK(*k.empty_km_share == Approx(km_empty / km));
  CHECK(*k.vehicle_utilisation == Approx(occupied_s / 36'000.0));
  CHECK(*k.passengers_per_vehicle_hour == Approx(0.3));
  auto const cost = 30.0 * 10 + 0.5 * km;
  CHECK(*k.cost_per_passenger == Approx(cost / 3));
  auto const revenue = 3 * 2.0 + 0.1 * (metres(40.01, 40.03) + metres(40.03, 40.05) + metres(40.035, 40.045)) / 1000;
  CHECK(*k.farebox_recovery == Approx(revenue / cost));
}

TEST_CASE("riders decline a late offer, cancel, and do not show up") {
  auto sc = line_scenario();
  sc.requests = {ride("R1", 28'800, 40.01, 40.03)};
  SECTION("decline: the promised latest pickup is later than the rider accepts") {
    sc.riders.max_wait_accepted = 60;  // the window end is 08:15 (max_wait 900 s)
    auto const res = simulate(sc, model);
    CHECK(res.requests[0].outcome == request_outcome::declined);
    CHECK(res.requests[0].promised_pickup_end.value() == 28'800 + 900);
    CHECK(res.k.served == 0);
    CHECK(res.events.empty());
    CHECK(res.vehicles[0].km_driven == 0.0);
    CHECK_FALSE(res.k.wait_mean_s.has_value());
  }
  SECTION("no-show: the vehicle waits no_show_wait after arriving, then goes home") {
    sc.riders.no_show_probability = 1.0;
    sc.rules.no_show_wait = 180;
    sim_options opt;
    opt.validate = true;
    auto const res = simulate(sc, model, opt);
    REQUIRE(res.validation_errors.empty());
    CHECK(res.requests[0].outcome == request_outcome::no_show);
    REQUIRE(res.events.size() == 3);
    CHECK(res.events[1].kind == event_kind::no_show);
    CHECK(res.events[1].time == 28'800 + secs(40.00, 40.01) + 180);
    CHECK(res.vehicles[0].km_driven == Approx(2 * metres(40.00, 40.01) / 1000.0));
    CHECK(*res.k.served_rate == 0.0);
  }
  SECTION("cancel: an accepted rider cancels before the pickup") {
    sc.riders.cancel_probability = 1.0;
    sim_options opt;
    opt.validate = true;
    auto const res = simulate(sc, model, opt);
    REQUIRE(res.validation_errors.empty());
    CHECK(res.requests[0].outcome == request_outcome::cancelled);
    CHECK(res.k.served == 0);
  }
  SECTION("accepting too late: the offer has expired") {
    sc.riders.response_s = 120;  // offer_ttl is 60 s
    auto const res = simulate(sc, model);
    CHECK(res.requests[0].outcome == request_outcome::rejected);
    CHECK(res.requests[0].reject_reason == "expired");
    CHECK(res.k.rejected_by_reason.at("expired") == 1);
  }
}

TEST_CASE("percentiles are nearest-rank") {
  CHECK(*percentile({5, 1, 3, 2, 4}, 50) == 3);
  CHECK(*percentile({1, 2, 3, 4}, 50) == 2);
  CHECK(*percentile({1, 2, 3, 4}, 95) == 4);
  CHECK(*percentile({7}, 0) == 7);
  CHECK_FALSE(percentile({}, 50).has_value());
}

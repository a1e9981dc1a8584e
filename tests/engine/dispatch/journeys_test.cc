// Journeys and train connections (issue 16) on hand-built scenarios along one east-west street in
// Porto Alegre (lat -30.05) with the straight-line model (detour 1.3, 30 km/h: 0.01 degrees of
// longitude, 963 m, take 150 s), and random days of riders booking journeys.
#include <catch2/catch.hpp>
#include <cmath>

#include "journey_day.h"
#include "nebuta/core/geo.h"
#include "nebuta/dispatch/dispatcher.h"

using namespace nebuta;
using namespace nebuta::dispatch;
using namespace nebuta::dispatch::test;

namespace {

road::straight_line_model const model{};
constexpr instant day0 = 1'795'273'200;
constexpr instant t8 = day0 + 8 * 3600;

latlon at(double lon) { return {-30.05, lon}; }

// Independent reference of the straight-line model: great-circle metres x 1.3 at 30 km/h.
double drive_s(double lon_a, double lon_b) { return haversine_m(at(lon_a), at(lon_b)) * 1.3 / (30.0 / 3.6); }

vehicle_spec bus(char const* name, double depot_lon, std::uint16_t seats = 4, instant shift_end = day0 + 22 * 3600) {
  return {name, seats, 0, at(depot_lon), day0 + 6 * 3600, shift_end};
}

request_spec ride(double from_lon, double to_lon, instant earliest, instant latest_dropoff = no_time) {
  request_spec s{at(from_lon), at(to_lon), 1, 0, earliest};
  s.latest_dropoff = latest_dropoff;
  return s;
}

void require_valid(dispatcher const& d, std::map<std::uint32_t, connection_truth> const& truth = {}) {
  auto const errors = check_with_connections(d, model, truth);
  INFO(joined(errors) << d.dump());
  REQUIRE(errors.empty());
}

}  // namespace

TEST_CASE("latest_dropoff: an offer never promises a drop-off after it, or is refused") {
  dispatcher d{model, rules{}};
  d.add_vehicle(0, bus("A", -51.20));
  // 0.03 degrees: about 450 s of driving, plus the vehicle's 0.005 degrees to the pickup.
  auto const direct = drive_s(-51.195, -51.165);
  auto const approach = drive_s(-51.20, -51.195);
  auto const dwell = rules{}.dwell;
  SECTION("a limit the fastest plan cannot meet: refused") {
    auto const limit = t8 + static_cast<instant>(approach + direct) + dwell - 30;
    auto const o = d.request_offer(t8, ride(-51.195, -51.165, t8, limit));
    CHECK(o.reason == reject_reason::no_feasible_insertion);
  }
  SECTION("a limit just met: the promise is the limit, and the plan keeps it") {
    auto const limit = t8 + static_cast<instant>(approach + direct) + dwell + 30;
    auto const o = d.request_offer(t8, ride(-51.195, -51.165, t8, limit));
    REQUIRE(o.ok());
    CHECK(o.o.latest_dropoff == limit);
    CHECK(o.o.dropoff_eta <= limit);
    REQUIRE(d.accept(t8, o.request).ok());
    std::map<std::uint32_t, connection_truth> truth{{o.request.v(), {limit, INT64_MIN}}};
    // Other riders who would like to share the vehicle: none of them may delay this drop-off.
    for (int i = 0; i < 6; ++i) {
      auto const other = d.request_offer(t8 + 10 * i, ride(-51.198 + 0.001 * i, -51.17 - 0.004 * i, t8 + 10 * i));
      if (other.ok()) d.accept(t8 + 10 * i, other.request);
      require_valid(d, truth);
    }
    d.reoptimise(t8 + 100);
    require_valid(d, truth);
    CHECK(d.eta(o.request).dropoff <= limit);
  }
}

TEST_CASE("a journey is booked all or nothing") {
  dispatcher d{model, rules{}};
  d.add_vehicle(0, bus("A", -51.20, 1));  // one seat
  // Two legs at the same place and time going opposite ways, each with a limit that leaves no
  // time to serve the other first: each fits alone, both never.
  auto const limit_east = t8 + static_cast<instant>(drive_s(-51.20, -51.17)) + 2 * rules{}.dwell + 20;
  auto const limit_west = t8 + static_cast<instant>(drive_s(-51.20, -51.23)) + 2 * rules{}.dwell + 20;
  auto const east = d.request_offer(t8, ride(-51.20, -51.17, t8, limit_east));
  auto const west = d.request_offer(t8, ride(-51.20, -51.23, t8, limit_west));
  REQUIRE(east.ok());
  REQUIRE(west.ok());
  auto const res = d.accept_journey(t8, {{east.request, {}}, {west.request, {}}});
  CHECK(res.status == command_status::no_longer_feasible);
  CHECK(res.failed_leg == 1);
  CHECK(d.request(east.request).status == request_status::offered);  // the first leg was undone
  CHECK(d.request(west.request).status == request_status::offered);
  CHECK(d.vehicle(vehicle_idx{0}).stops.empty());
  CHECK(d.journeys().empty());
  // Each one alone is bookable afterwards.
  auto const alone = d.accept_journey(t8 + 1, {{east.request, {}}});
  REQUIRE(alone.ok());
  CHECK(d.request(east.request).journey == alone.journey);
  CHECK(d.vehicle(vehicle_idx{0}).stops.size() == 2);
  require_valid(d);

  SECTION("an expired leg, an unknown one, the same offer twice: refused, nothing booked") {
    auto const w = west.request;
    CHECK(d.accept_journey(t8 + 500, {{w, {}}}).status == command_status::expired);
    CHECK(d.accept_journey(t8 + 2, {{w, {}}, {request_idx{99}, {}}}).status == command_status::unknown_request);
    CHECK(d.accept_journey(t8 + 2, {{w, {}}, {w, {}}}).status == command_status::wrong_state);
    CHECK(d.request(w).status == request_status::offered);
  }
  SECTION("cancelling the journey cancels its legs") {
    REQUIRE(d.cancel_journey(t8 + 5, alone.journey, cancelled_by::rider) == command_status::ok);
    CHECK(d.request(east.request).status == request_status::cancelled);
    CHECK(d.journey(alone.journey).cancelled);
    CHECK(d.cancel_journey(t8 + 6, alone.journey, cancelled_by::rider) == command_status::wrong_state);
    CHECK(d.cancel_journey(t8 + 6, journey_idx{7}, cancelled_by::rider) == command_status::unknown_journey);
  }
}

TEST_CASE("a journey's connection tightens the promise: drop-off by the departure less the buffer") {
  dispatcher d{model, rules{}};
  d.add_vehicle(0, bus("A", -51.20));
  auto const o = d.request_offer(t8, ride(-51.195, -51.165, t8));  // planned without any limit
  REQUIRE(o.ok());
  auto const dep = o.o.dropoff_eta + 400;
  connection const train{connection::kind::before_departure, "T1", "S1", dep, 300};
  auto const res = d.accept_journey(t8 + 1, {{o.request, train}});
  REQUIRE(res.ok());
  CHECK(d.request(o.request).latest_dropoff == dep - 300);
  std::map<std::uint32_t, connection_truth> truth{{o.request.v(), {dep - 300, INT64_MIN}}};
  for (int i = 0; i < 6; ++i) {
    auto const other = d.request_offer(t8 + 10 + i, ride(-51.197 + 0.002 * i, -51.168 - 0.003 * i, t8 + 10 + i));
    if (other.ok()) d.accept(t8 + 10 + i, other.request);
    require_valid(d, truth);
  }
  // A train whose departure is earlier than any plan can make: the journey is refused.
  d.add_vehicle(t8 + 20, bus("B", -51.19));
  auto const o2 = d.request_offer(t8 + 20, ride(-51.19, -51.16, t8 + 20));
  REQUIRE(o2.ok());
  connection const gone{connection::kind::before_departure, "T2", "S1", t8 + 60, 300};
  CHECK(d.accept_journey(t8 + 21, {{o2.request, gone}}).status == command_status::no_longer_feasible);
}

TEST_CASE("a late train moves a last-mile pickup, when it cannot, the leg says so and nothing else breaks") {
  rules r;
  recorder rec;
  dispatcher d{model, r};
  d.set_journal(&rec);
  d.add_vehicle(0, bus("A", -51.20, 4, day0 + 9 * 3600));  // shift until 09:00
  // The train arrives at the station (-51.20) at 08:20; the leg picks up from 08:25 on.
  auto const arrival = t8 + 1200;
  connection const train{connection::kind::after_arrival, "R1", "S", arrival, 300};
  auto const o = d.request_offer(t8, ride(-51.20, -51.18, arrival + 300));
  REQUIRE(o.ok());
  REQUIRE(d.accept_journey(t8 + 5, {{o.request, train}}).ok());
  std::map<std::uint32_t, connection_truth> truth{{o.request.v(), {INT64_MAX, arrival + 300}}};
  require_valid(d, truth);
  // Another rider with a promise of their own, on the same vehicle.
  auto const other = d.request_offer(t8 + 10, ride(-51.21, -51.19, t8 + 1500));
  REQUIRE(other.ok());
  REQUIRE(d.accept(t8 + 10, other.request).ok());
  require_valid(d, truth);
  auto const other_promise = d.request(other.request);

  // Ten minutes late: the pickup moves to 08:35 at the earliest.
  auto const late = arrival + 600;
  REQUIRE(d.move(t8 + 60, o.request, late + 300, no_time) == command_status::ok);
  truth[o.request.v()].pickup_from = late + 300;
  CHECK(d.request(o.request).window_start == late + 300);
  CHECK(d.eta(o.request).pickup >= late + 300);
  CHECK_FALSE(d.request(o.request).connection_lost);
  require_valid(d, truth);
  CHECK(d.request(other.request).window_end == other_promise.window_end);  // the other promise is as it was
  CHECK(d.request(other.request).latest_dropoff == other_promise.latest_dropoff);

  // Forty minutes late: the vehicle's shift is over by then: not kept, the leg keeps its plan.
  auto const plan_before = d.vehicle(vehicle_idx{0}).stops.size();
  auto const res = d.move(t8 + 120, o.request, arrival + 2400 + 300, no_time);
  CHECK(res == command_status::connection_not_kept);
  CHECK(d.request(o.request).connection_lost);
  CHECK(d.request(o.request).window_start == late + 300);  // the promise kept from before
  CHECK(d.request(o.request).status == request_status::assigned);
  CHECK(d.vehicle(vehicle_idx{0}).stops.size() == plan_before);
  require_valid(d, truth);
  CHECK(d.broken_promises().empty());

  // Moving an unknown or finished request is refused.
  CHECK(d.move(t8 + 130, request_idx{42}, t8, no_time) == command_status::unknown_request);

  dispatcher fresh{model, r};
  for (auto const& c : rec.log) fresh.apply(c);
  CHECK(fresh.dump() == d.dump());
}

TEST_CASE("random days of journeys on the straight-line model: validator after every command, identical replay") {
  // Stations and homes within 0.06 degrees of the centre of Porto Alegre.
  std::vector<latlon> const stations{{-30.03, -51.23}, {-30.05, -51.20}, {-30.07, -51.19}};
  auto const homes = [](std::mt19937_64& rng) {
    std::uniform_real_distribution<double> u(-0.03, 0.03);
    return latlon{-30.05 + u(rng), -51.20 + u(rng)};
  };
  journey_day_stats total;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    auto const s = run_journey_day(model, stations, homes, seed, day0, 3, 80);
    total.n_journeys += s.n_journeys;
    total.n_failed += s.n_failed;
    total.n_moves += s.n_moves;
    total.n_lost += s.n_lost;
    total.n_cancelled += s.n_cancelled;
  }
  INFO("journeys " << total.n_journeys << " failed " << total.n_failed << " moves " << total.n_moves << " lost "
                   << total.n_lost << " cancelled " << total.n_cancelled);
  CHECK(total.n_journeys > 50);
  CHECK(total.n_moves > 10);
  CHECK(total.n_cancelled > 5);
}

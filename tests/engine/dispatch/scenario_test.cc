// Small hand-built scenarios with known best answers. Everything lies on or near one east-west
// street in Porto Alegre (lat -30.05); with the default straight-line model 0.01 degrees of
// longitude take about 150 s.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "nebuta/dispatch/dispatcher.h"
#include "plan_of.h"

using namespace nebuta;
using namespace nebuta::dispatch;
using nebuta::dispatch::test::joined;
using nebuta::dispatch::test::plan_of;

namespace {

road::straight_line_model const model{};
// Absolute instants (UTC): 2026-11-22 00:00 in Asia/Tokyo, and 08:00 that day.
constexpr instant day0 = 1'795'273'200;
constexpr instant t8 = day0 + 8 * 3600;

latlon at(double lon) { return {-30.05, lon}; }

vehicle_spec bus(char const* name, double depot_lon, std::uint16_t seats = 4, std::uint16_t wc = 0) {
  return {name, seats, wc, at(depot_lon), day0 + 6 * 3600, day0 + 22 * 3600};
}

request_spec ride(double from_lon, double to_lon, instant earliest, std::uint16_t n = 1, std::uint16_t wc = 0) {
  return {at(from_lon), at(to_lon), n, wc, earliest};
}

void require_valid(dispatcher const& d) {
  auto const errors = validate::check(plan_of(d), model);
  INFO(joined(errors) << d.dump());
  REQUIRE(errors.empty());
}

std::vector<std::pair<std::uint32_t, stop_kind>> order(dispatcher const& d, vehicle_idx v) {
  std::vector<std::pair<std::uint32_t, stop_kind>> out;
  for (auto const& s : d.vehicle(v).stops) out.emplace_back(s.request.v(), s.kind);
  return out;
}

constexpr auto P = stop_kind::pickup;
constexpr auto D = stop_kind::dropoff;

}  // namespace

TEST_CASE("pooling: a second rider going the same way joins the first rider's vehicle") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  auto const b = d.add_vehicle(0, bus("B", -51.20));
  auto const o1 = d.request_offer(t8, ride(-51.195, -51.17, t8));
  REQUIRE(o1.ok());
  CHECK(o1.o.vehicle == a);  // tie: the first vehicle
  CHECK(o1.o.window_start == t8);
  CHECK(o1.o.window_end >= o1.o.pickup_eta);
  CHECK(o1.o.latest_dropoff >= o1.o.dropoff_eta);
  REQUIRE(d.accept(t8, o1.request).ok());

  auto const o2 = d.request_offer(t8, ride(-51.194, -51.171, t8));
  REQUIRE(o2.ok());
  CHECK(o2.o.vehicle == a);  // pooled rather than sending the idle vehicle B
  REQUIRE(d.accept(t8, o2.request).ok());
  CHECK(order(d, a) == std::vector<std::pair<std::uint32_t, stop_kind>>{{0, P}, {1, P}, {1, D}, {0, D}});
  CHECK(d.vehicle(b).stops.empty());
  require_valid(d);
}

TEST_CASE("refusing a ride that would break a promise already given") {
  rules r;
  auto const second = ride(-51.25, -51.28, t8);  // 5 km west of the depot, going further west
  {
    dispatcher alone{model, r};
    alone.add_vehicle(0, bus("A", -51.20));
    CHECK(alone.request_offer(t8, second).ok());  // the vehicle could take it on its own
  }
  dispatcher d{model, r};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  auto const o1 = d.request_offer(t8, ride(-51.199, -51.10, t8));  // going 10 km east
  REQUIRE(o1.ok());
  REQUIRE(d.accept(t8, o1.request).ok());
  auto const before = d.dump();
  auto const o2 = d.request_offer(t8, second);
  CHECK(o2.reason == reject_reason::no_feasible_insertion);
  CHECK(d.request(o2.request).status == request_status::rejected);
  CHECK(d.vehicle(a).stops.size() == 2);
  require_valid(d);

  // A second vehicle takes it.
  auto const b = d.add_vehicle(t8, bus("B", -51.20));
  auto const o3 = d.request_offer(t8, second);
  REQUIRE(o3.ok());
  CHECK(o3.o.vehicle == b);
  (void)before;
}

TEST_CASE("wheelchair spaces") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.20, 4, 0));
  auto const b = d.add_vehicle(0, bus("B", -51.16, 4, 1));
  (void)a;
  auto const o1 = d.request_offer(t8, ride(-51.20, -51.10, t8, 2, 1));
  REQUIRE(o1.ok());
  CHECK(o1.o.vehicle == b);  // A is next door but has no wheelchair space
  REQUIRE(d.accept(t8, o1.request).ok());
  // A second wheelchair user at the same time: B's only space is taken for the whole ride.
  auto const o2 = d.request_offer(t8, ride(-51.199, -51.11, t8, 1, 1));
  CHECK(o2.reason == reject_reason::no_feasible_insertion);
  // Without wheelchair the same ride goes to A.
  auto const o3 = d.request_offer(t8, ride(-51.199, -51.11, t8, 1, 0));
  REQUIRE(o3.ok());
  // No vehicle has two wheelchair spaces; nobody has 5 seats.
  CHECK(d.request_offer(t8, ride(-51.20, -51.19, t8, 2, 2)).reason == reject_reason::too_many_passengers);
  CHECK(d.request_offer(t8, ride(-51.20, -51.19, t8, 5, 0)).reason == reject_reason::too_many_passengers);
  require_valid(d);
}

TEST_CASE("seats are counted over the shared part of the rides") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.20, 3));
  REQUIRE(d.accept(t8, d.request_offer(t8, ride(-51.199, -51.17, t8, 2)).request).ok());
  // Two more going the same way cannot share; the only vehicle must do them one after the other,
  // which takes too long.
  CHECK(d.request_offer(t8, ride(-51.198, -51.171, t8, 2)).reason == reject_reason::no_feasible_insertion);
  // One more fits.
  auto const o = d.request_offer(t8, ride(-51.198, -51.171, t8, 1));
  REQUIRE(o.ok());
  CHECK(o.o.vehicle == a);
}

TEST_CASE("rejections: service area, invalid requests, horizon, shifts") {
  rules r;
  r.service_area = {{{-30.10, -51.25}, {-30.10, -51.15}, {-30.00, -51.15}, {-30.00, -51.25}}};
  dispatcher d{model, r};
  CHECK(d.request_offer(t8, ride(-51.20, -51.18, t8)).reason == reject_reason::no_vehicle_in_service);
  d.add_vehicle(0, bus("A", -51.20));
  CHECK(d.request_offer(t8, ride(-51.20, -51.18, t8)).ok());
  CHECK(d.request_offer(t8, ride(-51.20, -51.10, t8)).reason == reject_reason::outside_area);
  CHECK(d.request_offer(t8, ride(-51.30, -51.18, t8)).reason == reject_reason::outside_area);
  CHECK(d.request_offer(t8, ride(-51.20, -51.18, t8, 0)).reason == reject_reason::invalid_request);
  CHECK(d.request_offer(t8, ride(-51.20, -51.18, t8, 1, 2)).reason == reject_reason::invalid_request);
  CHECK(d.request_offer(t8, ride(-51.20, -51.20, t8)).reason == reject_reason::invalid_request);
  auto nan_ride = ride(-51.20, -51.18, t8);
  nan_ride.pickup.lat = std::numeric_limits<double>::quiet_NaN();
  CHECK(d.request_offer(t8, nan_ride).reason == reject_reason::invalid_request);
  CHECK(d.request_offer(t8, ride(-51.20, -51.18, t8, 9)).reason == reject_reason::too_many_passengers);
  CHECK(d.request_offer(t8, ride(-51.20, -51.18, t8 + 3 * 86'400)).reason == reject_reason::too_far_ahead);
  // After the shift (22:00) nobody is in service; just before it, no time to get back to the depot.
  CHECK(d.request_offer(t8, ride(-51.20, -51.18, day0 + 23 * 3600)).reason == reject_reason::no_vehicle_in_service);
  CHECK(d.request_offer(t8, ride(-51.16, -51.155, day0 + 22 * 3600 - 400)).reason == reject_reason::no_feasible_insertion);
  // Pre-booked: tomorrow-ish times are fine inside the horizon and before the shift start.
  auto const pre = d.request_offer(t8, ride(-51.20, -51.18, day0 + 7 * 3600 + 86'400 / 8));
  CHECK(pre.ok());
}

TEST_CASE("meeting points: door-to-door requests are moved to the nearest meeting point") {
  rules r;
  r.meeting_points = {at(-51.200), at(-51.180), at(-51.170)};
  r.max_walk_m = 300.0;
  dispatcher d{model, r};
  d.add_vehicle(0, bus("A", -51.20));
  auto const o = d.request_offer(t8, {{-30.051, -51.2005}, at(-51.1795), 1, 0, t8});
  REQUIRE(o.ok());
  CHECK(o.o.pickup == at(-51.200));
  CHECK(o.o.dropoff == at(-51.180));
  CHECK(d.request(o.request).pickup.coord == at(-51.200));
  CHECK(d.request_offer(t8, ride(-51.19, -51.17, t8)).reason == reject_reason::no_meeting_point);
  // Both ends at the same meeting point: nothing to drive.
  CHECK(d.request_offer(t8, ride(-51.1995, -51.2005, t8)).reason == reject_reason::invalid_request);
}

TEST_CASE("cancel removes the ride and repairs the schedule") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  auto const r1 = d.request_offer(t8, ride(-51.195, -51.17, t8)).request;
  REQUIRE(d.accept(t8, r1).ok());
  dispatcher alone{model, rules{}};
  alone.add_vehicle(0, bus("A", -51.20));
  REQUIRE(alone.accept(t8, alone.request_offer(t8, ride(-51.195, -51.17, t8)).request).ok());

  auto const r2 = d.request_offer(t8, ride(-51.19, -51.175, t8 + 60)).request;
  REQUIRE(d.accept(t8, r2).ok());
  CHECK(d.vehicle(a).stops.size() == 4);
  CHECK(d.cancel(t8 + 10, r2, cancelled_by::rider) == command_status::ok);
  CHECK(d.request(r2).status == request_status::cancelled);
  require_valid(d);
  REQUIRE(d.vehicle(a).stops.size() == 2);
  for (std::size_t k = 0; k < 2; ++k) {  // the same plan as if the second ride had never been
    CHECK(d.vehicle(a).stops[k].arrival == alone.vehicle(vehicle_idx{0}).stops[k].arrival);
    CHECK(d.vehicle(a).stops[k].departure == alone.vehicle(vehicle_idx{0}).stops[k].departure);
  }
  CHECK(d.cancel(t8 + 20, r2, cancelled_by::operator_) == command_status::wrong_state);
  CHECK(d.cancel(t8 + 20, request_idx{99}, cancelled_by::rider) == command_status::unknown_request);
  // An offer can be withdrawn before it is accepted.
  auto const r3 = d.request_offer(t8 + 30, ride(-51.19, -51.175, t8 + 60)).request;
  CHECK(d.cancel(t8 + 40, r3, cancelled_by::rider) == command_status::ok);
  CHECK(d.accept(t8 + 41, r3).status == command_status::wrong_state);
}

TEST_CASE("offers expire, accepting re-checks feasibility") {
  rules r;
  r.offer_ttl = 60;
  dispatcher d{model, r};
  d.add_vehicle(0, bus("A", -51.20, 1));
  auto const o1 = d.request_offer(t8, ride(-51.199, -51.15, t8));
  auto const o2 = d.request_offer(t8, ride(-51.198, -51.151, t8));
  REQUIRE(o1.ok());
  REQUIRE(o2.ok());  // offers do not reserve the seat
  CHECK(d.accept(t8 + 61, o1.request).status == command_status::expired);
  auto const o3 = d.request_offer(t8 + 61, ride(-51.199, -51.15, t8));
  REQUIRE(o3.ok());
  CHECK(d.accept(t8 + 121, o3.request).ok());  // exactly at the expiry is still in time
  // The one seat is taken for the whole time o2 was promised.
  CHECK(d.accept(t8 + 30, o2.request).status == command_status::no_longer_feasible);
  CHECK(d.request(o2.request).status == request_status::offered);
  CHECK(d.accept(t8 + 122, o3.request).status == command_status::wrong_state);
  CHECK(d.accept(t8, request_idx{77}).status == command_status::unknown_request);
  require_valid(d);
}

TEST_CASE("stop events: arrival, pickup, drop-off and no-show") {
  rules r;
  r.no_show_wait = 120;
  dispatcher d{model, r};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  auto const r1 = d.request_offer(t8, ride(-51.19, -51.17, t8 + 300)).request;
  auto const r2 = d.request_offer(t8, ride(-51.185, -51.175, t8 + 300)).request;
  REQUIRE(d.accept(t8, r1).ok());
  REQUIRE(d.accept(t8, r2).ok());
  require_valid(d);

  auto const& s0 = d.vehicle(a).stops.front();
  REQUIRE(s0.request == r1);
  auto const arrive = s0.arrival;
  CHECK(d.stop_event(arrive, a, r1, stop_event_kind::dropped_off) == command_status::wrong_state);
  CHECK(d.stop_event(arrive, vehicle_idx{5}, r1, stop_event_kind::arrived) == command_status::unknown_vehicle);
  REQUIRE(d.stop_event(arrive, a, r1, stop_event_kind::arrived) == command_status::ok);
  require_valid(d);
  auto const begin = d.vehicle(a).stops.front().begin;
  CHECK(begin == t8 + 300);  // the vehicle waits for the window
  CHECK(d.no_show(begin + 119, a, r1) == command_status::too_early);
  REQUIRE(d.stop_event(begin, a, r1, stop_event_kind::picked_up) == command_status::ok);
  CHECK(d.request(r1).status == request_status::on_board);
  CHECK(d.vehicle(a).seats_used == 1);
  CHECK(d.cancel(begin, r1, cancelled_by::rider) == command_status::wrong_state);
  require_valid(d);

  auto const& next = d.vehicle(a).stops.front();
  REQUIRE(next.request == r2);
  auto const arrive2 = next.arrival;
  REQUIRE(d.stop_event(arrive2, a, r2, stop_event_kind::arrived) == command_status::ok);
  CHECK(d.no_show(arrive2 + 119, a, r2) == command_status::too_early);
  REQUIRE(d.no_show(arrive2 + 120, a, r2) == command_status::ok);
  CHECK(d.request(r2).status == request_status::no_show);
  REQUIRE(d.vehicle(a).stops.size() == 1);
  require_valid(d);
  auto const drop = d.vehicle(a).stops.front().arrival;
  REQUIRE(d.stop_event(drop, a, r1, stop_event_kind::dropped_off) == command_status::ok);
  CHECK(d.request(r1).status == request_status::completed);
  CHECK(d.vehicle(a).stops.empty());
  CHECK(d.vehicle(a).seats_used == 0);
  require_valid(d);
}

TEST_CASE("re-optimisation moves a ride to a better vehicle without breaking its promise") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.22));
  auto const r1 = d.request_offer(t8, ride(-51.20, -51.19, t8 + 1800)).request;  // pre-booked
  REQUIRE(d.accept(t8, r1).ok());
  auto const promise = d.request(r1);
  auto const b = d.add_vehicle(t8, bus("B", -51.199));  // right next to the pickup
  auto const res = d.reoptimise(t8 + 30);
  CHECK(res.n_considered == 1);
  CHECK(res.n_moved == 1);
  CHECK(res.cost_saved > 0);
  CHECK(d.request(r1).vehicle == b);
  CHECK(d.vehicle(a).stops.empty());
  CHECK(d.request(r1).window_end == promise.window_end);
  CHECK(d.request(r1).latest_dropoff == promise.latest_dropoff);
  require_valid(d);
  // Nothing left to improve.
  CHECK(d.reoptimise(t8 + 60).n_moved == 0);
}

TEST_CASE("replaying the journal rebuilds the same state") {
  struct recorder : journal {
    std::vector<command> log;
    void record(command const& c) override { log.push_back(c); }
  } rec;
  rules r;
  r.no_show_wait = 0;
  dispatcher d{model, r};
  d.set_journal(&rec);
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  d.add_vehicle(0, bus("B", -51.15));
  auto const r1 = d.request_offer(t8, ride(-51.19, -51.17, t8)).request;
  d.accept(t8 + 5, r1);
  auto const r2 = d.request_offer(t8 + 10, ride(-51.16, -51.14, t8 + 600)).request;
  d.accept(t8 + 20, r2);
  d.request_offer(t8 + 30, ride(-51.30, -51.17, t8));
  d.update_position(t8 + 40, a, at(-51.199));
  d.stop_event(d.vehicle(a).stops.front().arrival, a, r1, stop_event_kind::arrived);
  d.reoptimise(t8 + 400);
  d.cancel(t8 + 500, r2, cancelled_by::operator_);
  REQUIRE(rec.log.size() == 11);

  dispatcher replay{model, r};
  for (auto const& c : rec.log) replay.apply(c);
  CHECK(replay.dump() == d.dump());
}

TEST_CASE("telemetry: positions move the ETAs, a stop made late is not delayed further") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  auto const r1 = d.request_offer(t8, ride(-51.19, -51.17, t8)).request;
  REQUIRE(d.accept(t8, r1).ok());
  auto const eta0 = d.eta(r1).pickup;
  CHECK(d.update_position(t8 + 10, a, at(-51.25)) == command_status::ok);  // the driver went west
  auto const late = d.eta(r1).pickup;
  CHECK(late > eta0);
  CHECK(late > d.request(r1).window_end);  // the promise cannot be kept any more
  CHECK(d.update_position(t8 + 10, a, {std::numeric_limits<double>::quiet_NaN(), 0.0}) ==
        command_status::invalid_position);
  CHECK(d.update_position(t8 + 10, vehicle_idx{3}, at(-51.2)) == command_status::unknown_vehicle);
  // A new ride on the way may be taken only where it does not make the late pickup later.
  auto const o = d.request_offer(t8 + 10, ride(-51.22, -51.21, t8 + 10));
  if (o.ok()) {
    REQUIRE(d.accept(t8 + 10, o.request).ok());
    CHECK(d.eta(r1).pickup <= late);
  }
  d.reoptimise(t8 + 20);
  CHECK(d.eta(r1).pickup <= late);
}

namespace {

// The planned ride of an accepted request: from the service begin at its pickup to the arrival at
// its drop-off (what the rider experiences when the vehicle follows the plan).
instant planned_ride(dispatcher const& d, request_idx r) {
  instant up = d.request(r).picked_up_at, down = 0;
  for (auto const& s : d.vehicle(d.request(r).vehicle).stops) {
    if (s.request != r) continue;
    (s.kind == P ? up : down) = s.kind == P ? s.begin : s.arrival;
  }
  return down - up;
}

}  // namespace

// Request g204 of examples/portoalegre-feeder.json, seed 11 (issue 15): offered with a late
// pickup ETA (so a late promised drop-off), then picked up much earlier once the ride before it
// went away; the promised drop-off alone then allowed a ride of 1,235 s against a limit of
// 1.6 x 175 + 480 + 30 = 790 s. The limit is its own promise now, counted from the actual pickup.
TEST_CASE("g204: the ride limit holds from the actual pickup, not only the promised drop-off") {
  rules r;
  r.passenger_weight = 0.1;  // the dispatcher would rather let a rider wait than drive
  dispatcher d{model, r};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  // R1 west first; R2 east is offered after R1's drop-off, 810 s after its earliest pickup.
  auto const r1 = d.request_offer(t8, ride(-51.20, -51.215, t8)).request;
  REQUIRE(d.accept(t8, r1).ok());
  auto const o2 = d.request_offer(t8, ride(-51.18, -51.17, t8));
  REQUIRE(o2.ok());
  CHECK(o2.o.pickup_eta - t8 > 700);
  REQUIRE(d.accept(t8, o2.request).ok());
  auto const limit = d.request(o2.request).max_ride + r.dwell;
  CHECK(d.request(o2.request).direct == 150);
  CHECK(d.request(o2.request).max_ride == 825);  // floor(1.5 x 150) + 600
  // R1 cancels: the vehicle drives to R2 at once; R2's promised drop-off stays as late as offered.
  REQUIRE(d.cancel(t8, r1, cancelled_by::rider) == command_status::ok);
  REQUIRE(d.eta(o2.request).pickup - t8 < 400);
  require_valid(d);
  // A pre-booked ride next to R2's trip: waiting for its window with R2 on board would keep R2's
  // promised drop-off but not R2's ride limit.
  auto const o3 = d.request_offer(t8, ride(-51.178, -51.172, t8 + 1000));
  if (o3.ok()) REQUIRE(d.accept(t8, o3.request).ok());
  CHECK(planned_ride(d, o2.request) <= limit);
  require_valid(d);
  // The vehicle follows the plan; every ride stays within its limit.
  for (auto now = t8; !d.vehicle(a).stops.empty();) {
    auto const s = d.vehicle(a).stops.front();
    now = s.arrived ? s.begin : s.arrival;
    auto const kind = !s.arrived    ? stop_event_kind::arrived
                      : s.kind == P ? stop_event_kind::picked_up
                                    : stop_event_kind::dropped_off;
    REQUIRE(d.stop_event(now, a, s.request, kind) == command_status::ok);
    require_valid(d);
  }
  for (auto const q : {o2.request, o3.request}) {
    if (d.request(q).status != request_status::completed) continue;
    CHECK(d.request(q).dropped_off_at - d.request(q).picked_up_at <= d.request(q).max_ride + r.dwell);
  }
}

// Issue 15: a rider's no-show made the riders after it late, because the vehicle waited the full
// no_show_wait. The wait now ends where the next promise would break.
TEST_CASE("a no-show wait is cut short by the promises after it, never the other way round") {
  rules r;
  r.no_show_wait = 300;
  r.max_wait = 300;
  dispatcher d{model, r};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  auto const absent = d.request_offer(t8, ride(-51.19, -51.17, t8 + 150)).request;
  REQUIRE(d.accept(t8, absent).ok());
  // The next rider waits 150 s further on, with a window that leaves little room.
  auto const next = d.request_offer(t8, ride(-51.18, -51.16, t8 + 100)).request;
  REQUIRE(d.accept(t8, next).ok());
  require_valid(d);
  REQUIRE(d.vehicle(a).stops.front().request == absent);
  auto const arrive = d.vehicle(a).stops.front().arrival;
  REQUIRE(d.stop_event(arrive, a, absent, stop_event_kind::arrived) == command_status::ok);
  auto const policy = std::max(arrive, d.request(absent).window_start) + r.no_show_wait;
  auto const latest = d.no_show_time(a);
  CHECK(latest < policy);  // the wait is cut short ...
  CHECK(latest >= d.vehicle(a).stops.front().begin);
  CHECK(d.no_show(latest - 1, a, absent) == command_status::too_early);
  // ... exactly where the next pickup would leave its window: one second later it would.
  auto const next_begin = [&](instant leave) {
    return std::max(leave + model.cost(d.request(absent).pickup, d.request(next).pickup)->seconds,
                    d.request(next).window_start);
  };
  CHECK(next_begin(latest + r.dwell) <= d.request(next).window_end);
  CHECK(next_begin(latest + r.dwell + 1) > d.request(next).window_end);
  REQUIRE(d.no_show(latest, a, absent) == command_status::ok);
  require_valid(d);
  CHECK(d.eta(next).pickup <= d.request(next).window_end);

  // With room to spare the rule's own wait applies.
  dispatcher roomy{model, r};
  auto const b = roomy.add_vehicle(0, bus("B", -51.20));
  auto const alone = roomy.request_offer(t8, ride(-51.19, -51.17, t8 + 150)).request;
  REQUIRE(roomy.accept(t8, alone).ok());
  auto const at = roomy.vehicle(b).stops.front().arrival;
  REQUIRE(roomy.stop_event(at, b, alone, stop_event_kind::arrived) == command_status::ok);
  CHECK(roomy.no_show_time(b) == std::max(at, t8 + 150) + r.no_show_wait);
  CHECK(roomy.no_show(roomy.no_show_time(b) - 1, b, alone) == command_status::too_early);
}

// While the vehicle waits for an absent rider, new rides are planned from the moment it can leave
// at the earliest (now), not from the departure planned before: otherwise the wait would overrun
// the promises those rides were given.
TEST_CASE("a vehicle waiting at a pickup is planned from now on") {
  rules r;
  r.no_show_wait = 600;
  dispatcher d{model, r};
  auto const a = d.add_vehicle(0, bus("A", -51.20));
  auto const absent = d.request_offer(t8, ride(-51.19, -51.17, t8)).request;
  REQUIRE(d.accept(t8, absent).ok());
  auto const arrive = d.vehicle(a).stops.front().arrival;
  REQUIRE(d.stop_event(arrive, a, absent, stop_event_kind::arrived) == command_status::ok);
  auto const later = arrive + 400;
  auto const o = d.request_offer(later, ride(-51.185, -51.16, later));
  REQUIRE(o.ok());
  CHECK(o.o.pickup_eta >= later + r.dwell + 75);  // 0.005 degrees: 75 s, after leaving at `later` at the earliest
  REQUIRE(d.accept(later, o.request).ok());
  require_valid(d);
  auto const t = d.no_show_time(a);
  CHECK(t >= later);
  REQUIRE(d.no_show(std::max(t, later), a, absent) == command_status::ok);
  require_valid(d);
  CHECK(d.eta(o.request).pickup <= d.request(o.request).window_end);
}

TEST_CASE("restore refuses a state that does not hold together") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(t8, bus("A", -51.20));
  auto const r1 = d.request_offer(t8, ride(-51.19, -51.17, t8)).request;
  REQUIRE(d.accept(t8, r1).ok());
  std::vector<vehicle_state> vehicles{d.vehicles().begin(), d.vehicles().end()};
  std::vector<request_state> requests{d.requests().begin(), d.requests().end()};
  {
    dispatcher fresh{model, rules{}};
    REQUIRE(fresh.restore(vehicles, requests));
    CHECK(fresh.dump() == d.dump());
    CHECK_FALSE(fresh.restore(vehicles, requests));  // not on a dispatcher with a state
  }
  auto bad = requests;
  bad[0].vehicle = vehicle_idx{7};
  CHECK_FALSE(dispatcher{model, rules{}}.restore(vehicles, bad));
  bad = requests;
  bad[0].status = request_status::cancelled;  // a stop of a request that is not booked
  CHECK_FALSE(dispatcher{model, rules{}}.restore(vehicles, bad));
  auto bad_stops = vehicles;
  bad_stops[a.v()].stops[0].request = request_idx{5};
  CHECK_FALSE(dispatcher{model, rules{}}.restore(bad_stops, requests));
}

TEST_CASE("broken promises are listed once a plan breaks them, and only then") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(t8, bus("A", -51.20));
  auto const r1 = d.request_offer(t8, ride(-51.19, -51.17, t8)).request;
  REQUIRE(d.accept(t8, r1).ok());
  CHECK(d.broken_promises().empty());
  // The driver went 7.5 km west: the pickup cannot be kept, nor (with the ride) the drop-off.
  REQUIRE(d.update_position(t8 + 10, a, at(-51.25)) == command_status::ok);
  auto const broken = d.broken_promises();
  REQUIRE(broken.size() >= 1);
  CHECK(broken[0].request == r1);
  CHECK(broken[0].what == broken_promise::kind::late_pickup);
  CHECK(broken[0].planned == d.eta(r1).pickup);
  CHECK(broken[0].promised == d.request(r1).window_end);
  CHECK(broken[0].planned > broken[0].promised);
}

TEST_CASE("a pickup served out of order is refused when the vehicle has no room for it yet") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.20, 2));
  // Two parties of two on a two-seat vehicle: the second boards only after the first alighted.
  auto const o1 = d.request_offer(t8, ride(-51.195, -51.17, t8, 2));
  REQUIRE(o1.ok());
  REQUIRE(d.accept(t8, o1.request).ok());
  auto const o2 = d.request_offer(t8, ride(-51.18, -51.15, t8, 2));
  REQUIRE(o2.ok());
  REQUIRE(d.accept(t8, o2.request).ok());
  REQUIRE(order(d, a) == std::vector<std::pair<std::uint32_t, stop_kind>>{{0, P}, {0, D}, {1, P}, {1, D}});
  auto const t = d.vehicle(a).stops.front().begin;
  REQUIRE(d.stop_event(t, a, o1.request, stop_event_kind::arrived) == command_status::ok);
  REQUIRE(d.stop_event(t, a, o1.request, stop_event_kind::picked_up) == command_status::ok);
  // The driver reports the second party's pickup before the first party got off: four riders
  // on two seats. Refused, as arrival and as boarding; the plan stays as it was, within capacity.
  CHECK(d.stop_event(t + 60, a, o2.request, stop_event_kind::arrived) == command_status::wrong_state);
  CHECK(d.stop_event(t + 60, a, o2.request, stop_event_kind::picked_up) == command_status::wrong_state);
  CHECK(order(d, a) == std::vector<std::pair<std::uint32_t, stop_kind>>{{0, D}, {1, P}, {1, D}});
  CHECK(d.vehicle(a).seats_used == 2);
  require_valid(d);
}

TEST_CASE("a pickup served out of order is taken when there is room all along") {
  dispatcher d{model, rules{}};
  auto const a = d.add_vehicle(0, bus("A", -51.20, 4));
  auto const o1 = d.request_offer(t8, ride(-51.195, -51.17, t8));
  REQUIRE(o1.ok());
  REQUIRE(d.accept(t8, o1.request).ok());
  auto const o2 = d.request_offer(t8, ride(-51.18, -51.15, t8));
  REQUIRE(o2.ok());
  REQUIRE(d.accept(t8, o2.request).ok());
  auto const& stops = d.vehicle(a).stops;
  REQUIRE(stops.front().request == o1.request);
  auto const t = stops.front().begin;
  REQUIRE(d.stop_event(t, a, o1.request, stop_event_kind::arrived) == command_status::ok);
  REQUIRE(d.stop_event(t, a, o1.request, stop_event_kind::picked_up) == command_status::ok);
  // Two riders on four seats, whatever the order.
  CHECK(d.stop_event(t + 60, a, o2.request, stop_event_kind::arrived) == command_status::ok);
  CHECK(d.stop_event(t + 60, a, o2.request, stop_event_kind::picked_up) == command_status::ok);
  CHECK(d.vehicle(a).seats_used == 2);
}

// VehiclePositions → delays: matching, projection, rejection, the terminal rule, and the
// estimator's error on a simulated Hachinohe day and against Caltrain's own TripUpdates.
#include <catch2/catch.hpp>

#include "../../feeds/gtfs_rt/rt_sample.h"
#include "nebuta/rt/build.h"
#include "nebuta/rt/simulate.h"
#include "nebuta/rt/vehicle_tracker.h"
#include "rt_world.h"
#include "shared_data.h"

using namespace nebuta;
using test::hm;

namespace {

date_t const day0 = test::rt_day;

// Stops 1.11 km apart on a meridian; A 08:00-08:40 and C 10:00-10:40 share block "blk".
struct line_fixture : test::rt_world {
  line_fixture() : rt_world{5} {
    f.add_trip("A", {{"S1", hm(8, 0)}, {"S2", hm(8, 10)}, {"S3", hm(8, 20)}, {"S4", hm(8, 30)}, {"S5", hm(8, 40)}});
    f.add_trip("B", {{"S1", hm(8, 5)}, {"S2", hm(8, 15)}, {"S3", hm(8, 25)}, {"S4", hm(8, 35)}, {"S5", hm(8, 45)}});
    f.add_trip("C", {{"S1", hm(10, 0)}, {"S2", hm(10, 10)}, {"S3", hm(10, 20)}, {"S4", hm(10, 30)}, {"S5", hm(10, 40)}});
    finish();
    rt::schedule_extras_builder b{tt};
    for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
      auto const id = tt.strings[tt.trip_ids[t]];
      b.set_trip(t, id == "B" ? "" : "blk", 0, {});
    }
    ctx = std::make_unique<rt::context>(tt, b.finish());
  }
  // A point between S_k and S_{k+1} (k from 1), fraction f of the way.
  static latlon between(int k, double f) { return {35.0 + 0.01 * k + 0.01 * f, 139.0}; }

  rt::vehicle_position pos(std::string vehicle, latlon p, seconds_t when, std::string_view trip_id = {}) const {
    rt::vehicle_position v;
    v.vehicle_id = std::move(vehicle);
    v.position = p;
    v.timestamp = at(when);
    if (!trip_id.empty()) {
      v.trip = trip(trip_id);
      v.trip_id = std::string{trip_id};
      v.start_date = day0;
    }
    return v;
  }
  static seconds_t arrival_at(rt::trip_update const& u, std::size_t i, rt::unix_time base) {
    return static_cast<seconds_t>(*u.stops[i].arrival.time - base);
  }
};

}  // namespace

TEST_CASE("a position between two stops gives the delay against the interpolated schedule", "[rt][tracker]") {
  line_fixture const fx;
  rt::vehicle_tracker tr{*fx.ctx};
  rt::skip_counts sk;
  std::vector<rt::vehicle_position> const ps{fx.pos("v1", line_fixture::between(2, 0.5), hm(8, 20), "A")};
  tr.update(ps, std::nullopt, sk);
  CHECK(sk.total() == 0);
  auto const e = tr.estimates(fx.at(hm(8, 20)));
  REQUIRE(e.size() == 1);
  CHECK(e[0].estimated);
  CHECK(e[0].trip == fx.trip("A"));
  auto const base = fx.at(0);
  // Halfway S2 (08:10) → S3 (08:20) is 08:15 on the schedule: 5 minutes late.
  CHECK(std::abs(line_fixture::arrival_at(e[0], 2, base) - hm(8, 25)) <= 2);
  CHECK(std::abs(line_fixture::arrival_at(e[0], 4, base) - hm(8, 45)) <= 2);
  CHECK(line_fixture::arrival_at(e[0], 1, base) <= hm(8, 20));  // passed: not after the fix
}

TEST_CASE("standing at the terminal before departure is not departed", "[rt][tracker]") {
  line_fixture const fx;
  rt::vehicle_tracker tr{*fx.ctx};
  rt::skip_counts sk;
  auto const s1 = *fx.tt.find_stop("S1");
  std::vector<rt::vehicle_position> ps{fx.pos("v1", fx.tt.stop_coords[s1], hm(7, 55), "A")};
  tr.update(ps, std::nullopt, sk);
  auto e = tr.estimates(fx.at(hm(7, 55)));
  REQUIRE(e.size() == 1);
  CHECK(line_fixture::arrival_at(e[0], 1, fx.at(0)) == hm(8, 10));  // leaves on time
  ps = {fx.pos("v1", fx.tt.stop_coords[s1], hm(8, 3), "A")};        // still there at 08:03
  tr.update(ps, std::nullopt, sk);
  e = tr.estimates(fx.at(hm(8, 3)));
  CHECK(line_fixture::arrival_at(e[0], 1, fx.at(0)) == hm(8, 13));
  CHECK(sk.total() == 0);
}

TEST_CASE("older positions, jumps and positions off the path are rejected and counted", "[rt][tracker]") {
  line_fixture const fx;
  rt::vehicle_tracker tr{*fx.ctx};
  rt::skip_counts sk;
  std::vector<rt::vehicle_position> ps{fx.pos("v1", line_fixture::between(2, 0.5), hm(8, 15), "A")};
  tr.update(ps, std::nullopt, sk);
  ps = {fx.pos("v1", line_fixture::between(2, 0.2), hm(8, 14), "A")};  // older
  tr.update(ps, std::nullopt, sk);
  CHECK(sk[rt::skip_reason::stale_timestamp] == 1);
  ps = {fx.pos("v1", line_fixture::between(4, 0.5), hm(8, 15, 30), "A")};  // 2.2 km in 30 s
  tr.update(ps, std::nullopt, sk);
  CHECK(sk[rt::skip_reason::position_jump] == 1);
  ps = {fx.pos("v1", line_fixture::between(1, 0.5), hm(8, 16), "A")};  // 1.1 km backwards
  tr.update(ps, std::nullopt, sk);
  CHECK(sk[rt::skip_reason::position_jump] == 2);
  ps = {fx.pos("v1", latlon{35.025, 139.02}, hm(8, 17), "A")};  // 1.8 km east of the line
  tr.update(ps, std::nullopt, sk);
  CHECK(sk[rt::skip_reason::off_route] == 1);
  // The estimate is still the one of the last accepted position.
  auto const e = tr.estimates(fx.at(hm(8, 17)));
  REQUIRE(e.size() == 1);
  CHECK(std::abs(line_fixture::arrival_at(e[0], 2, fx.at(0)) - hm(8, 20)) <= 2);
}

TEST_CASE("without a trip: the route's trip nearest its schedule, then the vehicle's block", "[rt][tracker]") {
  line_fixture const fx;
  rt::vehicle_tracker tr{*fx.ctx};
  rt::skip_counts sk;
  auto const s2 = *fx.tt.find_stop("S2");
  auto p = fx.pos("v9", line_fixture::between(2, 0.4), hm(8, 19));  // A would be 6 min late, B 2 min early
  p.line = fx.tt.trip_line[fx.trip("A")];
  std::vector<rt::vehicle_position> ps{p};
  tr.update(ps, std::nullopt, sk);
  auto e = tr.estimates(fx.at(hm(8, 19)));
  REQUIRE(e.size() == 1);
  CHECK(e[0].trip == fx.trip("B"));
  // No route either: the routes of stops near the position.
  auto q = fx.pos("v8", fx.tt.stop_coords[s2], hm(8, 11));
  ps = {q};
  tr.update(ps, std::nullopt, sk);
  e = tr.estimates(fx.at(hm(8, 11)));
  REQUIRE(e.size() == 2);
  CHECK(e[0].vehicle_id == "v8");
  CHECK(e[0].trip == fx.trip("A"));
  // v8 ends A at S5, then reports from S1 before 10:00: C, the next trip of A's block.
  ps = {fx.pos("v8", fx.tt.stop_coords[*fx.tt.find_stop("S5")], hm(8, 41))};
  tr.update(ps, std::nullopt, sk);
  ps = {fx.pos("v8", fx.tt.stop_coords[*fx.tt.find_stop("S1")], hm(9, 55))};
  tr.update(ps, std::nullopt, sk);
  e = tr.estimates(fx.at(hm(9, 55)));
  auto const it = std::find_if(e.begin(), e.end(), [](auto const& u) { return u.vehicle_id == "v8"; });
  REQUIRE(it != e.end());
  CHECK(it->trip == fx.trip("C"));
  CHECK(sk.total() == 0);
}

TEST_CASE("estimates apply like trip updates", "[rt][tracker]") {
  line_fixture const fx;
  rt::vehicle_tracker tr{*fx.ctx};
  rt::skip_counts sk;
  // 08:14 on the schedule at 08:20: six minutes late, one minute behind B (08:05) from S2 on.
  std::vector<rt::vehicle_position> const ps{fx.pos("v1", line_fixture::between(2, 0.4), hm(8, 20), "A")};
  tr.update(ps, std::nullopt, sk);
  auto const est = tr.estimates(fx.at(hm(8, 20)));
  rt::build_input in;
  for (auto const& u : est) in.trip_updates.push_back({&u, 0, fx.at(hm(8, 20))});
  in.now = fx.at(hm(8, 20));
  auto const st = rt::build_state(*fx.ctx, in);
  CHECK(st->validate(*fx.ctx).empty());
  auto const* ts = st->find(fx.trip("A"), fx.day);
  REQUIRE(ts != nullptr);
  CHECK(ts->estimated);
  CHECK(std::abs(st->times(*ts)[3].arrival - hm(8, 36)) <= 2);
  CHECK(st->stats().overtaking == 1);  // A runs after B now: a route of its own
}

TEST_CASE("simulated Hachinohe day, 20 m noise, 30 s gaps: median error of the next 5 arrivals <= 60 s",
          "[rt][tracker][hachinohe]") {
  NEBUTA_REQUIRE_DATASET(dir, "jp-hachinohe-citybus");
  test::rt_sample const s{dir, "hachinohe"};
  rt::sim_options so;
  so.gps_noise_m = 20.0;
  so.report_min_s = so.report_max_s = 30;
  auto const date = date_t{std::chrono::year{2026} / 4 / 8};
  rt::day_simulation const sim{*s.ctx, date, so};
  REQUIRE(sim.trips().size() == 778);
  auto const base = s.ctx->day_base(trip_idx{0}, *s.tt().day_of(date));
  auto const e = rt::measure_estimator(sim, *s.ctx, {}, 30, base + 5 * 3600, base + 24 * 3600);
  INFO("median " << e.percentile(0.5) << " s, p90 " << e.percentile(0.9) << " s, " << e.abs_error_s.size() << " samples");
  CHECK(e.abs_error_s.size() > 300'000);
  CHECK(e.percentile(0.5) <= 60.0);
  // ... and far better than the timetable alone on the same stops.
  CHECK(e.percentile(0.5) < 0.5 * rt::estimator_error::percentile_of(e.schedule_abs_error_s, 0.5));
  CHECK(static_cast<double>(e.estimated) >= 0.95 * static_cast<double>(e.running));
  CHECK(static_cast<double>(e.wrong_trip) <= 0.03 * static_cast<double>(e.running));
}

TEST_CASE("Caltrain: every one of the 14 vehicles matched, estimates near the producer's predictions",
          "[rt][tracker][caltrain]") {
  NEBUTA_REQUIRE_DATASET(dir, "rt-samples/us-caltrain");
  test::rt_sample const s{dir / "gtfs", "caltrain"};
  auto const vp = gtfs_rt::decode(test::read_bytes(dir / "ct-vehicle-positions.pb"), *s.ids);
  auto const tu = gtfs_rt::decode(test::read_bytes(dir / "ct-trip-updates.pb"), *s.ids);
  REQUIRE(vp.message);
  REQUIRE(tu.message);
  rt::vehicle_tracker tr{*s.ctx};
  rt::skip_counts sk;
  tr.update(vp.message->vehicles, vp.message->timestamp, sk);
  auto const now = *vp.message->timestamp;
  auto const est = tr.estimates(now);
  CHECK(sk.total() == 0);
  REQUIRE(est.size() == 14);
  rt::build_input in;
  for (auto const& u : tu.message->trip_updates) in.trip_updates.push_back({&u, 0, tu.message->timestamp});
  in.now = *tu.message->timestamp;
  auto const st = rt::build_state(*s.ctx, in);
  std::vector<double> err;
  for (auto const& e : est) {
    auto const v = std::find_if(vp.message->vehicles.begin(), vp.message->vehicles.end(),
                                [&](rt::vehicle_position const& x) { return x.vehicle_id == e.vehicle_id; });
    REQUIRE(v != vp.message->vehicles.end());
    CHECK(e.trip == v->trip);
    auto const d = *s.tt().day_of(*e.start_date);
    auto const* ts = st->find(e.trip, d);
    REQUIRE(ts != nullptr);  // every vehicle's trip has a TripUpdate
    auto const base = s.ctx->day_base(e.trip, d);
    auto const times = st->times(*ts);
    auto taken = 0;
    for (auto i = 0U; i < times.size() && taken < 5; ++i) {
      if (*e.stops[i].arrival.time <= now) continue;
      err.push_back(std::abs(static_cast<double>(*e.stops[i].arrival.time - (base + times[i].arrival))));
      ++taken;
    }
  }
  std::sort(err.begin(), err.end());
  REQUIRE(!err.empty());
  INFO("median difference " << err[err.size() / 2] << " s over " << err.size() << " stops");
  CHECK(err[err.size() / 2] <= 120.0);
}

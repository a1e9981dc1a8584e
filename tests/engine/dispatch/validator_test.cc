// The validator itself: a valid hand-built plan passes, and each kind of broken rule is caught.
#include <catch2/catch.hpp>

#include "nebuta/dispatch/validate.h"

using namespace nebuta;
using namespace nebuta::dispatch::validate;

namespace {

road::straight_line_model const model{1.0, 36.0};  // 10 m/s

std::int32_t tt(latlon a, latlon b) { return model.cost(model.snap(a), model.snap(b))->seconds; }

// One vehicle, two riders pooled: depot -> P0 -> P1 -> D0 -> D1 -> depot, all along one street.
fleet_plan valid_plan() {
  latlon const depot{-30.05, -51.20}, p0{-30.05, -51.19}, p1{-30.05, -51.185}, d0{-30.05, -51.17}, d1{-30.05, -51.165};
  fleet_plan plan;
  plan.dwell = 30;
  plan.vehicles.push_back({4, 1, depot, 28'800, 36'000, depot, 28'800});
  plan.riders.push_back({1, 0, p0, d0, 28'800, 29'700, 31'000, 2'000, false, 0, 0});
  plan.riders.push_back({1, 1, p1, d1, 29'000, 29'900, 31'000, 2'000, false, 0, 0});
  auto& s = plan.schedules.emplace_back();
  std::int32_t t = 28'800;
  latlon here = depot;
  auto const add = [&](std::uint32_t r, bool pickup, latlon at, std::int32_t earliest) {
    auto const arr = t + tt(here, at);
    auto const begin = std::max(arr, earliest);
    s.push_back({r, pickup, arr, begin, begin + 30});
    t = begin + 30;
    here = at;
  };
  add(0, true, p0, 28'800);
  add(1, true, p1, 29'000);
  add(0, false, d0, 0);
  add(1, false, d1, 0);
  return plan;
}

bool mentions(std::vector<std::string> const& errors, char const* what) {
  for (auto const& e : errors) {
    if (e.find(what) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("validator: a consistent plan passes") {
  auto const errors = check(valid_plan(), model);
  INFO((errors.empty() ? std::string{} : errors.front()));
  CHECK(errors.empty());
}

TEST_CASE("validator: each broken rule is reported") {
  SECTION("arrival faster than the travel time") {
    auto p = valid_plan();
    p.schedules[0][2].arrival -= 100;
    CHECK(mentions(check(p, model), "travel"));
  }
  SECTION("dwell too short") {
    auto p = valid_plan();
    p.schedules[0][0].departure -= 1;
    CHECK(mentions(check(p, model), "dwell"));
  }
  SECTION("pickup outside the promised window") {
    auto p = valid_plan();
    p.riders[1].window_end = p.schedules[0][1].begin - 1;
    CHECK(mentions(check(p, model), "outside promised window"));
    p = valid_plan();
    p.riders[1].window_start = p.schedules[0][1].begin + 1;
    CHECK(mentions(check(p, model), "outside promised window"));
  }
  SECTION("late drop-off") {
    auto p = valid_plan();
    p.riders[0].latest_dropoff = p.schedules[0][2].arrival - 1;
    CHECK(mentions(check(p, model), "after promised"));
  }
  SECTION("a ride longer than its limit, counted from the pickup's service begin") {
    auto p = valid_plan();
    auto const ride = p.schedules[0][2].arrival - p.schedules[0][0].begin;
    p.riders[0].max_ride = ride;
    CHECK(check(p, model).empty());
    p.riders[0].max_ride = ride - 1;
    CHECK(mentions(check(p, model), "is longer than"));
  }
  SECTION("a rider on board is counted from the moment of the pickup") {
    auto p = valid_plan();
    p.riders[0].on_board = true;
    p.schedules[0].erase(p.schedules[0].begin());
    auto const arrival = p.schedules[0][1].arrival;  // D0
    p.riders[0].picked_up_at = arrival - 2'000;
    CHECK(check(p, model).empty());
    p.riders[0].picked_up_at = arrival - 2'001;
    CHECK(mentions(check(p, model), "is longer than"));
  }
  SECTION("seats and wheelchair spaces") {
    auto p = valid_plan();
    p.vehicles[0].seats = 1;
    CHECK(mentions(check(p, model), "seats used"));
    p = valid_plan();
    p.vehicles[0].wheelchairs = 0;
    CHECK(mentions(check(p, model), "wheelchair spaces used"));
  }
  SECTION("drop-off before pickup") {
    auto p = valid_plan();
    std::swap(p.schedules[0][1], p.schedules[0][3]);
    CHECK(mentions(check(p, model), "before its pickup"));
  }
  SECTION("shift") {
    auto p = valid_plan();
    p.vehicles[0].shift_end = p.schedules[0][3].departure;  // no time left to drive home
    CHECK(mentions(check(p, model), "after shift end"));
    p = valid_plan();
    p.vehicles[0].shift_start = 28'900;  // cannot leave before its shift
    CHECK(mentions(check(p, model), "travel"));
  }
  SECTION("a rider missing or in the wrong vehicle") {
    auto p = valid_plan();
    p.schedules[0].erase(p.schedules[0].begin() + 3);
    CHECK(mentions(check(p, model), "never dropped off"));
    p = valid_plan();
    p.riders[1].vehicle = 1;
    CHECK(mentions(check(p, model), "belongs to"));
  }
  SECTION("rider already on board") {
    auto p = valid_plan();
    p.riders[0].on_board = true;
    p.riders[0].picked_up_at = p.schedules[0][0].begin;
    CHECK(mentions(check(p, model), "who is on board"));
    p.schedules[0].erase(p.schedules[0].begin());
    CHECK(check(p, model).empty());
  }
}

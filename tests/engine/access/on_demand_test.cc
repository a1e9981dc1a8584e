// The on-demand service as access, egress and door-to-door mode: edges worked out by hand on an
// inline timetable, and on Hachinohe the times with the service never above those without, equal
// outside its reach, and per minute equal to earliest-arrival queries with its access edges.
#include <catch2/catch.hpp>

#include <cmath>

#include "../raptor/mini_feed.h"
#include "hachinohe.h"
#include "nebuta/access/analysis.h"
#include "nebuta/access/on_demand.h"
#include "nebuta/gtfs_import/import.h"

using namespace nebuta;
using namespace nebuta::access;
using nebuta::test::hm;

TEST_CASE("on_demand: access, egress and door-to-door edges by hand") {
  test::mini_feed f;
  f.add_stop("A", 35.0, 139.0);
  f.add_stop("B", 35.01, 139.0);  // 1.1 km north
  f.add_stop("C", 35.0, 139.05);  // outside the area
  f.add_trip("t1", {{"A", hm(7, 10)}, {"B", hm(7, 25)}});
  auto const tt = f.compile();
  raptor::index const idx{tt};
  road::straight_line_model const model{1.5, 36.0};  // 10 m/s after the detour
  on_demand_service svc;
  svc.area = {{{34.99, 138.99}, {34.99, 139.02}, {35.02, 139.02}, {35.02, 138.99}}};
  svc.wait_s = 300;
  svc.max_ride_m = 1000;
  on_demand_edges const edges{idx, svc, model};
  latlon const o{35.0 + 600.0 / 111'194.93, 139.0};  // 600 m north of A, 500 m south of B
  std::vector<raptor::access_edge> acc;
  edges.access(o, acc);
  REQUIRE(acc.size() == 2U);  // A and B, both within 1 km; C is outside the area
  for (auto const& e : acc) {
    auto const d = haversine_m(o, tt.stop_coords[e.stop]);
    CHECK(e.duration_s == 300 + static_cast<seconds_t>(d * 1.5 / 10.0 + 0.5));
  }
  edges.access({35.0, 139.05}, acc);
  CHECK(acc.empty());  // outside the area
  // Door to door to the nearer of two points inside; -1 when no point is inside.
  std::vector<latlon> const pts{{35.005, 139.0}, {35.0, 139.05}};
  CHECK(edges.direct(o, pts) == 300 + static_cast<seconds_t>(haversine_m(o, pts[0]) * 1.5 / 10.0 + 0.5));
  CHECK(edges.direct(o, std::vector<latlon>{{35.0, 139.05}}) == -1);
  // Egress to the point inside from A and B (C is outside the area).
  auto const eg = edges.egress(pts);
  CHECK(eg.size() == 2U);
}

TEST_CASE("on_demand: Hachinohe, with the service never slower, and equal to earliest-arrival queries",
          "[access][hachinohe][shared_data][threads]") {
  auto const* hachinohe = test::hachinohe_timetable();
  if (hachinohe == nullptr) return;
  auto const& tt = *hachinohe;
  raptor::index const idx{tt};
  area a;
  a.bounds = {40.490, 141.420, 40.530, 141.470};  // west of the centre, around 八戸駅
  auto const cells = regular_grid(a, 800.0);
  std::vector<std::vector<latlon>> const sets{{tt.stop_coords[*tt.find_stop("552-01")]}};  // 本八戸駅
  analysis_options opt;
  opt.w = {std::chrono::year{2026} / 4 / 8, hm(7, 0), hm(7, 30)};
  opt.percentiles = {50};
  opt.threads = 2;
  road::straight_line_model const model;
  on_demand_service svc;
  svc.area = {{{40.495, 141.425}, {40.495, 141.45}, {40.52, 141.45}, {40.52, 141.425}}};
  svc.wait_s = 600;
  on_demand_edges const edges{idx, svc, model};
  auto const without = analyse(idx, cells, sets, opt);
  auto const with = analyse(idx, cells, sets, opt, &edges, &without);
  std::size_t faster = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    auto const w0 = without.at(i, 0, 0), w1 = with.at(i, 0, 0);
    INFO("cell " << cells[i].id);
    if (w0 != unreachable_minutes) CHECK((w1 != unreachable_minutes && w1 <= w0));
    if (!svc.inside(cells[i].at)) CHECK(w1 == w0);  // 本八戸駅 is outside the area: nothing changes
    if (w1 != unreachable_minutes && (w0 == unreachable_minutes || w1 < w0)) ++faster;
  }
  CHECK(faster > 0U);

  // Per minute, for the cells inside: the minimum over the points of earliest-arrival queries from
  // the cell with the service's access edges.
  raptor::router r{idx}, reference{idx};
  travel_times calc{r};
  destination_set const set{idx, sets[0], opt.travel};
  std::vector<seconds_t> times;
  std::vector<raptor::access_edge> acc;
  for (auto const& c : cells) {
    if (!svc.inside(c.at)) continue;
    edges.access(c.at, acc);
    calc.from(c.at, acc, set, opt.w, opt.travel, edges.direct(c.at, sets[0]), times);
    for (std::size_t i = 0; i < times.size(); ++i) {
      auto const m = opt.w.departure(i);
      auto const res = reference.earliest_arrival(raptor::place::at_coord(c.at, acc),
                                                  raptor::place::at_coord(sets[0][0]), opt.w.date, m, opt.travel.ropt);
      INFO("cell " << c.id << " minute " << i);
      CHECK(times[i] == (res.reachable ? res.time - m : unreachable_time));
    }
  }
}

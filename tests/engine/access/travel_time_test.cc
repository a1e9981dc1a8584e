// Travel times over a departure window: the median and other percentiles worked out by hand on an
// inline timetable, and per-minute times on the real Hachinohe timetable checked against an
// independent reference (one earliest-arrival query per cell, minute and target).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "../raptor/mini_feed.h"
#include "hachinohe.h"
#include "nebuta/access/analysis.h"
#include "nebuta/access/travel_time.h"
#include "nebuta/gtfs_import/import.h"

using namespace nebuta;
using namespace nebuta::access;
using nebuta::test::hm;

namespace {

constexpr date_t wednesday = std::chrono::year{2024} / 3 / 6;

// A at the origin, B 1.1 km north (no walking between them at the default 400 m).
struct two_stop_line {
  timetable tt;
  two_stop_line() {
    test::mini_feed f;
    f.add_stop("A", 35.0, 139.0);
    f.add_stop("B", 35.01, 139.0);
    f.add_trip("t1", {{"A", hm(7, 10)}, {"B", hm(7, 25)}});
    f.add_trip("t2", {{"A", hm(7, 40)}, {"B", hm(8, 5)}});
    f.add_trip("t3", {{"A", hm(8, 20)}, {"B", hm(8, 30)}});
    tt = f.compile();
  }
};

}  // namespace

TEST_CASE("access: per-minute times and R5 percentiles on an inline timetable, by hand") {
  two_stop_line const line;
  raptor::index const idx{line.tt};
  raptor::router r{idx};
  travel_times calc{r};
  window w{wednesday, hm(7, 0), hm(8, 0)};
  REQUIRE(w.departures() == 60U);
  travel_options o;
  destination_set const to{idx, {latlon{35.01, 139.0}}, o};
  std::vector<seconds_t> times;
  calc.from({35.0, 139.0}, {}, to, w, o, -1, times);
  REQUIRE(times.size() == 60U);
  // Leaving at 07:00+k: up to 07:10 the 07:10 bus (arrives 07:25), up to 07:40 the 07:40 bus
  // (08:05), after it the 08:20 bus (08:30), which leaves after the window.
  for (int k = 0; k < 60; ++k) {
    int const arrival = k <= 10 ? 25 : k <= 40 ? 65 : 90;
    CHECK(times[static_cast<std::size_t>(k)] == (arrival - k) * 60);
  }

  // The 60 times in minutes are {15..25} (k = 10..0), {25..54} (k = 40..11), {31..49} (k = 59..41).
  // Median: index ceil(0.5 x 60) - 1 = 29, the 30th smallest. Values <= 36: 11 + 12 + 6 = 29,
  // values <= 37: 11 + 13 + 7 = 31, so the 30th smallest is 37.
  // 5th percentile: index ceil(3) - 1 = 2, the 3rd smallest: 15, 16, 17 -> 17.
  // 95th: index ceil(57) - 1 = 56, the 57th smallest = the 4th largest: 54, 53, 52, 51 -> 51.
  std::vector<double> const pct{5, 50, 95, 100};
  std::vector<std::int16_t> out(4);
  percentile_minutes(times, pct, 7200, out);
  CHECK(out[0] == 17);
  CHECK(out[1] == 37);
  CHECK(out[2] == 51);
  CHECK(out[3] == 54);
  // With a 50-minute limit the five times 50-54 are unreachable: they sort last, so the 57th
  // smallest is one of them; the median stays 37.
  percentile_minutes(times, pct, 50 * 60, out);
  CHECK(out[0] == 17);
  CHECK(out[1] == 37);
  CHECK(out[2] == unreachable_minutes);
  CHECK(out[3] == unreachable_minutes);

  // Seconds are truncated to minutes: 90 s is 1 minute, 119 s too.
  std::vector<seconds_t> const short_times{90, 119, unreachable_time};
  std::vector<std::int16_t> two(2);
  std::vector<double> const lo_hi{50, 100};
  percentile_minutes(short_times, lo_hi, 7200, two);
  CHECK(two[0] == 1);
  CHECK(two[1] == unreachable_minutes);
}

TEST_CASE("access: walking all the way counts, and a place near the stop is reached on foot") {
  two_stop_line const line;
  raptor::index const idx{line.tt};
  raptor::router r{idx};
  travel_times calc{r};
  window w{wednesday, hm(7, 0), hm(7, 30)};
  // A target 100 m from the origin: walking (ceil(100 / 1.2) = 84 s) beats every bus.
  latlon const near{35.0 + 100.0 / 111'195.0, 139.0};
  travel_options const o;
  destination_set const to{idx, {near}, o};
  std::vector<seconds_t> times;
  calc.from({35.0, 139.0}, {}, to, w, o, -1, times);
  REQUIRE(times.size() == 30U);
  for (auto const t : times) CHECK(t == static_cast<seconds_t>(std::ceil(haversine_m({35.0, 139.0}, near) / 1.2)));

  // An origin with no stop and no target within reach: nothing is reachable.
  calc.from({35.5, 139.5}, {}, destination_set{idx, {latlon{35.01, 139.0}}, o}, w, o, -1, times);
  for (auto const t : times) CHECK(t == unreachable_time);
  // A door-to-door time by other means (an on-demand ride of 20 min) counts when it is faster.
  calc.from({35.5, 139.5}, {}, destination_set{idx, {latlon{35.01, 139.0}}, o}, w, o, 1200, times);
  for (auto const t : times) CHECK(t == 1200);
}

TEST_CASE("access: Hachinohe grid, every cell and minute equal to repeated earliest-arrival queries",
          "[access][hachinohe][shared_data][threads]") {
  auto const* hachinohe = test::hachinohe_timetable();
  if (hachinohe == nullptr) return;
  auto const& tt = *hachinohe;
  raptor::index const idx{tt};
  // 7 x 7 cells of 400 m around 八戸市中心街 (三日町), 07:00-08:00 on Wed 2026-04-08; the set: the
  // stop 八戸駅 509-01 and the stop 本八戸駅 552-01, as coordinates (reached on foot from the stops
  // near them).
  area a;
  a.bounds = {40.5060, 141.4780, 40.5312, 141.5110};
  auto const cells = regular_grid(a, 400.0);
  REQUIRE(cells.size() >= 40U);
  std::vector<latlon> const points{tt.stop_coords[*tt.find_stop("509-01")], tt.stop_coords[*tt.find_stop("552-01")]};
  window const w{std::chrono::year{2026} / 4 / 8, hm(7, 0), hm(8, 0)};
  travel_options o;
  destination_set const set{idx, points, o};

  raptor::router r{idx}, reference{idx};
  travel_times calc{r};
  std::vector<seconds_t> times;
  std::vector<std::vector<seconds_t>> per_cell;
  std::size_t reached = 0;
  for (auto const& c : cells) {
    calc.from(c.at, {}, set, w, o, -1, times);
    REQUIRE(times.size() == 60U);
    for (std::size_t i = 0; i < 60; ++i) {
      // The reference: one earliest-arrival query per minute and per point of the set, each
      // point its own target.
      auto const m = w.departure(i);
      seconds_t expected = unreachable_time;
      for (auto const& p : points) {
        auto const res =
            reference.earliest_arrival(raptor::place::at_coord(c.at), raptor::place::at_coord(p), w.date, m, o.ropt);
        if (res.reachable) expected = std::min(expected, res.time - m);
      }
      INFO("cell " << c.id << " minute " << i);
      REQUIRE(times[i] == expected);
      if (expected != unreachable_time) ++reached;
    }
    per_cell.push_back(times);
  }
  CHECK(reached > cells.size() * 30);  // most cells of the centre reach one of the two stations

  // analyse() on two threads gives the percentiles of those times (checked above), sorted here.
  analysis_options aopt;
  aopt.w = w;
  aopt.percentiles = {25, 50, 90};
  aopt.threads = 2;
  std::vector<std::vector<latlon>> const sets{points};
  auto const res = analyse(idx, cells, sets, aopt);
  for (std::size_t k = 0; k < cells.size(); ++k) {
    std::vector<long> minutes;
    for (auto const t : per_cell[k])
      minutes.push_back(t == unreachable_time || t >= o.max_duration ? 1L << 40 : t / 60);
    std::sort(minutes.begin(), minutes.end());
    for (std::size_t p = 0; p < 3; ++p) {
      auto const idx_p = static_cast<std::size_t>(std::ceil(aopt.percentiles[p] / 100.0 * 60.0)) - 1;
      auto const v = minutes[idx_p];
      CHECK(res.at(k, 0, p) == (v == (1L << 40) ? unreachable_minutes : static_cast<std::int16_t>(v)));
    }
  }
}

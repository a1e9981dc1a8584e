// Coverage of the fixed network on an inline timetable whose distances and departures are worked
// out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include "hachinohe.h"
#include "nebuta/access/coverage.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/builder.h"

using namespace nebuta;
using namespace nebuta::access;

namespace {

constexpr seconds_t hm(int h, int m) { return h * 3600 + m * 60; }
constexpr date_t wednesday = std::chrono::year{2024} / 3 / 6;
constexpr double north_m = 1.0 / 111'194.93;  // degrees of latitude per metre (haversine's sphere)
double const east_m = north_m / std::cos(35.0 * 3.141592653589793 / 180.0);

timetable make_timetable() {
  build::feed f;
  f.name = "cov";
  f.agencies.push_back({{1}, "A", "Agency", "Asia/Tokyo", "", "ja"});
  f.lines.push_back({{1}, "bus", "A", "1", "Bus", "", "", 3});
  f.lines.push_back({{1}, "rail", "A", "R", "Rail", "", "", 2});
  auto const stop = [&](std::string_view id, double lat, double lon) {
    build::stop s;
    s.id = id;
    s.name = id;
    s.coord = latlon{lat, lon};
    f.stops.push_back(s);
  };
  stop("A", 35.0, 139.0);
  stop("B", 35.0, 139.0 + 600 * east_m);    // 600 m east of A
  stop("C", 35.0 - 2200 * north_m, 139.0);  // 2.2 km south
  stop("R", 35.0 + 1500 * north_m, 139.0);  // a station 1.5 km north
  stop("F", 35.1, 139.0);
  f.calendars.push_back({{1}, "all", 0x7F, std::chrono::year{2024} / 1 / 1, std::chrono::year{2024} / 12 / 31});
  f.calendars.push_back({{1}, "weekend", 0x60, std::chrono::year{2024} / 1 / 1, std::chrono::year{2024} / 12 / 31});
  auto const trip = [&](std::string_view id, std::string_view line, std::string_view service,
                        std::vector<std::pair<std::string_view, seconds_t>> const& times) {
    build::trip t;
    t.id = id;
    t.line_id = line;
    t.service_id = service;
    f.trips.push_back(t);
    std::uint32_t seq = 1;
    for (auto const& [s, time] : times) {
      build::stop_time st;
      st.trip_id = id;
      st.stop_id = s;
      st.stop_sequence = seq++;
      st.arrival = st.departure = time;
      f.stop_times.push_back(st);
    }
  };
  trip("b1", "bus", "all", {{"A", hm(8, 0)}, {"B", hm(8, 5)}, {"C", hm(8, 20)}});
  trip("b2", "bus", "all", {{"C", hm(9, 0)}, {"A", hm(9, 20)}});        // ends at A: no boarding there
  trip("b3", "bus", "weekend", {{"A", hm(10, 0)}, {"C", hm(10, 20)}});  // not on a Wednesday
  trip("r1", "rail", "all", {{"R", hm(8, 0)}, {"F", hm(8, 30)}});
  return build::compile({f}, {}, [](build::problem const&) {});
}

origin at(double lat, double lon) {
  origin o;
  o.at = {lat, lon};
  return o;
}

}  // namespace

TEST_CASE("coverage: distances, departures a day within 500 m and the gap definitions, by hand") {
  auto const tt = make_timetable();
  raptor::index const idx{tt};
  std::vector<origin> const origins{
      at(35.0, 139.0),                   // O1 at stop A
      at(35.0, 139.0 + 300 * east_m),    // O2 halfway between A and B
      at(35.0, 139.0 - 1200 * east_m),   // O3 1.2 km west of A
      at(35.0 + 1500 * north_m, 139.0),  // O4 at the station
  };
  coverage_options opt;
  opt.date = wednesday;
  auto const cov = compute_coverage(idx, origins, {}, opt);
  REQUIRE(cov.size() == 4U);

  // O1: b1 can be boarded at A; b2 ends at A; b3 does not run: one departure.
  CHECK(*cov[0].nearest_stop_m == Approx(0.0).margin(1e-6));
  CHECK(*cov[0].nearest_bus_stop_m == Approx(0.0).margin(1e-6));
  CHECK(*cov[0].nearest_station_m == Approx(1500.0).epsilon(1e-6));
  CHECK(cov[0].departures == 1U);
  CHECK_FALSE(cov[0].gap);
  CHECK_FALSE(cov[0].gap_1km);
  CHECK(cov[0].few_departures);

  // O2: A and B 300 m away, both served by b1, which counts once.
  CHECK(*cov[1].nearest_stop_m == Approx(300.0).epsilon(1e-3));
  CHECK(cov[1].departures == 1U);

  // O3: 1,200 m from A, sqrt(1200^2 + 1500^2) = 1,921 m from the station: a gap in both senses.
  CHECK(*cov[2].nearest_bus_stop_m == Approx(1200.0).epsilon(1e-3));
  CHECK(*cov[2].nearest_station_m == Approx(std::hypot(1200.0, 1500.0)).epsilon(1e-3));
  CHECK(cov[2].departures == 0U);
  CHECK(cov[2].gap);
  CHECK(cov[2].gap_1km);

  // O4: at the station (0 m), 1.5 km from the nearest bus stop: not a gap; the train departs.
  CHECK(*cov[3].nearest_stop_m == Approx(0.0).margin(1e-6));
  CHECK(*cov[3].nearest_bus_stop_m == Approx(1500.0).epsilon(1e-3));
  CHECK(*cov[3].nearest_station_m == Approx(0.0).margin(1e-6));
  CHECK(cov[3].departures == 1U);
  CHECK_FALSE(cov[3].gap);

  // A station the feed does not have, 300 m from O3, ends its gap (1,200 m from a bus stop, but
  // within 1,000 m of a station), also under the 1 km rule.
  std::vector<latlon> const extra{{35.0 + 300 * north_m, 139.0 - 1200 * east_m}};
  auto const cov2 = compute_coverage(idx, origins, extra, opt);
  CHECK(*cov2[2].nearest_station_m == Approx(300.0).epsilon(1e-3));
  CHECK_FALSE(cov2[2].gap);
  CHECK_FALSE(cov2[2].gap_1km);

  // On a Saturday b3 runs too: two departures at A.
  opt.date = std::chrono::year{2024} / 3 / 9;
  CHECK(compute_coverage(idx, origins, {}, opt)[0].departures == 2U);
  // Stricter parameters: 200 m and 400 m.
  opt.gap_stop_m = 200;
  opt.gap_station_m = 400;
  CHECK(compute_coverage(idx, origins, {}, opt)[1].gap);
}

TEST_CASE("coverage: the nearest stop equals a brute-force scan") {
  auto const tt = make_timetable();
  raptor::index const idx{tt};
  stop_locator const loc{tt};
  for (int i = 0; i < 200; ++i) {
    latlon const p{34.97 + 0.0007 * i, 138.98 + 0.0003 * (i % 97)};
    double best = 1e18;
    for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s) best = std::min(best, haversine_m(p, tt.stop_coords[s]));
    auto const n = loc.nearest(p);
    REQUIRE(n);
    CHECK(n->second == best);
  }
}

TEST_CASE("coverage: Hachinohe, distances and departures a day equal to a brute-force scan",
          "[access][hachinohe][shared_data]") {
  auto const* hachinohe = test::hachinohe_timetable();
  if (hachinohe == nullptr) return;
  auto const& tt = *hachinohe;
  raptor::index const idx{tt};
  // 150 points over the city on a lattice, Wed 2026-04-08.
  std::vector<origin> origins;
  for (int i = 0; i < 150; ++i) origins.push_back(at(40.47 + 0.0007 * i, 141.43 + 0.0013 * ((i * 37) % 150)));
  coverage_options opt;
  opt.date = std::chrono::year{2026} / 4 / 8;
  auto const cov = compute_coverage(idx, origins, {}, opt);
  auto const day = tt.day_of(opt.date)->v();
  std::size_t with_departures = 0;
  for (std::size_t i = 0; i < origins.size(); ++i) {
    auto const p = origins[i].at;
    // Every stop, every route, every trip: the nearest stop, and the trips running that day that
    // can be boarded (not at their last stop) at some stop within 500 m, each counted once.
    double nearest = 1e18;
    for (auto s = stop_idx{0U}; s.v() < tt.n_stops(); ++s)
      nearest = std::min(nearest, haversine_m(p, tt.stop_coords[s]));
    std::uint32_t departures = 0;
    for (auto r = route_idx{0U}; r.v() < tt.n_routes(); ++r) {
      auto const stops = tt.route_stops[r];
      bool boardable_near = false;
      for (std::uint32_t pos = 0; pos + 1 < stops.size(); ++pos) {
        if (tt.can_board(r, pos) && haversine_m(p, tt.stop_coords[stops[pos]]) <= 500.0) boardable_near = true;
      }
      if (!boardable_near) continue;
      for (std::uint32_t j = 0; j < tt.route_n_trips[r]; ++j) {
        if (tt.trip_active(trip_idx{tt.route_first_trip[r].v() + j}, day)) ++departures;
      }
    }
    INFO("point " << i << " at " << p.lat << "," << p.lon);
    CHECK(*cov[i].nearest_stop_m == Approx(nearest).epsilon(1e-9));
    CHECK(*cov[i].nearest_bus_stop_m == Approx(nearest).epsilon(1e-9));  // a bus feed
    CHECK_FALSE(cov[i].nearest_station_m.has_value());
    CHECK(cov[i].departures == departures);
    CHECK(cov[i].gap == (nearest > 500.0));
    CHECK(cov[i].few_departures == (departures < 30U));
    if (departures > 0) ++with_departures;
  }
  CHECK(with_departures > 30U);  // the lattice crosses the served city
}

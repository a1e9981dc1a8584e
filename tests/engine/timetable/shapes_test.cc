// Shapes in the compiled timetable: stops placed on the polyline (projected, or from
// shape_dist_traveled), the slice a ride covers against hand-computed points, bad shapes.txt
// rows as file:line problems, the snapshot round trip, and Tampa's real shapes against its stops.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/shapes.h"
#include "nebuta/timetable/snapshot.h"
#include "shared_data.h"
#include "temp_dir.h"

using namespace nebuta;

namespace {

// On the equator and on a meridian a degree is exactly R·π/180 along the great circle.
constexpr double m_per_deg = 6'371'000.0 * 3.14159265358979323846 / 180.0;

trip_idx the_trip(timetable const& tt, std::string_view id) {
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    if (tt.strings[tt.trip_ids[t]] == id) return t;
  }
  FAIL("no trip " << id);
  return trip_idx::invalid();
}

bool has_problem(std::vector<problem> const& ps, std::string const& file, std::uint32_t line, std::string const& kind) {
  return std::any_of(ps.begin(), ps.end(),
                     [&](problem const& p) { return p.file == file && p.line == line && p.kind == kind; });
}

// An L-shaped shape S: east along the equator from (0, 0) to (0, 0.01), then north to
// (0.01, 0.01). Stops A (11 m north of the start), B (22 m north of the middle of the first
// leg), C (11 m east of the middle of the second leg), D (the end).
// T1 has no shape_dist_traveled: its stops are projected. T2 gives distances in km on both
// files; B's (0.52 km) is 42 m from B, so it is believed, and B is projected near it: at 556 m.
// T3 names a shape that does not exist; shapes.txt has three bad rows.
struct l_feed {
  test::temp_dir dir{"shapes"};
  gtfs_import::load_result r;
  l_feed() {
    dir.write("agency.txt", "agency_id,agency_name,agency_url,agency_timezone\nA,Agency,https://example.org,UTC\n");
    dir.write("calendar.txt",
              "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
              "WK,1,1,1,1,1,1,1,20260101,20261231\n");
    dir.write("routes.txt", "route_id,agency_id,route_short_name,route_type\nR,A,1,3\n");
    dir.write("stops.txt",
              "stop_id,stop_name,stop_lat,stop_lon\n"
              "A,A,0.0001,0\nB,B,0.0002,0.005\nC,C,0.005,0.0101\nD,D,0.01,0.01\n");
    dir.write("trips.txt",
              "route_id,service_id,trip_id,shape_id\n"
              "R,WK,T1,S\n"       // line 2
              "R,WK,T2,S\n"       // line 3
              "R,WK,T3,NOPE\n");  // line 4
    std::string st = "trip_id,arrival_time,departure_time,stop_id,stop_sequence,shape_dist_traveled\n";
    for (auto const& [trip, base, dists] : std::vector<std::tuple<std::string, int, std::vector<std::string>>>{
             {"T1", 8, {"", "", "", ""}}, {"T2", 9, {"0", "0.52", "1.6678", "2.2239"}}, {"T3", 10, {"", "", "", ""}}}) {
      char const* ids[] = {"A", "B", "C", "D"};
      for (auto i = 0; i < 4; ++i) {
        auto const t = "0" + std::to_string(base) + ":0" + std::to_string(i) + ":00";
        st += trip + "," + t + "," + t + "," + ids[i] + "," + std::to_string(i + 1) + "," + dists[i] + "\n";
      }
    }
    dir.write("stop_times.txt", st);
    dir.write("shapes.txt",
              "shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence,shape_dist_traveled\n"
              "S,0,0,1,0\n"
              "S,abc,0.005,2,0.5\n"  // line 3: not a number
              "S,0,0.01,3,1.11195\n"
              "S,95,0.01,4,1.5\n"  // line 5: off the earth
              "S,0.01,0.01,5,2.2239\n"
              "S,0.02,0.01,5,2.5\n"  // line 7: sequence 5 again
              "LONE,1,1,1,0\n");     // line 8: one point only
    r = gtfs_import::load({{"l", dir.path}});
  }
};

}  // namespace

TEST_CASE("shapes: stops placed on the polyline, projected or from shape_dist_traveled", "[timetable][shapes]") {
  l_feed f;
  auto const& tt = f.r.tt;
  REQUIRE(tt.validate().empty());
  REQUIRE(tt.n_shapes() == 1);  // LONE is unusable, S is stored once
  REQUIRE(tt.n_paths() == 2);   // T1 and T2 run S with different stop positions
  auto const t1 = the_trip(tt, "T1"), t2 = the_trip(tt, "T2"), t3 = the_trip(tt, "T3");
  CHECK_FALSE(tt.path_of(t3).valid());
  REQUIRE(tt.path_of(t1).valid());
  REQUIRE(tt.path_of(t2).valid());

  auto const leg = 0.01 * m_per_deg;  // 1111.95 m
  auto const at1 = tt.path_stop_along[tt.path_of(t1)];
  REQUIRE(at1.size() == 4);
  CHECK(at1[0] == Approx(0.0).margin(0.01));
  CHECK(at1[1] == Approx(leg / 2).margin(0.01));
  CHECK(at1[2] == Approx(leg + leg / 2).margin(0.01));
  CHECK(at1[3] == Approx(2 * leg).margin(0.01));

  // T2: km on both files; the feed's distances say where to look, the stops say where exactly.
  auto const at2 = tt.path_stop_along[tt.path_of(t2)];
  REQUIRE(at2.size() == 4);
  CHECK(at2[1] == Approx(leg / 2).margin(0.01));
  CHECK(at2[2] == Approx(leg + leg / 2).margin(0.01));
  CHECK(at2[3] == Approx(2 * leg).margin(0.01));

  // validate() sees stops out of order on a path.
  auto broken = f.r.tt;
  auto at = broken.path_stop_along[broken.path_of(t1)];
  std::swap(at[1], at[2]);
  CHECK_FALSE(broken.validate().empty());
}

TEST_CASE("shapes: the slice of a ride, against hand-computed points", "[timetable][shapes]") {
  l_feed f;
  auto const& tt = f.r.tt;
  auto const t1 = the_trip(tt, "T1");
  // Board at B, alight at C: from B's place (middle of the first leg) over the corner to C's.
  auto const g = ride_geometry(tt, t1, 1, 2);
  REQUIRE(g.size() == 3);
  CHECK(g[0].lat == Approx(0.0).margin(1e-9));
  CHECK(g[0].lon == Approx(0.005).margin(1e-9));
  CHECK(g[1].lat == Approx(0.0).margin(1e-9));
  CHECK(g[1].lon == Approx(0.01).margin(1e-9));
  CHECK(g[2].lat == Approx(0.005).margin(1e-9));
  CHECK(g[2].lon == Approx(0.01).margin(1e-9));
  // A to B: along the first leg only, no corner.
  auto const ab = ride_geometry(tt, t1, 0, 1);
  REQUIRE(ab.size() == 2);
  CHECK(ab[0].lon == Approx(0.0).margin(1e-9));
  CHECK(ab[1].lon == Approx(0.005).margin(1e-9));
  // The whole trip: the three points of the shape.
  CHECK(ride_geometry(tt, t1, 0, 3).size() == 3);
  auto const b2 = ride_geometry(tt, the_trip(tt, "T2"), 1, 3);
  REQUIRE(b2.size() == 3);
  CHECK(b2[0].lon == Approx(0.005).margin(1e-9));
  // No shape: nothing (the caller draws stop to stop); a bad range: nothing.
  CHECK(ride_geometry(tt, the_trip(tt, "T3"), 0, 3).empty());
  CHECK(ride_geometry(tt, t1, 2, 2).empty());
  CHECK(ride_geometry(tt, t1, 2, 9).empty());
}

TEST_CASE("shapes: bad shapes.txt rows are file:line problems and skipped", "[timetable][shapes]") {
  l_feed f;
  auto const& ps = f.r.problems;
  for (auto const& p : ps) INFO(p.file << ":" << p.line << " " << p.kind << " " << p.message);
  CHECK(has_problem(ps, "shapes.txt", 3, "bad_coordinate"));
  CHECK(has_problem(ps, "shapes.txt", 5, "bad_coordinate"));
  CHECK(has_problem(ps, "shapes.txt", 7, "duplicate_shape_sequence"));
  CHECK(has_problem(ps, "shapes.txt", 8, "short_shape"));
  CHECK(has_problem(ps, "trips.txt", 4, "unknown_shape"));
  // The rows skipped did not bend the shape: three points, as written on the good rows.
  auto const pts = f.r.tt.shape_points[shape_idx{0}];
  REQUIRE(pts.size() == 3);
  CHECK(pts[1] == shape_point{0, 100'000});
  CHECK(pts[2] == shape_point{100'000, 100'000});
}

TEST_CASE("shapes: stops of a route that passes a place twice are taken in order", "[timetable][shapes]") {
  // Out east along the equator, 11 m north, back west: X and Z are at the same longitude, on
  // the way out and on the way back.
  std::vector<latlon> const pts{{0, 0}, {0, 0.01}, {0.0001, 0.01}, {0.0001, 0}};
  auto const along = geo::cumulative_m(pts);
  std::vector<std::optional<latlon>> const stops{latlon{0, 0.002}, latlon{0.00005, 0.008}, std::nullopt,
                                                 latlon{0.0001, 0.002}};
  std::vector<std::optional<double>> const known(4);
  auto const at = place_stops_on_polyline(pts, along, stops, known);
  REQUIRE(at.size() == 4);
  CHECK(at[0] == Approx(0.002 * m_per_deg).margin(0.01));
  CHECK(at[1] == Approx(0.008 * m_per_deg).margin(0.01));
  CHECK(at[2] == at[1]);  // no coordinates: where the previous stop is
  CHECK(at[3] == Approx(0.01 * m_per_deg + 0.0001 * m_per_deg + 0.008 * m_per_deg).margin(0.01));
  // A distance the feed gives that is far from its stop is not believed.
  std::vector<std::optional<double>> wrong{std::nullopt, std::nullopt, std::nullopt, 5.0};
  CHECK(place_stops_on_polyline(pts, along, stops, wrong)[3] == Approx(at[3]).margin(0.01));
  // shape_dist_traveled picks the pass: X (11 m from the way back too) on the way back.
  std::vector<std::optional<latlon>> const x_only{latlon{0, 0.002}};
  std::vector<std::optional<double>> const back{at[3] + 30.0};
  CHECK(place_stops_on_polyline(pts, along, x_only, back)[0] == Approx(at[3]).margin(0.01));
  CHECK(place_stops_on_polyline(pts, along, x_only, known)[0] == Approx(at[0]).margin(0.01));
}

TEST_CASE("shapes: a feed without shapes stores nothing", "[timetable][shapes]") {
  auto const r = gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}});
  CHECK(r.tt.n_shapes() == 0);
  CHECK(r.tt.n_paths() == 0);
  CHECK(r.tt.trip_path.empty());
  CHECK(ride_geometry(r.tt, trip_idx{0}, 0, 1).empty());
}

TEST_CASE("shapes: a snapshot keeps them bit for bit, an older format is refused", "[timetable][shapes][snapshot]") {
  l_feed f;
  auto const bytes = write_snapshot(f.r.tt);
  auto const back = read_snapshot(bytes);
  CHECK(back.shape_points.raw_data() == f.r.tt.shape_points.raw_data());
  CHECK(back.shape_points.raw_offsets() == f.r.tt.shape_points.raw_offsets());
  CHECK(back.path_shape.raw() == f.r.tt.path_shape.raw());
  CHECK(back.trip_path.raw() == f.r.tt.trip_path.raw());
  auto const& a = back.path_stop_along.raw_data();
  auto const& b = f.r.tt.path_stop_along.raw_data();
  REQUIRE(a.size() == b.size());
  CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
  CHECK((write_snapshot(back) == bytes));
  // A file of format 4 (before shapes): refused, with what to do about it.
  auto old = bytes;
  std::uint32_t const v4 = 4;
  std::memcpy(old.data() + 8, &v4, sizeof(v4));
  CHECK_THROWS_WITH(read_snapshot(old), Catch::Contains("format 4") && Catch::Contains("nebuta import"));
}

TEST_CASE("tampa: ride geometry starts and ends at the stops, about as long as the ride",
          "[timetable][shapes][shared_data]") {
  NEBUTA_REQUIRE_DATASET(path, "us-tampa-hart-multimodal");
  auto const r = gtfs_import::load({{"tampa", path}});
  auto const& tt = r.tt;
  REQUIRE(tt.validate().empty());
  REQUIRE(tt.n_paths() > 0);
  std::size_t shaped = 0;
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) shaped += tt.path_of(t).valid() ? 1U : 0U;
  CHECK(shaped == tt.n_trips());  // every HART trip names a shape

  // One trip per path. Reference: each stop's distance from the nearest point of the whole
  // polyline, by brute force over its segments.
  std::vector<double> offsets, excess;
  std::size_t rides = 0;
  std::vector<std::string> bad_lengths;
  std::vector<bool> seen(tt.n_paths(), false);
  for (auto t = trip_idx{0}; t.v() < tt.n_trips(); ++t) {
    auto const p = tt.path_of(t);
    if (seen[p.v()]) continue;
    seen[p.v()] = true;
    auto const stops = tt.route_stops[tt.trip_route[t]];
    auto const pts = shape_polyline(tt, tt.path_shape[p]);
    auto const n = static_cast<std::uint32_t>(stops.size());
    for (std::uint32_t i = 0; i + 1 < n; ++i) {
      // Every ride to the next stop and three stops on: starts and ends where the stops lie.
      for (auto const to : {i + 1, std::min(i + 3, n - 1)}) {
        auto const g = ride_geometry(tt, t, i, to);
        REQUIRE(g.size() >= 2);
        ++rides;
        auto nearest = [&](latlon c) {
          auto best = 1e18;
          for (std::size_t k = 0; k + 1 < pts.size(); ++k)
            best = std::min(best, geo::nearest_on_segment(c, pts[k], pts[k + 1]).distance_m);
          return best;
        };
        auto const board = tt.stop_coords[stops[i]], alight = tt.stop_coords[stops[to]];
        if (to == i + 1) {
          offsets.push_back(haversine_m(g.front(), board));
          excess.push_back(offsets.back() - nearest(board));
        }
        double length = 0.0, via_stops = 0.0;
        for (std::size_t k = 1; k < g.size(); ++k) length += haversine_m(g[k - 1], g[k]);
        for (auto s = i; s < to; ++s) via_stops += haversine_m(tt.stop_coords[stops[s]], tt.stop_coords[stops[s + 1]]);
        // Along the streets a ride is at least as long as the straight line between its ends
        // (less the stops' offsets from the street), and no longer than a bus can go in the
        // timetable's time (30 m/s; a minute more for times rounded to the minute). Route 30's
        // first stretch loops 3.9 km between stops 560 m apart, as its shape_dist_traveled says.
        auto const straight = haversine_m(board, alight) - haversine_m(g.front(), board) - haversine_m(g.back(), alight);
        auto const route = tt.trip_route[t];
        auto const j = t.v() - tt.route_first_trip[route].v();
        auto const seconds = tt.arrival(route, to, j) - tt.departure(route, i, j) + 60;
        if (length < straight - 1.0 || length > 30.0 * seconds) {
          bad_lengths.push_back(std::string{tt.strings[tt.trip_ids[t]]} + " " + std::to_string(i) + "-" +
                                std::to_string(to) + ": " + std::to_string(length) + " m, stop to stop " +
                                std::to_string(via_stops) + " m");
        }
      }
    }
  }
  auto const pct = [](std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
  };
  INFO(rides << " rides; boarding stop offsets p50 " << pct(offsets, 0.5) << " m, p95 " << pct(offsets, 0.95)
             << " m, max " << pct(offsets, 1.0) << " m; beyond the nearest point p99 " << pct(excess, 0.99)
             << " m, max " << pct(excess, 1.0) << " m");
  std::string bad;
  for (auto const& b : bad_lengths) bad += b + "\n";
  INFO(bad);
  CHECK(rides > 10'000);
  CHECK(pct(offsets, 0.5) < 10.0);  // a kerb's distance from the street's centre line
  CHECK(pct(offsets, 0.95) < 25.0);
  CHECK(pct(offsets, 1.0) < 150.0);  // terminals off the street
  CHECK(pct(excess, 0.99) < 1.0);    // the nearest point, but where the route passes twice
  CHECK(bad_lengths.empty());
}

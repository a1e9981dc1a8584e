// nearby_stop_index against a brute-force scan of every stop: the same stops at the same distances,
// for random points (on stops, at exactly the radius from them, between them, far away, near the
// poles) and radii from 0 to thousands of kilometres, on the sample feed and on a dense inline
// feed with stops on one latitude, on one spot and without coordinates.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "nebuta/core/geo.h"
#include "nebuta/gtfs_import/import.h"
#include "nebuta/timetable/builder.h"
#include "nebuta/timetable/nearby_stop_index.h"
#include "nebuta/timetable/timetable.h"

using namespace nebuta;

namespace {

struct hit {
  stop_idx s;
  double d;
  bool operator==(hit const&) const = default;
};

std::vector<hit> brute_force(timetable const& tt, latlon c, double radius_m) {
  std::vector<hit> out;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_has_coords[s] == 0U) continue;
    if (auto const d = haversine_m(c, tt.stop_coords[s]); d <= radius_m) out.push_back({s, d});
  }
  return out;
}

// Compares the locator with the brute force at n_points random points for each radius; returns
// how many (point, radius) pairs found at least one stop, so a test can check it looked at some.
std::size_t check_random_points(timetable const& tt, nearby_stop_index const& loc, std::uint64_t seed, int n_points) {
  std::mt19937_64 rng{seed};
  std::vector<stop_idx> with_coords;
  for (auto s = stop_idx{0}; s.v() < tt.n_stops(); ++s) {
    if (tt.stop_has_coords[s] != 0U) with_coords.push_back(s);
  }
  REQUIRE(!with_coords.empty());
  std::uniform_int_distribution<std::size_t> any_stop{0, with_coords.size() - 1};
  std::uniform_real_distribution<double> unit{0.0, 1.0};
  std::uniform_int_distribution<int> kind{0, 5};
  double const radii[] = {0.0, 1e-9, 0.5, 10.0, 100.0, 399.9, 400.0, 1'000.0, 5'000.0, 50'000.0, 2'000'000.0};
  std::size_t non_empty = 0;
  for (auto i = 0; i < n_points; ++i) {
    for (auto const r : radii) {
      auto const at = tt.stop_coords[with_coords[any_stop(rng)]];
      latlon c;
      switch (kind(rng)) {
        case 0: c = at; break;                             // on a stop
        case 1: c = geo::offset_by_m(at, r, 0.0); break;   // r north of it
        case 2: c = geo::offset_by_m(at, -r, 0.0); break;  // r south of it
        case 3: c = geo::offset_by_m(at, (unit(rng) - 0.5) * 4 * r, (unit(rng) - 0.5) * 4 * r); break;
        case 4: c = {unit(rng) * 180.0 - 90.0, unit(rng) * 360.0 - 180.0}; break;                  // anywhere
        default: c = {(unit(rng) < 0.5 ? -1.0 : 1.0) * (90.0 - unit(rng) * 1e-3), at.lon}; break;  // at a pole
      }
      std::vector<hit> got;
      loc.for_each_near(c, r, [&](stop_idx s, double d) { got.push_back({s, d}); });
      // In order of (latitude, stop); each stop once.
      CHECK(std::is_sorted(got.begin(), got.end(), [&](hit const& a, hit const& b) {
        return std::tuple{tt.stop_coords[a.s].lat, a.s} < std::tuple{tt.stop_coords[b.s].lat, b.s};
      }));
      std::sort(got.begin(), got.end(), [](hit const& a, hit const& b) { return a.s < b.s; });
      auto const want = brute_force(tt, c, r);
      INFO("point " << c.lat << "," << c.lon << " radius " << r);
      REQUIRE(got == want);  // same stops, bit-identical distances
      non_empty += want.empty() ? 0U : 1U;
    }
  }
  return non_empty;
}

// n stops in a 3 km square around Aomori, some on one latitude, some on one spot, some without
// coordinates (location_type 3, generic nodes, may have none).
timetable dense_feed(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng{seed};
  std::uniform_real_distribution<double> unit{0.0, 1.0};
  std::vector<std::string> ids(n);
  build::feed f;
  f.name = "dense";
  f.agencies.push_back({{}, "a", "A", "Asia/Tokyo", "https://example.com", "ja"});
  latlon const origin{40.82, 140.74};
  for (std::size_t i = 0; i < n; ++i) {
    ids[i] = "s" + std::to_string(i);
    build::stop s;
    s.id = ids[i];
    s.name = ids[i];
    switch (i % 10) {
      case 0: s.coord = geo::offset_by_m(origin, 0.0, unit(rng) * 3'000.0); break;  // one latitude
      case 1: s.coord = origin; break;                                              // one spot
      case 2: s.location_type = 3; break;                                           // no coordinates
      default: s.coord = geo::offset_by_m(origin, unit(rng) * 3'000.0, unit(rng) * 3'000.0);
    }
    f.stops.push_back(s);
  }
  return build::compile({f}, {.walk_link_radius_m = 50.0F}, [](build::problem const&) {});
}

}  // namespace

TEST_CASE("nearby_stop_index: the stops a brute-force scan finds, on the sample feed", "[timetable][nearby_stop_index]") {
  auto const r = gtfs_import::load({{"sample", NEBUTA_SOURCE_DIR "/data/sample"}});
  auto const& tt = r.tt;
  nearby_stop_index const loc{tt};
  CHECK(loc.size() == static_cast<std::size_t>(std::count(tt.stop_has_coords.begin(), tt.stop_has_coords.end(), 1U)));
  CHECK(loc.memory_bytes() >= loc.size() * sizeof(std::pair<double, stop_idx>));
  CHECK(check_random_points(tt, loc, 7, 300) > 300);
}

TEST_CASE("nearby_stop_index: the stops a brute-force scan finds, on a dense feed", "[timetable][nearby_stop_index]") {
  auto const tt = dense_feed(2'000, 11);
  nearby_stop_index const loc{tt};
  auto const n_coords = static_cast<std::size_t>(std::count(tt.stop_has_coords.begin(), tt.stop_has_coords.end(), 1U));
  CHECK(n_coords < tt.n_stops());  // some have none, and the locator leaves them out
  CHECK(loc.size() == n_coords);
  CHECK(check_random_points(tt, loc, 13, 200) > 200);

  // Every stop on the one spot, and nothing else, at radius 0 (and at the smallest radius).
  std::vector<stop_idx> on_spot;
  for (auto const r : {0.0, 1e-9}) {
    on_spot.clear();
    loc.for_each_near({40.82, 140.74}, r, [&](stop_idx s, double d) {
      CHECK(d == 0.0);
      on_spot.push_back(s);
    });
    CHECK(on_spot.size() == 200U);
    CHECK(std::is_sorted(on_spot.begin(), on_spot.end()));
  }
}

TEST_CASE("nearby_stop_index: an empty timetable has no stops near anywhere", "[timetable][nearby_stop_index]") {
  timetable const tt;
  nearby_stop_index const loc{tt};
  auto n = 0;
  loc.for_each_near({0.0, 0.0}, 1e7, [&](stop_idx, double) { ++n; });
  CHECK(n == 0);
  CHECK(loc.size() == 0U);
}

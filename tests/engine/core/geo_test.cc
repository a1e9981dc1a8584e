// engine/core's geodesy, strong indices and problem, against values worked out independently:
// arc lengths of the sphere by hand (R * angle), and the spherical law of cosines (another
// formula for the same great-circle distance) for random pairs.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <type_traits>
#include <vector>

#include "nebuta/core/geo.h"
#include "nebuta/core/problem.h"
#include "nebuta/core/strong_idx.h"

using nebuta::haversine_m;
using nebuta::latlon;
namespace geo = nebuta::geo;

namespace {

constexpr double pi = std::numbers::pi;

double law_of_cosines_m(latlon a, latlon b) {
  auto const p1 = a.lat * pi / 180, p2 = b.lat * pi / 180, dl = (b.lon - a.lon) * pi / 180;
  auto const c = std::sin(p1) * std::sin(p2) + std::cos(p1) * std::cos(p2) * std::cos(dl);
  return 6'371'000.0 * std::acos(std::clamp(c, -1.0, 1.0));
}

}  // namespace

TEST_CASE("core: one earth radius, and arcs of the sphere", "[core][geo]") {
  CHECK(geo::earth_radius_m == 6'371'000.0);
  CHECK(geo::metres_per_degree == Approx(111'194.92664455873).epsilon(1e-14));
  // One degree along the equator and along a meridian; a quarter meridian; half the equator.
  CHECK(haversine_m({0, 0}, {0, 1}) == Approx(6'371'000.0 * pi / 180).epsilon(1e-12));
  CHECK(haversine_m({10, 20}, {11, 20}) == Approx(6'371'000.0 * pi / 180).epsilon(1e-12));
  CHECK(haversine_m({0, 0}, {90, 0}) == Approx(6'371'000.0 * pi / 2).epsilon(1e-12));
  CHECK(haversine_m({0, 0}, {0, 180}) == Approx(6'371'000.0 * pi).epsilon(1e-12));
  CHECK(haversine_m({40.5, 141.5}, {40.5, 141.5}) == 0.0);
  // Opposite meridians at 60° north: the great circle goes over the pole, 30° + 30° of arc.
  CHECK(haversine_m({60, 0}, {60, 180}) == Approx(6'371'000.0 * pi / 3).epsilon(1e-12));
}

TEST_CASE("core: haversine agrees with the law of cosines on random pairs", "[core][geo]") {
  std::mt19937_64 rng{7};
  std::uniform_real_distribution<double> lat{-89.0, 89.0}, lon{-180.0, 180.0};
  for (int i = 0; i < 10'000; ++i) {
    latlon const a{lat(rng), lon(rng)}, b{lat(rng), lon(rng)};
    auto const d = law_of_cosines_m(a, b);
    if (d < 1'000.0) continue;  // acos loses precision for short arcs
    CHECK(haversine_m(a, b) == Approx(d).epsilon(1e-9));
    CHECK(haversine_m(a, b) == haversine_m(b, a));
  }
}

TEST_CASE("core: offsets in metres in the local flat approximation", "[core][geo]") {
  latlon const hachinohe{40.5092, 141.4312};
  auto const north = geo::offset_by_m(hachinohe, 1'000.0, 0.0);
  CHECK(north.lon == hachinohe.lon);
  CHECK(north.lat - hachinohe.lat == Approx(1'000.0 / 6'371'000.0 * 180 / pi).epsilon(1e-12));
  CHECK(haversine_m(hachinohe, north) == Approx(1'000.0).epsilon(1e-9));  // a meridian arc: exact
  auto const east = geo::offset_by_m(hachinohe, 0.0, 1'000.0);
  CHECK(east.lat == hachinohe.lat);
  CHECK(haversine_m(hachinohe, east) == Approx(1'000.0).epsilon(1e-6));
  auto const south_west = geo::offset_by_m(hachinohe, -3'000.0, -4'000.0);
  // 3 km south the parallels are longer than at the origin: the flat approximation is off by
  // about 0.6 m in 5 km here (4 km x half the change of cos(latitude) over 0.027 degrees).
  CHECK(haversine_m(hachinohe, south_west) == Approx(5'000.0).epsilon(2e-4));
}

TEST_CASE("core: strong indices and the containers keyed by them", "[core]") {
  using a_idx = nebuta::strong_idx<struct a_tag>;
  using b_idx = nebuta::strong_idx<struct b_tag, std::uint16_t>;
  static_assert(!std::is_convertible_v<a_idx, b_idx>);
  static_assert(!std::is_convertible_v<std::uint32_t, a_idx>);  // explicit construction only
  CHECK_FALSE(a_idx{}.valid());
  CHECK(a_idx::invalid().v() == 0xFFFF'FFFFU);
  CHECK(b_idx::invalid().v() == 0xFFFFU);
  CHECK(a_idx{3U} < a_idx{4U});
  auto i = a_idx{7U};
  CHECK((++i).v() == 8U);

  nebuta::vecmap<a_idx, double> v;
  CHECK(v.push_back(1.5) == a_idx{0U});
  CHECK(v.push_back(2.5) == a_idx{1U});
  CHECK(v[a_idx{1U}] == 2.5);
  CHECK(v.next_idx() == a_idx{2U});

  nebuta::multimap<a_idx, int> m;
  m.emplace_back(std::vector{1, 2, 3});
  m.emplace_back_empty();
  m.emplace_back(std::vector{4});
  REQUIRE(m.size() == 3);
  CHECK(m[a_idx{0U}].size() == 3);
  CHECK(m[a_idx{1U}].empty());
  CHECK(m[a_idx{2U}][0] == 4);
  CHECK(m.total() == 4);
}

TEST_CASE("core: a problem prints as file:line: message", "[core]") {
  CHECK(nebuta::problem{"stop_times.txt", 12, "bad_time", "bad arrival_time '9:6'"}.to_string() ==
        "stop_times.txt:12: bad arrival_time '9:6'");
  CHECK(nebuta::problem{"feed_info.txt", 0, "x", "no row"}.to_string() == "feed_info.txt: no row");
}

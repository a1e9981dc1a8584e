#include <catch2/catch.hpp>
#include <cmath>

#include "nebuta/dispatch/dispatcher.h"

using namespace nebuta;
using namespace nebuta::dispatch;

TEST_CASE("service area: even-odd rule over rings (outer ring with a hole, second polygon)") {
  std::vector<std::vector<latlon>> const rings{
      {{-30.10, -51.25}, {-30.10, -51.15}, {-30.00, -51.15}, {-30.00, -51.25}},  // outer
      {{-30.06, -51.21}, {-30.06, -51.19}, {-30.04, -51.19}, {-30.04, -51.21}},  // hole
      {{-29.90, -51.25}, {-29.90, -51.20}, {-29.85, -51.20}}};                   // island
  CHECK(inside_area(rings, {-30.08, -51.23}));
  CHECK_FALSE(inside_area(rings, {-30.05, -51.20}));  // in the hole
  CHECK_FALSE(inside_area(rings, {-30.20, -51.20}));  // south of everything
  CHECK_FALSE(inside_area(rings, {-30.05, -51.10}));  // east
  CHECK(inside_area(rings, {-29.89, -51.22}));
  CHECK_FALSE(inside_area({}, {-30.05, -51.20}));
}

TEST_CASE("meeting points: nearest within walking distance") {
  std::vector<latlon> const mps{{-30.050, -51.200}, {-30.052, -51.200}, {-30.080, -51.180}};
  auto const m = nearest_meeting_point(mps, {-30.0515, -51.2001}, 400.0);
  REQUIRE(m);
  CHECK(*m == latlon{-30.052, -51.200});
  CHECK_FALSE(nearest_meeting_point(mps, {-30.065, -51.190}, 400.0));
  CHECK_FALSE(nearest_meeting_point({}, {-30.05, -51.2}, 400.0));
}

TEST_CASE("distance to the service area: zero inside, to the nearest edge outside") {
  // A square 0.1 degrees a side around (40.5, 141.5), as the Hachinohe zone is about.
  std::vector<std::vector<latlon>> const area{{{40.45, 141.45}, {40.45, 141.55}, {40.55, 141.55}, {40.55, 141.45}}};
  CHECK(distance_to_area_m(area, {40.5, 141.5}) == 0.0);
  // 0.01 degrees of latitude north of the top edge: 1,111.95 m (R = 6,371 km).
  CHECK(distance_to_area_m(area, {40.56, 141.5}) == Approx(1111.95).epsilon(1e-4));
  // East of the east edge by 0.01 degrees of longitude at 40.5 degrees: 1,111.95 x cos(40.5) m.
  CHECK(distance_to_area_m(area, {40.5, 141.56}) ==
        Approx(1111.95 * std::cos(40.5 * 3.14159265358979 / 180)).epsilon(1e-4));
  // 45 km out to sea: far.
  CHECK(distance_to_area_m(area, {40.5, 142.05}) > 40'000.0);
}

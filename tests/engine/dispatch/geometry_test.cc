#include <catch2/catch.hpp>

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

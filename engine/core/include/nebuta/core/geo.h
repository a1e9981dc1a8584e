// Points on the earth and the distances between them, with one earth radius for the whole
// project: footpaths, walking links, snapping, the dispatcher's straight lines, demand sampling
// and report scale bars all measure with it.
#pragma once

#include <numbers>

namespace nebuta {

struct latlon {
  double lat{0.0};
  double lon{0.0};
  constexpr bool operator==(latlon const&) const = default;
};

namespace geo {

// The radius of the spherical model: the IUGG mean radius (6,371,008.8 m) rounded to the kilometre.
inline constexpr double earth_radius_m = 6'371'000.0;
inline constexpr double radians_per_degree = std::numbers::pi / 180.0;
// Metres of one degree of latitude (and of longitude at the equator) on that sphere.
inline constexpr double metres_per_degree = earth_radius_m * radians_per_degree;

// The point `north_m` metres north and `east_m` metres east of `from` in the local flat
// (equirectangular) approximation: exact enough for offsets of a few kilometres away from the poles.
latlon offset_by_m(latlon from, double north_m, double east_m);

}  // namespace geo

// Great-circle distance in metres (haversine on geo::earth_radius_m), the definition that
// footpath generation and every comparison in tests use.
double haversine_m(latlon a, latlon b);

}  // namespace nebuta

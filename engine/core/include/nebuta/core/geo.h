// Points on the earth and the distances between them, with one earth radius for the whole
// project: footpaths, walking links, snapping, the dispatcher's straight lines, demand sampling
// and report scale bars all measure with it.
#pragma once

#include <numbers>
#include <span>
#include <vector>

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

// The point of segment a-b nearest to p, in a local flat plane around p: its fraction along the
// segment (0 at a, 1 at b) and its distance from p in metres. Shapes (stops projected onto a
// trip's polyline) and realtime (vehicles projected onto it) both measure with it.
struct segment_projection {
  double fraction{0.0};
  double distance_m{0.0};
};
segment_projection nearest_on_segment(latlon p, latlon a, latlon b);

// Metres from the first point to each point of a polyline, summing haversine_m.
std::vector<double> cumulative_m(std::span<latlon const> points);

// The point at `along_m` metres on a polyline with cumulative distances `along` (cumulative_m),
// linear between points; clamped to its ends.
latlon point_at(std::span<latlon const> points, std::span<double const> along, double along_m);

}  // namespace geo

// Great-circle distance in metres (haversine on geo::earth_radius_m), the definition that
// footpath generation and every comparison in tests use.
double haversine_m(latlon a, latlon b);

}  // namespace nebuta
